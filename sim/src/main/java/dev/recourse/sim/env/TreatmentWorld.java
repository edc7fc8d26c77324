package dev.recourse.sim.env;

import dev.recourse.core.gambitts.OfflineTreatments;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What a generator-mediated world (GAMBITTS, spec gambitts.md §1) tells the agents that model it: its
 * context columns (the context vector holds each column's level index, {@code ContextCells}' convention),
 * the working embedding {@code Z} it reveals after each action, and simulation access to the generator
 * (offline samples of {@code Z} per context cell and prompt, spec §4). Shared read-only by all
 * replications and threads.
 */
public interface TreatmentWorld {

  /** The context columns, in context-vector order. */
  List<String> contextColumns();

  /** The number of levels of each context column. */
  int[] contextLevels();

  /** Names of the working embedding's dimensions. */
  List<String> treatmentNames();

  default int treatmentDim() {
    return treatmentNames().size();
  }

  /** σ of the reward noise: read only by agents configured to be told it ({@code v2: noise}). */
  double noiseSd();

  /**
   * Offline samples of the working embedding: for every (cell, prompt), {@code perSlot} draws from the
   * generator (without replacement from a response database, as the repo subsamples it), or all it has
   * when {@code perSlot} is 0 or exceeds it; drawn from {@code rng}.
   */
  OfflineTreatments offline(int perSlot, RandomGenerator rng);
}
