package dev.recourse.core.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.recourse.FeasibleSet;

/**
 * LLM-only (spec libra.md §5): always plays the advisor's pair, projected onto the feasible set when
 * needed. When the advisor fails it plays arm 0 with no recourse (the documented fallback) and counts
 * the failure. Learns nothing.
 */
public final class AdvisorOnly implements Policy {

  private final AdviceIntake advice;
  private final FeasibleSet set;
  private final int numArms;

  public AdvisorOnly(Advisor advisor, FeasibleSet set, int numArms) {
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    this.advice = new AdviceIntake(advisor, set, numArms);
    this.set = set;
    this.numArms = numArms;
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
    int arm = advice.consult(x, out.context());
    if (arm < 0) {
      System.arraycopy(x, 0, out.context(), 0, x.length);
      out.set(0, Double.NaN, Double.NaN, false, 0);
      return;
    }
    out.set(arm, Double.NaN, Double.NaN, true, 0);
  }

  @Override
  public void update(Outcome outcome) {
    update(outcome.arm(), outcome.context(), outcome.reward());
  }

  /** Learns from arm {@code arm} played at realised context {@code x} with reward {@code reward}. */
  public void update(int arm, double[] x, double reward) {
    // The advisor is not learned from.
  }

  public long queries() {
    return advice.queries();
  }

  public long failures() {
    return advice.failures();
  }

  public long projections() {
    return advice.projections();
  }

  @Override
  public String describe() {
    return "LLM-only(advisor=" + advice.describe() + ", set=" + set.describe() + ")";
  }
}
