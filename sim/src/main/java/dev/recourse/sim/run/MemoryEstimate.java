package dev.recourse.sim.run;

import dev.recourse.sim.env.SyntheticScenario;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.policy.PolicySpec;
import java.util.Locale;

/**
 * The heap a study needs, estimated from its configuration alone, so that a study too large for the
 * heap stops before any work with a message naming the key to change, instead of an
 * {@link OutOfMemoryError} minutes later. The estimate counts the arrays that grow with the
 * configuration (all other allocations are a few kilobytes):
 *
 * <ul>
 *   <li>per unit in flight (at most {@code threads} at a time): the policy's ridge model, 2·K·d² doubles
 *       (V and V⁻¹) plus 2·d² of workspace and the ORO problem's d_M², for every policy with a
 *       confidence radius; the environment's K·d; three checkpoint series; the thread's stack;
 *   <li>the reorder buffer: max(4·threads, 2·P) finished results of 3·C + K·d_M + K doubles;
 *   <li>per policy: the aggregates, 9·C + 3·(K·d_M + K) numbers.
 * </ul>
 * The key named in a failure is the one behind the largest of three parts: the models (the
 * scenario's d and K), everything proportional to C ({@code checkpoints}), and the rest, which grows
 * with the threads.
 *
 * d = dimension, K = arms, d_M = mutable features, C = checkpoints, P = policies.
 */
public final class MemoryEstimate {

  private static final double BYTES_PER_DOUBLE = Double.BYTES;
  /** Headroom for what is not counted: the JVM's own data, the plots, the outputs' text. */
  private static final double FIXED_BYTES = 64.0 * (1 << 20);

  /** Which part of the configuration the memory goes to. */
  public enum Driver { MODEL, CHECKPOINTS, THREADS }

  private final double modelBytes;
  private final double checkpointBytes;
  private final double threadBytes;
  private final int concurrentUnits;

  private MemoryEstimate(double modelBytes, double checkpointBytes, double threadBytes, int concurrentUnits) {
    this.modelBytes = modelBytes;
    this.checkpointBytes = checkpointBytes;
    this.threadBytes = threadBytes;
    this.concurrentUnits = concurrentUnits;
  }

  /** The estimate for {@code study} on {@code threads} workers (capped at the number of units). */
  public static MemoryEstimate of(Study study, int threads) {
    double d = study.scenario().dim();
    double arms = study.scenario().numArms();
    double dimM = study.scenario().mutableIndices().length;
    double checkpoints = study.checkpoints().length;
    double policies = study.policies().size();
    int concurrent = Math.max(1, Math.min(threads, study.units()));
    double largestModel = 0;
    for (PolicySpec p : study.policies()) {
      largestModel = Math.max(largestModel, p.stateDoubles(study.scenario()));
    }
    double perUnitModel = largestModel + arms * d + 4 * d;
    double window = Math.max(4.0 * concurrent, 2 * policies);
    double modelBytes = BYTES_PER_DOUBLE * concurrent * perUnitModel;
    // Checkpoint series: of the units in flight, of the buffered results and of the aggregates.
    double checkpointBytes = BYTES_PER_DOUBLE * checkpoints * (3 * concurrent + 3 * window + 9 * policies);
    double threadBytes = BYTES_PER_DOUBLE * (window + 3 * policies) * (arms * dimM + arms)
        + concurrent * THREAD_BYTES;
    return new MemoryEstimate(modelBytes, checkpointBytes, threadBytes, concurrent);
  }

  /** A worker thread's own stack and bookkeeping (the JVM's default stack reservation). */
  private static final double THREAD_BYTES = 1 << 20;

  public double bytes() {
    return FIXED_BYTES + modelBytes + checkpointBytes + threadBytes;
  }

  /** The part of the configuration most of the memory goes to. */
  public Driver driver() {
    if (modelBytes >= checkpointBytes && modelBytes >= threadBytes) {
      return Driver.MODEL;
    }
    return checkpointBytes >= threadBytes ? Driver.CHECKPOINTS : Driver.THREADS;
  }

  /**
   * Throws {@link InputException} when the estimate exceeds {@code maxHeapBytes}, naming (after
   * {@code where}, the study file or "command line") the key that drives it and both figures.
   */
  public static void check(Study study, int threads, long maxHeapBytes, String where) {
    MemoryEstimate e = of(study, threads);
    if (e.bytes() <= maxHeapBytes) {
      return;
    }
    var scenario = study.scenario();
    String key = switch (e.driver()) {
      case MODEL -> scenario instanceof SyntheticScenario
          ? "scenario.dim: " + scenario.dim() + " with scenario.arms " + scenario.numArms()
          : "scenario: " + scenario.name() + " (d = " + scenario.dim() + ", K = " + scenario.numArms() + ")";
      case CHECKPOINTS -> "checkpoints: " + study.checkpoints().length;
      case THREADS -> "--threads: " + e.concurrentUnits;
    };
    String why = switch (e.driver()) {
      case MODEL -> "the ridge models of " + e.concurrentUnits + " unit" + (e.concurrentUnits == 1 ? "" : "s")
          + " in flight (one per thread) hold 2·K·d² doubles each";
      case CHECKPOINTS -> "every policy keeps nine numbers per checkpoint";
      case THREADS -> "each thread and its buffered results";
    };
    throw new InputException(String.format(Locale.ROOT,
        "%s: %s: the study needs about %s of heap (%s), more than the %s this JVM may use; make it smaller, "
            + "use fewer --threads, or give Java more (RECOURSE_JAVA_OPTS=-Xmx…)",
        where, key, format(e.bytes()), why, format(maxHeapBytes)));
  }

  /** Bytes in binary units with three significant figures: 812 MiB, 21.6 GiB. */
  public static String format(double bytes) {
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < units.length - 1) {
      bytes /= 1024;
      u++;
    }
    return (bytes >= 100 || u == 0 ? String.format(Locale.ROOT, "%.0f", bytes)
        : String.format(Locale.ROOT, "%.3g", bytes)) + " " + units[u];
  }
}
