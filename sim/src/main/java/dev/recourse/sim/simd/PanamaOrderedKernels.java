package dev.recourse.sim.simd;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels whose results do not depend on the JIT tier, so that a study gives the same bits
 * on every run and for every thread count (spec STYLE rule 8). Loaded only reflectively by
 * {@link StudyKernels} once {@code jdk.incubator.vector} is known to be present; the only sim class
 * that names the incubator API.
 *
 * <p>Why this exists: core's {@code PanamaKernels} folds its accumulators with
 * {@code reduceLanes(ADD)}, whose order is unspecified for doubles. The interpreter and C1 add the
 * lanes sequentially, C2's intrinsic uses a tree, so the same replication gives different bits
 * depending on whether it ran before or after the kernels were compiled (measured: four runs of one
 * program, four different hashes; {@code -Xint} and {@code -XX:-TieredCompilation} disagree). Here
 * the lanes are folded by a fixed butterfly of {@code rearrange} and lane-wise {@code add}, which
 * every tier evaluates with the same IEEE operations in the same order. Lane-wise kernels (axpy,
 * rank-one downdate) have no reduction and are delegated to the active core kernels. Once core folds
 * lanes in a fixed order this class can go.
 *
 * <p>Vectors are at most 256 bits wide. At the papers' sizes a 512-bit vector leaves most of a row
 * to the scalar tail (d = 20 is two 8-lane vectors and four tail elements, against five 4-lane
 * vectors) and its fold takes one more step: measured on the synthetic GLRB round (AMD EPYC, Zen 5,
 * JDK 25, 3 × 500,000 rounds), 7.8–9.2 µs with 256 bits against 10.5–12.6 µs with 512 bits (core's
 * 512-bit kernels: 9.6–11.4 µs). Below one vector's length a kernel takes the scalar twin, as core's
 * Panama kernels do.
 */
