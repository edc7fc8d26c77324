package dev.recourse.core.compliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.rng.RandomStreams;
import org.junit.jupiter.api.Test;

class ComplianceTest {

  @Test
  void randomDeviationHasTheBiasAsMeanAndRespectsTheBound() {
    RandomDeviation dev = new RandomDeviation(new int[] {1, 3}, new double[] {0.5, -0.2}, 0.3, 0.6,
        RandomStreams.stream(1));
    double[] rec = {1, 2, 3, 4};
    double[] out = new double[4];
    double sum1 = 0;
    double sum3 = 0;
    int n = 20000;
    for (int i = 0; i < n; i++) {
      dev.realise(rec, 0, rec, out);
      assertEquals(1.0, out[0], 0.0);
      assertEquals(3.0, out[2], 0.0);
      assertTrue(Math.abs(out[1] - 2) <= 0.6 + 1e-15 && Math.abs(out[3] - 4) <= 0.6 + 1e-15);
      sum1 += out[1] - 2;
      sum3 += out[3] - 4;
    }
    // Bias 0.5 with noise ±0.3 is clipped at 0.6: the mean is 0.5 − (0.2²/2)/0.6 = 0.4667.
    assertEquals(0.5 - 0.02 / 0.6, sum1 / n, 0.01);
    assertEquals(-0.2, sum3 / n, 0.01);
  }

  @Test
  void adversarialDeviationMovesEpsilonAgainstTheTrueGradient() {
    double[] theta = {0, 3, 0, 4, /* arm 1 */ 1, 0, 0, 0};
    AdversarialDeviation dev = new AdversarialDeviation(theta, 4, new int[] {1, 3}, new L2Ball(2, 9.0), 0.5);
    double[] rec = {0, 1, 0, 1};
    double[] out = new double[4];
    dev.realise(rec, 0, rec, out);
    assertEquals(1 - 0.5 * 0.6, out[1], 1e-12);
    assertEquals(1 - 0.5 * 0.8, out[3], 1e-12);
    // The reward drops by exactly ϵ‖θ_M‖₂ = 0.5·5.
    double before = 3 * rec[1] + 4 * rec[3];
    double after = 3 * out[1] + 4 * out[3];
    assertEquals(2.5, before - after, 1e-12);
  }
}
