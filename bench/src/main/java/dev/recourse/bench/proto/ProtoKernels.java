package dev.recourse.bench.proto;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Prototype kernels for the LinUCB hot path, to measure what a change in core would buy (they live in
 * the bench module only; core is not modified). All use the species of {@code -Dbench.proto.bits} (default
 * the preferred one) unless named otherwise.
 *
 * <ul>
 *   <li>{@link #quadFormRowsMasked}: core's row scheme ({@code Σ_r x_r·(A_r·x)}, one reduction per form)
 *       with the scalar tail replaced by one masked vector step per row.
 *   <li>{@link #symApply}: {@code w = A·x} for a <em>symmetric</em> {@code A} as {@code Σ_r x_r·A_r} (row
 *       {@code r} of {@code A} is column {@code r}): broadcast-FMA accumulation of whole rows, so no
 *       horizontal reduction per row, masked last chunk. {@code xᵀAx = x·w} then costs one reduction.
 * </ul>
 */
public final class ProtoKernels {

  /** Vector width of the prototypes: {@code -Dbench.proto.bits=256|512}, default the preferred one. */
  public static final String BITS_PROPERTY = "bench.proto.bits";
  static final VectorSpecies<Double> S = switch (Integer.getInteger(BITS_PROPERTY, 0)) {
    case 0 -> DoubleVector.SPECIES_PREFERRED;
    case 128 -> DoubleVector.SPECIES_128;
    case 256 -> DoubleVector.SPECIES_256;
    case 512 -> DoubleVector.SPECIES_512;
    default -> throw new IllegalArgumentException(BITS_PROPERTY + " must be 128, 256 or 512");
  };
  static final int L = S.length();

  private ProtoKernels() {}

  /** Vector width of the prototypes, for the log. */
  public static int bits() {
    return S.vectorBitSize();
  }

  /** {@code xᵀAx}, row scheme, masked tail. */
  public static double quadFormRowsMasked(double[] a, int aOff, int n, double[] x, int xOff) {
    int bound = S.loopBound(n);
    boolean hasTail = bound < n;
    VectorMask<Double> tailMask = S.indexInRange(bound, n);
    DoubleVector xt = hasTail ? DoubleVector.fromArray(S, x, xOff + bound, tailMask) : null;
    DoubleVector acc = DoubleVector.zero(S);
    for (int r = 0; r < n; r++) {
      int row = aOff + r * n;
      DoubleVector t = DoubleVector.zero(S);
      int c = 0;
      for (; c < bound; c += L) {
        t = DoubleVector.fromArray(S, a, row + c).fma(DoubleVector.fromArray(S, x, xOff + c), t);
      }
      if (hasTail) {
        t = DoubleVector.fromArray(S, a, row + bound, tailMask).fma(xt, t);
      }
      acc = t.fma(DoubleVector.broadcast(S, x[xOff + r]), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /**
   * {@code w = A·x} for symmetric {@code A} ({@code n×n}, both triangles stored, at {@code aOff}):
   * {@code w = Σ_r x_r·A_r}. Writes {@code w[wOff..wOff+n)} and returns {@code xᵀw = xᵀAx}.
   * Column chunks of {@code L} doubles are processed two at a time, each with its own accumulator
   * chain over the rows; the last chunk is masked.
   */
  public static double symApply(double[] a, int aOff, int n, double[] x, int xOff, double[] w, int wOff) {
    int bound = S.loopBound(n);
    DoubleVector q = DoubleVector.zero(S);
    int c = 0;
    for (; c + L < bound; c += 2 * L) {
      DoubleVector w0 = DoubleVector.zero(S);
      DoubleVector w1 = DoubleVector.zero(S);
      int p = aOff + c;
      for (int r = 0; r < n; r++, p += n) {
        DoubleVector xr = DoubleVector.broadcast(S, x[xOff + r]);
        w0 = DoubleVector.fromArray(S, a, p).fma(xr, w0);
        w1 = DoubleVector.fromArray(S, a, p + L).fma(xr, w1);
      }
      w0.intoArray(w, wOff + c);
      w1.intoArray(w, wOff + c + L);
      q = w0.fma(DoubleVector.fromArray(S, x, xOff + c), q);
      q = w1.fma(DoubleVector.fromArray(S, x, xOff + c + L), q);
    }
    for (; c < n; c += L) {
      VectorMask<Double> m = S.indexInRange(c, n);
      DoubleVector w0 = DoubleVector.zero(S);
      int p = aOff + c;
      for (int r = 0; r < n; r++, p += n) {
        w0 = DoubleVector.fromArray(S, a, p, m).fma(DoubleVector.broadcast(S, x[xOff + r]), w0);
      }
      w0.intoArray(w, wOff + c, m);
      q = w0.fma(DoubleVector.fromArray(S, x, xOff + c, m), q);
    }
    return q.reduceLanes(VectorOperators.ADD);
  }

  /** {@code Σ a[aOff+i]·b[bOff+i]}, full vectors then one masked step. */
  public static double dotMasked(double[] a, int aOff, double[] b, int bOff, int n) {
    int bound = S.loopBound(n);
    DoubleVector acc = DoubleVector.zero(S);
    int i = 0;
    for (; i < bound; i += L) {
      acc = DoubleVector.fromArray(S, a, aOff + i).fma(DoubleVector.fromArray(S, b, bOff + i), acc);
    }
    if (i < n) {
      VectorMask<Double> m = S.indexInRange(i, n);
      acc = DoubleVector.fromArray(S, a, aOff + i, m).fma(DoubleVector.fromArray(S, b, bOff + i, m), acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  /** {@code y += alpha·x}, full vectors then one masked step. */
  public static void axpyMasked(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    DoubleVector va = DoubleVector.broadcast(S, alpha);
    int bound = S.loopBound(n);
    int i = 0;
    for (; i < bound; i += L) {
      DoubleVector.fromArray(S, x, xOff + i).fma(va, DoubleVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
    }
    if (i < n) {
      VectorMask<Double> m = S.indexInRange(i, n);
      DoubleVector.fromArray(S, x, xOff + i, m).fma(va, DoubleVector.fromArray(S, y, yOff + i, m))
          .intoArray(y, yOff + i, m);
    }
  }

  /**
   * Both rank-one modifications of a Sherman–Morrison step in one pass over the rows:
   * {@code P ← P − c·w·wᵀ} and {@code G ← G + x·xᵀ}, each {@code n×n} at {@code off} in its array.
   */
  public static void fusedRankOne(double[] p, double[] g, int off, int n, double c, double[] w, int wOff,
                                  double[] x, int xOff) {
    int bound = S.loopBound(n);
    boolean hasTail = bound < n;
    VectorMask<Double> m = S.indexInRange(bound, n);
    for (int r = 0; r < n; r++) {
      int row = off + r * n;
      DoubleVector cw = DoubleVector.broadcast(S, -c * w[wOff + r]);
      DoubleVector xr = DoubleVector.broadcast(S, x[xOff + r]);
      int i = 0;
      for (; i < bound; i += L) {
        DoubleVector.fromArray(S, w, wOff + i).fma(cw, DoubleVector.fromArray(S, p, row + i)).intoArray(p, row + i);
        DoubleVector.fromArray(S, x, xOff + i).fma(xr, DoubleVector.fromArray(S, g, row + i)).intoArray(g, row + i);
      }
      if (hasTail) {
        DoubleVector.fromArray(S, w, wOff + i, m).fma(cw, DoubleVector.fromArray(S, p, row + i, m))
            .intoArray(p, row + i, m);
        DoubleVector.fromArray(S, x, xOff + i, m).fma(xr, DoubleVector.fromArray(S, g, row + i, m))
            .intoArray(g, row + i, m);
      }
    }
  }
}
