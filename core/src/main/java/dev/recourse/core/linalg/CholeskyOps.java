package dev.recourse.core.linalg;

/**
 * Cholesky factorisation of symmetric positive-definite {@code n×n} blocks stored row-major inside a
 * {@code double[]} at an offset, and what follows from it: solves and the inverse. Used to refresh the
 * Sherman–Morrison inverse from the accumulated {@code V} (bounding drift), and as a test reference.
 * Stateless; outputs and workspaces are passed in by the caller; nothing allocates.
 */
public final class CholeskyOps {

  private CholeskyOps() {}

  /**
   * Overwrites the lower triangle of {@code a} with {@code L}, {@code A = L·Lᵀ}; the strict upper
   * triangle is set to zero. Returns {@code false} (and leaves {@code a} partly overwritten) if a
   * pivot is not positive, i.e. {@code A} is not numerically positive definite.
   */
  public static boolean factor(double[] a, int off, int n) {
    for (int j = 0; j < n; j++) {
      int rowJ = off + j * n;
      double d = a[rowJ + j];
      for (int k = 0; k < j; k++) {
        double l = a[rowJ + k];
        d -= l * l;
      }
      if (!(d > 0)) {
        return false;
      }
      double ljj = Math.sqrt(d);
      a[rowJ + j] = ljj;
      double inv = 1.0 / ljj;
      // Four rows at once: each entry's sum is one dependent chain in ascending k (the textbook order,
      // the same bits), four chains in flight instead of one.
      int i = j + 1;
      for (; i + 3 < n; i += 4) {
        int row0 = off + i * n;
        int row1 = row0 + n;
        int row2 = row1 + n;
        int row3 = row2 + n;
        double s0 = a[row0 + j];
        double s1 = a[row1 + j];
        double s2 = a[row2 + j];
        double s3 = a[row3 + j];
        for (int k = 0; k < j; k++) {
          double ljk = a[rowJ + k];
          s0 -= a[row0 + k] * ljk;
          s1 -= a[row1 + k] * ljk;
          s2 -= a[row2 + k] * ljk;
          s3 -= a[row3 + k] * ljk;
        }
        a[row0 + j] = s0 * inv;
        a[row1 + j] = s1 * inv;
        a[row2 + j] = s2 * inv;
        a[row3 + j] = s3 * inv;
      }
      for (; i < n; i++) {
        int rowI = off + i * n;
        double s = a[rowI + j];
        for (int k = 0; k < j; k++) {
          s -= a[rowI + k] * a[rowJ + k];
        }
        a[rowI + j] = s * inv;
      }
      for (int k = j + 1; k < n; k++) {
        a[rowJ + k] = 0.0;
      }
    }
    return true;
  }

  /**
   * Solves {@code L·Lᵀ·x = b} in place in {@code b[bOff..bOff+n)}, with {@code L} the lower factor
   * written by {@link #factor}.
   */
  public static void solve(double[] l, int off, int n, double[] b, int bOff) {
    for (int i = 0; i < n; i++) {
      int row = off + i * n;
      double s = b[bOff + i];
      for (int k = 0; k < i; k++) {
        s -= l[row + k] * b[bOff + k];
      }
      b[bOff + i] = s / l[row + i];
    }
    for (int i = n - 1; i >= 0; i--) {
      double s = b[bOff + i];
      for (int k = i + 1; k < n; k++) {
        s -= l[off + k * n + i] * b[bOff + k];
      }
      b[bOff + i] = s / l[off + i * n + i];
    }
  }

