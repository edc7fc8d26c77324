package dev.recourse.sim.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FertilityScenarioTest {

  /** The scenario on the shared UCI file; a test that calls this is skipped when the file is absent. */
  private static FertilityScenario scenario() {
    return new FertilityScenario(SharedData.fertility());
  }

  @Test
  void contextIsConstantPlusEightStandardisedAttributes() {
    FertilityScenario scenario = scenario();
    assertEquals(9, scenario.dim());
    assertEquals(100, scenario.patients());
    int[] m = scenario.mutableIndices();
    assertEquals(List.of("alcohol", "smoking", "sitting_hours"),
        List.of(scenario.featureNames().get(m[0]), scenario.featureNames().get(m[1]), scenario.featureNames().get(m[2])));
    double[] sum = new double[9];
    double[] sumSq = new double[9];
    for (int r = 0; r < 100; r++) {
      double[] x = scenario.context(r);
      assertEquals(1.0, x[0]);
      for (int i = 0; i < 9; i++) {
        sum[i] += x[i];
        sumSq[i] += x[i] * x[i];
      }
    }
    for (int i = 1; i < 9; i++) {
      assertEquals(0, sum[i] / 100, 1e-12);
      assertEquals(1, (sumSq[i] - sum[i] * sum[i] / 100) / 99, 1e-12);
    }
  }

  /**
   * The noise-free fit against the coefficients App. D reports for alcohol, smoking and sitting,
   * [−0.31, −0.03, −0.15] (surgery) and [−0.03, −0.17, −0.12] (no surgery), which came from one noisy
   * draw of the outcomes: agreement to 0.1 (with UCI's alcohol direction the first would be +0.30).
   */
  @Test
  void noiseFreeFitMatchesThePaper() {
    FertilityScenario scenario = scenario();
    double[] theta = scenario.fit(scenario.expectedOutcomes());
    int[] m = scenario.mutableIndices();
    double[][] paper = {{-0.03, -0.17, -0.12}, {-0.31, -0.03, -0.15}};
    for (int a = 0; a < 2; a++) {
      for (int k = 0; k < 3; k++) {
        assertEquals(paper[a][k], theta[a * 9 + m[k]], 0.1, "arm " + a + " feature " + k);
      }
    }
  }

  /** Each replication's θ is the least-squares fit: the residuals are orthogonal to that arm's design. */
  @Test
  void replicationParametersAreLeastSquaresFits() {
    FertilityScenario scenario = scenario();
    LinearEnvironment env = scenario.create(3, 2);
    double[] theta = env.trueTheta();
    assertArrayEquals(theta, scenario.create(3, 2).trueTheta());
    // Reconstruct the outcomes the same way the scenario does and check the normal equations.
    var truth = ReplicationStreams.stream(3, "fertility", 2, ReplicationStreams.Purpose.TRUTH);
    double[] y = scenario.expectedOutcomes();
    for (int r = 0; r < y.length; r++) {
      y[r] += truth.nextGaussian();
    }
    assertArrayEquals(scenario.fit(y), theta, 0.0);
  }

  @Test
  void badFilesAreRejectedWithTheirPosition(@TempDir Path dir) throws IOException {
    Path bad = dir.resolve("bad.txt");
    Files.writeString(bad, "-0.33,0.69,0,1,1,0,0.8,0,0.88,N\n-0.33,0.94,1,0,1,0,x,1,0.31,O\n");
    InputException e = assertThrows(InputException.class, () -> new FertilityScenario(bad));
    assertTrue(e.getMessage().contains("line 2, column 7 (alcohol)"), e.getMessage());
    Files.writeString(bad, "-0.33,0.69,0,1,1,0,0.8,0,0.88,Q\n");
    e = assertThrows(InputException.class, () -> new FertilityScenario(bad));
    assertTrue(e.getMessage().contains("diagnosis"), e.getMessage());
    e = assertThrows(InputException.class, () -> new FertilityScenario(dir.resolve("missing.txt")));
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }
}
