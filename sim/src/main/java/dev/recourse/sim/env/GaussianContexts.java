package dev.recourse.sim.env;

import dev.recourse.core.rng.RandomStreams;
import java.util.random.RandomGenerator;

/** {@code x ~ N(0, I_d)}: exactly d standard normal draws per context (paper §6.1). */
final class GaussianContexts implements ContextSource {

  @Override
  public void next(RandomGenerator rng, double[] x) {
    RandomStreams.fillGaussian(rng, x, 0, x.length);
  }
}
