package dev.recourse.core.rng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.reference.StateWords;
import java.util.function.ToLongFunction;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/**
 * {@link Lxm64x128} against the JDK's L64X128MixRandom: same seed, same outputs, bit for bit, for every
 * draw the code base makes; and a saved state continues the identical sequence.
 */
class Lxm64x128Test {

  private static final RandomGeneratorFactory<RandomGenerator> JDK = RandomGeneratorFactory.of("L64X128MixRandom");
  private static final int DRAWS = 100_000;

  /** Seeds: small and pedestrian ones, extremes, and hashed ones. */
  private static long[] seeds() {
    long[] s = new long[24];
    s[0] = 0;
    s[1] = 1;
    s[2] = -1;
    s[3] = Long.MIN_VALUE;
    s[4] = Long.MAX_VALUE;
    s[5] = 0x6A09E667F3BCC909L; // the seed that xors to 0
    for (int i = 6; i < s.length; i++) {
      s[i] = RandomStreams.seed(i, 7, i * 31L);
    }
    return s;
  }

  private static void sameSequence(String what, ToLongFunction<RandomGenerator> draw) {
    for (long seed : seeds()) {
      RandomGenerator expected = JDK.create(seed);
      RandomGenerator actual = new Lxm64x128(seed);
      for (int i = 0; i < DRAWS; i++) {
        long e = draw.applyAsLong(expected);
        long a = draw.applyAsLong(actual);
        if (e != a) {
          assertEquals(e, a, what + " differs at draw " + i + " for seed " + seed);
        }
      }
    }
  }

  @Test
  void nextLongMatchesJdk() {
    sameSequence("nextLong", RandomGenerator::nextLong);
  }

  @Test
  void nextIntMatchesJdk() {
    sameSequence("nextInt", RandomGenerator::nextInt);
    sameSequence("nextInt(7)", g -> g.nextInt(7));
    // A bound just above a power of two rejects often: exercises the rejection loop.
    sameSequence("nextInt(2^30 + 1)", g -> g.nextInt((1 << 30) + 1));
    sameSequence("nextInt(64)", g -> g.nextInt(64));
    sameSequence("nextInt(-3, 11)", g -> g.nextInt(-3, 11));
    sameSequence("nextLong(1000)", g -> g.nextLong(1000));
    sameSequence("nextBoolean", g -> g.nextBoolean() ? 1 : 0);
  }

  @Test
  void nextDoubleMatchesJdk() {
    sameSequence("nextDouble", g -> Double.doubleToRawLongBits(g.nextDouble()));
    sameSequence("nextDouble(-2, 3)", g -> Double.doubleToRawLongBits(g.nextDouble(-2, 3)));
    sameSequence("nextFloat", g -> Float.floatToRawIntBits(g.nextFloat()));
  }

  @Test
  void nextGaussianAndExponentialMatchJdk() {
    sameSequence("nextGaussian", g -> Double.doubleToRawLongBits(g.nextGaussian()));
    sameSequence("nextGaussian(1, 2)", g -> Double.doubleToRawLongBits(g.nextGaussian(1, 2)));
    sameSequence("nextExponential", g -> Double.doubleToRawLongBits(g.nextExponential()));
  }

  @Test
  void samplersMatchJdk() {
    sameSequence("gamma(0.7)", g -> Double.doubleToRawLongBits(Samplers.gamma(g, 0.7)));
    sameSequence("streams", g -> g.doubles(3).mapToLong(Double::doubleToRawLongBits).sum());
  }

  @Test
  void randomStreamsUseIt() {
    RandomGenerator g = RandomStreams.stream(42, 1, 2);
    assertTrue(g instanceof Lxm64x128, "stream type " + g.getClass());
    RandomGenerator jdk = JDK.create(RandomStreams.seed(42, 1, 2));
    for (int i = 0; i < 1000; i++) {
      assertEquals(jdk.nextLong(), g.nextLong());
    }
  }

  @Test
  void savedStateContinuesTheSequence() {
    for (long seed : seeds()) {
      Lxm64x128 g = new Lxm64x128(seed);
      for (int i = 0; i < 1 + (int) (seed & 1023); i++) {
        g.nextGaussian();
      }
      StateWords w = new StateWords();
      g.exportState(w);
      assertEquals(Lxm64x128.STATE_LONGS, w.size());
      Lxm64x128 restored = new Lxm64x128(~seed);
      restored.importState(w.reader());
      long[] words = w.toArray();
      Lxm64x128 viaOf = Lxm64x128.ofState(words[0], words[1], words[2], words[3]);
      Lxm64x128 copy = g.copy();
      for (int i = 0; i < DRAWS / 10; i++) {
        long e = g.nextLong();
        assertEquals(e, restored.nextLong(), "restored, draw " + i);
        assertEquals(e, viaOf.nextLong(), "ofState, draw " + i);
        assertEquals(e, copy.nextLong(), "copy, draw " + i);
      }
      assertArrayEquals(g.state(), restored.state());
    }
  }

  @Test
  void invalidStateIsRejectedAndLeavesTheGeneratorUnchanged() {
    Lxm64x128 g = new Lxm64x128(5);
    long[] before = g.state();
    StateWords even = new StateWords();
    for (long v : new long[] {2, 0, 1, 1}) {
      even.putLong(v);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.importState(even.reader()));
    assertTrue(e.getMessage().contains("a must be odd"), e.getMessage());
    StateWords zeros = new StateWords();
    for (long v : new long[] {3, 0, 0, 0}) {
      zeros.putLong(v);
    }
    e = assertThrows(IllegalArgumentException.class, () -> g.importState(zeros.reader()));
    assertTrue(e.getMessage().contains("x0, x1"), e.getMessage());
    assertArrayEquals(before, g.state());
    assertThrows(IllegalArgumentException.class, () -> Lxm64x128.ofState(4, 0, 1, 0));
  }
}
