package dev.recourse.core.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recourse.core.reference.NaiveLinalg;
import dev.recourse.core.reference.StateWords;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LinUcbTest {

  /** LinUCB the slow way: V and b kept, V inverted explicitly every round. */
  private static final class ExplicitInverseLinUcb {
    final int numArms;
    final int dim;
    final double alpha;
    final double[][] v;
    final double[][] b;

    ExplicitInverseLinUcb(int numArms, int dim, double alpha, double lambda) {
      this.numArms = numArms;
      this.dim = dim;
      this.alpha = alpha;
      v = new double[numArms][dim * dim];
      b = new double[numArms][dim];
      for (double[] m : v) {
        for (int i = 0; i < dim; i++) {
          m[i * dim + i] = lambda;
        }
      }
    }

    int decide(double[] x) {
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < numArms; a++) {
        double[] inv = NaiveLinalg.inverse(v[a], dim);
        double[] theta = NaiveLinalg.multiply(inv, dim, b[a]);
        double score = NaiveLinalg.dot(theta, 0, x, 0, dim)
            + alpha * Math.sqrt(NaiveLinalg.dot(x, 0, NaiveLinalg.multiply(inv, dim, x), 0, dim));
        if (score > bestScore) {
          bestScore = score;
          best = a;
        }
      }
      return best;
    }

    void update(int a, double[] x, double r) {
      for (int i = 0; i < dim; i++) {
        b[a][i] += r * x[i];
        for (int j = 0; j < dim; j++) {
          v[a][i * dim + j] += x[i] * x[j];
        }
      }
    }
  }

  /** 6: arm-by-arm scoring; 13 and 20: the packed upper-triangle scoring (13 with partial chunks). */
  @ParameterizedTest
  @ValueSource(ints = {6, 13, 20})
  void sameArmSequenceAsExplicitInverseOver2000Rounds(int dim) {
    int numArms = 4;
    SplittableRandom rng = new SplittableRandom(2011);
    double[][] truth = new double[numArms][dim];
    for (double[] t : truth) {
      for (int i = 0; i < dim; i++) {
        t[i] = rng.nextGaussian();
      }
    }
    LinUcb fast = new LinUcb(numArms, dim, 1.0, 1.0);
    ExplicitInverseLinUcb slow = new ExplicitInverseLinUcb(numArms, dim, 1.0, 1.0);
    Decision decision = new Decision(dim);
    double[] x = new double[dim];
    int switches = 0;
    int previous = -1;
    for (int t = 0; t < 2000; t++) {
      for (int i = 0; i < dim; i++) {
        x[i] = rng.nextGaussian();
      }
      int expected = slow.decide(x);
      int got = fast.decide(x);
      fast.decide(x, decision);
      assertEquals(expected, got, "round " + t);
      assertEquals(got, decision.arm(), "round " + t);
      assertArrayEquals(x, decision.context(), 0.0);
      double reward = NaiveLinalg.dot(truth[got], 0, x, 0, dim) + rng.nextGaussian();
      fast.update(got, x, reward);
      slow.update(got, x, reward);
      switches += got != previous ? 1 : 0;
      previous = got;
    }
    // A sequence that never changes arm would make this comparison vacuous.
    org.junit.jupiter.api.Assertions.assertTrue(switches > 50, "switches " + switches);
  }

  @Test
  void tiesGoToTheLowestArm() {
    LinUcb policy = new LinUcb(3, 2);
    assertEquals(0, policy.decide(new double[] {1, 1}));
    // Arms 1 and 2 get identical data and a better mean than arm 0: the tie between them goes to 1.
    for (int arm = 1; arm <= 2; arm++) {
      policy.update(arm, new double[] {1, 0}, 5.0);
    }
    policy.update(0, new double[] {1, 0}, -5.0);
    assertEquals(1, policy.decide(new double[] {1, 0}));
  }

  /** Arms never played stay exactly tied, and the tie goes to the lowest of them, at every K and d. */
  @ParameterizedTest
  @ValueSource(ints = {6, 13, 20})
  void untouchedArmsTieExactlyAndTheLowestWins(int dim) {
    SplittableRandom rng = new SplittableRandom(77);
    for (int numArms = 2; numArms <= 11; numArms++) {
      LinUcb policy = new LinUcb(numArms, dim, 1.0, 1.0);
      double[] x = new double[dim];
      for (int i = 0; i < dim; i++) {
        x[i] = rng.nextGaussian();
      }
      // Arm 0 learns a strongly negative reward: the others, untouched, tie above it.
      for (int t = 0; t < 5; t++) {
        policy.update(0, x, -100.0);
      }
      Decision d = new Decision(dim, numArms);
      boolean[] all = new boolean[numArms];
      java.util.Arrays.fill(all, true);
      policy.decide(x, all, d);
      for (int a = 2; a < numArms; a++) {
        assertEquals(Double.doubleToLongBits(d.scores()[1]), Double.doubleToLongBits(d.scores()[a]),
            "K=" + numArms + " d=" + dim + ": untouched arm " + a + " not tied with arm 1");
      }
      assertEquals(1, d.arm(), "K=" + numArms + " d=" + dim);
    }
  }

    /**
   * The plain decide scores only the arms that could win; it must choose what scoring every arm
   * chooses (the decide with scores), bit for bit in the reported score and width, through learning,
   * exact ties of untouched arms, allowed subsets, α = 0 and a large α, and with features of very
   * different scales.
   */
  @ParameterizedTest
  @ValueSource(ints = {13, 20, 33})
  void theDecideThatPrunesChoosesWhatScoringEveryArmChooses(int dim) {
    for (int numArms : new int[] {5, 10, 23}) {
      for (double alpha : new double[] {0.0, 1.0, 25.0}) {
        SplittableRandom rng = new SplittableRandom(dim * 1_000L + numArms * 10L + (long) alpha);
        LinUcb policy = new LinUcb(numArms, dim, alpha, 1.0);
        double[] theta = new double[numArms * dim];
        for (int i = 0; i < theta.length; i++) {
          theta[i] = rng.nextGaussian() / Math.sqrt(dim);
        }
        double[] scale = new double[dim];
        for (int i = 0; i < dim; i++) {
          scale[i] = i % 5 == 0 ? 1e-3 : i % 7 == 0 ? 1e2 : 1.0;
        }
        double[] x = new double[dim];
        Decision plain = new Decision(dim);
        Decision lean = new Decision(dim).withoutScore();
        Decision scored = new Decision(dim, numArms);
        boolean[] all = new boolean[numArms];
        java.util.Arrays.fill(all, true);
        boolean[] some = new boolean[numArms];
        for (int t = 0; t < 1_500; t++) {
          for (int i = 0; i < dim; i++) {
            x[i] = rng.nextGaussian() * (t % 3 == 0 ? scale[i] : 1.0);
          }
          boolean subset = t % 4 == 1;
          for (int a = 0; a < numArms; a++) {
            some[a] = rng.nextInt(3) > 0;
          }
          some[rng.nextInt(numArms)] = true;
          boolean[] allowed = subset ? some : all;
          policy.decide(x, allowed, scored);
          if (subset) {
            policy.decide(x, allowed, plain);
            // decide(x, allowed, out) fills scores when out has room; the plain path is decide(x, out).
          } else {
            policy.decide(x, plain);
            assertEquals(scored.arm(), policy.decide(x), "int decide, t=" + t);
            policy.decide(x, lean);
            assertEquals(scored.arm(), lean.arm(), "decision without score, t=" + t);
            assertArrayEquals(x, lean.context(), 0.0);
            assertTrue(Double.isNaN(lean.width()) && Double.isNaN(lean.score()), "no score asked, none given");
          }
          String at = "d=" + dim + " K=" + numArms + " alpha=" + alpha + " t=" + t;
          assertEquals(scored.arm(), plain.arm(), at);
          assertEquals(Double.doubleToLongBits(scored.width()), Double.doubleToLongBits(plain.width()), at);
          assertEquals(Double.doubleToLongBits(scored.score()), Double.doubleToLongBits(plain.score()), at);
          int arm = t < 2 * numArms ? t % numArms : scored.arm(); // some rounds leave arms untouched
          double r = 0;
          for (int i = 0; i < dim; i++) {
            r += theta[arm * dim + i] * x[i];
          }
          policy.update(arm, x, r + 0.1 * rng.nextGaussian());
        }
      }
    }
  }

