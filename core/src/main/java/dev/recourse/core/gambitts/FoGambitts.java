package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.ServablePolicy;
import dev.recourse.core.rng.Lxm64x128;
import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.random.RandomGenerator;

/**
 * foGAMBITTS (spec §3): the treatment model is learnt online, one Normal–Inverse-Wishart model of
 * {@code Z} per (context cell, prompt) ({@link NiwCells}), the reward model is the shared Bayesian
 * linear model ({@link LinearRewardModel}, spec §2).
 *
 * <p>Decision: draw {@code β̃} once; for each prompt {@code a} draw {@code Σ̃ ~ IW(Ψn, νn)} and
 * {@code μ̃ ~ N(μn, Σ̃/κn)} of cell {@code (c(x), a)} and score {@code φ(μ̃, x, a)ᵀβ̃} (the sampled mean is
 * plugged in; exact for a reward linear in {@code z}); play the argmax, ties to the lowest index.
 * Update: the reward model and the cell {@code (c, A)} learn the <em>observed</em> {@code Z}
 * ({@link Outcome#treatment()}, required).
 *
 * <p>Context: see {@link ContextCells} (discrete columns carry level indices; the cell is their
 * mixed-radix index). The decision's score is the winner's sampled score; width is NaN.
 *
 * <p>Limits ({@link AgentChecks}): embedding entries at most {@code 1e4·√min(slope_precision, psi0)} in
 * magnitude (1e4 with the defaults), rewards at most 1e100; beyond them the reward model's and the NIW
 * cells' round-off swamps their priors (a cell's {@code Ψn} stops factorising near {@code 1e8·√psi0}).
 * An outcome beyond them is refused before anything changes.
 */
public final class FoGambitts implements ServablePolicy, TreatmentAgent {

  private final int numArms;
  private final int treatmentDim;
  private final ContextCells cells;
  private final LinearRewardModel reward;
  private final NiwCells treatments;
  private final RandomGenerator rng;
  private final double[] mu;
  private final double[] lastScores;
  private final double treatmentLimit;

  /** The repo's configuration: no hedging, default reward prior, μ0 = 0, κ0 = 1, ν0 = d_z, Ψ0 = I. */
  public FoGambitts(int numArms, int treatmentDim, ContextCells cells, RandomGenerator rng) {
    this(numArms, treatmentDim, cells, false, LinearRewardPrior.DEFAULT, 1.0, treatmentDim, 1.0, rng);
  }

  /**
   * @param numArms number of prompts {@code K ≥ 1}
   * @param treatmentDim working-embedding dimension {@code d_z ≥ 1}
   * @param cells the context columns (cell and covariates)
   * @param hedging whether φ carries prompt dummies
   * @param prior the reward model's prior
   * @param kappa0 NIW {@code κ0 > 0}
   * @param nu0 NIW {@code ν0 > d_z − 1}
   * @param psi0 NIW {@code Ψ0 = ψ0·I}, {@code ψ0 > 0}
   * @param rng this agent's stream (the runner's per-replication POLICY stream)
   */
  public FoGambitts(int numArms, int treatmentDim, ContextCells cells, boolean hedging, LinearRewardPrior prior,
                    double kappa0, double nu0, double psi0, RandomGenerator rng) {
    this.numArms = AgentChecks.positive("numArms", numArms);
    this.treatmentDim = AgentChecks.positive("treatmentDim", treatmentDim);
    this.cells = AgentChecks.nonNull("cells", cells);
    this.rng = AgentChecks.nonNull("rng", rng);
    if ((long) cells.numCells() * numArms > 1 << 24) {
      throw new IllegalArgumentException("numCells·numArms too large: " + cells.numCells() + "·" + numArms);
    }
    this.reward = new LinearRewardModel(treatmentDim, cells, numArms, hedging, prior);
    this.treatments = new NiwCells(cells.numCells() * numArms, treatmentDim, kappa0, nu0, psi0);
    this.treatmentLimit = treatmentLimit(prior, psi0);
    this.mu = new double[treatmentDim];
    this.lastScores = new double[numArms];
  }

