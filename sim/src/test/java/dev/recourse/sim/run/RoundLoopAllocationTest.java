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

  /** How long the warm-up may last before an allocating loop fails the test. */
  private static final long WARM_UP_LIMIT_NANOS = 60_000_000_000L;

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
      String label = base.policies().get(p).label();
      // Until C2 has compiled the vector kernels they run boxed and allocate per round; in a fresh JVM
      // on two busy cores that can take longer than a fixed warm-up. So warm up until the extra rounds
      // allocate nothing, for at most WARM_UP_LIMIT_NANOS: a loop that allocates per round never does.
      long deadline = System.nanoTime() + WARM_UP_LIMIT_NANOS;
      long small;
      long large;
      int attempts = 0;
      do {
        allocated(longRun, p);
        small = allocated(shortRun, p);
        large = allocated(longRun, p);
        attempts++;
      } while (large - small >= 4_096 && (attempts < 3 || System.nanoTime() < deadline));
      // 10,000 extra rounds: even 8 bytes per round would be 80 kB.
      assertTrue(large - small < 4_096, label + ": " + small + " bytes for 1,000 rounds, " + large + " for 11,000"
          + " after " + attempts + " warm-up passes");
    }
  }
}
