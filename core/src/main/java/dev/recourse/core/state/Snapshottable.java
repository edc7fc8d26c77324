package dev.recourse.core.state;

/**
 * A model whose complete learnt state can be written out and read back into an identically configured
 * instance, after which both make exactly the same decisions and updates. Scratch buffers (reused within
 * one call) are not state. The state's shape (dimensions, arm count) is written first and checked on
 * import; the configuration (λ, radius, solver) is the caller's to check (the api module hashes it).
 */
public interface Snapshottable {

  /** Writes the full learnt state. */
  void exportState(StateSink sink);

  /**
   * Replaces this instance's state with one {@link #exportState} wrote. On an exception the instance
   * may be half-written: import into a fresh instance and discard it on failure.
   */
  void importState(StateSource source);
}
