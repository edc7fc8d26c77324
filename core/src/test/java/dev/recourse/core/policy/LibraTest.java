package dev.recourse.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.advisor.QualityAdvisor;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.reference.StateWords;
import dev.recourse.core.rng.RandomStreams;
import org.junit.jupiter.api.Test;

/** LIBRA's acceptance on a reduced synthetic problem (d = 8, K = 4, γ = 2), 20 replications each. */
class LibraTest {

  private static final int DIM = 8;
  private static final int ARMS = 4;
  private static final double GAMMA = 2.0;
  private static final double RADIUS = 2.0;
  private static final double DELTA = 1.0;
  private static final int T = 3000;
  private static final int REPLICATIONS = 20;

  private static Glrb glrb(SyntheticHarness h) {
    return new Glrb(new RidgeArms(ARMS, DIM, 1.0), h.feasibleSet(), ConfidenceRadius.constant(RADIUS),
        new CoordinateDescentOro(DIM));
  }

  private static Libra libra(SyntheticHarness h, double q) {
    return libra(h, q, DELTA);
  }

  private static Libra libra(SyntheticHarness h, double q, double threshold) {
    Advisor advisor = new QualityAdvisor(h.theta, ARMS, h.feasibleSet(), q, RandomStreams.stream(h.seed, 3));
    return new Libra(glrb(h), advisor, threshold);
  }

  @Test
  void perfectAdvisorWarmStartsTheBandit() {
    double glrbEarly = 0;
    double perfectEarly = 0;
    for (int rep = 0; rep < REPLICATIONS; rep++) {
      SyntheticHarness h = new SyntheticHarness(DIM, ARMS, GAMMA, 7000 + rep);
      glrbEarly += h.run(glrb(h), 200).cumulative(0, 200);
      perfectEarly += h.run(libra(h, 1.0), 200).cumulative(0, 200);
    }
    assertTrue(perfectEarly < 0.5 * glrbEarly, "q = 1: LIBRA's first 200 rounds " + perfectEarly / REPLICATIONS
        + " vs GLRB's " + glrbEarly / REPLICATIONS);
  }

  /**
   * Theorem 5: with Δ a conservative overestimate of the advisor's suboptimality η, LIBRA's regret is
   * GLRB's. A q = 0 advisor (random pairs) is η-suboptimal only for a large η, measured here from the
   * simulator's truth as the worst regret of its pairs. (With Δ = 1 instead, measured: LIBRA pays about
   * queries × 9 on top of GLRB: 5,946 vs 262 at T = 3000; Δ = 4: 847; Δ = 16: 323; Δ = 24: 265.)
   */
  @Test
  void uselessAdvisorDoesNotHurtWhenDeltaCoversItsSuboptimality() {
    double[] glrbTotal = new double[REPLICATIONS];
    double[] libraTotal = new double[REPLICATIONS];
    for (int rep = 0; rep < REPLICATIONS; rep++) {
      SyntheticHarness h = new SyntheticHarness(DIM, ARMS, GAMMA, 7000 + rep);
      double eta = worstAdviceRegret(h, 0.0, 2000);
      glrbTotal[rep] = h.run(glrb(h), T).cumulative(0, T);
      libraTotal[rep] = h.run(libra(h, 0.0, eta), T).cumulative(0, T);
    }
    double spread = stdev(glrbTotal);
    double gap = mean(libraTotal) - mean(glrbTotal);
    assertTrue(Math.abs(gap) <= spread, "q = 0: LIBRA − GLRB at T = " + gap + ", GLRB sd " + spread);
  }

  /** The largest regret among an advisor's pairs on fresh contexts (what only a simulator can know). */
  private static double worstAdviceRegret(SyntheticHarness h, double q, int samples) {
    QualityAdvisor advisor = new QualityAdvisor(h.theta, ARMS, h.feasibleSet(), q, RandomStreams.stream(h.seed, 4));
    dev.recourse.core.recourse.OptimalRecourse oracle = new dev.recourse.core.recourse.OptimalRecourse(h.feasibleSet());
    double[] x = new double[DIM];
    double[] ctx = new double[DIM];
    double[] best = new double[DIM];
    double[] value = new double[1];
    int[] arm = new int[1];
    double worst = 0;
    java.util.random.RandomGenerator rng = RandomStreams.stream(h.seed, 5);
    for (int s = 0; s < samples; s++) {
      RandomStreams.fillGaussian(rng, x, 0, DIM);
      oracle.solve(h.theta, ARMS, x, best, value);
      advisor.advise(x, arm, ctx);
      double mean = 0;
      for (int i = 0; i < DIM; i++) {
        mean += h.theta[arm[0] * DIM + i] * ctx[i];
      }
      worst = Math.max(worst, value[0] - mean);
    }
    return worst;
  }

