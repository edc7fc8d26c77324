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

  /**
   * Scalar kernels that give this implementation's bits on LinUCB's path from d = 12 on, for a run too
   * short for the JIT to compile this one (see {@code PanamaOrderKernels}); empty where there are none.
   */
  default java.util.Optional<DoubleKernels> laneOrderTwin() {
    return java.util.Optional.empty();
  }

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

  /** Granularity of the {@linkplain #upperRowOffset upper-triangle layout}: four doubles (256 bits). */
  int UPPER_CHUNK = 4;

  /**
   * Offset of row {@code i} in the chunk-aligned upper triangle of an {@code n×n} symmetric matrix: row
   * {@code i} holds columns {@code [i & −4, n4)} with {@code n4 = n} rounded up to a multiple of 4, so
   * every row starts on a 4-double boundary of the layout and holds its diagonal in its first chunk. The
   * entries left of the diagonal in that chunk are the matrix's own (any finite value will do: the forms
   * multiply them by zero); columns from {@code n} on are zero. {@link #upperSize} entries in all.
   */
  static int upperRowOffset(int n, int i) {
    int n4 = (n + UPPER_CHUNK - 1) & -UPPER_CHUNK;
    int q = i >> 2;
    return 4 * q * n4 - 8 * q * (q - 1) + (i & 3) * (n4 - 4 * q);
  }

  /** Entries of the chunk-aligned upper triangle of an {@code n×n} matrix ({@link #upperRowOffset}). */
  static int upperSize(int n) {
    return upperRowOffset(n, n);
  }

  /**
   * Quadratic forms of many symmetric matrices with one context: {@code out[outOff+k] = xᵀ·A_k·x} for
   * {@code count} matrices stored as chunk-aligned upper triangles ({@link #upperRowOffset}) at
   * {@code pOff + k·stride}, each zero-padded to the stride ({@code ≥} {@link #upperSize}). The form is the
   * dot product of that layout with the same layout of {@code x xᵀ}, doubled above the diagonal (exactly
   * twice the product) and zero left of it, formed once in {@code work} and shared by every matrix: about
   * half the multiply-adds and bytes of {@link #quadForm}, in one contiguous stream. {@code work} has at
   * least {@code stride} entries and is zero wherever this kernel does not write (a fresh array, reused
   * only for the same {@code n}).
   */
  void symQuadFormsPacked(double[] p, int pOff, int stride, int n, int count, double[] x, int xOff,
                          double[] work, double[] out, int outOff);

  /**
   * {@code x xᵀ} in {@code work} as {@link #symQuadFormsPacked} forms it (chunk-aligned upper layout,
   * doubled right of the diagonal), for {@link #symQuadFormsPackedAt}; same contract for {@code work}.
   */
  void upperOuter(double[] x, int xOff, int n, double[] work);

  /**
   * {@link #symQuadFormsPacked} of the matrices {@code which[0..count)} only, with {@code work} already
   * holding {@link #upperOuter} of the context (formed once for several calls): {@code out[j]} is the form
   * of the matrix at {@code pOff + which[j]·stride}, with exactly the arithmetic {@code symQuadFormsPacked}
   * gives that matrix wherever it sits (a decision that scores only some arms scores them bit for bit as
   * one that scores all).
   */
  void symQuadFormsPackedAt(double[] p, int pOff, int stride, int n, int[] which, int count, double[] work,
                            double[] out);

  /**
   * The Sherman–Morrison step {@code A ← A − c·u·uᵀ} on the full {@code n×n} block of {@code a} at
   * {@code off} (the arithmetic of {@link #symRankOneDowndate}, bit for bit) and, when {@code packed} is
   * not null, the new {@code A} copied into its chunk-aligned upper triangle at {@code pOff}
   * ({@link #upperRowOffset}; padding columns untouched), in the same pass. {@code u} must not overlap.
   */
  void rankOneDowndateCopy(double[] a, int off, int n, double c, double[] u, int uOff, double[] packed,
                           int pOff);

  /**
   * {@code y = A·x} for the symmetric {@code n×n} matrix {@code A} held only as its chunk-aligned upper
   * triangle at {@code pOff} ({@link #upperRowOffset}; the entries left of a row's diagonal are not
   * read). Each stored entry right of the diagonal serves both {@code y_i} (row) and {@code y_j} (column):
   * the bytes of half the matrix, once. Writes {@code y[yOff..yOff+n)}; {@code y} must not overlap.
   * The scalar and vector kernels add the terms in the same order (equal bits).
   */
  void symPackedGemv(double[] p, int pOff, int n, double[] x, int xOff, double[] y, int yOff);

  /**
   * {@code A ← A − c·u·uᵀ} on every stored entry of the chunk-aligned upper triangle at {@code pOff}
   * (entry {@code (i, j)} takes {@code fma(−c·u_i, u_j, a_ij)}, the arithmetic of
   * {@link #symRankOneDowndate}); padding columns untouched. {@code u} must not overlap.
   */
  void packedRankOneDowndate(double[] p, int pOff, int n, double c, double[] u, int uOff);

  /**
   * {@code G ← G + Σ_k x_k·x_kᵀ} for the {@code count} rows {@code x_k} of the row-major block at
   * {@code xsOff}, on the upper triangle of the {@code n×n} block at {@code off} (entries below the
   * diagonal are left unspecified). Each entry takes the {@code count} fused multiply-adds in order of
   * {@code k}, so the result equals {@code count} rank-one updates one after the other, bit for bit, for
   * one load and store of {@code G} instead of {@code count}.
   */
  void gramUpdate(double[] g, int off, int n, double[] xs, int xsOff, int count);
}
