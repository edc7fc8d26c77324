package dev.recourse.sim.run;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.LinUcb;

/**
 * Offline replay of a full-information stream: every row carries the reward of every arm, so the
 * reward of the arm the policy picks is known and the policy learns from exactly that one.
 */
public final class Replay {

  private Replay() {}

  /**
   * Feeds the warm-up observations to {@code policy} in order, then for each stream row decides on
   * {@code x}, receives {@code r_arm} and updates that arm with {@code (x, r_arm)}. The loop reuses one
   * context buffer and allocates nothing; only it is timed. {@code policy} is modified.
   */
  public static ReplayResult run(ReplayData data, LinUcb policy) {
    int dim = data.dim();
    int numArms = data.numArms();
    if (policy.dim() != dim || policy.numArms() != numArms) {
      throw new IllegalArgumentException("policy is for d=" + policy.dim() + ", K=" + policy.numArms()
          + " but the data have d=" + dim + ", K=" + numArms);
    }
    warmUp(data, policy.arms());

    int rounds = data.rounds();
    int width = data.streamWidth();
    double[] stream = data.stream();
    int[] arms = new int[rounds];
    double[] rewards = new double[rounds];
    double[] x = new double[dim];
    double cumReward = 0.0;
    long start = System.nanoTime();
    for (int t = 0, row = 0; t < rounds; t++, row += width) {
      System.arraycopy(stream, row, x, 0, dim);
      int arm = policy.decide(x);
      double reward = stream[row + dim + arm];
      policy.update(arm, x, reward);
      arms[t] = arm;
      rewards[t] = reward;
      cumReward += reward;
    }
    long loopNanos = System.nanoTime() - start;
    return new ReplayResult(arms, rewards, cumReward, loopNanos);
  }

  private static void warmUp(ReplayData data, RidgeArms model) {
    int dim = data.dim();
    int[] arms = data.warmupArms();
    double[] rewards = data.warmupRewards();
    double[] contexts = data.warmupContexts();
    for (int i = 0; i < arms.length; i++) {
      model.update(arms[i], contexts, i * dim, rewards[i]);
    }
  }
}
