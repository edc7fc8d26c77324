package dev.recourse.sim.env;

import dev.recourse.core.rng.RandomStreams;
import java.util.random.RandomGenerator;

/**
 * A linear-Gaussian contextual bandit with full-information rewards, for offline replay: arm
 * parameters {@code θ_a ~ N(0, I_d)}, contexts {@code x ~ N(0, I_d)}, rewards
 * {@code r_a = θ_aᵀx + ε}, {@code ε ~ N(0, 1)} independent per arm and round.
 *
 * <p>Three independent seeded streams keep each part reproducible on its own: {@code θ} from
 * {@code (seed, THETA_KEY)} (arm by arm, {@code d} draws each), warm-up from {@code (seed, WARMUP_KEY)}
 * ({@code x} then {@code ε}), stream from {@code (seed, STREAM_KEY)} ({@code x} then {@code ε_0..ε_{K-1}}).
 * Inner products are plain sequential loops, not the SIMD kernels, so the generated numbers do not
 * depend on the kernel implementation or vector width. Not thread-safe.
 */
public final class LinearGaussianStream {

  public static final long THETA_KEY = 1;
  public static final long WARMUP_KEY = 2;
  public static final long STREAM_KEY = 3;

  private final int dim;
  private final int numArms;
  private final double[] theta;
  private final RandomGenerator warmupRng;
  private final RandomGenerator streamRng;

  public LinearGaussianStream(int dim, int numArms, long seed) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    if ((long) dim * numArms > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("dim·numArms too large: " + dim + "·" + numArms);
    }
    this.dim = dim;
    this.numArms = numArms;
    this.theta = new double[numArms * dim];
    RandomStreams.fillGaussian(RandomStreams.stream(seed, THETA_KEY), theta, 0, theta.length);
    this.warmupRng = RandomStreams.stream(seed, WARMUP_KEY);
    this.streamRng = RandomStreams.stream(seed, STREAM_KEY);
  }

  public int dim() {
    return dim;
  }

  public int numArms() {
    return numArms;
  }

  /** A copy of {@code θ}, {@code K×d} row-major. */
  public double[] theta() {
    return theta.clone();
  }

  /** The noiseless reward {@code θ_aᵀx}. */
  public double meanReward(int arm, double[] x) {
    int off = arm * dim;
    double sum = 0.0;
    for (int i = 0; i < dim; i++) {
      sum += theta[off + i] * x[i];
    }
    return sum;
  }

  /** Draws the next warm-up context for {@code arm} into {@code x} and returns its noisy reward. */
  public double nextWarmup(int arm, double[] x) {
    if (arm < 0 || arm >= numArms) {
      throw new IllegalArgumentException("arm must be in [0, " + numArms + "), got " + arm);
    }
    checkLength("x", x, dim);
    RandomStreams.fillGaussian(warmupRng, x, 0, dim);
    return meanReward(arm, x) + warmupRng.nextGaussian();
  }

  /** Draws the next stream round: the context into {@code x}, every arm's noisy reward into {@code rewards}. */
  public void nextRound(double[] x, double[] rewards) {
    checkLength("x", x, dim);
    checkLength("rewards", rewards, numArms);
    RandomStreams.fillGaussian(streamRng, x, 0, dim);
    for (int a = 0; a < numArms; a++) {
      rewards[a] = meanReward(a, x) + streamRng.nextGaussian();
    }
  }

  private static void checkLength(String name, double[] array, int length) {
    if (array.length != length) {
      throw new IllegalArgumentException(name + " must have length " + length + ", got " + array.length);
    }
  }
}
