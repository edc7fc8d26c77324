package dev.recourse.sim.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.simd.Kernels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The round loop allocates nothing: a unit run for 10,000 more rounds allocates no more than the same
 * unit for 1,000 rounds (setup, checkpoint arrays and the result are the same size in both), for every
 * policy kind, measured with the thread's allocation counter.
 */
class RoundLoopAllocationTest {

  private static long allocated(Study study, int policy) {
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long before = bean.getThreadAllocatedBytes(id);
    ReplicationTask.run(study, 0, policy, Kernels.get(), ProgressListener.none());
    return bean.getThreadAllocatedBytes(id) - before;
  }

  @Test
  void allocationDoesNotGrowWithTheHorizon() {
    Study base = LocalStudyRunnerTest.smallStudy(1);
    Study shortRun = new Study("short", base.scenario(), base.policies(), 1_000, 1, 3, Study.evenCheckpoints(1_000, 20), 0);
    Study longRun = new Study("long", base.scenario(), base.policies(), 11_000, 1, 3, Study.evenCheckpoints(11_000, 20), 0);
    for (int p = 0; p < base.policies().size(); p++) {
      for (int warm = 0; warm < 3; warm++) {
        allocated(longRun, p);
      }
      long small = allocated(shortRun, p);
      long large = allocated(longRun, p);
      String label = base.policies().get(p).label();
      // 10,000 extra rounds: even 8 bytes per round would be 80 kB.
      assertTrue(large - small < 4_096, label + ": " + small + " bytes for 1,000 rounds, " + large + " for 11,000");
    }
  }
}
