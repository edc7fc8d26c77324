package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.LinUcb;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.run.Replay;
import dev.recourse.sim.run.ReplayData;
import dev.recourse.sim.run.ReplayResult;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A short LinUCB replay runs on the Panama kernels' scalar twin, and its output is the Panama run's. */
class ReplayKernelsTest {

  private static ReplayData stream(int dim, int numArms, int rounds, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[][] theta = new double[numArms][dim];
    for (double[] row : theta) {
      for (int i = 0; i < dim; i++) {
        row[i] = rng.nextGaussian() / Math.sqrt(dim);
      }
    }
    double[] rows = new double[rounds * (dim + numArms)];
    for (int t = 0; t < rounds; t++) {
      int at = t * (dim + numArms);
      for (int i = 0; i < dim; i++) {
        rows[at + i] = rng.nextGaussian();
      }
      for (int a = 0; a < numArms; a++) {
        double r = 0.1 * rng.nextGaussian();
        for (int i = 0; i < dim; i++) {
          r += theta[a][i] * rows[at + i];
        }
        rows[at + dim + a] = r;
      }
    }
    return new ReplayData(dim, numArms, new int[0], new double[0], new double[0], rounds, rows);
  }

  private static ConfigNode policy(String type) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", type);
    return ConfigNode.root("--policy", node);
  }

  @Test
  void theTwinServesShortLinUcbReplaysFromD12OnAndNothingElse() {
    DoubleKernels active = Kernels.get();
    DoubleKernels twin = ReplayCommand.kernelsFor(policy("linucb"), stream(20, 10, 1_000, 1));
    assertEquals(active.laneOrderTwin().map(DoubleKernels::name).orElse(active.name()), twin.name());
    assertSame(active, ReplayCommand.kernelsFor(policy("glrb"), stream(20, 10, 1_000, 1)));
    assertSame(active, ReplayCommand.kernelsFor(policy("linucb"), stream(11, 10, 1_000, 1)));
    // Work beyond the limit (rounds × K × d²): the vector kernels pay for their warm-up.
    int rounds = (int) (ReplayCommand.TWIN_MAX_WORK / (20 * 20 * 2)) + 1;
    ReplayData big = new ReplayData(20, 2, new int[0], new double[0], new double[0], rounds, new double[rounds * 22]);
    assertSame(active, ReplayCommand.kernelsFor(policy("linucb"), big));
  }

  @Test
  void aReplayOnTheTwinIsTheReplayOnTheActiveKernels() {
    DoubleKernels active = Kernels.get();
    DoubleKernels twin = active.laneOrderTwin().orElse(null);
    if (twin == null) {
      return; // the scalar kernels are active: there is no twin to compare (the test suite requires Panama)
    }
    for (int[] shape : new int[][] {{20, 10}, {13, 4}, {40, 6}}) {
      ReplayData data = stream(shape[0], shape[1], 4_000, shape[0]);
      ReplayResult onActive = Replay.run(data, new LinUcb(new RidgeArms(shape[1], shape[0], 1.0,
          RidgeArms.DEFAULT_REFRESH_EVERY, RidgeArms.RefreshMethod.CHOLESKY, active), 1.0));
      ReplayResult onTwin = Replay.run(data, new LinUcb(new RidgeArms(shape[1], shape[0], 1.0,
          RidgeArms.DEFAULT_REFRESH_EVERY, RidgeArms.RefreshMethod.CHOLESKY, twin), 1.0));
      assertArrayEquals(onActive.arms(), onTwin.arms(), "arms, d=" + shape[0]);
      assertArrayEquals(onActive.rewards(), onTwin.rewards(), 0.0);
      assertEquals(Double.doubleToLongBits(onActive.cumReward()), Double.doubleToLongBits(onTwin.cumReward()));
      assertTrue(java.util.Arrays.stream(onActive.arms()).distinct().count() > 1, "the arms vary");
      assertNotEquals(active.name(), twin.name());
    }
  }
}
