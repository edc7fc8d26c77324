package dev.recourse.core.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.recourse.FeasibleSet;

/**
 * LIBRA (Algorithm 3): compute the GLRB pair; if its confidence width {@code CI = UCB − LCB} exceeds
 * the threshold Δ, consult the advisor and play its pair (projected onto the feasible set if needed),
 * otherwise play the bandit pair. On advisor failure the bandit pair is played. The played arm is
 * updated either way (by the caller, through {@link #update}). Counts queries, failures and projections;
 * {@link Decision#advised()} tells whether the round's pair came from the advisor.
 */
public final class Libra implements Policy {

  private static final double FEASIBILITY_TOLERANCE = 1e-9;

  private final Glrb glrb;
  private final Advisor advisor;
  private final double threshold;
  private final FeasibleSet set;
  private final int[] adviceArm = new int[1];
  private final double[] adviceContext;
  private final double[] scratchDelta;
  private long queries;
  private long failures;
  private long projections;
  private boolean lastQueried;

  public Libra(Glrb glrb, Advisor advisor, double threshold) {
    if (!(threshold >= 0) || Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold (Delta) must be >= 0, got " + threshold);
    }
    this.glrb = java.util.Objects.requireNonNull(glrb, "glrb");
    this.advisor = java.util.Objects.requireNonNull(advisor, "advisor");
    this.threshold = threshold;
    this.set = glrb.feasibleSet();
    this.adviceContext = new double[glrb.dim()];
    this.scratchDelta = new double[set.mutableDim()];
  }

  @Override
  public int dim() {
    return glrb.dim();
  }

  @Override
  public int numArms() {
    return glrb.numArms();
  }

  @Override
  public void decide(double[] x, Decision out) {
    glrb.decide(x, out); // validates x and prepares the feasible set for it
    lastQueried = false;
    if (!(out.width() > threshold)) {
      return;
    }
    queries++;
    lastQueried = true;
    if (!AdviceCheck.valid(advisor.advise(x, adviceArm, adviceContext), adviceArm[0], adviceContext, numArms())) {
      failures++;
      return;
    }
    if (set.makeFeasible(x, adviceContext, scratchDelta, out.context(), FEASIBILITY_TOLERANCE)) {
      projections++;
    }
    out.set(adviceArm[0], out.score(), out.width(), true, out.iterations());
    glrb.recordPlayed(adviceArm[0], out.context());
  }

  @Override
  public void update(int arm, double[] x, double reward) {
    glrb.update(arm, x, reward);
  }

  /** Rounds in which the advisor was consulted (the "LLM effort"). */
  public long queries() {
    return queries;
  }

  /** Consultations that failed (the bandit pair was played). */
  public long failures() {
    return failures;
  }

  /** Advice that had to be projected onto the feasible set. */
  public long projections() {
    return projections;
  }

  /** Whether the last {@link #decide} consulted the advisor (successfully or not). */
  public boolean lastQueried() {
    return lastQueried;
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public String describe() {
    return "LIBRA(Delta=" + threshold + ", advisor=" + advisor.describe() + ", " + glrb.describe() + ")";
  }
}
