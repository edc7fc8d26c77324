package dev.recourse.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.simd.Kernels;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LinUCB's decide and update allocate nothing once compiled, at the sizes of the packed scoring path
 * (d ≥ 12) and below it. Steady state is what is asserted: C2 compiles the vector kernels in the
 * background, and in a JVM running the whole suite that can outlast a fixed warm-up while C1 code
 * boxes vectors; windows of rounds until three in a row allocate nothing, for at most 60 s.
 */
class LinUcbAllocationTest {

  @ParameterizedTest
  @CsvSource({"8, 2", "20, 10", "100, 50"})
  void decideAndUpdateAllocateNothingOnceCompiled(int dim, int arms) {
    var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    LinUcb p = new LinUcb(new RidgeArms(arms, dim, 1.0, 64, RidgeArms.RefreshMethod.CHOLESKY, Kernels.get()), 1.0);
    SplittableRandom rng = new SplittableRandom(dim * 31L + arms);
    double[][] xs = new double[256][dim];
    for (double[] x : xs) {
      for (int i = 0; i < dim; i++) {
        x[i] = rng.nextGaussian();
      }
    }
    Decision d = new Decision(dim, arms);
    boolean[] all = new boolean[arms];
    java.util.Arrays.fill(all, true);
    int rounds = Math.max(200, 200_000 / (dim * dim * arms / 10 + 1));
    List<Long> windows = new ArrayList<>();
    long deadline = System.nanoTime() + 60_000_000_000L;
    int clean = 0;
    int t = 0;
    while (clean < 3 && System.nanoTime() < deadline) {
      long before = bean.getThreadAllocatedBytes(id);
      for (int r = 0; r < rounds; r++, t++) {
        double[] x = xs[t & 255];
        int a = p.decide(x);
        p.decide(x, all, d);
        p.update(a, x, x[0] + rng.nextGaussian());
      }
      long bytes = bean.getThreadAllocatedBytes(id) - before;
      windows.add(bytes);
      clean = bytes == 0 ? clean + 1 : 0;
    }
    assertEquals(3, clean, "d=" + dim + ", K=" + arms + ", " + Kernels.get().name() + ": bytes per window of "
        + rounds + " rounds " + windows);
  }
}
