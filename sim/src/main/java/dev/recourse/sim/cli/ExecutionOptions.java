package dev.recourse.sim.cli;

import dev.recourse.sim.config.InputException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** How a study runs, shared by {@code run} and {@code reproduce} (a picocli mixin). */
final class ExecutionOptions {

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors).")
  private Integer threads;

  @Option(names = "--quiet", description = "No progress bar.")
  private boolean quiet;

  /** Whether the user gave {@code --threads}. */
  boolean threadsGiven() {
    return threads != null;
  }

  /** The worker count: {@code --threads}, else the available processors; rejects values below 1. */
  int workers() {
    int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (workers < 1) {
      throw new InputException("--threads must be >= 1, got " + workers);
    }
    return workers;
  }

  /**
   * The threads a study of {@code units} work units runs on: {@link #workers()} capped at
   * {@code units}, since a thread has nothing to do beyond one unit. When the user's {@code --threads}
   * is capped, says so on {@code err}.
   */
  int workers(int units, PrintWriter err) {
    int workers = workers();
    if (workers <= units) {
      return workers;
    }
    if (threads != null) {
      err.println("note: --threads " + threads + " is more than the study's " + units + " work unit"
          + (units == 1 ? "" : "s") + " (replications x policies); running on " + units + " thread"
          + (units == 1 ? "" : "s"));
    }
    return units;
  }

  boolean quiet() {
    return quiet;
  }
}
