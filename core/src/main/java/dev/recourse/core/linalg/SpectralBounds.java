package dev.recourse.core.linalg;

/**
 * Cheap guaranteed bounds on the spectrum of a symmetric matrix, for pruning (GLRB skips an arm whose
 * optimistic value cannot win, and needs {@code λ_max(V⁻¹)} from above without an eigensolver).
 */
public final class SpectralBounds {

  private SpectralBounds() {}

  /**
   * Gershgorin's bound {@code λ_max(A) ≤ max_i Σ_j |A_ij|} for the symmetric {@code n×n} row-major
   * block at {@code off}. By symmetry the row sums are the column sums, which are accumulated row by
   * row into {@code work} (length ≥ n) as an element-wise loop the JIT vectorises. O(n²).
   */
  public static double gershgorinMax(double[] a, int off, int n, double[] work) {
    java.util.Arrays.fill(work, 0, n, 0.0);
    for (int r = 0; r < n; r++) {
      int row = off + r * n;
      for (int c = 0; c < n; c++) {
        work[c] += Math.abs(a[row + c]);
      }
    }
    double max = 0;
    for (int c = 0; c < n; c++) {
      max = Math.max(max, work[c]);
    }
    return max;
  }

  /**
   * {@link #gershgorinMax} of the symmetric {@code n×n} matrix held as its chunk-aligned upper triangle at
   * {@code off} ({@link dev.recourse.core.simd.DoubleKernels#upperRowOffset}): an entry right of the
   * diagonal counts in its row's and its column's sum. O(n²/2).
   */
  public static double gershgorinMaxPacked(double[] p, int off, int n, double[] work) {
    java.util.Arrays.fill(work, 0, n, 0.0);
    for (int r = 0; r < n; r++) {
      int row = off + dev.recourse.core.simd.DoubleKernels.upperRowOffset(n, r)
          - (r & -dev.recourse.core.simd.DoubleKernels.UPPER_CHUNK);
      double rowSum = Math.abs(p[row + r]);
      for (int c = r + 1; c < n; c++) {
        double a = Math.abs(p[row + c]);
        rowSum += a;
        work[c] += a;
      }
      work[r] += rowSum;
    }
    double max = 0;
    for (int c = 0; c < n; c++) {
      max = Math.max(max, work[c]);
    }
    return max;
  }
}
