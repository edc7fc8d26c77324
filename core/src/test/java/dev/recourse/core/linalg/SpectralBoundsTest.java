package dev.recourse.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.reference.NaiveLinalg;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpectralBoundsTest {

  @Test
  void jacobiReferenceOnAHandCase() {
    // [[2, 1], [1, 2]] has eigenvalues 1 and 3.
    double[] ev = NaiveLinalg.symmetricEigenvalues(new double[] {2, 1, 1, 2}, 2);
    assertEquals(1.0, ev[0], 1e-14);
    assertEquals(3.0, ev[1], 1e-14);
  }

  @Test
  void gershgorinBoundsTheLargestEigenvalueAndIsExactOnDiagonals() {
    SplittableRandom rng = new SplittableRandom(31);
    for (int trial = 0; trial < 200; trial++) {
      int n = rng.nextInt(1, 25);
      double[] a = new double[n * n];
      for (int k = 0; k < n + 2; k++) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
          z[i] = rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            a[i * n + j] += z[i] * z[j];
          }
        }
      }
      double[] padded = new double[n * n + 3];
      System.arraycopy(a, 0, padded, 3, n * n);
      double bound = SpectralBounds.gershgorinMax(padded, 3, n, new double[n]);
      double[] ev = NaiveLinalg.symmetricEigenvalues(a, n);
      assertTrue(bound >= ev[n - 1] * (1 - 1e-12), "n=" + n + ": bound " + bound + " < λmax " + ev[n - 1]);
    }
    assertEquals(4.0, SpectralBounds.gershgorinMax(new double[] {4, 0, 0, 0, 2, 0, 0, 0, 1}, 0, 3, new double[3]), 0.0);
  }

  /**
   * The model's bound is never below λ_max of the current V⁻¹, and it is Gershgorin's bound of the
   * current V⁻¹ right after a reset, a refresh (every 7 updates here) or 8 updates since the last
   * recomputation; in between it may be an earlier state's (updates only shrink V⁻¹).
   */
  @Test
  void ridgeArmsBoundFollowsUpdatesAndRefreshes() {
    SplittableRandom rng = new SplittableRandom(5);
    int dim = 6;
    RidgeArms arms = new RidgeArms(2, dim, 0.5, 7, RidgeArms.RefreshMethod.CHOLESKY, dev.recourse.core.simd.Kernels.get());
    assertEquals(2.0, arms.vInvSpectralBound(1), 0.0, "prior V⁻¹ = I/λ");
    double[] x = new double[dim];
    double[] block = new double[dim * dim];
    int since = Integer.MAX_VALUE; // arm 0 not queried yet: stale
    int recomputed = 0;
    for (int t = 0; t < 60; t++) {
      for (int i = 0; i < dim; i++) {
        x[i] = rng.nextGaussian();
      }
      arms.update(0, x, 0, rng.nextGaussian());
      since = since == Integer.MAX_VALUE ? since : since + 1;
      boolean refreshed = (t + 1) % 7 == 0;
      System.arraycopy(arms.vInv(), 0, block, 0, dim * dim);
      double bound = arms.vInvSpectralBound(0);
      double[] ev = NaiveLinalg.symmetricEigenvalues(block, dim);
      assertTrue(bound >= ev[dim - 1] * (1 - 1e-12), "update " + t + ": bound " + bound + " < λmax " + ev[dim - 1]);
      if (since >= 8 || refreshed) {
        assertEquals(SpectralBounds.gershgorinMax(block, 0, dim, new double[dim]), bound, 0.0,
            "bound not recomputed at update " + t);
        since = 0;
        recomputed++;
      }
    }
    assertTrue(recomputed >= 60 / 7, "recomputed only " + recomputed + " times");
    assertEquals(2.0, arms.vInvSpectralBound(1), 0.0, "an arm without data keeps the prior bound");
    arms.reset();
    assertEquals(2.0, arms.vInvSpectralBound(0), 0.0, "reset restores the prior bound");
  }
}
