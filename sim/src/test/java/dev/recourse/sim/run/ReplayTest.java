package dev.recourse.sim.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.policy.LinUcb;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReplayTest {

  private static ReplayData randomData(int dim, int arms, int warmupRows, int rounds, long seed) {
    Random rnd = new Random(seed);
    int[] warmupArms = new int[warmupRows];
    double[] warmupRewards = new double[warmupRows];
    double[] warmupContexts = new double[warmupRows * dim];
    for (int i = 0; i < warmupRows; i++) {
      warmupArms[i] = rnd.nextInt(arms);
      warmupRewards[i] = rnd.nextGaussian();
    }
    for (int i = 0; i < warmupContexts.length; i++) {
      warmupContexts[i] = rnd.nextGaussian();
    }
    double[] stream = new double[rounds * (dim + arms)];
    for (int i = 0; i < stream.length; i++) {
      stream[i] = rnd.nextGaussian();
    }
    return new ReplayData(dim, arms, warmupArms, warmupRewards, warmupContexts, rounds, stream);
  }

  @Test
  void warmupInOrderThenDecideReceiveUpdate() {
    ReplayData data = randomData(4, 3, 7, 300, 1);
    ReplayResult result = Replay.run(data, new LinUcb(3, 4, 0.7, 1.5));

    LinUcb reference = new LinUcb(3, 4, 0.7, 1.5);
    double[] x = new double[4];
    for (int i = 0; i < data.warmupRows(); i++) {
      System.arraycopy(data.warmupContexts(), i * 4, x, 0, 4);
      reference.update(data.warmupArms()[i], x, data.warmupRewards()[i]);
    }
    double cum = 0;
    int[] arms = new int[data.rounds()];
    double[] rewards = new double[data.rounds()];
    for (int t = 0; t < data.rounds(); t++) {
      System.arraycopy(data.stream(), t * 7, x, 0, 4);
      arms[t] = reference.decide(x);
      rewards[t] = data.stream()[t * 7 + 4 + arms[t]];
      reference.update(arms[t], x, rewards[t]);
      cum += rewards[t];
    }
    assertArrayEquals(arms, result.arms());
    assertArrayEquals(rewards, result.rewards());
    assertEquals(cum, result.cumReward());
    assertEquals(300, result.rounds());
    assertTrue(result.loopNanos() >= 0 && result.roundsPerSecond() > 0);
  }

  @Test
  void rejectsAPolicyOfTheWrongShape() {
    ReplayData data = randomData(4, 3, 0, 5, 2);
    assertThrows(IllegalArgumentException.class, () -> Replay.run(data, new LinUcb(3, 5)));
    assertThrows(IllegalArgumentException.class, () -> Replay.run(data, new LinUcb(2, 4)));
  }

  @Test
  void dataRejectsInconsistentArrays() {
    assertThrows(IllegalArgumentException.class,
        () -> new ReplayData(2, 2, new int[] {2}, new double[1], new double[2], 0, new double[0]));
    assertThrows(IllegalArgumentException.class,
        () -> new ReplayData(2, 2, new int[0], new double[0], new double[0], 2, new double[7]));
  }
}
