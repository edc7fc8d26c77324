package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.ServablePolicy;
import dev.recourse.core.rng.Lxm64x128;
import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.random.RandomGenerator;

/**
 * poGAMBITTS (spec §4): the treatment model is learnt offline and treated as known, the mean
 * {@code ẑ_{c,a}} of the offline embeddings of each (context cell, prompt) ({@link OfflineTreatments});
 * only the shared Bayesian linear reward model ({@link LinearRewardModel}, spec §2) learns online, from
 * the observed {@code Z} ({@link Outcome#treatment()}, required).
 *
 * <p>Decision: draw {@code β̃} once, score {@code φ(ẑ_{c(x),a}, x, a)ᵀβ̃} for every prompt, play the
 * argmax, ties to the lowest index. With a reward linear in {@code z} this plug-in equals the Monte Carlo
 * mean of {@code φ(z, x, a)ᵀβ̃} over the cell's samples (spec §9 check 2). Context: see
 * {@link ContextCells}. The decision's score is the winner's sampled score; width is NaN.
 *
 * <p>Served ({@link ServablePolicy}): the state is the reward posterior and the generator's position,
 * all in the shared part (the reward model is shared by every prompt, so no part is per arm); the
 * offline means are configuration. Saving needs the generator to be an {@link Lxm64x128}.
 *
 * <p>Limits ({@link AgentChecks}): embedding entries, observed and offline, at most
 * {@code 1e4·√slope_precision} in magnitude (1e4 with the default prior), rewards at most 1e100; beyond
 * them the reward model's round-off swamps its prior. An outcome beyond them is refused before anything
 * changes, offline embeddings beyond them at construction.
 */
public final class PoGambitts implements ServablePolicy, TreatmentAgent {

  private final int numArms;
  private final int treatmentDim;
  private final ContextCells cells;
  private final OfflineTreatments offline;
  private final LinearRewardModel reward;
  private final RandomGenerator rng;
  private final double[] lastScores;
  private final double treatmentLimit;

  /** The repo's configuration: no hedging, the default reward prior. */
  public PoGambitts(ContextCells cells, OfflineTreatments offline, RandomGenerator rng) {
    this(cells, offline, false, LinearRewardPrior.DEFAULT, rng);
  }

