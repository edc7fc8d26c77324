package dev.recourse.core.simd;

/**
 * Plain-Java twin of every kernel. Used where the vector module is absent, when forced with
 * {@code -Drecourse.simd=scalar}, and by the Panama kernels below their cut-over length.
 * Loops keep two to four independent accumulators so that the FMA latency does not serialise them.
 */
public final class ScalarKernels implements DoubleKernels {

  public static final ScalarKernels INSTANCE = new ScalarKernels();

  private ScalarKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
    return dotScalar(a, aOff, b, bOff, n);
  }

  static double dotScalar(double[] a, int aOff, double[] b, int bOff, int n) {
    assert aOff >= 0 && bOff >= 0 && n >= 0 && aOff + n <= a.length && bOff + n <= b.length;
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (int bound = n - 3; i < bound; i += 4) {
      s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
      s1 = Math.fma(a[aOff + i + 1], b[bOff + i + 1], s1);
      s2 = Math.fma(a[aOff + i + 2], b[bOff + i + 2], s2);
      s3 = Math.fma(a[aOff + i + 3], b[bOff + i + 3], s3);
    }
    for (; i < n; i++) {
      s0 = Math.fma(a[aOff + i], b[bOff + i], s0);
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    axpyScalar(alpha, x, xOff, y, yOff, n);
  }

  static void axpyScalar(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    assert xOff >= 0 && yOff >= 0 && n >= 0 && xOff + n <= x.length && yOff + n <= y.length;
    for (int i = 0; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  @Override
  public void gemv(double[] a, int aOff, int rows, int cols, double[] x, int xOff, double[] y, int yOff) {
    assert aOff >= 0 && aOff + rows * cols <= a.length && yOff + rows <= y.length;
    for (int r = 0; r < rows; r++) {
      y[yOff + r] = dotScalar(a, aOff + r * cols, x, xOff, cols);
    }
  }

  @Override
  public double quadForm(double[] a, int aOff, int n, double[] x, int xOff) {
    assert aOff >= 0 && aOff + n * n <= a.length && xOff + n <= x.length;
    double s = 0;
    for (int r = 0; r < n; r++) {
      s = Math.fma(x[xOff + r], dotScalar(a, aOff + r * n, x, xOff, n), s);
    }
    return s;
  }

  @Override
  public void symRankOneDowndate(double[] a, int aOff, int n, double c, double[] u, int uOff) {
    assert aOff >= 0 && aOff + n * n <= a.length && uOff + n <= u.length;
    for (int r = 0; r < n; r++) {
      axpyScalar(-c * u[uOff + r], u, uOff, a, aOff + r * n, n);
    }
  }

  @Override
  public void quadForms(double[] a, int aOff, int n, double[] xs, int xOff, int count, double[] out, int outOff) {
    assert aOff + n * n <= a.length && xOff + count * n <= xs.length && outOff + count <= out.length;
    int j = 0;
    // Two contexts per pass: each row of A is loaded once for both.
    for (; j + 1 < count; j += 2) {
      int x0 = xOff + j * n;
      int x1 = x0 + n;
      double q0 = 0, q1 = 0;
      for (int r = 0; r < n; r++) {
        int row = aOff + r * n;
        double t0 = 0, t1 = 0;
        for (int c = 0; c < n; c++) {
          double arc = a[row + c];
          t0 = Math.fma(arc, xs[x0 + c], t0);
          t1 = Math.fma(arc, xs[x1 + c], t1);
        }
        q0 = Math.fma(xs[x0 + r], t0, q0);
        q1 = Math.fma(xs[x1 + r], t1, q1);
      }
      out[outOff + j] = q0;
      out[outOff + j + 1] = q1;
    }
    for (; j < count; j++) {
      out[outOff + j] = quadForm(a, aOff, n, xs, xOff + j * n);
    }
  }

  @Override
  public void symQuadFormsPacked(double[] p, int pOff, int stride, int n, int count, double[] x, int xOff,
                                 double[] work, double[] out, int outOff) {
    int size = DoubleKernels.upperSize(n);
    assert stride >= size && pOff >= 0 && pOff + count * stride <= p.length && xOff + n <= x.length
        && work.length >= stride;
    formUpperOuter(x, xOff, n, work);
    for (int k = 0; k < count; k++) {
      out[outOff + k] = dotScalar(p, pOff + k * stride, work, 0, size);
    }
  }

  @Override
  public void upperOuter(double[] x, int xOff, int n, double[] work) {
    formUpperOuter(x, xOff, n, work);
  }

  @Override
  public void symQuadFormsPackedAt(double[] p, int pOff, int stride, int n, int[] which, int count, double[] work,
                                   double[] out) {
    int size = DoubleKernels.upperSize(n);
    assert stride >= size && count <= which.length && work.length >= stride;
    for (int j = 0; j < count; j++) {
      out[j] = dotScalar(p, pOff + which[j] * stride, work, 0, size);
    }
  }

  /**
   * {@code x xᵀ} in the chunk-aligned upper layout: {@code x_i·x_i} on the diagonal, {@code (2x_i)·x_j}
   * right of it, zero left of it (written: the first chunk of a row may hold columns left of the diagonal).
   */
  static void formUpperOuter(double[] x, int xOff, int n, double[] work) {
    for (int i = 0; i < n; i++) {
      double xi = x[xOff + i];
      double twoXi = 2.0 * xi;
      int first = i & -UPPER_CHUNK;
      int row = DoubleKernels.upperRowOffset(n, i) - first;
      for (int j = first; j < i; j++) {
        work[row + j] = 0.0;
      }
      work[row + i] = xi * xi;
      for (int j = i + 1; j < n; j++) {
        work[row + j] = twoXi * x[xOff + j];
      }
    }
  }

  @Override
  public void rankOneDowndateCopy(double[] a, int off, int n, double c, double[] u, int uOff, double[] packed,
                                  int pOff) {
    assert off >= 0 && off + n * n <= a.length && uOff + n <= u.length
        && (packed == null || pOff + DoubleKernels.upperSize(n) <= packed.length);
    for (int r = 0; r < n; r++) {
      int row = off + r * n;
      axpyScalar(-c * u[uOff + r], u, uOff, a, row, n);
      if (packed != null) {
        int first = r & -UPPER_CHUNK;
        System.arraycopy(a, row + first, packed, pOff + DoubleKernels.upperRowOffset(n, r), n - first);
      }
    }
  }

  /**
   * Row by row, in the vector kernel's order: row {@code i}'s own sum in four lane partials
   * {@code l = (j − first) mod 4}, folded {@code (l₀+l₁)+(l₂+l₃)} and added to {@code y_i} after the
   * column terms of the rows above; each entry right of the diagonal adds its column term to {@code y_j}.
   */
  @Override
  public void symPackedGemv(double[] p, int pOff, int n, double[] x, int xOff, double[] y, int yOff) {
    assert pOff >= 0 && pOff + DoubleKernels.upperSize(n) <= p.length && xOff + n <= x.length
        && yOff + n <= y.length;
    java.util.Arrays.fill(y, yOff, yOff + n, 0.0);
    for (int i = 0; i < n; i++) {
      int first = i & -UPPER_CHUNK;
      int row = pOff + DoubleKernels.upperRowOffset(n, i) - first;
      // The diagonal chunk starts the four lane partials (entries left of the diagonal count as 0), the
      // later chunks add to them lane by lane.
      double l0 = diagonalChunkTerm(p, row, x, xOff, n, i, first);
      double l1 = diagonalChunkTerm(p, row, x, xOff, n, i, first + 1);
      double l2 = diagonalChunkTerm(p, row, x, xOff, n, i, first + 2);
      double l3 = diagonalChunkTerm(p, row, x, xOff, n, i, first + 3);
      for (int j = first + UPPER_CHUNK; j < n; j += UPPER_CHUNK) {
        l0 = Math.fma(p[row + j], x[xOff + j], l0);
        if (j + 1 < n) {
          l1 = Math.fma(p[row + j + 1], x[xOff + j + 1], l1);
        }
        if (j + 2 < n) {
          l2 = Math.fma(p[row + j + 2], x[xOff + j + 2], l2);
        }
        if (j + 3 < n) {
          l3 = Math.fma(p[row + j + 3], x[xOff + j + 3], l3);
        }
      }
      double xi = x[xOff + i];
      for (int j = i + 1; j < n; j++) {
        y[yOff + j] = Math.fma(p[row + j], xi, y[yOff + j]);
      }
      y[yOff + i] = y[yOff + i] + ((l0 + l1) + (l2 + l3));
    }
  }

  /** Row {@code i}'s term of column {@code j} in its diagonal chunk: {@code a_ij·x_j} from the diagonal on. */
  private static double diagonalChunkTerm(double[] p, int row, double[] x, int xOff, int n, int i, int j) {
    return j >= i && j < n ? p[row + j] * x[xOff + j] : 0.0;
  }

  @Override
  public void packedRankOneDowndate(double[] p, int pOff, int n, double c, double[] u, int uOff) {
    assert pOff >= 0 && pOff + DoubleKernels.upperSize(n) <= p.length && uOff + n <= u.length;
    for (int i = 0; i < n; i++) {
      int first = i & -UPPER_CHUNK;
      axpyScalar(-c * u[uOff + i], u, uOff + first, p, pOff + DoubleKernels.upperRowOffset(n, i), n - first);
    }
  }

  @Override
  public void gramUpdate(double[] g, int off, int n, double[] xs, int xsOff, int count) {
    assert off >= 0 && off + n * n <= g.length && xsOff >= 0 && xsOff + count * n <= xs.length;
    for (int r = 0; r < n; r++) {
      int row = off + r * n;
      for (int j = r; j < n; j++) {
        double v = g[row + j];
        for (int k = 0; k < count; k++) {
          int xk = xsOff + k * n;
          v = Math.fma(xs[xk + r], xs[xk + j], v);
        }
        g[row + j] = v;
      }
    }
  }
}
