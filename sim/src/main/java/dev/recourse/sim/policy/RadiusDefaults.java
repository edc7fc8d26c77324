package dev.recourse.sim.policy;

/**
 * The constant confidence radius a policy gets when its configuration names none, per scenario and
 * policy, each chosen by the same rule: the radius with the lowest mean final cumulative regret for
 * that policy on a grid, on the scenario's default configuration, study seed 1 (the tests use other
 * seeds). The sweeps are study files in {@code sim/studies/} and their tables are in the README
 * ("Monte Carlo runner"); the numbers below are mean cumulative regret at T.
 *
 * <ul>
 *   <li>synthetic (T = 10,000, 10 replications): GLRB ρ = 0.25, 0.5, 1, 1.5, 2, 3, 4 →
 *       46,035, 42,961, 21,504, 8,337, 3,140, <b>2,873</b>, 3,202: below 2 it locks onto a wrong arm in
 *       several replications. LIBRA (q = 0.8, Δ = 1) ρ = 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 3 → 46,562,
 *       24,706, <b>1,397</b>, 2,260, 3,431, 4,704, 12,480, 22,696. LinUCB is linear whatever α
 *       (140,743–140,894 for α = 0.5–3); it gets GLRB's 3.
 *   <li>hypertension (T = 500, 50 replications): GLRB ρ = 0.5 … 96 → 1,645 (0.5), 1,551 (4),
 *       1,091 (16), 692 (24), 484 (32), <b>456</b> (48), 599 (64), 963 (96): rewards are in mmHg and the
 *       true θ includes the offset 45, so the radius must be of that order (Lemma 2 at scale 1 gives
 *       about 55 here). LinUCB α = 1, 3, 10, 32, 64 → 4,386, 4,308, 4,079, <b>3,565</b>, 3,633.
 *       LIBRA (guideline advisor, Δ = 1) ρ = 0.1, 0.25, 0.5, 1, 2, 4 → 1,407, <b>1,139</b>, 1,174,
 *       1,310, 1,892, 3,186; with the q = 0.8 advisor ρ = 0.25, 0.5, 1 → 414, 212, <b>186</b>.
 *   <li>fertility (γ = 1, T = 1,000, 20 replications): GLRB ρ = 0.25, 0.5, 1, 2, 4 → 342, 178,
 *       104, 78.7, <b>78.2</b>; LinUCB α = 0.5, 1, 2 → 519, 454, <b>415</b>; LIBRA (q = 0.4, Δ = 1)
 *       ρ = 0.1, 0.25, 0.5, 1 → 330, 139, <b>58</b>, 73.
 * </ul>
 *
 * <p>Where two grid points are within noise the rule still takes the lower mean, except for LIBRA:
 * it gets ρ = 0.5 everywhere (the minimiser or within 15% of it in all five LIBRA sweeps), which keeps
 * it a factor 2 to 5 away from the radius at which it stops consulting the advisor and locks in
 * (ρ ≤ 0.1). LIBRA needs a much smaller radius than GLRB because it spends the early, wide-interval
 * rounds on the advisor, whose pairs supply the exploration GLRB gets from a large ρ, and with Δ fixed
 * the number of queries grows like ρ²/Δ² (Theorem 4): with GLRB's radius it would keep asking for
 * thousands of rounds and pay the advisor's own regret ((1 − q)·≈20 per query on the synthetic problem)
 * every time.
 */
public final class RadiusDefaults {

  private RadiusDefaults() {}

  /** The default constant radius for {@code kind} on the scenario named {@code scenario}. */
  public static double of(String scenario, PolicyKind kind) {
    if (!kind.hasRadius()) {
      throw new IllegalArgumentException(kind.key() + " has no confidence radius");
    }
    if (kind == PolicyKind.LIBRA) {
      return 0.5;
    }
    return switch (scenario) {
      case "synthetic" -> 3.0;
      case "hypertension" -> kind == PolicyKind.LINUCB ? 32.0 : 48.0;
      case "fertility" -> kind == PolicyKind.LINUCB ? 2.0 : 4.0;
      default -> throw new IllegalArgumentException("no default radius for scenario '" + scenario
          + "': give the policy a radius");
    };
  }
}
