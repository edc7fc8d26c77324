package dev.recourse.core.simd;

/**
 * Scalar code with the 256-bit Panama kernels' bits on LinUCB's path (d ≥ 12: the θ̂ gemv, the dots, the
 * packed forms and, unchanged from {@link ScalarKernels} because they already agree bit for bit, the
 * packed gemv, downdate, Gram update and outer product): each of the vector kernels' four lanes is a
 * variable here, summed in the vector code's order and folded as it folds. It exists for a short
 * one-shot run: until C2 has compiled the vector kernels they run boxed, hundreds of times slower, while
 * these loops are compiled at once by C1; a run on them gives the Panama run's numbers. Built by
 * {@link PanamaKernels#laneOrderTwin} with its cut-over length; {@code PanamaOrderKernelsTest} checks the
 * bits. Not a general replacement: the kernels LinUCB does not call at d ≥ 12 (the full-matrix forms
 * and downdates) are the scalar twin's, whose order differs from Panama's.
 */
final class PanamaOrderKernels implements DoubleKernels {

  private static final ScalarKernels SCALAR = ScalarKernels.INSTANCE;
  /** Below this length the Panama kernels take the scalar path; so does this class. */
  private final int minVectorLength;

  PanamaOrderKernels(int minVectorLength) {
    this.minVectorLength = Math.max(1, minVectorLength);
  }

  @Override
  public String name() {
    return "scalar-panama-256-order";
  }