final class PanamaOrderedKernels implements DoubleKernels {

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED.vectorBitSize() > 256
      ? DoubleVector.SPECIES_256 : DoubleVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** Butterfly partners {@code i ^ 1}, {@code i ^ 2}, {@code i ^ 4} (masked to the lane count). */
  private static final VectorShuffle<Double> SWAP1 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 1) & (LANES - 1));
  private static final VectorShuffle<Double> SWAP2 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 2) & (LANES - 1));
  private static final VectorShuffle<Double> SWAP4 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 4) & (LANES - 1));
  /** Lanes 1 and 3, and lanes 2 and 3: the blends of the four-row fold in {@link #gemv}. */
  private static final VectorMask<Double> ODD_LANES = VectorMask.fromLong(SPECIES, 0b1010);
  private static final VectorMask<Double> HIGH_LANES = VectorMask.fromLong(SPECIES, 0b1100);

  private final DoubleKernels scalar = Kernels.scalar();
  private final DoubleKernels lanewise;
  private final String name;

  PanamaOrderedKernels() {
    if (LANES > 8 || Integer.bitCount(LANES) != 1) {
      throw new IllegalStateException("unsupported lane count " + LANES);
    }
    // The active kernels for the reduction-free operations; scalar if core chose scalar.
    this.lanewise = Kernels.get();
    this.name = "panama-" + SPECIES.vectorBitSize() + "-ordered";
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Sum of the lanes in a fixed order: neighbours first, then pairs, then quads ({@code ((v0 + v1) +
   * (v2 + v3))} for four lanes), the same order as the four-row fold of {@link #gemv}.
   */
  private static double sumLanes(DoubleVector v) {
    if (LANES >= 2) {
      v = v.add(v.rearrange(SWAP1));
    }
    if (LANES >= 4) {
      v = v.add(v.rearrange(SWAP2));
    }
    if (LANES >= 8) {
      v = v.add(v.rearrange(SWAP4));
    }
    return v.lane(0);
  }

  @Override
  public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
    if (n < LANES) {
      return scalar.dot(a, aOff, b, bOff, n);
    }
    assert aOff >= 0 && bOff >= 0 && aOff + n <= a.length && bOff + n <= b.length;
    DoubleVector acc = DoubleVector.zero(SPECIES);
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      acc = DoubleVector.fromArray(SPECIES, a, aOff + i).fma(DoubleVector.fromArray(SPECIES, b, bOff + i), acc);
    }
    double s = sumLanes(acc);
    for (; i < n; i++) {
      s = Math.fma(a[aOff + i], b[bOff + i], s);
    }
    return s;
  }

  @Override
  public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    lanewise.axpy(alpha, x, xOff, y, yOff, n);
  }

  /**
   * Four rows at a time when a vector has four lanes: their accumulators are independent, so the FMA
   * latency of one row hides behind the others (one row alone is a chain of dependent FMAs), each
   * chunk of x is loaded once for four rows, and the four accumulators are folded together into
   * {@code [Σ₀, Σ₁, Σ₂, Σ₃]} by two steps of add-and-blend. Each row's sum has exactly the order of
   * {@link #dot}: the lanes as {@code (l0 + l1) + (l2 + l3)}, then the scalar tail, so a row gives the
   * same bits whichever path computes it. (Measured: the single-row loop was half of a GLRB round.)
   */
  @Override
  public void gemv(double[] a, int aOff, int rows, int cols, double[] x, int xOff, double[] y, int yOff) {
    if (cols < LANES) {
      scalar.gemv(a, aOff, rows, cols, x, xOff, y, yOff);
      return;
    }
    assert aOff >= 0 && aOff + rows * cols <= a.length && yOff + rows <= y.length;
    int r = 0;
    if (LANES == 4) {
      int bound = SPECIES.loopBound(cols);
      for (; r + 3 < rows; r += 4) {
        int row0 = aOff + r * cols;
        int row1 = row0 + cols;
        int row2 = row1 + cols;
        int row3 = row2 + cols;
        DoubleVector acc0 = DoubleVector.zero(SPECIES);
        DoubleVector acc1 = acc0;
        DoubleVector acc2 = acc0;
        DoubleVector acc3 = acc0;
        for (int c = 0; c < bound; c += LANES) {
          DoubleVector xv = DoubleVector.fromArray(SPECIES, x, xOff + c);
          acc0 = DoubleVector.fromArray(SPECIES, a, row0 + c).fma(xv, acc0);
          acc1 = DoubleVector.fromArray(SPECIES, a, row1 + c).fma(xv, acc1);
          acc2 = DoubleVector.fromArray(SPECIES, a, row2 + c).fma(xv, acc2);
          acc3 = DoubleVector.fromArray(SPECIES, a, row3 + c).fma(xv, acc3);
        }
        // Neighbours: [a0+a1, ., a2+a3, .] and the same for b, interleaved as [A01, B01, A23, B23].
        DoubleVector ab = acc0.add(acc0.rearrange(SWAP1)).blend(acc1.add(acc1.rearrange(SWAP1)), ODD_LANES);
        DoubleVector cd = acc2.add(acc2.rearrange(SWAP1)).blend(acc3.add(acc3.rearrange(SWAP1)), ODD_LANES);
        // Pairs: [A01+A23, B01+B23, .., ..] and [.., .., C23+C01, D23+D01] blended into [A, B, C, D].
        DoubleVector sums = ab.add(ab.rearrange(SWAP2)).blend(cd.add(cd.rearrange(SWAP2)), HIGH_LANES);
        sums.intoArray(y, yOff + r);
        for (int c = bound; c < cols; c++) {
          double xc = x[xOff + c];
          y[yOff + r] = Math.fma(a[row0 + c], xc, y[yOff + r]);
          y[yOff + r + 1] = Math.fma(a[row1 + c], xc, y[yOff + r + 1]);
          y[yOff + r + 2] = Math.fma(a[row2 + c], xc, y[yOff + r + 2]);
          y[yOff + r + 3] = Math.fma(a[row3 + c], xc, y[yOff + r + 3]);
        }
      }
    }
    for (; r < rows; r++) {
      y[yOff + r] = dot(a, aOff + r * cols, x, xOff, cols);
    }
  }

  /** {@code xᵀAx = Σ_r x_r·(A_r·x)}, the row products folded into one vector accumulator. */
  @Override
  public double quadForm(double[] a, int aOff, int n, double[] x, int xOff) {
    if (n < LANES) {
      return scalar.quadForm(a, aOff, n, x, xOff);
    }
    assert aOff >= 0 && aOff + n * n <= a.length && xOff + n <= x.length;
    int bound = SPECIES.loopBound(n);
    DoubleVector acc = DoubleVector.zero(SPECIES);
    double tail = 0;
    for (int r = 0; r < n; r++) {
      int row = aOff + r * n;
      DoubleVector t = DoubleVector.zero(SPECIES);
      int c = 0;
      for (; c < bound; c += LANES) {
        t = DoubleVector.fromArray(SPECIES, a, row + c).fma(DoubleVector.fromArray(SPECIES, x, xOff + c), t);
      }
      double ts = 0;
      for (; c < n; c++) {
        ts = Math.fma(a[row + c], x[xOff + c], ts);
      }
      double xr = x[xOff + r];
      acc = t.fma(DoubleVector.broadcast(SPECIES, xr), acc);
      tail = Math.fma(xr, ts, tail);
    }
    return sumLanes(acc) + tail;
  }

  @Override
  public void symRankOneDowndate(double[] a, int aOff, int n, double c, double[] u, int uOff) {
    lanewise.symRankOneDowndate(a, aOff, n, c, u, uOff);
  }

  @Override
  public void quadForms(double[] a, int aOff, int n, double[] xs, int xOff, int count, double[] out, int outOff) {
    assert xOff + count * n <= xs.length && outOff + count <= out.length;
    for (int j = 0; j < count; j++) {
      out[outOff + j] = quadForm(a, aOff, n, xs, xOff + j * n);
    }
  }
}