  @Test
  void queriesFadeAsTheModelLearns() {
    int firstHalf = 0;
    int secondHalf = 0;
    for (int rep = 0; rep < REPLICATIONS; rep++) {
      SyntheticHarness h = new SyntheticHarness(DIM, ARMS, GAMMA, 9000 + rep);
      Libra libra = libra(h, 0.8);
      SyntheticHarness.Trace trace = h.run(libra, T);
      firstHalf += trace.advisedCount(0, T / 2);
      secondHalf += trace.advisedCount(T / 2, T);
      assertEquals(libra.queries(), trace.advisedCount(0, T), "a q-quality advisor never fails");
      assertEquals(0, libra.failures());
    }
    System.out.printf("LIBRA queries: first half %d, second half %d%n", firstHalf, secondHalf);
    assertTrue(firstHalf > 0, "LIBRA never consulted the advisor");
    assertTrue(secondHalf < 0.2 * firstHalf, "queries: first half " + firstHalf + ", second " + secondHalf);
  }

  @Test
  void advisorFailureFallsBackToTheBanditPairAndProjectionIsCounted() {
    SyntheticHarness h = new SyntheticHarness(DIM, ARMS, GAMMA, 1);
    int[] calls = {0};
    Advisor flaky = new Advisor() {
      @Override
      public boolean advise(double[] x, int[] arm, double[] context) {
        calls[0]++;
        if (calls[0] % 3 == 0) {
          return false;
        }
        arm[0] = calls[0] % 3 == 1 ? 1 : 99; // every other success names an arm that does not exist
        for (int i = 0; i < x.length; i++) {
          context[i] = x[i] + 10; // far outside the γ-ball: must be projected
        }
        return true;
      }

      @Override
      public String describe() {
        return "flaky";
      }
    };
    Libra libra = new Libra(glrb(h), flaky, 0.0); // Δ = 0: consult every round
    Decision d = new Decision(DIM);
    double[] x = new double[DIM];
    for (int t = 0; t < 30; t++) {
      RandomStreams.fillGaussian(RandomStreams.stream(5, t), x, 0, DIM);
      libra.decide(x, d);
      if (d.advised()) {
        assertEquals(1, d.arm());
        double norm = 0;
        for (int i = 0; i < DIM; i++) {
          norm += (d.context()[i] - x[i]) * (d.context()[i] - x[i]);
        }
        assertTrue(Math.sqrt(norm) <= GAMMA * (1 + 1e-9), "projected advice left the ball");
      }
      libra.update(d.arm(), d.context(), 0.0);
    }
    assertEquals(30, libra.queries());
    assertEquals(20, libra.failures()); // declined (10) plus the arm-99 answers (10)
    assertEquals(10, libra.projections());
  }

  @Test
  void aContextOrOutcomeOfAnotherDimensionIsRejectedBeforeAnyChange() {
    SyntheticHarness h = new SyntheticHarness(DIM, ARMS, GAMMA, 11);
    Libra libra = libra(h, 1.0);
    long[] before = StateWords.of(libra);
    long queries = libra.queries();
    LinUcbTest.assertMessage(() -> libra.decide(new double[DIM + 1], new Decision(DIM)), "context length must be " + DIM);
    LinUcbTest.assertMessage(() -> libra.update(0, new double[DIM + 1], 1.0), "context length must be " + DIM);
    LinUcbTest.assertMessage(() -> libra.update(new Outcome(DIM + 1).set(0, 1.0)), "outcome dim must be " + DIM);
    assertEquals(queries, libra.queries());
    org.junit.jupiter.api.Assertions.assertArrayEquals(before, StateWords.of(libra), "state unchanged");
  }

  private static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double stdev(double[] v) {
    double m = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / (v.length - 1));
  }
}
