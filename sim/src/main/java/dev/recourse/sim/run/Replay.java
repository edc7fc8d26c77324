package dev.recourse.sim.run;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.simd.Kernels;

/**
 * Offline replay of a full-information stream: every row carries the reward of every arm, so the
 * reward of the arm the policy picks is known and the policy learns from exactly that one. Any policy
 * replays through the same round loop as a study ({@link LoggedStream}).
 */
public final class Replay {

  private Replay() {}

  /**
   * Feeds the warm-up observations to {@code policy} in order, then for each stream row decides on
   * {@code x}, receives {@code r_arm} and updates with {@code (arm, x, r_arm)}. The loop reuses its
   * buffers and allocates nothing; only it is timed. {@code policy} is modified.
   */
  public static ReplayResult run(ReplayData data, Policy policy) {
    return run(new LoggedStream(data), data, policy);
  }

  /** As {@link #run(ReplayData, Policy)} on a stream scenario built over {@code data}. */
  public static ReplayResult run(LoggedStream scenario, ReplayData data, Policy policy) {
    int dim = data.dim();
    int numArms = data.numArms();
    if (policy.dim() != dim || policy.numArms() != numArms) {
      throw new IllegalArgumentException("policy is for d=" + policy.dim() + ", K=" + policy.numArms()
          + " but the data have d=" + dim + ", K=" + numArms);
    }
    Outcome outcome = new Outcome(dim);
    warmUp(data, policy, outcome);

    LoggedStream.Rows env = scenario.create(0, 0, Kernels.get());
    int rounds = data.rounds();
    int[] arms = new int[rounds];
    double[] rewards = new double[rounds];
    double[] x = new double[dim];
    Decision decision = new Decision(dim).withoutScore(); // the score and width are not reported
    double cumReward = 0.0;
    long start = System.nanoTime();
    for (int t = 0; t < rounds; t++) {
      env.nextContext(x);
      policy.decide(x, decision);
      env.act(x, decision, outcome);
      policy.update(outcome);
      arms[t] = outcome.arm();
      rewards[t] = outcome.reward();
      cumReward += outcome.reward();
    }
    long loopNanos = System.nanoTime() - start;
    return new ReplayResult(arms, rewards, cumReward, loopNanos);
  }

  private static void warmUp(ReplayData data, Policy policy, Outcome outcome) {
    int dim = data.dim();
    int[] arms = data.warmupArms();
    double[] rewards = data.warmupRewards();
    double[] contexts = data.warmupContexts();
    for (int i = 0; i < arms.length; i++) {
      System.arraycopy(contexts, i * dim, outcome.context(), 0, dim);
      policy.update(outcome.set(arms[i], rewards[i]));
    }
  }
}
