package dev.recourse.core.advisor;

import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;

/**
 * An advisor with state of its own (a generator it draws from), which LIBRA and LLM-only save in their
 * snapshots so that a restored policy hears the same advice. An advisor without state (an http model
 * endpoint, a fixed guideline) need not implement it.
 */
public interface SaveableAdvisor extends Advisor {

  /** The generator the advisor draws from: by default its whole state. */
  dev.recourse.core.rng.Lxm64x128 generator();

  default void exportState(StateSink sink) {
    generator().exportState(sink);
  }

  /** Reads back what {@link #exportState} wrote; checks everything before it assigns anything. */
  default void importState(StateSource source) {
    generator().importState(source);
  }

  /** An independent copy in the same state: a restore is tried on a copy before it touches this one. */
  SaveableAdvisor copy();
}
