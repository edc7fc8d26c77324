package dev.recourse.core.rng;

import java.util.random.RandomGenerator;

/**
 * Seeded, splittable random streams. A stream is named by a root seed and a path of keys (for a study:
 * scenario, replication, purpose), and its seed is a SplitMix64 hash of that path only, so a draw never
 * depends on which thread made it or in which order streams were created. The generator is
 * {@link Lxm64x128}, which draws exactly what the JDK's {@code L64X128MixRandom} draws for the same seed
 * (LXM family: small state, strong statistical quality, fast) and whose state can be saved.
 */
public final class RandomStreams {

  private RandomStreams() {}

  /** The generator for {@code (rootSeed, keys...)}; the same arguments always give the same stream. */
  public static Lxm64x128 stream(long rootSeed, long... keys) {
    return new Lxm64x128(seed(rootSeed, keys));
  }

  /** The 64-bit seed that {@link #stream} uses for this path. */
  public static long seed(long rootSeed, long... keys) {
    long h = mix(rootSeed ^ 0x9E3779B97F4A7C15L);
    for (long k : keys) {
      h = mix(h ^ mix(k + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  /** SplitMix64 finaliser (Steele, Lea, Flood 2014). */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Fills {@code out[off..off+n)} with independent standard normal draws. */
  public static void fillGaussian(RandomGenerator rng, double[] out, int off, int n) {
    for (int i = 0; i < n; i++) {
      out[off + i] = rng.nextGaussian();
    }
  }
}
