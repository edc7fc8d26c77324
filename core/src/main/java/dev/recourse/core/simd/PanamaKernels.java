package dev.recourse.core.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels. Loaded only reflectively by {@link KernelProvider} once the
 * {@code jdk.incubator.vector} module is known to be present (STYLE rule 1); this is the only class
 * that names the incubator API.
 *
 * <p>Lanes are folded in a fixed butterfly order (below), never with
 * {@code reduceLanes(ADD)}: its order is unspecified for doubles, and the interpreter/C1 (sequential)
 * and C2 (a tree) really do differ, so a run's bits would depend on when the JIT compiled the kernels
 * and a Monte Carlo study would not be reproducible across thread counts.
 *
 * <p>Each loop runs full vectors, then a scalar tail. Below {@link #minVectorLength} elements a
 * kernel uses the scalar twin: at the papers' small sizes the set-up and the lane reduction cost more
 * than they save. The cut-over comes from JMH ({@code KernelBench}), see BENCHMARKS.md.
 */
final class PanamaKernels implements DoubleKernels {

  private static final VectorSpecies<Double> SPECIES = selectSpecies();
  private static final int LANES = SPECIES.length();
  /**
   * Butterfly partners {@code i ^ 4}, {@code i ^ 2}, {@code i ^ 1}, masked to the lane count. The fold
   * ({@code v += v.rearrange(SWAP4)}, then SWAP2, then SWAP1, lane 0) is written out at each use
   * rather than in a helper taking a vector: where C2 declined to inline such a helper (deep in a GLRB
   * decision) the vector was boxed, 128 B per decision at d = 9.
   */
  private static final VectorShuffle<Double> SWAP4 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 4) & (LANES - 1));
  private static final VectorShuffle<Double> SWAP2 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 2) & (LANES - 1));
  private static final VectorShuffle<Double> SWAP1 = VectorShuffle.fromOp(SPECIES, i -> (i ^ 1) & (LANES - 1));
  /** Lanes 1 and 3, and lanes 2 and 3: the blends of the four-row fold in {@link #gemv}. */
  private static final VectorMask<Double> ODD_LANES = VectorMask.fromLong(SPECIES, 0b1010);
  private static final VectorMask<Double> HIGH_LANES = VectorMask.fromLong(SPECIES, 0b1100);

  /**
   * Row {@code p} ({@code LANES} values): lane coefficients of the first chunk of an upper-triangle row
   * whose diagonal sits at lane {@code p}: 0 below the diagonal, 1 on it, 2 above (see
   * {@link #symQuadForms}).
   */
  private static final double[] UPPER_COEF = upperCoefficients();

  private final int minVectorLength;
  private final String name;

  PanamaKernels(int minVectorLength) {
    if (LANES > 8 || Integer.bitCount(LANES) != 1) {
      throw new IllegalStateException("unsupported double lane count " + LANES);
    }
    this.minVectorLength = Math.max(minVectorLength, LANES);
    this.name = "panama-" + SPECIES.vectorBitSize();
  }

  /**
   * At most 256 bits unless asked for more: at the papers' sizes a 512-bit vector leaves most of a row
   * to the scalar tail (d = 20 is two 8-lane vectors and four tail elements, against five 4-lane
   * vectors) and its lane fold takes one more step. Measured on the synthetic GLRB round (AMD EPYC,
   * JDK 25): 7.8–9.2 µs with 256 bits against 10.5–12.6 µs with 512.
   */
  private static VectorSpecies<Double> selectSpecies() {
    return species(256);
  }

  /**
   * The species {@code -Drecourse.simd.bits} asks for, else the preferred one capped at
   * {@code defaultMaxBits} (the MLP kernels take 512, these 256).
   */
  static VectorSpecies<Double> species(int defaultMaxBits) {
    int bits = Integer.getInteger(KernelProvider.BITS_PROPERTY, 0);
    return switch (bits) {
      case 0 -> DoubleVector.SPECIES_PREFERRED.vectorBitSize() > defaultMaxBits
          ? DoubleVector.SPECIES_PREFERRED.withShape(jdk.incubator.vector.VectorShape.forBitSize(defaultMaxBits))
          : DoubleVector.SPECIES_PREFERRED;
      case 128 -> DoubleVector.SPECIES_128;
      case 256 -> DoubleVector.SPECIES_256;
      case 512 -> DoubleVector.SPECIES_512;
      default -> throw new IllegalArgumentException(
          KernelProvider.BITS_PROPERTY + " must be 128, 256 or 512, got " + bits);
    };
  }


  @Override
  public String name() {
    return name;
  }

  /** {@link PanamaOrderKernels}, for four lanes (the default width; not for other widths). */
  @Override
  public java.util.Optional<DoubleKernels> laneOrderTwin() {
    return LANES == 4 ? java.util.Optional.of(new PanamaOrderKernels(minVectorLength)) : java.util.Optional.empty();
  }


  @Override
  public double dot(double[] a, int aOff, double[] b, int bOff, int n) {
    if (n < minVectorLength) {
      return ScalarKernels.dotScalar(a, aOff, b, bOff, n);
    }
    assert aOff >= 0 && bOff >= 0 && aOff + n <= a.length && bOff + n <= b.length;
    DoubleVector acc0 = DoubleVector.zero(SPECIES);
    DoubleVector acc1 = DoubleVector.zero(SPECIES);
    int i = 0;
    for (int bound = n - 2 * LANES; i <= bound; i += 2 * LANES) {
      acc0 = DoubleVector.fromArray(SPECIES, a, aOff + i)
          .fma(DoubleVector.fromArray(SPECIES, b, bOff + i), acc0);
      acc1 = DoubleVector.fromArray(SPECIES, a, aOff + i + LANES)
          .fma(DoubleVector.fromArray(SPECIES, b, bOff + i + LANES), acc1);
    }
    for (int bound = n - LANES; i <= bound; i += LANES) {
      acc0 = DoubleVector.fromArray(SPECIES, a, aOff + i)
          .fma(DoubleVector.fromArray(SPECIES, b, bOff + i), acc0);
    }
    DoubleVector sF = acc0.add(acc1);
    if (LANES >= 8) {
      sF = sF.add(sF.rearrange(SWAP4));
    }
    if (LANES >= 4) {
      sF = sF.add(sF.rearrange(SWAP2));
    }
    sF = sF.add(sF.rearrange(SWAP1));
    double s = sF.lane(0);
    for (; i < n; i++) {
      s = Math.fma(a[aOff + i], b[bOff + i], s);
    }
    return s;
  }

  @Override
  public void axpy(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    if (n < minVectorLength) {
      ScalarKernels.axpyScalar(alpha, x, xOff, y, yOff, n);
      return;
    }
    axpyVector(alpha, x, xOff, y, yOff, n);
  }

  private static void axpyVector(double alpha, double[] x, int xOff, double[] y, int yOff, int n) {
    assert xOff >= 0 && yOff >= 0 && xOff + n <= x.length && yOff + n <= y.length;
    DoubleVector va = DoubleVector.broadcast(SPECIES, alpha);
    int i = 0;
    for (int bound = SPECIES.loopBound(n); i < bound; i += LANES) {
      DoubleVector vx = DoubleVector.fromArray(SPECIES, x, xOff + i);
      DoubleVector vy = DoubleVector.fromArray(SPECIES, y, yOff + i);
      vx.fma(va, vy).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }
  }

  /**
   * With four lanes, four rows at a time: their accumulators are independent, so one row's FMA latency
   * hides behind the others' (a single row is a chain of dependent FMAs), each chunk of x is loaded
   * once for four rows, and the four accumulators are folded into {@code [Σ₀, Σ₁, Σ₂, Σ₃]} by two
   * add-and-blend steps (a fixed order, like the other folds). Measured: the single-row loop was
   * half of a GLRB round.
   */
  @Override
  public void gemv(double[] a, int aOff, int rows, int cols, double[] x, int xOff, double[] y, int yOff) {
    if (cols < minVectorLength) {
      ScalarKernels.INSTANCE.gemv(a, aOff, rows, cols, x, xOff, y, yOff);
      return;
    }
    assert aOff >= 0 && aOff + rows * cols <= a.length && yOff + rows <= y.length;
    int bound = SPECIES.loopBound(cols);
    int r = 0;
    if (LANES == 4) {
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
        // Neighbours [a0+a1, ., a2+a3, .] of rows 0 and 1 interleaved as [A01, B01, A23, B23] (same for 2, 3),
        // then pairs [A01+A23, B01+B23, C.., D..] blended into [A, B, C, D].
        DoubleVector ab = acc0.add(acc0.rearrange(SWAP1)).blend(acc1.add(acc1.rearrange(SWAP1)), ODD_LANES);
        DoubleVector cd = acc2.add(acc2.rearrange(SWAP1)).blend(acc3.add(acc3.rearrange(SWAP1)), ODD_LANES);
        ab.add(ab.rearrange(SWAP2)).blend(cd.add(cd.rearrange(SWAP2)), HIGH_LANES).intoArray(y, yOff + r);
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
      int row = aOff + r * cols;
      DoubleVector acc = DoubleVector.zero(SPECIES);
      int c = 0;
      for (; c < bound; c += LANES) {
        acc = DoubleVector.fromArray(SPECIES, a, row + c)
            .fma(DoubleVector.fromArray(SPECIES, x, xOff + c), acc);
      }
      DoubleVector sF = acc;
      if (LANES >= 8) {
        sF = sF.add(sF.rearrange(SWAP4));
      }
      if (LANES >= 4) {
        sF = sF.add(sF.rearrange(SWAP2));
      }
      sF = sF.add(sF.rearrange(SWAP1));
      double s = sF.lane(0);
      for (; c < cols; c++) {
        s = Math.fma(a[row + c], x[xOff + c], s);
      }
      y[yOff + r] = s;
    }
  }

  /**
   * {@code xᵀAx = Σ_r x_r·(A_r·x)}: the row products stay in vector registers and are folded with
   * {@code x_r} by one FMA, so the lanes are reduced once for the whole form, not once per row.
   */
  @Override
  public double quadForm(double[] a, int aOff, int n, double[] x, int xOff) {
    if (n < minVectorLength) {
      return ScalarKernels.INSTANCE.quadForm(a, aOff, n, x, xOff);
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
        t = DoubleVector.fromArray(SPECIES, a, row + c)
            .fma(DoubleVector.fromArray(SPECIES, x, xOff + c), t);
      }
      double ts = 0;
      for (; c < n; c++) {
        ts = Math.fma(a[row + c], x[xOff + c], ts);
      }
      double xr = x[xOff + r];
      acc = t.fma(DoubleVector.broadcast(SPECIES, xr), acc);
      tail = Math.fma(xr, ts, tail);
    }
    DoubleVector qF = acc;
    if (LANES >= 8) {
      qF = qF.add(qF.rearrange(SWAP4));
    }
    if (LANES >= 4) {
      qF = qF.add(qF.rearrange(SWAP2));
    }
    qF = qF.add(qF.rearrange(SWAP1));
    return qF.lane(0) + tail;
  }

  @Override
  public void symRankOneDowndate(double[] a, int aOff, int n, double c, double[] u, int uOff) {
    if (n < minVectorLength) {
      ScalarKernels.INSTANCE.symRankOneDowndate(a, aOff, n, c, u, uOff);
      return;
    }
    assert aOff >= 0 && aOff + n * n <= a.length && uOff + n <= u.length;
    for (int r = 0; r < n; r++) {
      axpyVector(-c * u[uOff + r], u, uOff, a, aOff + r * n, n);
    }
  }

  @Override
  public void quadForms(double[] a, int aOff, int n, double[] xs, int xOff, int count, double[] out, int outOff) {
    if (n < minVectorLength) {
      ScalarKernels.INSTANCE.quadForms(a, aOff, n, xs, xOff, count, out, outOff);
      return;
    }
    assert aOff + n * n <= a.length && xOff + count * n <= xs.length && outOff + count <= out.length;
    int bound = SPECIES.loopBound(n);
    int j = 0;
    // Four contexts per pass share every load of a row chunk of A.
    for (; j + 3 < count; j += 4) {
      int x0 = xOff + j * n, x1 = x0 + n, x2 = x1 + n, x3 = x2 + n;
      DoubleVector q0 = DoubleVector.zero(SPECIES), q1 = q0, q2 = q0, q3 = q0;
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (int r = 0; r < n; r++) {
        int row = aOff + r * n;
        DoubleVector t0 = DoubleVector.zero(SPECIES), t1 = t0, t2 = t0, t3 = t0;
        int c = 0;
        for (; c < bound; c += LANES) {
          DoubleVector ar = DoubleVector.fromArray(SPECIES, a, row + c);
          t0 = ar.fma(DoubleVector.fromArray(SPECIES, xs, x0 + c), t0);
          t1 = ar.fma(DoubleVector.fromArray(SPECIES, xs, x1 + c), t1);
          t2 = ar.fma(DoubleVector.fromArray(SPECIES, xs, x2 + c), t2);
          t3 = ar.fma(DoubleVector.fromArray(SPECIES, xs, x3 + c), t3);
        }
        double u0 = 0, u1 = 0, u2 = 0, u3 = 0;
        for (; c < n; c++) {
          double arc = a[row + c];
          u0 = Math.fma(arc, xs[x0 + c], u0);
          u1 = Math.fma(arc, xs[x1 + c], u1);
          u2 = Math.fma(arc, xs[x2 + c], u2);
          u3 = Math.fma(arc, xs[x3 + c], u3);
        }
        q0 = t0.fma(DoubleVector.broadcast(SPECIES, xs[x0 + r]), q0);
        q1 = t1.fma(DoubleVector.broadcast(SPECIES, xs[x1 + r]), q1);
        q2 = t2.fma(DoubleVector.broadcast(SPECIES, xs[x2 + r]), q2);
        q3 = t3.fma(DoubleVector.broadcast(SPECIES, xs[x3 + r]), q3);
        s0 = Math.fma(xs[x0 + r], u0, s0);
        s1 = Math.fma(xs[x1 + r], u1, s1);
        s2 = Math.fma(xs[x2 + r], u2, s2);
        s3 = Math.fma(xs[x3 + r], u3, s3);
      }
      DoubleVector r0F = q0;
      if (LANES >= 8) {
        r0F = r0F.add(r0F.rearrange(SWAP4));
      }
      if (LANES >= 4) {
        r0F = r0F.add(r0F.rearrange(SWAP2));
      }
      r0F = r0F.add(r0F.rearrange(SWAP1));
      out[outOff + j] = r0F.lane(0) + s0;
      DoubleVector r1F = q1;
      if (LANES >= 8) {
        r1F = r1F.add(r1F.rearrange(SWAP4));
      }
      if (LANES >= 4) {
        r1F = r1F.add(r1F.rearrange(SWAP2));
      }
      r1F = r1F.add(r1F.rearrange(SWAP1));
      out[outOff + j + 1] = r1F.lane(0) + s1;
      DoubleVector r2F = q2;
      if (LANES >= 8) {
        r2F = r2F.add(r2F.rearrange(SWAP4));
      }
      if (LANES >= 4) {
        r2F = r2F.add(r2F.rearrange(SWAP2));
      }
      r2F = r2F.add(r2F.rearrange(SWAP1));
      out[outOff + j + 2] = r2F.lane(0) + s2;
      DoubleVector r3F = q3;
      if (LANES >= 8) {
        r3F = r3F.add(r3F.rearrange(SWAP4));
      }
      if (LANES >= 4) {
        r3F = r3F.add(r3F.rearrange(SWAP2));
      }
      r3F = r3F.add(r3F.rearrange(SWAP1));
      out[outOff + j + 3] = r3F.lane(0) + s3;
    }
    for (; j < count; j++) {
      out[outOff + j] = quadForm(a, aOff, n, xs, xOff + j * n);
    }
  }

  private static double[] upperCoefficients() {
    double[] c = new double[LANES * LANES];
    for (int p = 0; p < LANES; p++) {
      for (int l = 0; l < LANES; l++) {
        c[p * LANES + l] = l < p ? 0.0 : l == p ? 1.0 : 2.0;
      }
    }
    return c;
  }

  /**
   * Two matrices per pass share every load of the packed outer product; four accumulators each keep
   * eight FMA chains in flight. The stride is a multiple of {@code 4·LANES} in practice (the zero padding
   * makes every pass whole); otherwise the last entries are summed in scalar, after the lane fold.
   */
  @Override
  public void symQuadFormsPacked(double[] p, int pOff, int stride, int n, int count, double[] x, int xOff,
                                 double[] work, double[] out, int outOff) {
    int m = DoubleKernels.upperSize(n);
    if (n < minVectorLength) {
      ScalarKernels.INSTANCE.symQuadFormsPacked(p, pOff, stride, n, count, x, xOff, work, out, outOff);
      return;
    }
    assert stride >= m && pOff >= 0 && pOff + count * stride <= p.length && xOff + n <= x.length
        && work.length >= stride;
    formUpperOuter(x, xOff, n, work);
    int step = 4 * LANES;
    int bound = m - m % step;
    if (bound < m && stride >= bound + step) {
      bound += step; // the zero padding completes the last pass
    }
    int k = 0;
    // Eight or four matrices per pass: each load of the outer product serves as many FMAs, and more
    // streams are in flight when the matrices come from L3 (100×50).
    if (FORMS8) {
      for (; k + 7 < count; k += 8) {
        symForms8(p, pOff + k * stride, stride, bound, m, work, out, outOff + k);
      }
    }
    // Four per pass (10 loads per 8 FMAs against 12 with two matrices). The rest in a pair and one by
    // one, with the same arithmetic per matrix, so that equal matrices give equal forms wherever they sit
    // (ties between arms must go to the lowest index, as in the reference implementations).
    for (; k + 3 < count; k += 4) {
      int b = pOff + k * stride;
      symForms4(p, b, b + stride, b + 2 * stride, b + 3 * stride, bound, m, work, out, outOff + k);
    }
    // A pair shares the outer product's loads and keeps four chains in flight (one arm alone keeps two,
    // and waits on the FMA latency).
    if (k + 1 < count) {
      symForms2(p, pOff + k * stride, pOff + (k + 1) * stride, bound, m, work, out, outOff + k);
      k += 2;
    }
    for (; k < count; k++) {
      out[outOff + k] = symForm1(p, pOff + k * stride, bound, m, work);
    }
  }

  @Override
  public void upperOuter(double[] x, int xOff, int n, double[] work) {
    if (n < minVectorLength) {
      ScalarKernels.formUpperOuter(x, xOff, n, work);
    } else {
      formUpperOuter(x, xOff, n, work);
    }
  }

  @Override
  public void symQuadFormsPackedAt(double[] p, int pOff, int stride, int n, int[] which, int count, double[] work,
                                   double[] out) {
    int m = DoubleKernels.upperSize(n);
    if (n < minVectorLength) {
      ScalarKernels.INSTANCE.symQuadFormsPackedAt(p, pOff, stride, n, which, count, work, out);
      return;
    }
    assert stride >= m && count <= which.length && work.length >= stride;
    int step = 4 * LANES;
    int bound = m - m % step;
    if (bound < m && stride >= bound + step) {
      bound += step;
    }
    int j = 0;
    for (; j + 3 < count; j += 4) {
      symForms4(p, pOff + which[j] * stride, pOff + which[j + 1] * stride, pOff + which[j + 2] * stride,
          pOff + which[j + 3] * stride, bound, m, work, out, j);
    }
    if (j + 1 < count) {
      symForms2(p, pOff + which[j] * stride, pOff + which[j + 1] * stride, bound, m, work, out, j);
      j += 2;
    }
    if (j < count) {
      out[j] = symForm1(p, pOff + which[j] * stride, bound, m, work);
    }
  }

  /** One form of {@link #symQuadFormsPacked}, with exactly the arithmetic of each of {@link #symForms4}. */
  private static double symForm1(double[] p, int b0, int bound, int m, double[] work) {
    DoubleVector a0 = DoubleVector.zero(SPECIES);
    DoubleVector a1 = a0;
    for (int t = 0; t < bound; t += 2 * LANES) {
      a0 = DoubleVector.fromArray(SPECIES, p, b0 + t).fma(DoubleVector.fromArray(SPECIES, work, t), a0);
      a1 = DoubleVector.fromArray(SPECIES, p, b0 + t + LANES)
          .fma(DoubleVector.fromArray(SPECIES, work, t + LANES), a1);
    }
    double t0 = 0;
    for (int t = bound; t < m; t++) {
      t0 = Math.fma(p[b0 + t], work[t], t0);
    }
    DoubleVector f0 = a0.add(a1);
    if (LANES >= 8) {
      f0 = f0.add(f0.rearrange(SWAP4));
    }
    if (LANES >= 4) {
      f0 = f0.add(f0.rearrange(SWAP2));
    }
    f0 = f0.add(f0.rearrange(SWAP1));
    return f0.lane(0) + t0;
  }

  /** Two forms of {@link #symQuadFormsPacked}, each with exactly the arithmetic of {@link #symForm1}. */
  private static void symForms2(double[] p, int b0, int b1, int bound, int m, double[] work, double[] out,
                                int outAt) {
    DoubleVector a0 = DoubleVector.zero(SPECIES), a1 = a0, c0 = a0, c1 = a0;
    for (int t = 0; t < bound; t += 2 * LANES) {
      DoubleVector w0 = DoubleVector.fromArray(SPECIES, work, t);
      DoubleVector w1 = DoubleVector.fromArray(SPECIES, work, t + LANES);
      a0 = DoubleVector.fromArray(SPECIES, p, b0 + t).fma(w0, a0);
      c0 = DoubleVector.fromArray(SPECIES, p, b1 + t).fma(w0, c0);
      a1 = DoubleVector.fromArray(SPECIES, p, b0 + t + LANES).fma(w1, a1);
      c1 = DoubleVector.fromArray(SPECIES, p, b1 + t + LANES).fma(w1, c1);
    }
    double t0 = 0;
    double t1 = 0;
    for (int t = bound; t < m; t++) {
      double w = work[t];
      t0 = Math.fma(p[b0 + t], w, t0);
      t1 = Math.fma(p[b1 + t], w, t1);
    }
    DoubleVector f0 = a0.add(a1);
    DoubleVector f1 = c0.add(c1);
    if (LANES >= 8) {
      f0 = f0.add(f0.rearrange(SWAP4));
      f1 = f1.add(f1.rearrange(SWAP4));
    }
    if (LANES >= 4) {
      f0 = f0.add(f0.rearrange(SWAP2));
      f1 = f1.add(f1.rearrange(SWAP2));
    }
    f0 = f0.add(f0.rearrange(SWAP1));
    f1 = f1.add(f1.rearrange(SWAP1));
    out[outAt] = f0.lane(0) + t0;
    out[outAt + 1] = f1.lane(0) + t1;
  }

  /**
   * Whether {@link #symQuadFormsPacked} scores eight matrices per pass: sixteen accumulators and two
   * operands need the 32 vector registers of AVX-512 hardware (the preferred species' width is the
   * proxy); with 16 they would spill. Eight streams at once instead of four: 100×50 decide 29.6–30.2
   * against 31.2–33.7 µs, 20×10 289–303 against 337–341 ns (JMH, alternated, BENCHMARKS.md).
   */
  private static final boolean FORMS8 = DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;

  /** Eight consecutive matrices {@code b0 + j·stride}, each with exactly {@link #symForm1}'s arithmetic. */
  private static void symForms8(double[] p, int b0, int stride, int bound, int m, double[] work, double[] out,
                                int outAt) {
    DoubleVector z = DoubleVector.zero(SPECIES);
    DoubleVector a0 = z, a1 = z, c0 = z, c1 = z, e0 = z, e1 = z, g0 = z, g1 = z;
    DoubleVector h0 = z, h1 = z, i0 = z, i1 = z, j0 = z, j1 = z, l0 = z, l1 = z;
    int p0 = b0, p1 = b0 + stride, p2 = b0 + 2 * stride, p3 = b0 + 3 * stride;
    int p4 = b0 + 4 * stride, p5 = b0 + 5 * stride, p6 = b0 + 6 * stride, p7 = b0 + 7 * stride;
    for (int t = 0; t < bound; t += 2 * LANES) {
      DoubleVector w0 = DoubleVector.fromArray(SPECIES, work, t);
      DoubleVector w1 = DoubleVector.fromArray(SPECIES, work, t + LANES);
      a0 = DoubleVector.fromArray(SPECIES, p, p0 + t).fma(w0, a0);
      c0 = DoubleVector.fromArray(SPECIES, p, p1 + t).fma(w0, c0);
      e0 = DoubleVector.fromArray(SPECIES, p, p2 + t).fma(w0, e0);
      g0 = DoubleVector.fromArray(SPECIES, p, p3 + t).fma(w0, g0);
      h0 = DoubleVector.fromArray(SPECIES, p, p4 + t).fma(w0, h0);
      i0 = DoubleVector.fromArray(SPECIES, p, p5 + t).fma(w0, i0);
      j0 = DoubleVector.fromArray(SPECIES, p, p6 + t).fma(w0, j0);
      l0 = DoubleVector.fromArray(SPECIES, p, p7 + t).fma(w0, l0);
      a1 = DoubleVector.fromArray(SPECIES, p, p0 + t + LANES).fma(w1, a1);
      c1 = DoubleVector.fromArray(SPECIES, p, p1 + t + LANES).fma(w1, c1);
      e1 = DoubleVector.fromArray(SPECIES, p, p2 + t + LANES).fma(w1, e1);
      g1 = DoubleVector.fromArray(SPECIES, p, p3 + t + LANES).fma(w1, g1);
      h1 = DoubleVector.fromArray(SPECIES, p, p4 + t + LANES).fma(w1, h1);
      i1 = DoubleVector.fromArray(SPECIES, p, p5 + t + LANES).fma(w1, i1);
      j1 = DoubleVector.fromArray(SPECIES, p, p6 + t + LANES).fma(w1, j1);
      l1 = DoubleVector.fromArray(SPECIES, p, p7 + t + LANES).fma(w1, l1);
    }
    DoubleVector f0 = a0.add(a1);
    DoubleVector f1 = c0.add(c1);
    DoubleVector f2 = e0.add(e1);
    DoubleVector f3 = g0.add(g1);
    DoubleVector f4 = h0.add(h1);
    DoubleVector f5 = i0.add(i1);
    DoubleVector f6 = j0.add(j1);
    DoubleVector f7 = l0.add(l1);
    if (LANES >= 8) {
      f0 = f0.add(f0.rearrange(SWAP4));
      f1 = f1.add(f1.rearrange(SWAP4));
      f2 = f2.add(f2.rearrange(SWAP4));
      f3 = f3.add(f3.rearrange(SWAP4));
      f4 = f4.add(f4.rearrange(SWAP4));
      f5 = f5.add(f5.rearrange(SWAP4));
      f6 = f6.add(f6.rearrange(SWAP4));
      f7 = f7.add(f7.rearrange(SWAP4));
    }
    if (LANES >= 4) {
      f0 = f0.add(f0.rearrange(SWAP2));
      f1 = f1.add(f1.rearrange(SWAP2));
      f2 = f2.add(f2.rearrange(SWAP2));
      f3 = f3.add(f3.rearrange(SWAP2));
      f4 = f4.add(f4.rearrange(SWAP2));
      f5 = f5.add(f5.rearrange(SWAP2));
      f6 = f6.add(f6.rearrange(SWAP2));
      f7 = f7.add(f7.rearrange(SWAP2));
    }
    f0 = f0.add(f0.rearrange(SWAP1));
    f1 = f1.add(f1.rearrange(SWAP1));
    f2 = f2.add(f2.rearrange(SWAP1));
    f3 = f3.add(f3.rearrange(SWAP1));
    f4 = f4.add(f4.rearrange(SWAP1));
    f5 = f5.add(f5.rearrange(SWAP1));
    f6 = f6.add(f6.rearrange(SWAP1));
    f7 = f7.add(f7.rearrange(SWAP1));
    double t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
    for (int t = bound; t < m; t++) {
      double w = work[t];
      t0 = Math.fma(p[p0 + t], w, t0);
      t1 = Math.fma(p[p1 + t], w, t1);
      t2 = Math.fma(p[p2 + t], w, t2);
      t3 = Math.fma(p[p3 + t], w, t3);
      t4 = Math.fma(p[p4 + t], w, t4);
      t5 = Math.fma(p[p5 + t], w, t5);
      t6 = Math.fma(p[p6 + t], w, t6);
      t7 = Math.fma(p[p7 + t], w, t7);
    }
    out[outAt + 0] = f0.lane(0) + t0;
    out[outAt + 1] = f1.lane(0) + t1;
    out[outAt + 2] = f2.lane(0) + t2;
    out[outAt + 3] = f3.lane(0) + t3;
    out[outAt + 4] = f4.lane(0) + t4;
    out[outAt + 5] = f5.lane(0) + t5;
    out[outAt + 6] = f6.lane(0) + t6;
    out[outAt + 7] = f7.lane(0) + t7;
  }

  /** Four forms of {@link #symQuadFormsPacked}; {@code bound} is a multiple of {@code 4·LANES}. */
  private static void symForms4(double[] p, int b0, int b1, int b2, int b3, int bound, int m, double[] work,
                                double[] out, int outAt) {
    DoubleVector a0 = DoubleVector.zero(SPECIES), a1 = a0, c0 = a0, c1 = a0, e0 = a0, e1 = a0, g0 = a0, g1 = a0;
    for (int t = 0; t < bound; t += 2 * LANES) {
      DoubleVector w0 = DoubleVector.fromArray(SPECIES, work, t);
      DoubleVector w1 = DoubleVector.fromArray(SPECIES, work, t + LANES);
      a0 = DoubleVector.fromArray(SPECIES, p, b0 + t).fma(w0, a0);
      c0 = DoubleVector.fromArray(SPECIES, p, b1 + t).fma(w0, c0);
      e0 = DoubleVector.fromArray(SPECIES, p, b2 + t).fma(w0, e0);
      g0 = DoubleVector.fromArray(SPECIES, p, b3 + t).fma(w0, g0);
      a1 = DoubleVector.fromArray(SPECIES, p, b0 + t + LANES).fma(w1, a1);
      c1 = DoubleVector.fromArray(SPECIES, p, b1 + t + LANES).fma(w1, c1);
      e1 = DoubleVector.fromArray(SPECIES, p, b2 + t + LANES).fma(w1, e1);
      g1 = DoubleVector.fromArray(SPECIES, p, b3 + t + LANES).fma(w1, g1);
    }
    double t0 = 0;
    double t1 = 0;
    double t2 = 0;
    double t3 = 0;
    for (int t = bound; t < m; t++) {
      double w = work[t];
      t0 = Math.fma(p[b0 + t], w, t0);
      t1 = Math.fma(p[b1 + t], w, t1);
      t2 = Math.fma(p[b2 + t], w, t2);
      t3 = Math.fma(p[b3 + t], w, t3);
    }
    DoubleVector f0 = a0.add(a1);
    DoubleVector f1 = c0.add(c1);
    DoubleVector f2 = e0.add(e1);
    DoubleVector f3 = g0.add(g1);
    if (LANES >= 8) {
      f0 = f0.add(f0.rearrange(SWAP4));
      f1 = f1.add(f1.rearrange(SWAP4));
      f2 = f2.add(f2.rearrange(SWAP4));
      f3 = f3.add(f3.rearrange(SWAP4));
    }
    if (LANES >= 4) {
      f0 = f0.add(f0.rearrange(SWAP2));
      f1 = f1.add(f1.rearrange(SWAP2));
      f2 = f2.add(f2.rearrange(SWAP2));
      f3 = f3.add(f3.rearrange(SWAP2));
    }
    f0 = f0.add(f0.rearrange(SWAP1));
    f1 = f1.add(f1.rearrange(SWAP1));
    f2 = f2.add(f2.rearrange(SWAP1));
    f3 = f3.add(f3.rearrange(SWAP1));
    out[outAt] = f0.lane(0) + t0;
    out[outAt + 1] = f1.lane(0) + t1;
    out[outAt + 2] = f2.lane(0) + t2;
    out[outAt + 3] = f3.lane(0) + t3;
  }

  /**
   * {@code x xᵀ} in the chunk-aligned upper layout, values exactly as {@link ScalarKernels#formUpperOuter}:
   * a row's first chunk is its coefficient row of {@link #UPPER_COEF} (0 left of the diagonal, 1 on it,
   * 2 right of it) times {@code x_i·x}, the others {@code 2x_i·x}; columns past the last full vector are
   * written one by one.
   */
  private static void formUpperOuter(double[] x, int xOff, int n, double[] work) {
    if (LANES == UPPER_CHUNK && (n & (UPPER_CHUNK - 1)) == 0) {
      formUpperOuterWhole(x, xOff, n, work);
      return;
    }
    for (int i = 0; i < n; i++) {
      double xi = x[xOff + i];
      int first = i & -UPPER_CHUNK;
      int row = DoubleKernels.upperRowOffset(n, i) - first;
      int c = first;
      if (LANES == UPPER_CHUNK && c + LANES <= n) {
        DoubleVector.fromArray(SPECIES, UPPER_COEF, (i - first) * LANES).mul(DoubleVector.broadcast(SPECIES, xi))
            .mul(DoubleVector.fromArray(SPECIES, x, xOff + first)).intoArray(work, row + first);
        c += LANES;
      } else {
        for (; c < first + UPPER_CHUNK && c < n; c++) {
          work[row + c] = (c < i ? 0.0 : c == i ? xi : 2.0 * xi) * x[xOff + c];
        }
      }
      DoubleVector twoXi = DoubleVector.broadcast(SPECIES, 2.0 * xi);
      for (; c + LANES <= n; c += LANES) {
        twoXi.mul(DoubleVector.fromArray(SPECIES, x, xOff + c)).intoArray(work, row + c);
      }
      for (; c < n; c++) {
        work[row + c] = (c < i ? 0.0 : c == i ? xi : 2.0 * xi) * x[xOff + c];
      }
    }
  }

  /**
   * {@link #formUpperOuter} when every row is whole chunks ({@code n} a multiple of {@code LANES = 4}):
   * the four rows that start at the same chunk are written together, each chunk of {@code x} loaded once
   * for them, so the loop runs {@code n/4} times per group instead of once per row (same values).
   */
  private static void formUpperOuterWhole(double[] x, int xOff, int n, double[] work) {
    DoubleVector coef0 = DoubleVector.fromArray(SPECIES, UPPER_COEF, 0);
    DoubleVector coef1 = DoubleVector.fromArray(SPECIES, UPPER_COEF, LANES);
    DoubleVector coef2 = DoubleVector.fromArray(SPECIES, UPPER_COEF, 2 * LANES);
    DoubleVector coef3 = DoubleVector.fromArray(SPECIES, UPPER_COEF, 3 * LANES);
    int r0 = 0;
    for (int first = 0; first < n; first += LANES) {
      int len = n - first;
      int r1 = r0 + len;
      int r2 = r1 + len;
      int r3 = r2 + len;
      double x0 = x[xOff + first];
      double x1 = x[xOff + first + 1];
      double x2 = x[xOff + first + 2];
      double x3 = x[xOff + first + 3];
      DoubleVector xf = DoubleVector.fromArray(SPECIES, x, xOff + first);
      coef0.mul(DoubleVector.broadcast(SPECIES, x0)).mul(xf).intoArray(work, r0);
      coef1.mul(DoubleVector.broadcast(SPECIES, x1)).mul(xf).intoArray(work, r1);
      coef2.mul(DoubleVector.broadcast(SPECIES, x2)).mul(xf).intoArray(work, r2);
      coef3.mul(DoubleVector.broadcast(SPECIES, x3)).mul(xf).intoArray(work, r3);
      DoubleVector t0 = DoubleVector.broadcast(SPECIES, 2.0 * x0);
      DoubleVector t1 = DoubleVector.broadcast(SPECIES, 2.0 * x1);
      DoubleVector t2 = DoubleVector.broadcast(SPECIES, 2.0 * x2);
      DoubleVector t3 = DoubleVector.broadcast(SPECIES, 2.0 * x3);
      for (int c = LANES; c < len; c += LANES) {
        DoubleVector xc = DoubleVector.fromArray(SPECIES, x, xOff + first + c);
        t0.mul(xc).intoArray(work, r0 + c);
        t1.mul(xc).intoArray(work, r1 + c);
        t2.mul(xc).intoArray(work, r2 + c);
        t3.mul(xc).intoArray(work, r3 + c);
      }
      r0 = r3 + len;
    }
  }

  /**
   * Four rows per pass (one load of each chunk of {@code u} serves four rows; the loop overhead of a
   * 20-wide row is the cost otherwise). Groups, and rows within a chunk, go in decreasing order: a row's
   * copy starts at the vector chunk holding its diagonal, which may also cover the last entries of the
   * previous packed row; that row, written afterwards, overwrites them with its own values.
   */
  @Override
  public void rankOneDowndateCopy(double[] a, int off, int n, double c, double[] u, int uOff, double[] packed,
                                  int pOff) {
    if (n < minVectorLength) {
      ScalarKernels.INSTANCE.rankOneDowndateCopy(a, off, n, c, u, uOff, packed, pOff);
      return;
    }
    assert off >= 0 && off + n * n <= a.length && uOff + n <= u.length
        && (packed == null || pOff + DoubleKernels.upperSize(n) <= packed.length);
    int bound = SPECIES.loopBound(n);
    int groups = n >> 2;
    // Rows past the last group of four, one at a time, first (they have the highest indices).
    for (int r = n - 1; r >= groups << 2; r--) {
      downdateRow(a, off, n, bound, c, u, uOff, packed, pOff, r);
    }
    for (int r = (groups - 1) << 2; r >= 0; r -= 4) {
      int row0 = off + r * n;
      int row1 = row0 + n;
      int row2 = row1 + n;
      int row3 = row2 + n;
      double cu0 = -c * u[uOff + r];
      double cu1 = -c * u[uOff + r + 1];
      double cu2 = -c * u[uOff + r + 2];
      double cu3 = -c * u[uOff + r + 3];
      DoubleVector vc0 = DoubleVector.broadcast(SPECIES, cu0);
      DoubleVector vc1 = DoubleVector.broadcast(SPECIES, cu1);
      DoubleVector vc2 = DoubleVector.broadcast(SPECIES, cu2);
      DoubleVector vc3 = DoubleVector.broadcast(SPECIES, cu3);
      // The four rows share their first chunk (r is a multiple of 4).
      int first = r & -LANES;
      int col = 0;
      if (packed == null) {
        first = bound;
      }
      for (; col < first; col += LANES) {
        DoubleVector uv = DoubleVector.fromArray(SPECIES, u, uOff + col);
        uv.fma(vc3, DoubleVector.fromArray(SPECIES, a, row3 + col)).intoArray(a, row3 + col);
        uv.fma(vc2, DoubleVector.fromArray(SPECIES, a, row2 + col)).intoArray(a, row2 + col);
        uv.fma(vc1, DoubleVector.fromArray(SPECIES, a, row1 + col)).intoArray(a, row1 + col);
        uv.fma(vc0, DoubleVector.fromArray(SPECIES, a, row0 + col)).intoArray(a, row0 + col);
      }
      if (packed == null) {
        for (; col < n; col++) {
          double uc = u[uOff + col];
          a[row3 + col] = Math.fma(cu3, uc, a[row3 + col]);
          a[row2 + col] = Math.fma(cu2, uc, a[row2 + col]);
          a[row1 + col] = Math.fma(cu1, uc, a[row1 + col]);
          a[row0 + col] = Math.fma(cu0, uc, a[row0 + col]);
        }
        continue;
      }
      // Row i of the upper layout holds column j at prow_i + j (from column r, shared by the four).
      int prow0 = pOff + DoubleKernels.upperRowOffset(n, r) - r;
      int prow1 = pOff + DoubleKernels.upperRowOffset(n, r + 1) - r;
      int prow2 = pOff + DoubleKernels.upperRowOffset(n, r + 2) - r;
      int prow3 = pOff + DoubleKernels.upperRowOffset(n, r + 3) - r;
      for (; col < bound; col += LANES) {
        DoubleVector uv = DoubleVector.fromArray(SPECIES, u, uOff + col);
        DoubleVector v3 = uv.fma(vc3, DoubleVector.fromArray(SPECIES, a, row3 + col));
        v3.intoArray(a, row3 + col);
        v3.intoArray(packed, prow3 + col);
        DoubleVector v2 = uv.fma(vc2, DoubleVector.fromArray(SPECIES, a, row2 + col));
        v2.intoArray(a, row2 + col);
        v2.intoArray(packed, prow2 + col);
        DoubleVector v1 = uv.fma(vc1, DoubleVector.fromArray(SPECIES, a, row1 + col));
        v1.intoArray(a, row1 + col);
        v1.intoArray(packed, prow1 + col);
        DoubleVector v0 = uv.fma(vc0, DoubleVector.fromArray(SPECIES, a, row0 + col));
        v0.intoArray(a, row0 + col);
        v0.intoArray(packed, prow0 + col);
      }
      for (; col < n; col++) {
        double uc = u[uOff + col];
        packed[prow3 + col] = a[row3 + col] = Math.fma(cu3, uc, a[row3 + col]);
        packed[prow2 + col] = a[row2 + col] = Math.fma(cu2, uc, a[row2 + col]);
        packed[prow1 + col] = a[row1 + col] = Math.fma(cu1, uc, a[row1 + col]);
        packed[prow0 + col] = a[row0 + col] = Math.fma(cu0, uc, a[row0 + col]);
      }
    }
  }

  /** One row of {@link #rankOneDowndateCopy}. */
  private static void downdateRow(double[] a, int off, int n, int bound, double c, double[] u, int uOff,
                                  double[] packed, int pOff, int r) {
    int row = off + r * n;
    double cur = -c * u[uOff + r];
    DoubleVector vcu = DoubleVector.broadcast(SPECIES, cur);
    int first = r & -LANES;
    int first4 = r & -UPPER_CHUNK;
    int prow = pOff + DoubleKernels.upperRowOffset(n, r) - first4;
    int col = 0;
    for (; col < bound; col += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, u, uOff + col)
          .fma(vcu, DoubleVector.fromArray(SPECIES, a, row + col));
      v.intoArray(a, row + col);
      if (packed != null && col >= first) {
        v.intoArray(packed, prow + col);
      }
    }
    for (; col < n; col++) {
      double v = Math.fma(cur, u[uOff + col], a[row + col]);
      a[row + col] = v;
      if (packed != null && col >= first4) {
        packed[prow + col] = v;
      }
    }
  }

  /** Lanes {@code ≥ 1}, {@code ≥ 2}, {@code ≥ 3}: the diagonal chunk's entries on and right of row k's diagonal. */
  private static final VectorMask<Double> FROM_LANE1 = VectorMask.fromLong(SPECIES, 0b1110);
  private static final VectorMask<Double> FROM_LANE2 = VectorMask.fromLong(SPECIES, 0b1100);
  private static final VectorMask<Double> FROM_LANE3 = VectorMask.fromLong(SPECIES, 0b1000);

  /**
   * The four rows that share a first chunk at once: each chunk of a row is loaded once and serves its
   * row sum (an FMA with {@code x}, four lane partials folded at the end of the group as {@link #gemv}
   * folds) and the column terms of {@code y} (an FMA with the broadcast {@code x_i} into {@code y}'s
   * chunk, which lives in {@code y} between groups). Whole chunks only ({@code n} a multiple of 4).
   */
  @Override
  public void symPackedGemv(double[] p, int pOff, int n, double[] x, int xOff, double[] y, int yOff) {
    if (LANES != UPPER_CHUNK || (n & (UPPER_CHUNK - 1)) != 0 || n < minVectorLength) {
      ScalarKernels.INSTANCE.symPackedGemv(p, pOff, n, x, xOff, y, yOff);
      return;
    }
    assert pOff >= 0 && pOff + DoubleKernels.upperSize(n) <= p.length && xOff + n <= x.length
        && yOff + n <= y.length;
    DoubleVector zero = DoubleVector.zero(SPECIES);
    for (int c = 0; c < n; c += LANES) {
      zero.intoArray(y, yOff + c);
    }
    int r0 = pOff;
    for (int first = 0; first < n; first += LANES) {
      int len = n - first;
      int r1 = r0 + len;
      int r2 = r1 + len;
      int r3 = r2 + len;
      DoubleVector b0 = DoubleVector.broadcast(SPECIES, x[xOff + first]);
      DoubleVector b1 = DoubleVector.broadcast(SPECIES, x[xOff + first + 1]);
      DoubleVector b2 = DoubleVector.broadcast(SPECIES, x[xOff + first + 2]);
      DoubleVector b3 = DoubleVector.broadcast(SPECIES, x[xOff + first + 3]);
      DoubleVector xf = DoubleVector.fromArray(SPECIES, x, xOff + first);
      DoubleVector p0 = DoubleVector.fromArray(SPECIES, p, r0);
      DoubleVector p1 = DoubleVector.fromArray(SPECIES, p, r1);
      DoubleVector p2 = DoubleVector.fromArray(SPECIES, p, r2);
      DoubleVector p3 = DoubleVector.fromArray(SPECIES, p, r3);
      // The diagonal chunk: row k's own sum from lane k on, its column terms right of lane k (row 3 has
      // none). Selected, not multiplied by 0: the entries left of the diagonal are never read into a sum.
      DoubleVector acc0 = p0.mul(xf);
      DoubleVector acc1 = zero.blend(p1.mul(xf), FROM_LANE1);
      DoubleVector acc2 = zero.blend(p2.mul(xf), FROM_LANE2);
      DoubleVector acc3 = zero.blend(p3.mul(xf), FROM_LANE3);
      DoubleVector yf = DoubleVector.fromArray(SPECIES, y, yOff + first);
      yf = yf.blend(p0.fma(b0, yf), FROM_LANE1);
      yf = yf.blend(p1.fma(b1, yf), FROM_LANE2);
      yf = yf.blend(p2.fma(b2, yf), FROM_LANE3);
      for (int c = LANES; c < len; c += LANES) {
        DoubleVector xc = DoubleVector.fromArray(SPECIES, x, xOff + first + c);
        DoubleVector q0 = DoubleVector.fromArray(SPECIES, p, r0 + c);
        DoubleVector q1 = DoubleVector.fromArray(SPECIES, p, r1 + c);
        DoubleVector q2 = DoubleVector.fromArray(SPECIES, p, r2 + c);
        DoubleVector q3 = DoubleVector.fromArray(SPECIES, p, r3 + c);
        acc0 = q0.fma(xc, acc0);
        acc1 = q1.fma(xc, acc1);
        acc2 = q2.fma(xc, acc2);
        acc3 = q3.fma(xc, acc3);
        DoubleVector yc = DoubleVector.fromArray(SPECIES, y, yOff + first + c);
        yc = q0.fma(b0, yc);
        yc = q1.fma(b1, yc);
        yc = q2.fma(b2, yc);
        yc = q3.fma(b3, yc);
        yc.intoArray(y, yOff + first + c);
      }
      DoubleVector ab = acc0.add(acc0.rearrange(SWAP1)).blend(acc1.add(acc1.rearrange(SWAP1)), ODD_LANES);
      DoubleVector cd = acc2.add(acc2.rearrange(SWAP1)).blend(acc3.add(acc3.rearrange(SWAP1)), ODD_LANES);
      yf.add(ab.add(ab.rearrange(SWAP2)).blend(cd.add(cd.rearrange(SWAP2)), HIGH_LANES)).intoArray(y, yOff + first);
      r0 = r3 + len;
    }
  }

  /** Four rows per step (one load of each chunk of {@code u} for them), every stored entry of each. */
  @Override
  public void packedRankOneDowndate(double[] p, int pOff, int n, double c, double[] u, int uOff) {
    if (LANES != UPPER_CHUNK || (n & (UPPER_CHUNK - 1)) != 0 || n < minVectorLength) {
      ScalarKernels.INSTANCE.packedRankOneDowndate(p, pOff, n, c, u, uOff);
      return;
    }
    assert pOff >= 0 && pOff + DoubleKernels.upperSize(n) <= p.length && uOff + n <= u.length;
    int r0 = pOff;
    for (int first = 0; first < n; first += LANES) {
      int len = n - first;
      int r1 = r0 + len;
      int r2 = r1 + len;
      int r3 = r2 + len;
      DoubleVector c0 = DoubleVector.broadcast(SPECIES, -c * u[uOff + first]);
      DoubleVector c1 = DoubleVector.broadcast(SPECIES, -c * u[uOff + first + 1]);
      DoubleVector c2 = DoubleVector.broadcast(SPECIES, -c * u[uOff + first + 2]);
      DoubleVector c3 = DoubleVector.broadcast(SPECIES, -c * u[uOff + first + 3]);
      for (int col = 0; col < len; col += LANES) {
        DoubleVector uv = DoubleVector.fromArray(SPECIES, u, uOff + first + col);
        c0.fma(uv, DoubleVector.fromArray(SPECIES, p, r0 + col)).intoArray(p, r0 + col);
        c1.fma(uv, DoubleVector.fromArray(SPECIES, p, r1 + col)).intoArray(p, r1 + col);
        c2.fma(uv, DoubleVector.fromArray(SPECIES, p, r2 + col)).intoArray(p, r2 + col);
        c3.fma(uv, DoubleVector.fromArray(SPECIES, p, r3 + col)).intoArray(p, r3 + col);
      }
      r0 = r3 + len;
    }
  }

  /**
   * Four contexts per step: a chunk of {@code G} is loaded and stored once per four rank-one terms (and
   * once per call for the rest); each entry still takes its terms in order of {@code k}.
   */

  @Override
  public void gramUpdate(double[] g, int off, int n, double[] xs, int xsOff, int count) {
    if (n < minVectorLength) {
      ScalarKernels.INSTANCE.gramUpdate(g, off, n, xs, xsOff, count);
      return;
    }
    assert off >= 0 && off + n * n <= g.length && xsOff >= 0 && xsOff + count * n <= xs.length;
    int bound = SPECIES.loopBound(n);
    for (int r = 0; r < n; r++) {
      int row = off + r * n;
      int k = 0;
      for (; k + 3 < count; k += 4) {
        int x0 = xsOff + k * n;
        int x1 = x0 + n;
        int x2 = x1 + n;
        int x3 = x2 + n;
        double s0 = xs[x0 + r];
        double s1 = xs[x1 + r];
        double s2 = xs[x2 + r];
        double s3 = xs[x3 + r];
        DoubleVector b0 = DoubleVector.broadcast(SPECIES, s0);
        DoubleVector b1 = DoubleVector.broadcast(SPECIES, s1);
        DoubleVector b2 = DoubleVector.broadcast(SPECIES, s2);
        DoubleVector b3 = DoubleVector.broadcast(SPECIES, s3);
        int col = r & -LANES;
        for (; col < bound; col += LANES) {
          DoubleVector v = DoubleVector.fromArray(SPECIES, g, row + col);
          v = DoubleVector.fromArray(SPECIES, xs, x0 + col).fma(b0, v);
          v = DoubleVector.fromArray(SPECIES, xs, x1 + col).fma(b1, v);
          v = DoubleVector.fromArray(SPECIES, xs, x2 + col).fma(b2, v);
          v = DoubleVector.fromArray(SPECIES, xs, x3 + col).fma(b3, v);
          v.intoArray(g, row + col);
        }
        for (col = Math.max(bound, r); col < n; col++) {
          double v = g[row + col];
          v = Math.fma(s0, xs[x0 + col], v);
          v = Math.fma(s1, xs[x1 + col], v);
          v = Math.fma(s2, xs[x2 + col], v);
          v = Math.fma(s3, xs[x3 + col], v);
          g[row + col] = v;
        }
      }
      for (; k < count; k++) {
        int xk = xsOff + k * n;
        double s = xs[xk + r];
        DoubleVector b = DoubleVector.broadcast(SPECIES, s);
        int col = r & -LANES;
        for (; col < bound; col += LANES) {
          DoubleVector.fromArray(SPECIES, xs, xk + col).fma(b, DoubleVector.fromArray(SPECIES, g, row + col))
              .intoArray(g, row + col);
        }
        for (col = Math.max(bound, r); col < n; col++) {
          g[row + col] = Math.fma(s, xs[xk + col], g[row + col]);
        }
      }
    }
  }
}
