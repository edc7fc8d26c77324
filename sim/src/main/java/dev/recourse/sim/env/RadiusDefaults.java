package dev.recourse.sim.env;

/**
 * The constant confidence radii policies get when their configuration names none, one set per scenario
 * type (each scenario class returns its own from {@code Scenario.radiusDefaults()}; the GLRB variants
 * share GLRB's), all chosen by one rule: the grid point with the lowest mean cumulative regret at T for that
 * policy, on the scenario's default configuration with study seed 1 (tests use other seeds), LIBRA
 * with the q-quality advisor of paper §6 (q = 0.8; App. D's q = 0.4 on fertility) and Δ = 1. The sweeps are the study files
 * {@code sim/studies/radius-sweep-*.yaml}; their full tables are in the README ("Monte Carlo runner").
 * Mean cumulative regret at T (bold: chosen):
 *
 * <ul>
 *   <li>synthetic (T = 10,000, 10 replications). GLRB ρ = 0.25, 0.5, 1, 1.5, 2, 3, 4: 46,035, 42,961,
 *       21,504, 8,337, 3,140, <b>2,873</b>, 3,202 (below 2 it locks onto a wrong arm in some
 *       replications). LIBRA (q = 0.8, Δ = 1) ρ = 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3: 46,562, 24,706,
 *       <b>1,397</b>, 2,260, 3,431, 4,704, 12,480, 22,696. LinUCB α = 0.5, 1, 3: 140,894, <b>140,743</b>,
 *       140,803 (linear whatever α: it forgoes the recourse gain every round).
 *   <li>hypertension (T = 500, 50 replications). GLRB ρ = 0.5, 1, 2, 4, 8, 16, 24, 32, 48, 64, 96: 1,645,
 *       1,637, 1,620, 1,551, 1,412, 1,091, 692, 484, <b>456</b>, 599, 963: rewards are in mmHg and the
 *       learner's θ includes the offset 170 − 125 = 45, so ρ must be of that order (Lemma 2 at scale 1
 *       gives 55–60 here, and 20–25 on the synthetic problem). LinUCB α = 1, 3, 10, 32, 64: 4,386,
 *       4,308, 4,079, <b>3,565</b>, 3,633. LIBRA (q = 0.8) ρ = 0.25, 0.5, 1, 1.5, 2, 4: 414, 212,
 *       <b>186</b>, 323, 507, 969; with the fixed
 *       guideline advisor instead ρ = 0.1, 0.25, 0.5, 1, 2, 4 give 1,407, 1,139, 1,174, 1,310, 1,892,
 *       3,186 (all above GLRB: see {@code PaperStudies#hypertensionGuideline}).
 *   <li>fertility (γ = 1, T = 1,000, 20 replications). GLRB ρ = 0.25, 0.5, 1, 2, 4: 342, 178, 104,
 *       78.7, <b>78.2</b>. LinUCB α = 0.5, 1, 2, 4: 519, 454, 415, <b>413</b>. LIBRA (q = 0.4, Δ = 1)
 *       ρ = 0.1, 0.25, 0.5, 1: 330, 127, <b>58</b>, 74.
 * </ul>
 *
 * <p>LIBRA's radius is an order of magnitude below GLRB's: LIBRA spends its early, wide-interval
 * rounds on the advisor, whose pairs supply the exploration GLRB buys with a large ρ, and with Δ fixed
 * the number of queries grows like ρ²/Δ² (Theorem 4; measured: 254, 485, 1,113, 5,560 queries at
 * ρ = 0.25, 0.5, 1, 3 on the synthetic problem). With GLRB's radius LIBRA keeps asking for thousands of
 * rounds and pays the advisor's own regret ((1 − q)·≈20 per query there) each time. Too small a radius
 * (ρ ≤ 0.1) stops it asking at all and it locks in like an under-explored GLRB; ρ = 0.2 was still
 * fine on three further seeds (30 replications).
 */
public record RadiusDefaults(double linucb, double glrb, double libra) {

  /** The paper's synthetic problem (§6.1). */
  public static final RadiusDefaults SYNTHETIC = new RadiusDefaults(1.0, 3.0, 0.25);
  /** The hypertension problem (§5): rewards in mmHg, so radii of the order of the offset. */
  public static final RadiusDefaults HYPERTENSION = new RadiusDefaults(32.0, 48.0, 1.0);
  /** The UCI Fertility problem (App. D). */
  public static final RadiusDefaults FERTILITY = new RadiusDefaults(4.0, 4.0, 0.5);

  public RadiusDefaults {
    for (double r : new double[] {linucb, glrb, libra}) {
      if (!(r >= 0) || !Double.isFinite(r)) {
        throw new IllegalArgumentException("default radii must be finite and >= 0, got " + r);
      }
    }
  }
}
