package dev.recourse.core.state;

/**
 * A model whose complete learnt state can be written out and read back into an identically configured
 * instance, after which both make exactly the same decisions and updates. Scratch buffers (reused within
 * one call) are not state. The state is cut into a shared part (shape first, checked on import) and one
 * part per arm, so that after an update of arm {@code a} only that arm's part need be copied (a
 * service publishing versions copies O(d²), not O(K·d²)). The configuration (λ, radius, solver) is the
 * caller's to check (the api module hashes it).
 *
 * <p>On an exception an import may have written part of the instance: import into a fresh instance
 * and discard it on failure.
 */
public interface Snapshottable {

  /** The state that belongs to no single arm, beginning with the shape. */
  void exportShared(StateSink sink);

  void importShared(StateSource source);

  /** Number of per-arm parts. */
  int stateArms();

  /** Arm {@code arm}'s part of the state. */
  void exportArm(int arm, StateSink sink);

  void importArm(int arm, StateSource source);

  /** The whole state: the shared part, then every arm's in order. */
  default void exportState(StateSink sink) {
    exportShared(sink);
    for (int a = 0; a < stateArms(); a++) {
      exportArm(a, sink);
    }
  }

  /** Reads back what {@link #exportState} wrote. */
  default void importState(StateSource source) {
    importShared(source);
    for (int a = 0; a < stateArms(); a++) {
      importArm(a, source);
    }
  }
}
