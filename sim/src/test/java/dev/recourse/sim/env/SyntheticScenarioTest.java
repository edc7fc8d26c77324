package dev.recourse.sim.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticScenarioTest {

  private final SyntheticScenario scenario = new SyntheticScenario();

  @Test
  void paperConfiguration() {
    assertEquals(20, scenario.dim());
    assertEquals(10, scenario.numArms());
    assertEquals(20, scenario.mutableIndices().length);
    assertEquals(3.0, scenario.parameters().get("gamma"));
  }

  /** Common random numbers: a replication's world depends only on (seed, replication), not on who runs it. */
  @Test
  void sameReplicationSameWorldOtherReplicationOtherWorld() {
    LinearEnvironment a = scenario.create(7, 3);
    LinearEnvironment b = scenario.create(7, 3);
    LinearEnvironment c = scenario.create(7, 4);
    assertArrayEquals(a.trueTheta(), b.trueTheta());
    assertFalse(Arrays.equals(a.trueTheta(), c.trueTheta()));
    double[] xa = new double[20];
    double[] xb = new double[20];
    for (int t = 0; t < 50; t++) {
      a.nextContext(xa);
      b.nextContext(xb);
      assertArrayEquals(xa, xb);
      // Different "policies" ask for different arms: the noise draw must not depend on it.
      assertEquals(a.observe(a.expectedReward(0, xa)) - a.expectedReward(0, xa),
          b.observe(b.expectedReward(9, xb)) - b.expectedReward(9, xb), 1e-12);
    }
  }

  /** Lemma 1 with ℓ2: the optimal value is max_a θ_aᵀx + γ‖θ_a‖₂ when everything is mutable. */
  @Test
  void optimalValueIsLemmaOne() {
    LinearEnvironment env = scenario.create(1, 0);
    double[] theta = env.trueTheta();
    double[] x = new double[20];
    for (int t = 0; t < 20; t++) {
      env.nextContext(x);
      double best = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < 10; a++) {
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < 20; i++) {
          dot += theta[a * 20 + i] * x[i];
          norm += theta[a * 20 + i] * theta[a * 20 + i];
        }
        best = Math.max(best, dot + 3 * Math.sqrt(norm));
        assertEquals(dot, env.expectedReward(a, x), 1e-12);
      }
      assertEquals(best, env.optimalValue(x), 1e-9);
    }
  }

  @Test
  void fullComplianceRealisesTheRecommendation() {
    LinearEnvironment env = scenario.create(1, 0);
    double[] rec = new double[20];
    Arrays.fill(rec, 0.25);
    double[] out = new double[20];
    env.realise(new double[20], 3, rec, out);
    assertArrayEquals(rec, out);
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new SyntheticScenario(0, 10, 3, 1));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticScenario(20, 10, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticScenario(20, 10, 3, Double.NaN));
  }

  @Test
  void streamKeysAreStable() {
    // FNV-1a 64 of "synthetic": a changed key would silently change every published number.
    assertEquals(ReplicationStreams.nameKey("synthetic"), ReplicationStreams.nameKey(new String("synthetic")));
    assertEquals(0xcbf29ce484222325L, ReplicationStreams.nameKey(""));
  }
}
