package dev.recourse.core.reference;

/** Slow, obvious reference implementations for tests: no FMA, no blocking, fresh arrays. */
public final class NaiveLinalg {

  private NaiveLinalg() {}

  public static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += a[aOff + i] * b[bOff + i];
    }
    return s;
  }

  /** Inverse of an n×n row-major matrix by Gauss–Jordan elimination with partial pivoting. */
  public static double[] inverse(double[] a, int n) {
    double[] m = a.clone();
    double[] inv = new double[n * n];
    for (int i = 0; i < n; i++) {
      inv[i * n + i] = 1.0;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r * n + col]) > Math.abs(m[pivot * n + col])) {
          pivot = r;
        }
      }
      if (m[pivot * n + col] == 0.0) {
        throw new ArithmeticException("singular matrix");
      }
      swapRows(m, n, col, pivot);
      swapRows(inv, n, col, pivot);
      double p = m[col * n + col];
      for (int c = 0; c < n; c++) {
        m[col * n + c] /= p;
        inv[col * n + c] /= p;
      }
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = m[r * n + col];
          for (int c = 0; c < n; c++) {
            m[r * n + c] -= f * m[col * n + c];
            inv[r * n + c] -= f * inv[col * n + c];
          }
        }
      }
    }
    return inv;
  }

  private static void swapRows(double[] m, int n, int r1, int r2) {
    if (r1 == r2) {
      return;
    }
    for (int c = 0; c < n; c++) {
      double t = m[r1 * n + c];
      m[r1 * n + c] = m[r2 * n + c];
      m[r2 * n + c] = t;
    }
  }

  /** y = A x for an n×n row-major A. */
  public static double[] multiply(double[] a, int n, double[] x) {
    double[] y = new double[n];
    for (int r = 0; r < n; r++) {
      y[r] = dot(a, r * n, x, 0, n);
    }
    return y;
  }

  /** Largest |a_i − b_i| divided by the largest |b_i| (relative error of a matrix or vector). */
  public static double maxRelativeError(double[] a, double[] b) {
    double maxDiff = 0;
    double maxRef = 0;
    for (int i = 0; i < b.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
      maxRef = Math.max(maxRef, Math.abs(b[i]));
    }
    return maxDiff / maxRef;
  }

  /** Eigenvalues of a symmetric n×n row-major matrix by cyclic Jacobi rotations (slow, accurate). */
  public static double[] symmetricEigenvalues(double[] a, int n) {
    double[] m = a.clone();
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += m[p * n + q] * m[p * n + q];
        }
      }
      if (off < 1e-30) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double apq = m[p * n + q];
          if (apq == 0) {
            continue;
          }
          double tau = (m[q * n + q] - m[p * n + p]) / (2 * apq);
          double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
          if (tau == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double s = t * c;
          for (int k = 0; k < n; k++) { // columns p, q
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < n; k++) { // rows p, q
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
          }
        }
      }
    }
    double[] ev = new double[n];
    for (int i = 0; i < n; i++) {
      ev[i] = m[i * n + i];
    }
    java.util.Arrays.sort(ev);
    return ev;
  }
}