  @Override
  public int dim() {
    return cells.dim();
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public int treatmentDim() {
    return treatmentDim;
  }

  /** {@code 1e4·√min(slope_precision, psi0)} ({@link AgentChecks}). */
  @Override
  public double treatmentLimit() {
    return treatmentLimit;
  }

  /**
   * The {@link #treatmentLimit()} of an agent with {@code prior} and {@code psi0}, for a caller that checks
   * its data before building one.
   */
  public static double treatmentLimit(LinearRewardPrior prior, double psi0) {
    return AgentChecks.treatmentLimit(Math.min(prior.slopePrecision(), psi0));
  }

  public ContextCells cells() {
    return cells;
  }

  public LinearRewardModel rewardModel() {
    return reward;
  }

  public NiwCells treatmentModel() {
    return treatments;
  }

  @Override
  public void decide(double[] x, Decision out) {
    decide(x, null, out);
  }

  /**
   * As {@link #decide(double[], Decision)} among the allowed prompts; a prompt not allowed draws no
   * treatment mean (its score is left NaN), so the generator advances less than with every prompt.
   */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    int cell = cells.checkedCell(x);
    AgentChecks.decision(out, cells.dim());
    if (allowed != null) {
      ServablePolicy.checkAllowed(allowed, numArms);
    }
    ServedArms.checkScores(out, numArms);
    LinearRewardModel r = reward;
    NiwCells niw = treatments;
    RandomGenerator g = rng;
    double[] m = mu;
    int k = numArms;
    r.drawBeta(g);
    double common = r.contextScore(x);
    int base = cell * k;
    int best = ServedArms.first(allowed);
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < k; a++) {
      if (!ServedArms.allowed(allowed, a)) {
        lastScores[a] = Double.NaN;
        continue;
      }
      niw.drawMean(base + a, g, m, 0);
      double s = common + r.promptScore(m, 0, a);
      lastScores[a] = s;
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
    System.arraycopy(x, 0, out.context(), 0, x.length);
    ServedArms.report(out, lastScores, allowed, k);
    out.set(best, bestScore, Double.NaN, false, 0);
  }

  @Override
  public void update(Outcome outcome) {
    int cell = AgentChecks.outcome(outcome, numArms, cells);
    AgentChecks.treatment(outcome, treatmentDim, treatmentLimit);
    int arm = outcome.arm();
    double[] z = outcome.treatment();
    int slot = cell * numArms + arm;
    // All or nothing: the cell's new Ψn is factorised before the reward model learns anything.
    if (!treatments.prepare(slot, z, 0)) {
      throw treatments.singular(slot, z, 0);
    }
    reward.update(z, 0, outcome.context(), arm, outcome.reward());
    treatments.commit();
  }

  /** Copies the last decision's score of every prompt into {@code out[0..K)}. */
  public void copyLastScores(double[] out) {
    System.arraycopy(lastScores, 0, out, 0, numArms);
  }

  /** Shape (K, d_z), the generator's state, the reward posterior, then every (cell, prompt)'s NIW posterior. */
  @Override
  public void exportShared(StateSink sink) {
    sink.putLong(numArms);
    sink.putLong(treatmentDim);
    Lxm64x128.saveable(rng, "foGAMBITTS").exportState(sink);
    reward.exportState(sink);
    treatments.exportState(sink);
  }

  @Override
  public void importShared(StateSource source) {
    source.expect("foGAMBITTS numArms", numArms);
    source.expect("foGAMBITTS d_z", treatmentDim);
    Lxm64x128.saveable(rng, "foGAMBITTS").importState(source);
    reward.importState(source);
    treatments.importState(source);
  }

  /** None: every update changes the shared reward model (the NIW cells ride along in the shared part). */
  @Override
  public int stateArms() {
    return 0;
  }

  @Override
  public void exportArm(int arm, StateSink sink) {
    throw new IndexOutOfBoundsException("foGAMBITTS has no per-arm state, arm " + arm);
  }

  @Override
  public void importArm(int arm, StateSource source) {
    throw new IndexOutOfBoundsException("foGAMBITTS has no per-arm state, arm " + arm);
  }

  @Override
  public String describe() {
    return "foGAMBITTS(K=" + numArms + ", d_z=" + treatmentDim + ", context=" + cells.describe()
        + ", cells=" + cells.numCells() + ", reward=" + reward.describe() + ", niw(mu0=0, kappa0="
        + treatments.kappa0() + ", nu0=" + treatments.nu0() + ", psi0=" + treatments.psi0() + "·I))";
  }
}
