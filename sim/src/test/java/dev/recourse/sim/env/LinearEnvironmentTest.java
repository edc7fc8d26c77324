package dev.recourse.sim.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recourse.sim.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearEnvironmentTest {

  /** The cached Lemma-1 gains give exactly OptimalRecourse's value, bit for bit, on every scenario. */
  @Test
  void cachedOptimalValueIsTheSolversBitForBit() {
    List<Scenario> scenarios = List.of(new SyntheticScenario(), new SyntheticScenario(3, 7, 0.5, 1),
        new HypertensionScenario(), new HypertensionScenario(1.5, 120, 170, 1, 50, false, 0.5, 0.3, 0.4),
        new FertilityScenario(SharedData.fertility()));
    for (Scenario s : scenarios) {
      LinearEnvironment env = (LinearEnvironment) s.create(17, 1);
      double[] x = new double[s.dim()];
      for (int t = 0; t < 2000; t++) {
        env.nextContext(x);
        assertEquals(Double.doubleToLongBits(env.optimalValueBySolver(x)), Double.doubleToLongBits(env.optimalValue(x)),
            s.name() + " round " + t);
      }
    }
  }
}