@ParameterizedTest
  @ValueSource(ints = {9, 20})
  void batchPredictEqualsOnlineDecide(int dim) {
    int numArms = 5;
    SplittableRandom rng = new SplittableRandom(5);
    LinUcb policy = new LinUcb(numArms, dim, 0.7, 1.0);
    double[] x = new double[dim];
    for (int t = 0; t < 300; t++) {
      for (int i = 0; i < dim; i++) {
        x[i] = rng.nextGaussian();
      }
      policy.update(policy.decide(x), x, rng.nextGaussian() + x[0]);
    }
    int count = 150; // more than two blocks, with a remainder
    double[] xs = new double[count * dim];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = rng.nextGaussian();
    }
    int[] batch = new int[count];
    policy.predict(xs, count, batch);
    for (int j = 0; j < count; j++) {
      assertEquals(policy.decide(java.util.Arrays.copyOfRange(xs, j * dim, (j + 1) * dim)), batch[j], "row " + j);
    }
  }

  @Test
  void badInputIsRejected() {
    LinUcb policy = new LinUcb(2, 3);
    assertThrows(IllegalArgumentException.class, () -> policy.decide(new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> policy.decide(new double[] {1, Double.NaN, 2}));
    assertThrows(IllegalArgumentException.class, () -> new LinUcb(2, 3, -1.0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> policy.decide(new double[] {1, 2, 3}, new Decision(4)));
  }

  /** A longer array used to pass (its tail ignored): single-context entry points take exactly d values. */
  @ParameterizedTest
  @ValueSource(ints = {4, 16})
  void aContextOutcomeOrDecisionOfAnotherDimensionIsRejectedBeforeAnyChange(int dim) {
    LinUcb policy = new LinUcb(5, dim);
    double[] x = new double[dim];
    x[0] = 1;
    policy.update(0, x, 1.0);
    long[] before = StateWords.of(policy);
    double[] longer = java.util.Arrays.copyOf(x, dim + 1);
    longer[dim] = Double.NaN;
    assertMessage(() -> policy.decide(longer), "context length must be " + dim + ", got " + (dim + 1));
    assertMessage(() -> policy.decide(longer, new Decision(dim)), "context length");
    assertMessage(() -> policy.decide(longer, new boolean[] {true, true, true, true, true}, new Decision(dim, 5)),
        "context length");
    assertMessage(() -> policy.update(1, new double[dim + 5], 1.0), "context length must be " + dim);
    Outcome other = new Outcome(dim + 2);
    other.context()[0] = 1;
    assertMessage(() -> policy.update(other.set(0, 1.0)), "outcome dim must be " + dim + ", got " + (dim + 2));
    assertMessage(() -> policy.update(null), "outcome must not be null");
    assertMessage(() -> policy.decide(x, new Decision(dim + 1)), "decision dim must be " + dim);
    assertMessage(() -> policy.decide(x, null), "decision must not be null");
    assertArrayEquals(before, StateWords.of(policy), "state unchanged");
  }

  /**
   * A snapshot whose λ_max bound is too small for its V⁻¹ used to make the pruned decide skip the best
   * arm (arm 1 instead of 0 here); a NaN bound made it throw AIOOBE. Now the first is recomputed and the
   * second rejected on import.
   */
  @Test
  void aSnapshotsSpectralBoundCannotChangeThePrunedDecision() {
    int d = 12;
    int k = 20;
    int at = 2 * d * d + 2 * d; // bookkeeping words of an arm part: count, sinceRefresh, bound, its age
    LinUcb source = new LinUcb(k, d);
    LinUcb target = new LinUcb(k, d);
    for (int arm = 0; arm < k; arm++) {
      StateWords part = StateWords.arm(source, arm);
      if (arm == 0) {
        part.setDouble(2 * d * d + d, 0.5).setDouble(at + 2, 1e-6);
      } else if (arm <= 8) {
        part.setDouble(2 * d * d + d, 0.4).setDouble(at + 2, 1.0);
      } else {
        part.setDouble(at + 2, 1e-6);
      }
      target.importArm(arm, part.setLong(at + 3, 0L).reader());
    }
    double[] x = new double[d];
    x[0] = 1;
    Decision plain = new Decision(d);
    target.decide(x, plain);
    Decision full = new Decision(d, k);
    boolean[] all = new boolean[k];
    java.util.Arrays.fill(all, true);
    target.decide(x, all, full);
    assertEquals(0, full.arm());
    assertEquals(full.arm(), plain.arm());
    assertEquals(full.arm(), target.decide(x));

    StateWords nan = StateWords.arm(source, 0).setDouble(at + 2, Double.NaN).setLong(at + 3, 0L);
    assertMessage(() -> new LinUcb(k, d).importArm(0, nan.reader()), "spectralBound of arm 0 must be finite");
  }

  static void assertMessage(org.junit.jupiter.api.function.Executable call, String words) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }

  @Test
  void aDecisionWithEveryArmsScoreCannotGoWithoutTheChosenOne() {
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> new Decision(3, 2).withoutScore());
    assertTrue(e.getMessage().contains("every arm's score"), e.getMessage());
    assertTrue(new Decision(3).scoreWanted());
    org.junit.jupiter.api.Assertions.assertFalse(new Decision(3).withoutScore().scoreWanted());
  }
}
