package dev.recourse.core.policy;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.reference.SteadyState;
import dev.recourse.core.simd.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * LinUCB's decide and update allocate nothing once compiled, at the sizes of the packed scoring path
 * (d ≥ 12) and below it, in the steady state ({@link SteadyState}).
 */
class LinUcbAllocationTest {

  @ParameterizedTest
  @CsvSource({"8, 2", "20, 10", "100, 50"})
  void decideAndUpdateAllocateNothingOnceCompiled(int dim, int arms) {
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
    int[] t = {0};
    SteadyState.assertAllocatesNothing("d=" + dim + ", K=" + arms + ", " + Kernels.get().name()
        + ", windows of " + rounds + " rounds", () -> {
          for (int r = 0; r < rounds; r++, t[0]++) {
            double[] x = xs[t[0] & 255];
            int a = p.decide(x);
            p.decide(x, all, d);
            p.update(a, x, x[0] + rng.nextGaussian());
          }
        });
  }
}
