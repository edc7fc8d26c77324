package dev.recourse.core.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.reference.NaiveLinalg;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CholeskyOpsTest {

  /** A random SPD matrix λI + Σ x xᵀ with n + 5 random x. */
  static double[] randomSpd(SplittableRandom rng, int n) {
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      a[i * n + i] = 1.0;
    }
    for (int s = 0; s < n + 5; s++) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = rng.nextDouble(-2, 2);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i * n + j] += x[i] * x[j];
        }
      }
    }
    return a;
  }

  @Test
  void handComputedFactor() {
    // [[4, 2], [2, 5]] = L Lᵀ with L = [[2, 0], [1, 2]].
    double[] a = {4, 2, 2, 5};
    assertTrue(CholeskyOps.factor(a, 0, 2));
    assertEquals(2.0, a[0], 0.0);
    assertEquals(0.0, a[1], 0.0);
    assertEquals(1.0, a[2], 0.0);
    assertEquals(2.0, a[3], 0.0);
    double[] b = {2, 7}; // A⁻¹ b = [−0.1875·... ] checked by multiplying back
    CholeskyOps.solve(a, 0, 2, b, 0);
    assertEquals(2.0, 4 * b[0] + 2 * b[1], 1e-15);
    assertEquals(7.0, 2 * b[0] + 5 * b[1], 1e-15);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 8, 20, 33, 100})
  void inverseMatchesGaussJordanAndLapack(int n) {
    SplittableRandom rng = new SplittableRandom(n);
    double[] a = randomSpd(rng, n);
    double[] ref = NaiveLinalg.inverse(a, n);

    double[] padded = new double[n * n + 3];
    System.arraycopy(a, 0, padded, 3, n * n);
    assertTrue(CholeskyOps.factor(padded, 3, n));
    double[] inv = new double[n * n + 2];
    CholeskyOps.inverseFromFactor(padded, 3, n, inv, 2, new double[n * n], 0);
    double[] ours = java.util.Arrays.copyOfRange(inv, 2, 2 + n * n);
    assertTrue(NaiveLinalg.maxRelativeError(ours, ref) < 1e-10, "cholesky inverse n=" + n);

    double[] lapack = new double[n * n];
    assertTrue(LapackSpd.invert(a, 0, n, lapack, 0));
    assertTrue(NaiveLinalg.maxRelativeError(lapack, ref) < 1e-10, "lapack inverse n=" + n);

    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = rng.nextDouble(-1, 1);
    }
    double[] x = b.clone();
    CholeskyOps.solve(padded, 3, n, x, 0);
    double[] back = NaiveLinalg.multiply(a, n, x);
    for (int i = 0; i < n; i++) {
      assertEquals(b[i], back[i], 1e-10, "solve n=" + n);
    }
  }

  /**
   * The factor and the inverse take every sum's terms in the textbook order (k ascending; a column walk of L⁻¹ in the
   * product), so its bits equal that order's whatever the loop nesting: refreshes, and hence studies,
   * are unchanged by the row-wise loops.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5, 20, 37, 100})
  void factorAndInverseHaveTheTextbookOrdersBits(int n) {
    SplittableRandom rng = new SplittableRandom(77 + n);
    double[] a = randomSpd(rng, n);
    // The factor in the textbook order: column j, rows below it, k ascending.
    double[] l = a.clone();
    for (int j = 0; j < n; j++) {
      double d = l[j * n + j];
      for (int k = 0; k < j; k++) {
        d -= l[j * n + k] * l[j * n + k];
      }
      double ljj = Math.sqrt(d);
      l[j * n + j] = ljj;
      double inv = 1.0 / ljj;
      for (int i = j + 1; i < n; i++) {
        double s = l[i * n + j];
        for (int k = 0; k < j; k++) {
          s -= l[i * n + k] * l[j * n + k];
        }
        l[i * n + j] = s * inv;
      }
      for (int k = j + 1; k < n; k++) {
        l[j * n + k] = 0.0;
      }
    }
    double[] factored = a.clone();
    assertTrue(CholeskyOps.factor(factored, 0, n));
    for (int i = 0; i < n * n; i++) {
      assertEquals(Double.doubleToLongBits(l[i]), Double.doubleToLongBits(factored[i]), "factor n=" + n + " at " + i);
    }
    double[] w = new double[n * n];
    double[] expected = new double[n * n];
    for (int i = 0; i < n; i++) {
      double invDiag = 1.0 / l[i * n + i];
      for (int j = 0; j < i; j++) {
        double s = 0;
        for (int k = j; k < i; k++) {
          s -= l[i * n + k] * w[k * n + j];
        }
        w[i * n + j] = s * invDiag;
      }
      w[i * n + i] = invDiag;
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0;
        for (int k = i; k < n; k++) {
          s += w[k * n + i] * w[k * n + j];
        }
        expected[i * n + j] = s;
        expected[j * n + i] = s;
      }
    }
    double[] out = new double[n * n];
    CholeskyOps.inverseFromFactor(l, 0, n, out, 0, new double[n * n], 0);
    for (int i = 0; i < n * n; i++) {
      assertEquals(Double.doubleToLongBits(expected[i]), Double.doubleToLongBits(out[i]), "n=" + n + " at " + i);
    }
  }

  @Test
  void rejectsIndefinite() {
    double[] a = {1, 2, 2, 1}; // eigenvalues 3 and −1
    assertFalse(CholeskyOps.factor(a.clone(), 0, 2));
    assertFalse(LapackSpd.invert(a, 0, 2, new double[4], 0));
  }
}
