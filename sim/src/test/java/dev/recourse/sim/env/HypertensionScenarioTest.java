package dev.recourse.sim.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HypertensionScenarioTest {

  @Test
  void learnerContextCarriesAConstantByDefault() {
    HypertensionScenario s = new HypertensionScenario();
    assertEquals(9, s.dim());
    assertEquals("constant", s.featureNames().get(0));
    int[] m = s.mutableIndices();
    assertEquals(List.of("DietScore", "PhyActHours"), List.of(s.featureNames().get(m[0]), s.featureNames().get(m[1])));
    HypertensionScenario plain = new HypertensionScenario(3, 125, 170, 1, 177, false, 0.48, 0.27, 0.38);
    assertEquals(8, plain.dim());
    assertEquals("DietScore", plain.featureNames().get(plain.mutableIndices()[0]));
  }

  /** reward = 170 − SBP, SBP = 125 + θ_aᵀx with Table 1's θ; with and without the constant feature. */
  @Test
  void rewardIsBaselineMinusTableOneSbp() {
    double[] betaBlocker = {-0.51, 1.91, 0.29, 0.00, 1.43, -2.12, -0.48, 8.79};
    double[] ace = {2.73, -1.51, 1.09, 0.00, -1.78, -2.18, -1.02, 10.82};
    for (boolean constant : new boolean[] {true, false}) {
      HypertensionScenario s = new HypertensionScenario(3, 125, 170, 1, 177, constant, 0.48, 0.27, 0.38);
      LinearEnvironment env = s.create(5, 0);
      double[] x = new double[s.dim()];
      for (int t = 0; t < 30; t++) {
        env.nextContext(x);
        int off = constant ? 1 : 0;
        if (constant) {
          assertEquals(1.0, x[0]);
        }
        for (int a = 0; a < 2; a++) {
          double[] table = a == 0 ? betaBlocker : ace;
          double sbp = 125;
          for (int k = 0; k < 8; k++) {
            sbp += table[k] * x[off + k];
          }
          assertEquals(170 - sbp, env.expectedReward(a, x), 1e-9);
        }
      }
    }
  }

  /** Binary features are standardised Bernoulli with the documented prevalences; the rest standard normal. */
  @Test
  void cohortHasTheDocumentedDistribution() {
    HypertensionScenario s = new HypertensionScenario(3, 125, 170, 1, 40_000, true, 0.48, 0.27, 0.38);
    LinearEnvironment env = s.create(9, 0);
    double[] x = new double[9];
    double[] sum = new double[9];
    double[] sumSq = new double[9];
    int femaleYes = 0;
    int n = 40_000;
    double femaleYesValue = (1 - 0.48) / Math.sqrt(0.48 * 0.52);
    double femaleNoValue = -0.48 / Math.sqrt(0.48 * 0.52);
    for (int t = 0; t < n; t++) {
      env.nextContext(x);
      for (int i = 0; i < 9; i++) {
        sum[i] += x[i];
        sumSq[i] += x[i] * x[i];
      }
      assertTrue(Math.abs(x[1] - femaleYesValue) < 1e-12 || Math.abs(x[1] - femaleNoValue) < 1e-12, "female " + x[1]);
      femaleYes += x[1] > 0 ? 1 : 0;
    }
    assertEquals(0.48, (double) femaleYes / n, 0.02);
    for (int i = 1; i < 9; i++) {
      assertEquals(0, sum[i] / n, 0.05, "mean of feature " + i);
      assertEquals(1, sumSq[i] / n, 0.07, "second moment of feature " + i);
    }
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new HypertensionScenario(3, 125, 170, 1, 0, true, 0.5, 0.5, 0.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new HypertensionScenario(3, 125, 170, 1, 10, true, 1.0, 0.5, 0.5));
    assertTrue(e.getMessage().contains("prevalence.female"), e.getMessage());
  }
}