  /** Panama's dot: two 4-lane accumulators over pairs of chunks, a last chunk into the first, then the fold. */
  @Override
  public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
    if (n < minVectorLength) {
      return ScalarKernels.dotScalar(a, aOff, b, bOff, n);
    }
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    int i = 0;
    for (int bound = n - 8; i <= bound; i += 8) {
      int p = aOff + i;
      int q = bOff + i;
      a0 = Math.fma(a[p], b[q], a0);
      a1 = Math.fma(a[p + 1], b[q + 1], a1);
      a2 = Math.fma(a[p + 2], b[q + 2], a2);
      a3 = Math.fma(a[p + 3], b[q + 3], a3);
      c0 = Math.fma(a[p + 4], b[q + 4], c0);
      c1 = Math.fma(a[p + 5], b[q + 5], c1);
      c2 = Math.fma(a[p + 6], b[q + 6], c2);
      c3 = Math.fma(a[p + 7], b[q + 7], c3);
    }
    for (int bound = n - 4; i <= bound; i += 4) {
      int p = aOff + i;
      int q = bOff + i;
      a0 = Math.fma(a[p], b[q], a0);
      a1 = Math.fma(a[p + 1], b[q + 1], a1);
      a2 = Math.fma(a[p + 2], b[q + 2], a2);
      a3 = Math.fma(a[p + 3], b[q + 3], a3);
    }
    double s = fold(a0 + c0, a1 + c1, a2 + c2, a3 + c3);
    for (; i < n; i++) {
      s = Math.fma(a[aOff + i], b[bOff + i], s);
    }
    return s;
  }

  /** The vector fold: lanes {@code l} and {@code l^2} first, then {@code l^1}; lane 0. */
  private static double fold(double f0, double f1, double f2, double f3) {
    return (f0 + f2) + (f1 + f3);
  }

  /**
   * Panama's gemv: rows four at a time, each row one 4-lane accumulator over whole chunks, folded
   * pairwise ({@code (l0+l1) + (l2+l3)}, the add-and-blend steps), the columns past the last chunk added
   * one by one; the rows left over one at a time with the plain fold.
   */
  @Override
  public void gemv(double[] a, int aOff, int rows, int cols, double[] x, int xOff, double[] y, int yOff) {
    if (cols < minVectorLength) {
      SCALAR.gemv(a, aOff, rows, cols, x, xOff, y, yOff);
      return;
    }
    int bound = cols & -4;
    int r = 0;
    for (; r + 3 < rows; r += 4) {
      int row = aOff + r * cols;
      for (int k = 0; k < 4; k++, row += cols) {
        double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
        for (int c = 0; c < bound; c += 4) {
          l0 = Math.fma(a[row + c], x[xOff + c], l0);
          l1 = Math.fma(a[row + c + 1], x[xOff + c + 1], l1);
          l2 = Math.fma(a[row + c + 2], x[xOff + c + 2], l2);
          l3 = Math.fma(a[row + c + 3], x[xOff + c + 3], l3);
        }
        double s = (l0 + l1) + (l2 + l3);
        for (int c = bound; c < cols; c++) {
          s = Math.fma(a[row + c], x[xOff + c], s);
        }
        y[yOff + r + k] = s;
      }
    }
    for (; r < rows; r++) {
      int row = aOff + r * cols;
      double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
      int c = 0;
      for (; c < bound; c += 4) {
        l0 = Math.fma(a[row + c], x[xOff + c], l0);
        l1 = Math.fma(a[row + c + 1], x[xOff + c + 1], l1);
        l2 = Math.fma(a[row + c + 2], x[xOff + c + 2], l2);
        l3 = Math.fma(a[row + c + 3], x[xOff + c + 3], l3);
      }
      double s = fold(l0, l1, l2, l3);
      for (; c < cols; c++) {
        s = Math.fma(a[row + c], x[xOff + c], s);
      }
      y[yOff + r] = s;
    }
  }

  @Override
  public void symQuadFormsPacked(double[] p, int pOff, int stride, int n, int count, double[] x, int xOff,
                                 double[] work, double[] out, int outOff) {
    if (n < minVectorLength) {
      SCALAR.symQuadFormsPacked(p, pOff, stride, n, count, x, xOff, work, out, outOff);
      return;
    }
    ScalarKernels.formUpperOuter(x, xOff, n, work);
    int m = DoubleKernels.upperSize(n);
    int bound = formsBound(m, stride);
    for (int k = 0; k < count; k++) {
      out[outOff + k] = packedForm(p, pOff + k * stride, bound, m, work);
    }
  }

  @Override
  public void symQuadFormsPackedAt(double[] p, int pOff, int stride, int n, int[] which, int count, double[] work,
                                   double[] out) {
    if (n < minVectorLength) {
      SCALAR.symQuadFormsPackedAt(p, pOff, stride, n, which, count, work, out);
      return;
    }
    int m = DoubleKernels.upperSize(n);
    int bound = formsBound(m, stride);
    for (int j = 0; j < count; j++) {
      out[j] = packedForm(p, pOff + which[j] * stride, bound, m, work);
    }
  }

  /** Panama's passes of four chunks: whole ones, plus one into the zero padding when the stride has it. */
  private static int formsBound(int m, int stride) {
    int bound = m - m % 16;
    if (bound < m && stride >= bound + 16) {
      bound += 16;
    }
    return bound;
  }

  /** One matrix's form as each of Panama's form kernels computes it: even chunks, odd chunks, fold, tail. */
  private static double packedForm(double[] p, int b, int bound, int m, double[] work) {
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
    for (int t = 0; t < bound; t += 8) {
      int q = b + t;
      a0 = Math.fma(p[q], work[t], a0);
      a1 = Math.fma(p[q + 1], work[t + 1], a1);
      a2 = Math.fma(p[q + 2], work[t + 2], a2);
      a3 = Math.fma(p[q + 3], work[t + 3], a3);
      c0 = Math.fma(p[q + 4], work[t + 4], c0);
      c1 = Math.fma(p[q + 5], work[t + 5], c1);
      c2 = Math.fma(p[q + 6], work[t + 6], c2);
      c3 = Math.fma(p[q + 7], work[t + 7], c3);
    }
    double tail = 0;
    for (int t = bound; t < m; t++) {
      tail = Math.fma(p[b + t], work[t], tail);
    }
    return fold(a0 + c0, a1 + c1, a2 + c2, a3 + c3) + tail;
  }

  // Already the Panama kernels' bits (KernelEquivalenceTest), or not on LinUCB's path at d >= 12.

  @Override
  public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    SCALAR.axpy(alpha, x, xOff, y, yOff, n);
  }

  @Override
  public double quadForm(double[] a, int aOff, int n, double[] x, int xOff) {
    return SCALAR.quadForm(a, aOff, n, x, xOff);
  }

  @Override
  public void symRankOneDowndate(double[] a, int aOff, int n, double c, double[] u, int uOff) {
    SCALAR.symRankOneDowndate(a, aOff, n, c, u, uOff);
  }

  @Override
  public void quadForms(double[] a, int aOff, int n, double[] xs, int xOff, int count, double[] out, int outOff) {
    SCALAR.quadForms(a, aOff, n, xs, xOff, count, out, outOff);
  }

  @Override
  public void upperOuter(double[] x, int xOff, int n, double[] work) {
    SCALAR.upperOuter(x, xOff, n, work);
  }

  @Override
  public void rankOneDowndateCopy(double[] a, int off, int n, double c, double[] u, int uOff, double[] packed,
                                  int pOff) {
    SCALAR.rankOneDowndateCopy(a, off, n, c, u, uOff, packed, pOff);
  }

  @Override
  public void symPackedGemv(double[] p, int pOff, int n, double[] x, int xOff, double[] y, int yOff) {
    SCALAR.symPackedGemv(p, pOff, n, x, xOff, y, yOff);
  }

  @Override
  public void packedRankOneDowndate(double[] p, int pOff, int n, double c, double[] u, int uOff) {
    SCALAR.packedRankOneDowndate(p, pOff, n, c, u, uOff);
  }

  @Override
  public void gramUpdate(double[] g, int off, int n, double[] xs, int xsOff, int count) {
    SCALAR.gramUpdate(g, off, n, xs, xsOff, count);
  }
}
