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
 *   <li>{@link #argmaxUcbPairs}: the whole LinUCB scoring in one kernel, two arms per pass (core's row
 *       scheme, scalar tail) so that two independent FMA chains share every load of {@code x}.
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

  /**
   * LinUCB's argmax over all arms, {@code θ_aᵀx + α·sqrt(max(0, xᵀV_a⁻¹x))}, ties to the lowest index:
   * two arms per pass over the rows, so the two quadratic forms' FMA chains interleave and share the
   * loads of {@code x}; the two means are reduced together with them at the end of the pass.
   */
  public static int argmaxUcbPairs(double[] vInv, double[] theta, int numArms, int n, double[] x, double alpha) {
    int block = n * n;
    int bound = S.loopBound(n);
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    int arm = 0;
    for (; arm + 1 < numArms; arm += 2) {
      int a0 = arm * block;
      int a1 = a0 + block;
      DoubleVector q0 = DoubleVector.zero(S);
      DoubleVector q1 = q0;
      double s0 = 0;
      double s1 = 0;
      for (int r = 0; r < n; r++) {
        int row0 = a0 + r * n;
        int row1 = a1 + r * n;
        DoubleVector t0 = DoubleVector.zero(S);
        DoubleVector t1 = t0;
        int c = 0;
        for (; c < bound; c += L) {
          DoubleVector xv = DoubleVector.fromArray(S, x, c);
          t0 = DoubleVector.fromArray(S, vInv, row0 + c).fma(xv, t0);
          t1 = DoubleVector.fromArray(S, vInv, row1 + c).fma(xv, t1);
        }
        double u0 = 0;
        double u1 = 0;
        for (; c < n; c++) {
          double xc = x[c];
          u0 = Math.fma(vInv[row0 + c], xc, u0);
          u1 = Math.fma(vInv[row1 + c], xc, u1);
        }
        double xr = x[r];
        DoubleVector xrv = DoubleVector.broadcast(S, xr);
        q0 = t0.fma(xrv, q0);
        q1 = t1.fma(xrv, q1);
        s0 = Math.fma(xr, u0, s0);
        s1 = Math.fma(xr, u1, s1);
      }
      int m0 = arm * n;
      int m1 = m0 + n;
      DoubleVector mv0 = DoubleVector.zero(S);
      DoubleVector mv1 = mv0;
      double mt0 = 0;
      double mt1 = 0;
      int c = 0;
      for (; c < bound; c += L) {
        DoubleVector xv = DoubleVector.fromArray(S, x, c);
        mv0 = DoubleVector.fromArray(S, theta, m0 + c).fma(xv, mv0);
        mv1 = DoubleVector.fromArray(S, theta, m1 + c).fma(xv, mv1);
      }
      for (; c < n; c++) {
        mt0 = Math.fma(theta[m0 + c], x[c], mt0);
        mt1 = Math.fma(theta[m1 + c], x[c], mt1);
      }
      double score0 = mv0.reduceLanes(VectorOperators.ADD) + mt0
          + alpha * Math.sqrt(Math.max(0.0, q0.reduceLanes(VectorOperators.ADD) + s0));
      double score1 = mv1.reduceLanes(VectorOperators.ADD) + mt1
          + alpha * Math.sqrt(Math.max(0.0, q1.reduceLanes(VectorOperators.ADD) + s1));
      if (score0 > bestScore) {
        bestScore = score0;
        best = arm;
      }
      if (score1 > bestScore) {
        bestScore = score1;
        best = arm + 1;
      }
    }
    if (arm < numArms) {
      double q = quadFormRowsMasked(vInv, arm * block, n, x, 0);
      double score = dotMasked(theta, arm * n, x, 0, n) + alpha * Math.sqrt(Math.max(0.0, q));
      if (score > bestScore) {
        best = arm;
      }
    }
    return best;
  }
}
