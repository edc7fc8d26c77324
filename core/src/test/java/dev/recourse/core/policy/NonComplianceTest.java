package dev.recourse.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.recourse.CoordinateDescentOro;
import org.junit.jupiter.api.Test;

/** Random non-compliance (paper §4.1): biased deviations, the robust mean-deviation rule vs plain GLRB. */
class NonComplianceTest {

  private static final int DIM = 8;
  private static final int ARMS = 4;
  private static final double GAMMA = 2.0;
  private static final int T = 3000;
  private static final int REPLICATIONS = 20;
  private static final double BIAS_SCALE = 1.0;
  private static final double NOISE = 0.3;

  private static Glrb glrb(SyntheticHarness h, boolean robust) {
    return new Glrb(new RidgeArms(ARMS, DIM, 1.0), h.feasibleSet(), ConfidenceRadius.constant(2.0),
        new CoordinateDescentOro(DIM), robust);
  }

  /**
   * Patients realise x̃ + ε, ε = b + U(−0.3, 0.3) per feature, with a fixed bias b drawn per
   * replication (|b_i| ≤ 1): systematic drift the plain rule ignores when it compares arms. Regret is
   * taken against the full-compliance optimum, so it can be negative where the drift helps a patient.
   */
  private static SyntheticHarness.Deviation biased(SyntheticHarness h) {
    double[] bias = new double[DIM];
    java.util.random.RandomGenerator r = dev.recourse.core.rng.RandomStreams.stream(h.seed, 8);
    for (int i = 0; i < DIM; i++) {
      bias[i] = r.nextDouble(-BIAS_SCALE, BIAS_SCALE);
    }
    return (rec, rng, out) -> {
      for (int i = 0; i < DIM; i++) {
        out[i] = rec[i] + bias[i] + rng.nextDouble(-NOISE, NOISE);
      }
    };
  }

  @Test
  void robustRuleBeatsPlainGlrbUnderBiasedDeviations() {
    double plain = 0;
    double robust = 0;
    int robustWins = 0;
    for (int rep = 0; rep < REPLICATIONS; rep++) {
      SyntheticHarness h = new SyntheticHarness(DIM, ARMS, GAMMA, 3000 + rep);
      double p = h.run(glrb(h, false), T, biased(h)).cumulative(0, T);
      double r = h.run(glrb(h, true), T, biased(h)).cumulative(0, T);
      plain += p;
      robust += r;
      robustWins += r < p ? 1 : 0;
    }
    System.out.printf("non-compliance: plain GLRB %.1f, robust %.1f (robust lower in %d of %d)%n",
        plain / REPLICATIONS, robust / REPLICATIONS, robustWins, REPLICATIONS);
    assertTrue(robust < plain, "robust " + robust / REPLICATIONS + " vs plain " + plain / REPLICATIONS);
    assertTrue(robustWins >= REPLICATIONS * 3 / 4, "robust lower in only " + robustWins + " of " + REPLICATIONS);
  }

  @Test
  void theRobustRuleLearnsTheMeanDeviationOfThePlayedPair() {
    SyntheticHarness h = new SyntheticHarness(DIM, ARMS, GAMMA, 1);
    Glrb g = glrb(h, true);
    Decision d = new Decision(DIM);
    double[] x = new double[DIM];
    double[] realised = new double[DIM];
    java.util.random.RandomGenerator rng = dev.recourse.core.rng.RandomStreams.stream(4);
    for (int t = 0; t < 400; t++) {
      dev.recourse.core.rng.RandomStreams.fillGaussian(rng, x, 0, DIM);
      g.decide(x, d);
      for (int i = 0; i < DIM; i++) {
        realised[i] = d.context()[i] + 0.25 + rng.nextDouble(-0.1, 0.1);
      }
      g.update(d.arm(), realised, rng.nextGaussian());
    }
    for (int a = 0; a < ARMS; a++) {
      if (g.model().count(a) > 50) {
        assertEquals(0.25, g.meanDeviation(a, 0), 0.03, "arm " + a);
      }
    }
  }
}
