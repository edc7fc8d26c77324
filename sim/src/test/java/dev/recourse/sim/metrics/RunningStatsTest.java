package dev.recourse.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningStatsTest {

  @Test
  void matchesTwoPassMeanAndVarianceAndSkipsNaN() {
    Random rng = new Random(3);
    int n = 57;
    double[][] rows = new double[n][3];
    for (double[] r : rows) {
      r[0] = 1e6 + rng.nextGaussian();       // large offset: the naive Σx² formula would lose digits
      r[1] = rng.nextGaussian() * 10;
      r[2] = rng.nextInt(3) == 0 ? Double.NaN : rng.nextDouble();
    }
    RunningStats s = new RunningStats(3);
    for (double[] r : rows) {
      s.add(r);
    }
    for (int c = 0; c < 3; c++) {
      double sum = 0;
      int count = 0;
      for (double[] r : rows) {
        if (!Double.isNaN(r[c])) {
          sum += r[c];
          count++;
        }
      }
      double mean = sum / count;
      double ss = 0;
      for (double[] r : rows) {
        if (!Double.isNaN(r[c])) {
          ss += (r[c] - mean) * (r[c] - mean);
        }
      }
      assertEquals(count, s.count(c));
      assertEquals(mean, s.mean(c), 1e-9 * Math.max(1, Math.abs(mean)));
      assertEquals(ss / (count - 1), s.variance(c), 1e-9 * ss / (count - 1));
      double expectedHalf = StudentT.quantile(0.975, count - 1) * Math.sqrt(ss / (count - 1) / count);
      assertEquals(expectedHalf, s.halfWidth95(c), 1e-9 * expectedHalf);
    }
    assertTrue(s.count(2) < n);
  }

  @Test
  void undefinedBelowTwoObservations() {
    RunningStats s = new RunningStats(1);
    assertTrue(Double.isNaN(s.mean(0)));
    s.add(new double[] {4});
    assertEquals(4, s.mean(0));
    assertTrue(Double.isNaN(s.variance(0)));
    assertTrue(Double.isNaN(s.halfWidth95(0)));
  }
}
