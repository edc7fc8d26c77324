package dev.recourse.sim.gambitts;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.List;
import java.util.function.Function;
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

  /**
   * Per embedding dimension, then for the true mean reward, the value of largest magnitude this world's
   * fixed parts hold (a database's responses, a generator's means), which a study checks against its
   * agents' limits before it runs; {@code settings} names the scenario's settings in the message of a
   * value that has no file line.
   */
  List<Extreme> extremes(String settings);

  /** The sd of Z's entries around the values {@link #extremes} reports (0: every Z is a stored one). */
  default double treatmentSd() {
    return 0;
  }

  /** Whether {@code v} is larger in magnitude than {@code than}, a NaN larger than any number: no limit holds it. */
  static boolean above(double v, double than) {
    return !Double.isNaN(than) && !(Math.abs(v) <= Math.abs(than));
  }

  /**
   * A value a world can feed an agent: an embedding entry or ({@code reward}) a true mean reward, and the
   * refusal that names where it is, given the problem ({@code "20000.0 is beyond …"}).
   */
  record Extreme(boolean reward, double value, Function<String, InputException> at) {}
}
