package dev.recourse.sim.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.rng.RandomStreams;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LinearGaussianStreamTest {

  @Test
  void thetaComesFromItsOwnKeyedStream() {
    LinearGaussianStream env = new LinearGaussianStream(4, 3, 99);
    double[] expected = new double[12];
    RandomStreams.fillGaussian(RandomStreams.stream(99, LinearGaussianStream.THETA_KEY), expected, 0, 12);
    assertArrayEquals(expected, env.theta());
  }

  @Test
  void warmupDoesNotShiftTheStream() {
    LinearGaussianStream a = new LinearGaussianStream(3, 2, 5);
    LinearGaussianStream b = new LinearGaussianStream(3, 2, 5);
    double[] x = new double[3];
    a.nextWarmup(1, x);
    double[] xa = new double[3];
    double[] xb = new double[3];
    double[] ra = new double[2];
    double[] rb = new double[2];
    a.nextRound(xa, ra);
    b.nextRound(xb, rb);
    assertArrayEquals(xb, xa);
    assertArrayEquals(rb, ra);
  }

  /** Residuals r_a − θ_aᵀx should look like N(0, 1): mean within 5 standard errors of 0, variance near 1. */
  @Test
  void rewardNoiseIsStandardNormal() {
    int dim = 5;
    int arms = 4;
    int rounds = 20_000;
    LinearGaussianStream env = new LinearGaussianStream(dim, arms, 2024);
    double[] x = new double[dim];
    double[] r = new double[arms];
    double sum = 0;
    double sumSq = 0;
    double xSumSq = 0;
    for (int t = 0; t < rounds; t++) {
      env.nextRound(x, r);
      for (int a = 0; a < arms; a++) {
        double e = r[a] - env.meanReward(a, x);
        sum += e;
        sumSq += e * e;
      }
      for (double xi : x) {
        xSumSq += xi * xi;
      }
    }
    int n = rounds * arms;
    double mean = sum / n;
    double variance = sumSq / n - mean * mean;
    assertTrue(Math.abs(mean) < 5 / Math.sqrt(n), "noise mean " + mean);
    assertEquals(1.0, variance, 0.05, "noise variance");
    assertEquals(1.0, xSumSq / ((double) rounds * dim), 0.05, "context variance");
  }

  @Test
  void seedsGiveDifferentModels() {
    assertFalse(Arrays.equals(new LinearGaussianStream(3, 2, 1).theta(), new LinearGaussianStream(3, 2, 2).theta()));
  }

  @Test
  void rejectsBadShapes() {
    assertThrows(IllegalArgumentException.class, () -> new LinearGaussianStream(0, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new LinearGaussianStream(2, 0, 1));
    LinearGaussianStream env = new LinearGaussianStream(2, 2, 1);
    assertThrows(IllegalArgumentException.class, () -> env.nextWarmup(2, new double[2]));
    assertThrows(IllegalArgumentException.class, () -> env.nextRound(new double[3], new double[2]));
  }
}
