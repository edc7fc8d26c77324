package dev.recourse.sim.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.compliance.Compliance;
import dev.recourse.core.compliance.RandomDeviation;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.sim.policy.NoopSpec;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.ReplicationResult;
import dev.recourse.sim.run.ReplicationTask;
import dev.recourse.sim.run.Study;
import dev.recourse.core.simd.Kernels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The runner charges regret on the context the patient realises (spec §7): with a biased deviation
 * model plugged into the environment, the noop policy's regret is the optimum minus arm 0's reward at
 * {@code x + ε}, not at x.
 */
class ComplianceHookTest {

  /** The synthetic problem (d = 4, K = 2) whose patients add a bias of +0.5 (±0.1) to every feature. */
  private static final class Deviating implements Scenario {
    private final SyntheticScenario base = new SyntheticScenario(4, 2, 1.0, 1.0);

    @Override
    public String name() {
      return "synthetic";
    }

    @Override
    public int dim() {
      return 4;
    }

    @Override
    public int numArms() {
      return 2;
    }

    @Override
    public List<String> featureNames() {
      return base.featureNames();
    }

    @Override
    public List<String> armNames() {
      return base.armNames();
    }

    @Override
    public int[] mutableIndices() {
      return base.mutableIndices();
    }

    @Override
    public LinearEnvironment create(long seed, int replication, DoubleKernels kernels) {
      double[] theta = base.create(seed, replication).trueTheta().clone();
      Compliance deviation = new RandomDeviation(mutableIndices(), new double[] {0.5, 0.5, 0.5, 0.5}, 0.1, 1.0,
          ReplicationStreams.stream(seed, name(), replication, ReplicationStreams.Purpose.COMPLIANCE));
      return new LinearEnvironment(theta, 2, 0.0, 1.0, new FeasibleSet(4, mutableIndices(), new L2Ball(4, 1.0)),
          new GaussianContexts(), ReplicationStreams.stream(seed, name(), replication, ReplicationStreams.Purpose.CONTEXTS),
          ReplicationStreams.stream(seed, name(), replication, ReplicationStreams.Purpose.NOISE), deviation, 10, kernels);
    }

    @Override
    public Map<String, Object> parameters() {
      return Map.of("type", "deviating");
    }
  }

  @Test
  void regretIsChargedOnTheRealisedContext() {
    Scenario s = new Deviating();
    Study study = new Study("hook", s, List.of(new NoopSpec("noop")),
        40, 1, 5, Study.evenCheckpoints(40, 1), 0);
    ReplicationResult r = ReplicationTask.run(study, 0, 0, Kernels.get(), ProgressListener.none());
    LinearEnvironment env = (LinearEnvironment) s.create(5, 0);
    double[] x = new double[4];
    double[] realised = new double[4];
    double onRealised = 0;
    double onRecommended = 0;
    for (int t = 0; t < 40; t++) {
      env.nextContext(x);
      double best = env.optimalValue(x);
      env.realise(x, 0, x, realised);
      for (int i = 0; i < 4; i++) {
        double e = realised[i] - x[i];
        assertTrue(e >= 0.4 - 1e-12 && e <= 0.6 + 1e-12, "deviation " + e);
      }
      onRealised += best - env.expectedReward(0, realised);
      onRecommended += best - env.expectedReward(0, x);
      env.observe(0);
    }
    assertEquals(onRealised, r.regret()[0], 1e-9);
    assertTrue(Math.abs(onRealised - onRecommended) > 1, onRealised + " vs " + onRecommended);
  }
}
