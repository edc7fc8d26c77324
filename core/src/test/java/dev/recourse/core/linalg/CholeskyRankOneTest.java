package dev.recourse.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link CholeskyOps#rankOneUpdate} and {@link CholeskyOps#solveLowerTransposed} against refactoring. */
class CholeskyRankOneTest {

  @Test
  void rankOneUpdatesMatchAFreshFactorisation() {
    SplittableRandom r = new SplittableRandom(7);
    for (int n : new int[] {1, 2, 4, 11}) {
      double[] a = new double[n * n];
      for (int i = 0; i < n; i++) {
        a[i * n + i] = 0.5 + i;
      }
      double[] l = a.clone();
      assertTrue(CholeskyOps.factor(l, 0, n));
      double[] x = new double[n + 3];
      for (int t = 0; t < 50; t++) {
        for (int i = 0; i < n; i++) {
          x[3 + i] = 10 * r.nextDouble() - 5;
          for (int j = 0; j < i; j++) {
            a[i * n + j] += x[3 + i] * x[3 + j];
            a[j * n + i] = a[i * n + j];
          }
        }
        for (int i = 0; i < n; i++) {
          a[i * n + i] += x[3 + i] * x[3 + i];
        }
        CholeskyOps.rankOneUpdate(l, 0, n, x, 3);
      }
      double[] fresh = a.clone();
      assertTrue(CholeskyOps.factor(fresh, 0, n));
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          assertEquals(fresh[i * n + j], l[i * n + j], 1e-10 * (1 + Math.abs(fresh[i * n + i])), "n=" + n + " L[" + i + "][" + j + "]");
        }
      }
      // Lᵀy = b, checked by multiplying back.
      double[] b = new double[n];
      for (int i = 0; i < n; i++) {
        b[i] = r.nextDouble() - 0.5;
      }
      double[] y = b.clone();
      CholeskyOps.solveLowerTransposed(l, 0, n, y, 0);
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = i; k < n; k++) {
          s += l[k * n + i] * y[k];
        }
        assertEquals(b[i], s, 1e-12, "n=" + n + " (Lᵀy)[" + i + "]");
      }
    }
  }
}
