package dev.recourse.sim.gambitts;

import dev.recourse.sim.env.TreatmentWorld;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A generator of treatments (spec gambitts.md §1, §7): a prompt in a context cell produces a response
 * whose working embedding {@code Z} the agent sees and whose true mean reward {@code f(Z*)} the world
 * knows. The response database and the Gaussian generator are the two kinds. Immutable and shared by
 * all replications and threads; the draws come from the caller's stream.
 */
interface Generator extends TreatmentWorld {

  int numCells();

  int numArms();

  /** The prompts' names, in arm order. */
  List<String> promptNames();

  /**
   * Draws one response of prompt {@code arm} in {@code cell} from {@code rng} (the same number of draws every call),
   * writes its working embedding into {@code z} and returns its true mean reward {@code f(Z*)}.
   */
  double respond(int cell, int arm, RandomGenerator rng, double[] z);

  /** The mean of {@code f} over the prompt's responses in the cell: what regret is measured in. */
  double slotMean(int cell, int arm);

  /** The largest {@link #slotMean} of the cell. */
  double bestMean(int cell);
}
