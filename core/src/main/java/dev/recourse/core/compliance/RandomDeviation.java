package dev.recourse.core.compliance;

import java.util.random.RandomGenerator;

/**
 * Random non-compliance (paper §4.1): on each mutable feature the patient implements
 * {@code x̄_i = x̃_i + ε_i}, {@code ε_i = b_i + U(−s, s)}, clipped to {@code |ε_i| ≤ ϵ}. The bias b makes
 * the deviation systematic ("patients under-perform on exercise"), which the paper allows.
 */
public final class RandomDeviation implements Compliance {

  private final int[] mutable;
  private final double[] bias;
  private final double spread;
  private final double bound;
  private final RandomGenerator rng;

  /**
   * @param mutable indices of the mutable features (copied)
   * @param bias    mean deviation per mutable feature (copied)
   * @param spread  half-width s of the uniform noise around the bias
   * @param bound   ϵ, the bound on every |ε_i|
   * @param rng     this model's own stream
   */
  public RandomDeviation(int[] mutable, double[] bias, double spread, double bound, RandomGenerator rng) {
    if (bias.length != mutable.length) {
      throw new IllegalArgumentException("bias must have one entry per mutable feature (" + mutable.length
          + "), got " + bias.length);
    }
    if (!(spread >= 0) || !Double.isFinite(spread)) {
      throw new IllegalArgumentException("spread must be finite and >= 0, got " + spread);
    }
    if (!(bound >= 0) || !Double.isFinite(bound)) {
      throw new IllegalArgumentException("bound (epsilon) must be finite and >= 0, got " + bound);
    }
    for (int k = 0; k < bias.length; k++) {
      if (!Double.isFinite(bias[k])) {
        throw new IllegalArgumentException("bias[" + k + "] must be finite, got " + bias[k]);
      }
    }
    this.mutable = mutable.clone();
    this.bias = bias.clone();
    this.spread = spread;
    this.bound = bound;
    this.rng = rng;
  }

  @Override
  public void realise(double[] original, int arm, double[] recommended, double[] realised) {
    System.arraycopy(recommended, 0, realised, 0, recommended.length);
    for (int k = 0; k < mutable.length; k++) {
      double e = bias[k] + (spread > 0 ? rng.nextDouble(-spread, spread) : 0.0);
      realised[mutable[k]] += Math.max(-bound, Math.min(bound, e));
    }
  }

  @Override
  public String describe() {
    return "random(bias=" + java.util.Arrays.toString(bias) + ", spread=" + spread + ", epsilon=" + bound + ")";
  }
}
