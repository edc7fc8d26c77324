package dev.recourse.sim.run;

/** Told how many rounds were completed, at every checkpoint; called from worker threads. */
@FunctionalInterface
public interface ProgressListener {

  void advanced(long rounds);

  /** Ignores progress. */
  static ProgressListener none() {
    return rounds -> { };
  }
}
