package dev.recourse.core.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.recourse.FeasibleSet;

/**
 * LLM-only (spec libra.md §5): always plays the advisor's pair, projected onto the feasible set when
 * needed. When the advisor fails it plays arm 0 with no recourse (the documented fallback) and counts
 * the failure. Learns nothing.
 */
public final class AdvisorOnly implements Policy {

  private static final double FEASIBILITY_TOLERANCE = 1e-9;

  private final Advisor advisor;
  private final FeasibleSet set;
  private final int numArms;
  private final int[] adviceArm = new int[1];
  private final double[] adviceContext;
  private final double[] scratchDelta;
  private long queries;
  private long failures;
  private long projections;

  public AdvisorOnly(Advisor advisor, FeasibleSet set, int numArms) {
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    this.advisor = java.util.Objects.requireNonNull(advisor, "advisor");
    this.set = set;
    this.numArms = numArms;
    this.adviceContext = new double[set.dim()];
    this.scratchDelta = new double[set.mutableDim()];
  }

  @Override
  public int dim() {
    return set.dim();
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public void decide(double[] x, Decision out) {
    set.prepare(x);
    queries++;
    if (!AdviceCheck.valid(advisor.advise(x, adviceArm, adviceContext), adviceArm[0], adviceContext, numArms)) {
      failures++;
      System.arraycopy(x, 0, out.context(), 0, x.length);
      out.set(0, Double.NaN, Double.NaN, false, 0);
      return;
    }
    if (set.makeFeasible(x, adviceContext, scratchDelta, out.context(), FEASIBILITY_TOLERANCE)) {
      projections++;
    }
    out.set(adviceArm[0], Double.NaN, Double.NaN, true, 0);
  }

  @Override
  public void update(int arm, double[] x, double reward) {
    // The advisor is not learned from.
  }

  public long queries() {
    return queries;
  }

  public long failures() {
    return failures;
  }

  public long projections() {
    return projections;
  }

  @Override
  public String describe() {
    return "LLM-only(advisor=" + advisor.describe() + ", set=" + set.describe() + ")";
  }
}
