package dev.recourse.sim.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recourse.sim.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearEnvironmentTest {

  /**
   * The cached Lemma-1 gains plus one gemv for θ_aᵀx give OptimalRecourse's value on every scenario, up
   * to the round-off of a sum of d products (the gemv's summation order differs from the solver's).
   */
  @Test
  void cachedOptimalValueIsTheSolvers() {
    List<Scenario> scenarios = new java.util.ArrayList<>(List.of(new SyntheticScenario(),
        new SyntheticScenario(3, 7, 0.5, 1), new HypertensionScenario(),
        new HypertensionScenario(1.5, 120, 170, 1, 50, false, 0.5, 0.3, 0.4)));
    SharedData.fertilityIfPresent().ifPresent(f -> scenarios.add(new FertilityScenario(f)));
    for (Scenario s : scenarios) {
      LinearEnvironment env = (LinearEnvironment) s.create(17, 1);
      double[] x = new double[s.dim()];
      for (int t = 0; t < 2000; t++) {
        env.nextContext(x);
        double terms = 0;
        double[] theta = env.trueTheta();
        for (int i = 0; i < theta.length; i++) {
          terms += Math.abs(theta[i] * x[i % s.dim()]);
        }
        double expected = env.optimalValueBySolver(x);
        assertEquals(expected, env.optimalValue(x), 8 * s.dim() * Math.ulp(1.0) * (1 + Math.abs(expected) + terms),
            s.name() + " round " + t);
      }
    }
  }
}
