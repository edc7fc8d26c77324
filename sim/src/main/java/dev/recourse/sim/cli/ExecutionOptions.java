package dev.recourse.sim.cli;

import dev.recourse.sim.config.InputException;
import picocli.CommandLine.Option;

/** How a study runs, shared by {@code run} and {@code reproduce} (a picocli mixin). */
final class ExecutionOptions {

  @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors).")
  private Integer threads;

  @Option(names = "--quiet", description = "No progress bar.")
  private boolean quiet;

  /** The worker count: {@code --threads}, else the available processors; rejects values below 1. */
  int workers() {
    int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (workers < 1) {
      throw new InputException("--threads must be >= 1, got " + workers);
    }
    return workers;
  }

  boolean quiet() {
    return quiet;
  }
}
