package dev.recourse.sim.env;

import java.util.random.RandomGenerator;

/** Where a scenario's contexts come from. Stateless apart from its configuration; allocates nothing. */
interface ContextSource {

  /** Writes the next context into {@code x}, drawing only from {@code rng}. */
  void next(RandomGenerator rng, double[] x);
}
