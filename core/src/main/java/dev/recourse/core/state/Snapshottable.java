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

  /**
   * What a decision reads of arm {@code arm}'s state, for a replica that only decides (a service's
   * reader): often a small fraction of the arm's part, and laid out as the decision reads it, so
   * that importing it is a copy. After {@link #importArmDecision} an instance decides exactly as the
   * exporter, bit for bit, but the rest of its state (what updates and snapshots read) is stale: it
   * must not be updated or exported (snapshots come from {@link #exportArm}). The default is the
   * whole arm part.
   */
  default void exportArmDecision(int arm, StateSink sink) {
    exportArm(arm, sink);
  }

  /** Reads what {@link #exportArmDecision} wrote (into an identically configured instance). */
  default void importArmDecision(int arm, StateSource source) {
    importArm(arm, source);
  }

  /** What a decision reads of the shared state ({@link #exportArmDecision}); by default the whole shared part. */
  default void exportSharedDecision(StateSink sink) {
    exportShared(sink);
  }

  /** Reads what {@link #exportSharedDecision} wrote. */
  default void importSharedDecision(StateSource source) {
    importShared(source);
  }

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
