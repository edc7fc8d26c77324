package dev.recourse.core.simd;

/**
 * The dense kernels every model in the engine is built from, on flat row-major {@code double[]}
 * storage addressed by an offset. Implementations: {@link ScalarKernels} (plain Java, the reference
 * twin) and {@code PanamaKernels} (jdk.incubator.vector). Obtain the active one from {@link Kernels}.
 *
 * <p>Matrices are {@code n×n} (or {@code rows×cols}) blocks stored row-major inside a larger array,
 * starting at an offset; several arms' matrices live side by side in one array. Shapes are the
 * caller's responsibility: kernels only {@code assert} bounds (tests run with {@code -ea}).
 * No kernel allocates.
 */
public interface DoubleKernels {

  /** Name recorded in results: {@code "scalar"} or {@code "panama-<bits>"}. */
  String name();

  /** Returns {@code Σ_{i<n} a[aOff+i]·b[bOff+i]}. */
  double dot(double[] a, int aOff, double[] b, int bOff, int n);

  /** {@code y[yOff+i] += alpha·x[xOff+i]} for {@code i < n}. Modifies {@code y}. */
  void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n);

  /**
   * {@code y = A·x} with {@code A} the {@code rows×cols} row-major block at {@code aOff}.
   * Writes {@code y[yOff..yOff+rows)}; {@code y} must not overlap {@code x} or {@code A}.
   */
  void gemv(double[] a, int aOff, int rows, int cols, double[] x, int xOff, double[] y, int yOff);

  /** Returns {@code xᵀ·A·x} with {@code A} the {@code n×n} row-major block at {@code aOff}. */
  double quadForm(double[] a, int aOff, int n, double[] x, int xOff);

  /**
   * Symmetric rank-one downdate {@code A ← A − c·u·uᵀ} of the full {@code n×n} block at {@code aOff}
   * (both triangles, so the block stays usable by {@link #gemv} and {@link #quadForm}). Modifies
   * {@code A}; {@code u} must not overlap {@code A}.
   */
  void symRankOneDowndate(double[] a, int aOff, int n, double c, double[] u, int uOff);

  /**
   * Blocked quadratic forms for many contexts: {@code out[outOff+j] = x_jᵀ·A·x_j} where {@code x_j}
   * is row {@code j < count} of the row-major {@code count×n} block at {@code xOff}. Each row of
   * {@code A} is read once per block of contexts rather than once per context.
   */
  void quadForms(double[] a, int aOff, int n, double[] xs, int xOff, int count, double[] out, int outOff);
}
