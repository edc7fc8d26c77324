package dev.recourse.core.rng;

import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.random.RandomGenerator;

/**
 * The LXM generator L64X128MixRandom (Steele and Vigna 2021): a 64-bit LCG added to a xoroshiro128
 * generator and mixed by Lea's 64-bit mixer. Given the same seed it produces exactly what the JDK's
 * {@code RandomGeneratorFactory.of("L64X128MixRandom").create(seed)} produces, for {@link #nextLong} and
 * therefore for every derived draw ({@code nextInt(bound)}, {@code nextDouble}, {@code nextGaussian},
 * ...), which this class inherits unchanged from {@link RandomGenerator}'s defaults exactly as the JDK
 * class does. Unlike the JDK class its state (four longs) can be saved and restored, so a sampler
 * restored from a snapshot continues the identical sequence.
 *
 * <p>Not thread-safe: one generator belongs to one thread (or one single writer).
 */
public final class Lxm64x128 implements RandomGenerator {

  /** Number of longs in {@link #exportState}. */
  public static final int STATE_LONGS = 4;

  /** The LCG multiplier of the JDK's L64X128MixRandom. */
  private static final long M = 0xd1342543de82ef95L;
  private static final long GOLDEN_RATIO_64 = 0x9e3779b97f4a7c15L;
  private static final long SILVER_RATIO_64 = 0x6A09E667F3BCC909L;

  /** LCG additive parameter; always odd. */
  private long a;
  /** LCG state. */
  private long s;
  /** xoroshiro128 state; never both zero. */
  private long x0;
  private long x1;

  /** The generator the JDK's factory creates for {@code seed}. */
  public Lxm64x128(long seed) {
    // The JDK's seeding: xor with the silver ratio so small seeds are not degenerate, a from Murmur3's
    // finaliser, s = 1, x0 and x1 as two steps of SplitMix64 with Stafford's variant 13.
    long t = seed ^ SILVER_RATIO_64;
    this.a = mixMurmur64(t) | 1;
    this.s = 1;
    this.x0 = mixStafford13(t);
    this.x1 = mixStafford13(t + GOLDEN_RATIO_64);
    if ((x0 | x1) == 0) {
      // xoroshiro's all-zero state is a fixed point; the JDK replaces it the same way.
      long v = s + GOLDEN_RATIO_64;
      x0 = mixStafford13(v);
      x1 = mixStafford13(v + GOLDEN_RATIO_64);
    }
  }

  private Lxm64x128(long a, long s, long x0, long x1) {
    this.a = a;
    this.s = s;
    this.x0 = x0;
    this.x1 = x1;
  }

  /** A generator in the given state, as {@link #exportState} wrote it; checks that it is a valid one. */
  public static Lxm64x128 ofState(long a, long s, long x0, long x1) {
    checkState(a, x0, x1);
    return new Lxm64x128(a, s, x0, x1);
  }

  @Override
  public long nextLong() {
    long result = mixLea64(s + x0);
    s = M * s + a;
    long q0 = x0;
    long q1 = x1 ^ q0;
    // xoroshiro128 version 1.0 step, as the JDK's class.
    x0 = Long.rotateLeft(q0, 24) ^ q1 ^ (q1 << 16);
    x1 = Long.rotateLeft(q1, 37);
    return result;
  }

  /** Writes the state: a, s, x0, x1. */
  public void exportState(StateSink sink) {
    sink.putLong(a);
    sink.putLong(s);
    sink.putLong(x0);
    sink.putLong(x1);
  }

  /**
   * Reads back what {@link #exportState} wrote. The state is checked before anything is assigned, so a
   * bad one leaves this generator unchanged.
   */
  public void importState(StateSource source) {
    long na = source.getLong();
    long ns = source.getLong();
    long n0 = source.getLong();
    long n1 = source.getLong();
    checkState(na, n0, n1);
    a = na;
    s = ns;
    x0 = n0;
    x1 = n1;
  }

  /** Makes this generator continue exactly where {@code other} stands. */
  public void copyFrom(Lxm64x128 other) {
    a = other.a;
    s = other.s;
    x0 = other.x0;
    x1 = other.x1;
  }

  /** An independent copy in the same state. */
  public Lxm64x128 copy() {
    return new Lxm64x128(a, s, x0, x1);
  }

  /** The state as four longs (a, s, x0, x1), for tests and diagnostics. */
  public long[] state() {
    return new long[] {a, s, x0, x1};
  }

  /**
   * {@code rng} as a saveable generator, for a sampler's snapshot; {@code owner} names the sampler in the
   * exception thrown for any other generator (its position cannot be read, so it cannot be saved).
   */
  public static Lxm64x128 saveable(RandomGenerator rng, String owner) {
    if (rng instanceof Lxm64x128 g) {
      return g;
    }
    throw new IllegalStateException(owner + "'s generator is a " + rng.getClass().getSimpleName()
        + ", whose state cannot be saved; build it with RandomStreams.stream or new Lxm64x128(seed)");
  }

  private static void checkState(long a, long x0, long x1) {
    if ((a & 1) == 0) {
      throw new IllegalArgumentException("generator state a must be odd, got " + a);
    }
    if ((x0 | x1) == 0) {
      throw new IllegalArgumentException("generator state x0, x1 must not both be 0");
    }
  }

  private static long mixMurmur64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  private static long mixStafford13(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long mixLea64(long z) {
    z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
    z = (z ^ (z >>> 32)) * 0xdaba0b6eb09322e3L;
    return z ^ (z >>> 32);
  }
}
