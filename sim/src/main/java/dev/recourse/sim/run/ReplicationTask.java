package dev.recourse.sim.run;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.ReplicationStreams;
import dev.recourse.sim.policy.BuiltPolicy;
import dev.recourse.sim.policy.BuildContext;
import java.util.function.LongSupplier;

/**
 * One work unit: a fresh environment of replication r (so its streams start from the beginning, and
 * every policy of the replication sees the same contexts and noise) and a fresh policy, run for the
 * study's horizon. A pure function of (study, replication, policy index, kernels): the thread that
 * runs it does not matter. Everything the round loop touches is allocated before it starts.
 */
public final class ReplicationTask {

  /**
   * Progress is also reported every this many rounds (a power of two: one mask test per round), so a
   * long replication moves the bar between checkpoints.
   */
  static final int PROGRESS_EVERY_ROUNDS = 1 << 16;

  private ReplicationTask() {}

  public static ReplicationResult run(Study study, int replication, int policyIndex, DoubleKernels kernels,
                                      ProgressListener progress) {
    Environment env = study.scenario().create(study.seed(), replication, kernels);
    String scenario = study.scenario().name();
    BuiltPolicy built = study.policies().get(policyIndex).build(new BuildContext(env, study.seed(), scenario,
        replication, kernels));
    try (built) {
      return play(study, replication, policyIndex, env, built, progress);
    }
  }

  private static ReplicationResult play(Study study, int replication, int policyIndex, Environment env,
                                        BuiltPolicy built, ProgressListener progress) {
    Policy policy = built.policy();
    LongSupplier queries = built.queries();
    int d = env.dim();
    int numArms = env.numArms();
    int[] mutable = study.scenario().mutableIndices();
    int dimM = mutable.length;
    int[] checkpoints = study.checkpoints();
    int horizon = study.horizon();
    int recourseFrom = study.recourseFrom();

    double[] x = new double[d];
    Decision decision = new Decision(d).withoutScore(); // the score and width are not reported
    Outcome outcome = new Outcome(d, env.treatmentDim());
    double[] regretAt = new double[checkpoints.length];
    double[] rewardAt = new double[checkpoints.length];
    double[] queriesAt = new double[checkpoints.length];
    double[] displacement = new double[numArms * dimM];
    long[] recoursePlays = new long[numArms];
    long[] plays = new long[numArms];

    double regret = 0;
    double rewardSum = 0;
    int next = 0;
    int nextCheckpoint = checkpoints[0];
    long reported = 0;
    for (int t = 1; t <= horizon; t++) {
      env.nextContext(x);
      policy.decide(x, decision);
      regret += env.act(x, decision, outcome);
      policy.update(outcome);
      int arm = decision.arm();
      double[] recommended = decision.context();
      rewardSum += outcome.reward();
      plays[arm]++;
      if (t > recourseFrom) {
        int off = arm * dimM;
        for (int k = 0; k < dimM; k++) {
          displacement[off + k] += recommended[mutable[k]] - x[mutable[k]];
        }
        recoursePlays[arm]++;
      }
      if (t == nextCheckpoint) {
        regretAt[next] = regret;
        rewardAt[next] = rewardSum / t;
        queriesAt[next] = queries.getAsLong();
        next++;
        nextCheckpoint = next < checkpoints.length ? checkpoints[next] : -1;
        progress.advanced(t - reported);
        reported = t;
      }
      if ((t & (PROGRESS_EVERY_ROUNDS - 1)) == 0 && t != reported) {
        progress.advanced(t - reported);
        reported = t;
      }
    }

    double[] recourse = new double[numArms * dimM];
    double[] share = new double[numArms];
    for (int a = 0; a < numArms; a++) {
      share[a] = (double) plays[a] / horizon;
      for (int k = 0; k < dimM; k++) {
        recourse[a * dimM + k] = recoursePlays[a] == 0 ? Double.NaN : displacement[a * dimM + k] / recoursePlays[a];
      }
    }
    return new ReplicationResult(replication, policyIndex, regretAt, rewardAt, queriesAt, recourse, share,
        policy.describe());
  }
}
