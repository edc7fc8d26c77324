package dev.recourse.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.reference.NaiveLinalg;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

  /** [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2. */
  @Test
  void handComputedTwoByTwo() {
    double[] values = new double[2];
    double[] vectors = new double[4];
    SymmetricEigen.decompose(new double[] {2, 1, 1, 2}, 0, 2, values, vectors, new double[SymmetricEigen.workLength(2)]);
    assertEquals(1.0, values[0], 1e-15);
    assertEquals(3.0, values[1], 1e-15);
    double s = Math.sqrt(0.5);
    assertEquals(s, Math.abs(vectors[0]), 1e-15);
    assertEquals(-vectors[0], vectors[2], 1e-15);
    assertEquals(vectors[1], vectors[3], 1e-15);
  }

  /**
   * Random symmetric blocks (indefinite, rank-one-downdated like G = ρ²B − ttᵀ, all eigenvalues equal,
   * already tridiagonal with split points), by both methods: ascending values equal to the naive reference's, U orthogonal, and A = UΛUᵀ, to a
   * few units of roundoff of ‖A‖_F scaled by n.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void reconstructsRandomSymmetricBlocks(boolean jacobi) {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 800; trial++) {
      int n = 1 + trial % 24 + (trial % 97 == 0 ? 40 : 0);
      double[] a = new double[n * n];
      int kind = trial % 5;
      for (int i = 0; i < n; i++) {
        for (int j = i; j < n; j++) {
          // kind 3: a multiple of I (all eigenvalues equal); kind 4: already tridiagonal, with zeros
          double v = kind == 3 ? (i == j ? 2.0 : 0.0)
              : kind == 4 ? (j - i > 1 ? 0.0 : j == i + 1 && i % 3 == 0 ? 0.0 : rng.nextGaussian())
              : rng.nextGaussian();
          a[i * n + j] = v;
          a[j * n + i] = v;
        }
      }
      if (kind == 2) { // a huge rank-one downdate: eigenvalues spread over 12 orders of magnitude
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
          t[i] = 1e6 * rng.nextGaussian();
        }
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            a[i * n + j] = 1e-6 * a[i * n + j] - t[i] * t[j];
          }
        }
      }
      double[] values = new double[n];
      double[] u = new double[n * n];
      double[] work = new double[SymmetricEigen.workLength(n)];
      int sweeps = jacobi ? SymmetricEigen.decomposeJacobi(a, 0, n, values, u, work)
          : SymmetricEigen.decompose(a, 0, n, values, u, work);
      assertTrue(sweeps >= 0, "converged, n = " + n);
      double frob = 0;
      for (double v : a) {
        frob += v * v;
      }
      frob = Math.sqrt(frob);
      double tol = 8 * n * 0x1p-52 * Math.max(frob, Double.MIN_NORMAL);
      double[] reference = NaiveLinalg.symmetricEigenvalues(a, n);
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          assertTrue(values[i - 1] <= values[i], "ascending");
        }
        assertEquals(reference[i], values[i], tol + 1e-12 * Math.abs(reference[i]), "eigenvalue " + i + ", n " + n);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          double rec = 0;
          double dot = 0;
          for (int k = 0; k < n; k++) {
            rec += u[i * n + k] * values[k] * u[j * n + k];
            dot += u[k * n + i] * u[k * n + j];
          }
          assertEquals(a[i * n + j], rec, tol, "A = UΛUᵀ at (" + i + ", " + j + "), n " + n);
          assertEquals(i == j ? 1.0 : 0.0, dot, 8 * n * 0x1p-52, "UᵀU = I, n " + n);
        }
      }
    }
  }

  @Test
  void rejectsShortArrays() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SymmetricEigen.decompose(new double[4], 0, 2, new double[1], new double[4], new double[4]));
    assertTrue(e.getMessage().contains("n = 2"), e.getMessage());
  }
}