  /**
   * @param cells the context columns (cell and covariates); {@code cells.numCells()} must match the offline samples'
   * @param offline the offline embeddings per (cell, prompt): {@code K} and {@code d_z} are theirs
   * @param hedging whether φ carries prompt dummies
   * @param prior the reward model's prior
   * @param rng this agent's stream (the runner's per-replication POLICY stream)
   */
  public PoGambitts(ContextCells cells, OfflineTreatments offline, boolean hedging, LinearRewardPrior prior,
                    RandomGenerator rng) {
    this.cells = AgentChecks.nonNull("cells", cells);
    this.offline = AgentChecks.nonNull("offline", offline);
    this.rng = AgentChecks.nonNull("rng", rng);
    if (offline.numCells() != cells.numCells()) {
      throw new IllegalArgumentException("offline numCells must equal the context's " + cells.numCells()
          + ", got " + offline.numCells());
    }
    this.numArms = offline.numArms();
    this.treatmentDim = offline.dim();
    this.reward = new LinearRewardModel(treatmentDim, cells, numArms, hedging, prior);
    this.treatmentLimit = treatmentLimit(prior);
    AgentChecks.offline(offline, treatmentLimit);
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

  /** {@code 1e4·√slope_precision} ({@link AgentChecks}). */
  @Override
  public double treatmentLimit() {
    return treatmentLimit;
  }

  /** The {@link #treatmentLimit()} of an agent with {@code prior}, for a caller that checks data before building one. */
  public static double treatmentLimit(LinearRewardPrior prior) {
    return AgentChecks.treatmentLimit(prior.slopePrecision());
  }

  public ContextCells cells() {
    return cells;
  }

  public OfflineTreatments offline() {
    return offline;
  }

  public LinearRewardModel rewardModel() {
    return reward;
  }

  @Override
  public void decide(double[] x, Decision out) {
    decide(x, null, out);
  }

  /** As {@link #decide(double[], Decision)} among the allowed prompts: β̃ is drawn once either way. */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    int cell = cells.checkedCell(x);
    AgentChecks.decision(out, cells.dim());
    if (allowed != null) {
      ServablePolicy.checkAllowed(allowed, numArms);
    }
    ServedArms.checkScores(out, numArms);
    LinearRewardModel r = reward;
    double[] means = offline.means();
    int k = numArms;
    int d = treatmentDim;
    r.drawBeta(rng);
    double common = r.contextScore(x);
    int base = cell * k;
    int best = ServedArms.first(allowed);
    double bestScore = Double.NEGATIVE_INFINITY;
    double[] scores = lastScores;
    if (allowed == null && !r.hedging() && d == 3) {
      // The paper's case (d_z = 3, no dummies, every prompt allowed), unrolled; the argmax as conditional
      // moves: Thompson sampling's winner changes from round to round, so a branch would mispredict.
      double[] bz = r.sampledBeta();
      double c0 = bz[0];
      double c1 = bz[1];
      double c2 = bz[2];
      for (int a = 0, o = base * 3; a < k; a++, o += 3) {
        // promptScore's sum, addition for addition (from 0.0: the same bits for a −0.0 product).
        double s = common + (0.0 + c0 * means[o] + c1 * means[o + 1] + c2 * means[o + 2]);
        scores[a] = s;
        boolean better = s > bestScore;
        best = better ? a : best;
        bestScore = better ? s : bestScore;
      }
    } else {
      for (int a = 0; a < k; a++) {
        double s = common + r.promptScore(means, (base + a) * d, a);
        scores[a] = s;
        if (s > bestScore && ServedArms.allowed(allowed, a)) {
          bestScore = s;
          best = a;
        }
      }
    }
    System.arraycopy(x, 0, out.context(), 0, x.length);
    ServedArms.report(out, lastScores, allowed, k);
    out.set(best, bestScore, Double.NaN, false, 0);
  }

  @Override
  public void update(Outcome outcome) {
    AgentChecks.outcome(outcome, numArms, cells);
    AgentChecks.treatment(outcome, treatmentDim, treatmentLimit);
    reward.update(outcome.treatment(), 0, outcome.context(), outcome.arm(), outcome.reward());
  }

  /** Copies the last decision's score of every prompt into {@code out[0..K)}. */
  public void copyLastScores(double[] out) {
    System.arraycopy(lastScores, 0, out, 0, numArms);
  }

  /** Shape (K, d_z, p), the generator's state, then the reward posterior. */
  @Override
  public void exportShared(StateSink sink) {
    sink.putLong(numArms);
    sink.putLong(treatmentDim);
    Lxm64x128.saveable(rng, "poGAMBITTS").exportState(sink);
    reward.exportState(sink);
  }

  @Override
  public void importShared(StateSource source) {
    source.expect("poGAMBITTS numArms", numArms);
    source.expect("poGAMBITTS d_z", treatmentDim);
    Lxm64x128.saveable(rng, "poGAMBITTS").importState(source);
    reward.importState(source);
  }

  /** None: every update changes the shared reward model. */
  @Override
  public int stateArms() {
    return 0;
  }

  @Override
  public void exportArm(int arm, StateSink sink) {
    throw new IndexOutOfBoundsException("poGAMBITTS has no per-arm state, arm " + arm);
  }

  @Override
  public void importArm(int arm, StateSource source) {
    throw new IndexOutOfBoundsException("poGAMBITTS has no per-arm state, arm " + arm);
  }

  @Override
  public String describe() {
    return "poGAMBITTS(K=" + numArms + ", d_z=" + treatmentDim + ", context=" + cells.describe()
        + ", cells=" + cells.numCells() + ", offline_min_per_cell=" + offline.minCount()
        + ", reward=" + reward.describe() + ")";
  }
}