  /**
   * Writes {@code A⁻¹ = L⁻ᵀ·L⁻¹} (full, symmetric) into {@code out} at {@code outOff}, from the lower
   * factor {@code L} of {@link #factor}. {@code work} needs {@code n·n} doubles from {@code workOff}
   * and receives {@code L⁻¹}; {@code out}, {@code work} and {@code l} must not overlap.
   */
  public static void inverseFromFactor(double[] l, int off, int n, double[] out, int outOff,
                                       double[] work, int workOff) {
    // work = L⁻¹ (lower triangular), row by row: W[i][j] = −(Σ_{k=j}^{i−1} L[i][k]·W[k][j]) / L[i][i].
    // The sum runs over k outside and j inside, so that rows of W are read contiguously (a column walk
    // strides n doubles); every W[i][j] still takes its terms in ascending k: the bits of the textbook
    // order (CholeskyOpsTest).
    for (int i = 0; i < n; i++) {
      int wRow = workOff + i * n;
      int lRow = off + i * n;
      double invDiag = 1.0 / l[lRow + i];
      java.util.Arrays.fill(work, wRow, wRow + n, 0.0);
      for (int k = 0; k < i; k++) {
        double lik = l[lRow + k];
        int kRow = workOff + k * n;
        for (int j = 0; j <= k; j++) {
          work[wRow + j] -= lik * work[kRow + j];
        }
      }
      for (int j = 0; j < i; j++) {
        work[wRow + j] *= invDiag;
      }
      work[wRow + i] = invDiag;
    }
    // out = (L⁻¹)ᵀ·L⁻¹: out[i][j] = Σ_{k ≥ i} W[k][i]·W[k][j] for j ≤ i, again k outside (ascending)
    // and j inside, then mirrored.
    for (int i = 0; i < n; i++) {
      int oRow = outOff + i * n;
      java.util.Arrays.fill(out, oRow, oRow + i + 1, 0.0);
      for (int k = i; k < n; k++) {
        int kRow = workOff + k * n;
        double wki = work[kRow + i];
        for (int j = 0; j <= i; j++) {
          out[oRow + j] += wki * work[kRow + j];
        }
      }
      for (int j = 0; j < i; j++) {
        out[outOff + j * n + i] = out[oRow + j];
      }
    }
  }

  /**
   * Rank-one update of a lower Cholesky factor in place: given {@code L} with {@code A = L·Lᵀ}, writes
   * the factor of {@code A + x·xᵀ} into {@code L} in O(n²), by a sweep of Givens-like rotations (stable:
   * an update, unlike a downdate, never cancels). {@code x[xOff..xOff+n)} is used as workspace and
   * overwritten. Only the lower triangle of {@code L} is read and written.
   */
  public static void rankOneUpdate(double[] l, int off, int n, double[] x, int xOff) {
    for (int k = 0; k < n; k++) {
      int kk = off + k * n + k;
      double lkk = l[kk];
      double xk = x[xOff + k];
      double r = Math.sqrt(lkk * lkk + xk * xk);
      // c = r/l_kk and s = x_k/l_kk with two divisions per step rather than three.
      double invL = 1.0 / lkk;
      double c = r * invL;
      double s = xk * invL;
      l[kk] = r;
      double invC = lkk / r;
      for (int i = k + 1; i < n; i++) {
        int ik = off + i * n + k;
        double lik = (l[ik] + s * x[xOff + i]) * invC;
        l[ik] = lik;
        x[xOff + i] = c * x[xOff + i] - s * lik;
      }
    }
  }

  /**
   * Solves {@code Lᵀ·x = b} in place in {@code b[bOff..bOff+n)} (back substitution on the transpose),
   * with {@code L} lower triangular. With {@code b} standard normal, {@code x} is a draw of
   * {@code N(0, (L·Lᵀ)⁻¹)}: the Gaussian draw from a precision factor.
   */
  public static void solveLowerTransposed(double[] l, int off, int n, double[] b, int bOff) {
    for (int i = n - 1; i >= 0; i--) {
      double s = b[bOff + i];
      for (int k = i + 1; k < n; k++) {
        s -= l[off + k * n + i] * b[bOff + k];
      }
      b[bOff + i] = s / l[off + i * n + i];
    }
  }
}
