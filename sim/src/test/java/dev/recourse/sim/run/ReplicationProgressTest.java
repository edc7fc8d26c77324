package dev.recourse.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.env.SyntheticScenario;
import dev.recourse.sim.policy.NoopSpec;
import dev.recourse.sim.policy.PolicySpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 15: the progress bar moves within a replication, not only at checkpoints. */
class ReplicationProgressTest {

  @Test
  void progressIsReportedBetweenCheckpointsAndAddsUpToTheHorizon() {
    int horizon = 4 * ReplicationTask.PROGRESS_EVERY_ROUNDS + 123;
    Study study = new Study("p", new SyntheticScenario(2, 2, 1, 1),
        List.of(new NoopSpec("noop")), horizon, 1, 1,
        Study.evenCheckpoints(horizon, 1), 0);
    List<Long> reports = new CopyOnWriteArrayList<>();
    ReplicationTask.run(study, 0, 0, Kernels.get(), reports::add);
    assertEquals(horizon, reports.stream().mapToLong(Long::longValue).sum(), reports::toString);
    assertTrue(reports.size() >= 5, "one checkpoint, but reports " + reports);
    for (long r : reports.subList(0, 4)) {
      assertEquals(ReplicationTask.PROGRESS_EVERY_ROUNDS, r, reports::toString);
    }
  }
}
