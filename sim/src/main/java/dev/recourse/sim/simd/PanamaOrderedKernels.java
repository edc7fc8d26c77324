package dev.recourse.sim.simd;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import jdk.incubator.vector.DoubleVector;
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
 * <p>Below one vector's length a kernel takes the scalar twin, as core's Panama kernels do.
 */
final class PanamaOrderedKernels implements DoubleKernels {

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  /** Butterfly partners {@code i ^ 4}, {@code i ^ 2}, {@code i ^ 1} (masked to the lane count). */
  private static final VectorShuffle<Double> SWAP4 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 4) & (LANES - 1));
  private static final VectorShuffle<Double> SWAP2 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 2) & (LANES - 1));
  private static final VectorShuffle<Double> SWAP1 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 1) & (LANES - 1));

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

  /** Sum of the lanes in a fixed butterfly order: lane 0 of v+swap4, then +swap2, then +swap1. */
  private static double sumLanes(DoubleVector v) {
    if (LANES >= 8) {
      v = v.add(v.rearrange(SWAP4));
    }
    if (LANES >= 4) {
      v = v.add(v.rearrange(SWAP2));
    }
    if (LANES >= 2) {
      v = v.add(v.rearrange(SWAP1));
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

  @Override
  public void gemv(double[] a, int aOff, int rows, int cols, double[] x, int xOff, double[] y, int yOff) {
    if (cols < LANES) {
      scalar.gemv(a, aOff, rows, cols, x, xOff, y, yOff);
      return;
    }
    assert aOff >= 0 && aOff + rows * cols <= a.length && yOff + rows <= y.length;
    for (int r = 0; r < rows; r++) {
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
