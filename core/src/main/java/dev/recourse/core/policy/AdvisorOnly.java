package dev.recourse.core.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.recourse.FeasibleSet;

/**
 * LLM-only (spec libra.md §5): always plays the advisor's pair, projected onto the feasible set when
 * needed. When the advisor fails it plays arm 0 with no recourse (the documented fallback) and counts
 * the failure. Learns nothing.
 */
public final class AdvisorOnly implements ServablePolicy {

  private final AdviceIntake advice;
  private final FeasibleSet set;
  private final int numArms;
  /** The advisor, if it has state to save; else null. */
  private final dev.recourse.core.advisor.SaveableAdvisor saveableAdvisor;

  public AdvisorOnly(Advisor advisor, FeasibleSet set, int numArms) {
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    this.advice = new AdviceIntake(advisor, set, numArms);
    this.set = set;
    this.numArms = numArms;
    this.saveableAdvisor = advisor instanceof dev.recourse.core.advisor.SaveableAdvisor a ? a : null;
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
    decide(x, null, out);
  }

  /**
   * The advisor's pair if it names an allowed arm; otherwise (advice failed or outside the set) the
   * lowest allowed arm with no change, as a failed consultation plays arm 0 when every arm is allowed.
   * Every score and width is NaN: the advisor reports none.
   */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    // Everything checked before the advisor is asked: a query moves the counters and the advisor's generator.
    PolicyChecks.contextLength(x, set.dim());
    PolicyChecks.finiteContext(x);
    PolicyChecks.decision(out, set.dim());
    if (allowed != null) {
      ServablePolicy.checkAllowed(allowed, numArms);
    }
    double[] scores = out.scores();
    if (scores != null && scores.length != numArms) {
      throw new IllegalArgumentException("decision scores length must be numArms = " + numArms + ", got "
          + scores.length);
    }
    set.prepare(x); // checks the set's bounds
    if (scores != null) {
      java.util.Arrays.fill(scores, Double.NaN);
      java.util.Arrays.fill(out.widths(), Double.NaN);
    }
    int arm = advice.consult(x, out.context(), allowed);
    if (arm < 0) {
      int first = 0;
      while (allowed != null && !allowed[first]) {
        first++;
      }
      System.arraycopy(x, 0, out.context(), 0, x.length);
      out.set(first, Double.NaN, Double.NaN, false, 0);
      return;
    }
    out.set(arm, Double.NaN, Double.NaN, true, 0);
  }

  @Override
  public void update(Outcome outcome) {
    PolicyChecks.outcome(outcome, set.dim());
    update(outcome.arm(), outcome.context(), outcome.reward());
  }

  /**
   * Learns nothing (the advisor is not learned from), but checks the outcome as every policy does, so
   * that a caller's bad data surfaces here rather than after switching policies.
   */
  public void update(int arm, double[] x, double reward) {
    if (arm < 0 || arm >= numArms) {
      throw new IllegalArgumentException("arm must be in [0, " + numArms + "), got " + arm);
    }
    PolicyChecks.contextLength(x, set.dim());
    PolicyChecks.finiteContext(x);
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, got " + reward);
    }
  }

  /** The advice counters, then the advisor's state if it is a {@link dev.recourse.core.advisor.SaveableAdvisor}. */
  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    sink.putLong(numArms);
    advice.exportState(sink, saveableAdvisor);
  }

  @Override
  public void importShared(dev.recourse.core.state.StateSource source) {
    source.expect("llm-only numArms", numArms);
    advice.importState(source, saveableAdvisor);
  }

  /** None: LLM-only learns nothing. */
  @Override
  public int stateArms() {
    return 0;
  }

  @Override
  public void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    throw new IndexOutOfBoundsException("llm-only has no per-arm state, arm " + arm);
  }

  @Override
  public void importArm(int arm, dev.recourse.core.state.StateSource source) {
    throw new IndexOutOfBoundsException("llm-only has no per-arm state, arm " + arm);
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
