package dev.recourse.core.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.recourse.FeasibleSet;

/**
 * Consulting an advisor the way every policy must (spec libra.md §5): the answer is used only if the
 * advisor succeeded, named an existing arm and gave a finite context; a usable context that breaks the
 * feasible set is projected onto it and counted. Counts queries, failures and projections.
 */
final class AdviceIntake {

  private static final double FEASIBILITY_TOLERANCE = 1e-9;

  private final Advisor advisor;
  private final FeasibleSet set;
  private final int numArms;
  private final int[] arm = new int[1];
  private final double[] context;
  private final double[] scratchDelta;
  private long queries;
  private long failures;
  private long projections;

  AdviceIntake(Advisor advisor, FeasibleSet set, int numArms) {
    this.advisor = java.util.Objects.requireNonNull(advisor, "advisor");
    this.set = set;
    this.numArms = numArms;
    this.context = new double[set.dim()];
    this.scratchDelta = new double[set.mutableDim()];
  }

  /**
   * Consults the advisor for {@code x} (already given to {@code set.prepare}). On success writes the
   * feasible recommended context into {@code out} and returns the arm; on failure returns −1 and leaves
   * {@code out} untouched.
   */
  int consult(double[] x, double[] out) {
    return consult(x, out, null);
  }

  /** As {@link #consult(double[], double[])}; an arm outside {@code allowed} (when non-null) is a failure. */
  int consult(double[] x, double[] out, boolean[] allowed) {
    queries++;
    boolean ok = advisor.advise(x, arm, context) && arm[0] >= 0 && arm[0] < numArms
        && (allowed == null || allowed[arm[0]]);
    for (int i = 0; ok && i < context.length; i++) {
      ok = Double.isFinite(context[i]);
    }
    if (!ok) {
      failures++;
      return -1;
    }
    if (set.makeFeasible(x, context, scratchDelta, out, FEASIBILITY_TOLERANCE)) {
      projections++;
    }
    return arm[0];
  }

  /** The counters, then {@code advisor}'s state if it has one (null: an advisor without state). */
  void exportState(dev.recourse.core.state.StateSink sink, dev.recourse.core.advisor.SaveableAdvisor advisor) {
    sink.putLong(queries());
    sink.putLong(failures());
    sink.putLong(projections());
    if (advisor != null) {
      advisor.exportState(sink);
    }
  }

  /** Reads back what {@link #exportState} wrote. */
  void importState(dev.recourse.core.state.StateSource source, dev.recourse.core.advisor.SaveableAdvisor advisor) {
    long q = source.getLong();
    long f = source.getLong();
    long p = source.getLong();
    restoreCounts(q, f, p);
    if (advisor != null) {
      advisor.importState(source);
    }
  }

  /** Restores the counters of a snapshot. */
  void restoreCounts(long queries, long failures, long projections) {
    this.queries = queries;
    this.failures = failures;
    this.projections = projections;
  }

  long queries() {
    return queries;
  }

  long failures() {
    return failures;
  }

  long projections() {
    return projections;
  }

  String describe() {
    return advisor.describe();
  }
}
