package dev.recourse.core.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link ScalarMlpKernels} (layout in {@link MlpKernels}: members as lanes). Loaded
 * reflectively by {@link MlpKernels} only when the vector module is present.
 *
 * <p>Forward: per lane-group of members, a block of four hidden units keeps its {@code b1}, {@code w2}
 * and the first three input coordinates' {@code W1} vectors in registers while the loop runs over the
 * mini-batch; each input costs its coordinates' broadcasts, one load and one store of the output
 * accumulator, and per unit three FMAs, a max and an FMA. Backward: a block of two units keeps its
 * weights and five gradient accumulators ({@code Σ g·[h>0]}, {@code Σ g·z_c·[h>0]} for c < 3,
 * {@code Σ g·h}) in registers over the mini-batch; the ReLU derivative is a compare and a blend.
 * Coordinates from the fourth on are loaded (forward) and accumulated in memory (backward): a general
 * path, not the tuned one. Adam is one flat vector pass.
 *
 * <p>ReLU is {@code p.blend(zero, p.compare(LE, zero))}, a compare and a blend, written out at each use:
 * {@code max(p, 0)} compiles to a five-instruction sequence on x86 (Java's {@code Math.max} semantics
 * for −0.0 and NaN), and a helper method taking a vector risks boxing where C2 declines to inline it.
 * No scalar-argument overloads ({@code v.mul(double)}, {@code blend(double, m)}, ...): they are final
 * methods of {@code DoubleVector} shared by every vector shape, and with the 256-bit kernels of
 * {@link PanamaKernels} in the same JVM their profiles mix shapes; in long test JVMs C2 then left them
 * out of line and the vectors were boxed (≈ 17 KB to 1 MB per ensemble round). Broadcasts are explicit.
 */
final class PanamaMlpKernels implements MlpKernels {

  private static final VectorSpecies<Double> S = selectSpecies();
  private static final int L = S.length();

  private final String name;

  PanamaMlpKernels() {
    if (MlpKernels.STRIDE_MULTIPLE % L != 0) {
      throw new IllegalStateException("unsupported double lane count " + L);
    }
    name = "panama-" + S.vectorBitSize();
  }

  /**
   * 256 bits unless {@code recourse.simd.bits} says otherwise — the shape of {@link PanamaKernels}: with
   * two vector shapes in one JVM, C2 left this class's FMAs to the Vector API's boxing fallback
   * ({@link MlpKernels}). 512 bits were faster alone (no tail, no lane fold here).
   */
  private static VectorSpecies<Double> selectSpecies() {
    return PanamaKernels.species(256);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void forward(double[] th, int d, int h, int stride, double[] z, int n, double[] out) {
    assert stride % L == 0 && th.length >= MlpKernels.numParams(d, h) * stride;
    assert z.length >= n * d && out.length >= n * stride;
    int b2o = (d + 2) * h * stride;
    for (int m = 0; m < stride; m += L) {
      DoubleVector bias = DoubleVector.fromArray(S, th, b2o + m);
      for (int i = 0; i < n; i++) {
        bias.intoArray(out, i * stride + m);
      }
      int j = d == 3 ? forward3(th, h, stride, z, n, out, m, null) : 0;
      for (; j < h; j++) {
        forwardUnit(th, d, h, stride, z, n, out, m, j);
      }
    }
  }

  /**
   * d = 3, all units: blocks of four inputs, their coordinates' broadcasts and four output accumulators
   * in registers while the units' weight vectors stream from L1 (five loads per unit per four inputs);
   * each output is {@code b2 + Σ_j w2_j·relu(·)} in unit order. Returns {@code h}.
   */
  private static int forward3(double[] th, int h, int stride, double[] z, int n, double[] out, int m,
                              double[] pre) {
    int rb = 3 * h * stride + m;
    int rv = 4 * h * stride + m;
    int r1 = h * stride + m;
    int r2 = 2 * h * stride + m;
    DoubleVector zero = DoubleVector.zero(S);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      int zi = i * 3;
      DoubleVector x0 = DoubleVector.broadcast(S, z[zi]);
      DoubleVector x1 = DoubleVector.broadcast(S, z[zi + 1]);
      DoubleVector x2 = DoubleVector.broadcast(S, z[zi + 2]);
      DoubleVector y0 = DoubleVector.broadcast(S, z[zi + 3]);
      DoubleVector y1 = DoubleVector.broadcast(S, z[zi + 4]);
      DoubleVector y2 = DoubleVector.broadcast(S, z[zi + 5]);
      DoubleVector u0 = DoubleVector.broadcast(S, z[zi + 6]);
      DoubleVector u1 = DoubleVector.broadcast(S, z[zi + 7]);
      DoubleVector u2 = DoubleVector.broadcast(S, z[zi + 8]);
      DoubleVector t0 = DoubleVector.broadcast(S, z[zi + 9]);
      DoubleVector t1 = DoubleVector.broadcast(S, z[zi + 10]);
      DoubleVector t2 = DoubleVector.broadcast(S, z[zi + 11]);
      int o = i * stride + m;
      DoubleVector accX = DoubleVector.fromArray(S, out, o);
      DoubleVector accY = DoubleVector.fromArray(S, out, o + stride);
      DoubleVector accU = DoubleVector.fromArray(S, out, o + 2 * stride);
      DoubleVector accT = DoubleVector.fromArray(S, out, o + 3 * stride);
      for (int j = 0; j < h; j++) {
        int js = j * stride;
        DoubleVector b = DoubleVector.fromArray(S, th, rb + js);
        DoubleVector w0 = DoubleVector.fromArray(S, th, m + js);
        DoubleVector w1 = DoubleVector.fromArray(S, th, r1 + js);
        DoubleVector w2 = DoubleVector.fromArray(S, th, r2 + js);
        DoubleVector v = DoubleVector.fromArray(S, th, rv + js);
        DoubleVector pX = w2.fma(x2, w1.fma(x1, w0.fma(x0, b)));
        DoubleVector pY = w2.fma(y2, w1.fma(y1, w0.fma(y0, b)));
        DoubleVector pU = w2.fma(u2, w1.fma(u1, w0.fma(u0, b)));
        DoubleVector pT = w2.fma(t2, w1.fma(t1, w0.fma(t0, b)));
        if (pre != null) {
          int q = (j * n + i) * L;
          pX.intoArray(pre, q);
          pY.intoArray(pre, q + L);
          pU.intoArray(pre, q + 2 * L);
          pT.intoArray(pre, q + 3 * L);
        }
        accX = v.fma(pX.blend(DoubleVector.zero(S), pX.compare(VectorOperators.LE, DoubleVector.zero(S))), accX);
        accY = v.fma(pY.blend(DoubleVector.zero(S), pY.compare(VectorOperators.LE, DoubleVector.zero(S))), accY);
        accU = v.fma(pU.blend(DoubleVector.zero(S), pU.compare(VectorOperators.LE, DoubleVector.zero(S))), accU);
        accT = v.fma(pT.blend(DoubleVector.zero(S), pT.compare(VectorOperators.LE, DoubleVector.zero(S))), accT);
      }
      accX.intoArray(out, o);
      accY.intoArray(out, o + stride);
      accU.intoArray(out, o + 2 * stride);
      accT.intoArray(out, o + 3 * stride);
    }
    for (; i < n; i++) {
      int zi = i * 3;
      DoubleVector x0 = DoubleVector.broadcast(S, z[zi]);
      DoubleVector x1 = DoubleVector.broadcast(S, z[zi + 1]);
      DoubleVector x2 = DoubleVector.broadcast(S, z[zi + 2]);
      int o = i * stride + m;
      DoubleVector accX = DoubleVector.fromArray(S, out, o);
      for (int j = 0; j < h; j++) {
        int js = j * stride;
        DoubleVector b = DoubleVector.fromArray(S, th, rb + js);
        DoubleVector p = DoubleVector.fromArray(S, th, r2 + js).fma(x2, DoubleVector.fromArray(S, th, r1 + js).fma(x1, DoubleVector.fromArray(S, th, m + js).fma(x0, b)));
        if (pre != null) {
          p.intoArray(pre, (j * n + i) * L);
        }
        accX = DoubleVector.fromArray(S, th, rv + js).fma(p.blend(DoubleVector.zero(S), p.compare(VectorOperators.LE, DoubleVector.zero(S))), accX);
      }
      accX.intoArray(out, o);
    }
    return h;
  }

  /** Any d: unit {@code j} of lane group {@code m}, coordinates loaded per input. */
  private static void forwardUnit(double[] th, int d, int h, int stride, double[] z, int n, double[] out,
                                  int m, int j) {
    DoubleVector zero = DoubleVector.zero(S);
    DoubleVector bA = DoubleVector.fromArray(S, th, d * h * stride + j * stride + m);
    DoubleVector vA = DoubleVector.fromArray(S, th, (d + 1) * h * stride + j * stride + m);
    for (int i = 0; i < n; i++) {
      int zi = i * d;
      DoubleVector pA = bA;
      for (int c = 0; c < d; c++) {
        pA = DoubleVector.fromArray(S, th, (c * h + j) * stride + m).fma(DoubleVector.broadcast(S, z[zi + c]), pA);
      }
      int o = i * stride + m;
      vA.fma(pA.blend(DoubleVector.zero(S), pA.compare(VectorOperators.LE, DoubleVector.zero(S))), DoubleVector.fromArray(S, out, o)).intoArray(out, o);
    }
  }

  @Override
  public void backward(double[] th, int d, int h, int stride, double[] z, int n, double[] g, double[] grad) {
    assert stride % L == 0 && th.length >= MlpKernels.numParams(d, h) * stride;
    assert grad.length >= MlpKernels.numParams(d, h) * stride;
    assert z.length >= n * d && g.length >= n * stride;
    int b2o = (d + 2) * h * stride;
    for (int m = 0; m < stride; m += L) {
      DoubleVector gb2 = DoubleVector.zero(S);
      for (int i = 0; i < n; i++) {
        gb2 = gb2.add(DoubleVector.fromArray(S, g, i * stride + m));
      }
      gb2.intoArray(grad, b2o + m);
      int j = d == 3 ? backward3(th, h, stride, z, n, g, grad, m) : 0;
      for (; j < h; j++) {
        backwardUnit(th, d, h, stride, z, n, g, grad, m, j);
      }
    }
  }

  /**
   * d = 3: blocks of two units, weights and the five sums per unit in registers; returns the first unit
   * not done.
   */
  private static int backward3(double[] th, int h, int stride, double[] z, int n, double[] g, double[] grad,
                               int m) {
    int b1o = 3 * h * stride;
    int w2o = 4 * h * stride;
    DoubleVector zero = DoubleVector.zero(S);
    int j = 0;
    for (; j + 2 <= h; j += 2) {
      int rb = b1o + j * stride + m;
      int rv = w2o + j * stride + m;
      int r0 = j * stride + m;
      int r1 = (h + j) * stride + m;
      int r2 = (2 * h + j) * stride + m;
      DoubleVector bA = DoubleVector.fromArray(S, th, rb);
      DoubleVector bB = DoubleVector.fromArray(S, th, rb + stride);
      DoubleVector a0 = DoubleVector.fromArray(S, th, r0);
      DoubleVector b0 = DoubleVector.fromArray(S, th, r0 + stride);
      DoubleVector a1 = DoubleVector.fromArray(S, th, r1);
      DoubleVector b1 = DoubleVector.fromArray(S, th, r1 + stride);
      DoubleVector a2 = DoubleVector.fromArray(S, th, r2);
      DoubleVector b2 = DoubleVector.fromArray(S, th, r2 + stride);
      DoubleVector sA = zero;
      DoubleVector sB = zero;
      DoubleVector sA0 = zero;
      DoubleVector sB0 = zero;
      DoubleVector sA1 = zero;
      DoubleVector sB1 = zero;
      DoubleVector sA2 = zero;
      DoubleVector sB2 = zero;
      DoubleVector hA = zero;
      DoubleVector hB = zero;
      for (int i = 0; i < n; i++) {
        int zi = i * 3;
        DoubleVector z0 = DoubleVector.broadcast(S, z[zi]);
        DoubleVector z1 = DoubleVector.broadcast(S, z[zi + 1]);
        DoubleVector z2 = DoubleVector.broadcast(S, z[zi + 2]);
        DoubleVector pA = a2.fma(z2, a1.fma(z1, a0.fma(z0, bA)));
        DoubleVector pB = b2.fma(z2, b1.fma(z1, b0.fma(z0, bB)));
        DoubleVector gi = DoubleVector.fromArray(S, g, i * stride + m);
        DoubleVector gA = zero.blend(gi, pA.compare(VectorOperators.GT, zero));
        DoubleVector gB = zero.blend(gi, pB.compare(VectorOperators.GT, zero));
        sA = sA.add(gA);
        sB = sB.add(gB);
        sA0 = gA.fma(z0, sA0);
        sB0 = gB.fma(z0, sB0);
        sA1 = gA.fma(z1, sA1);
        sB1 = gB.fma(z1, sB1);
        sA2 = gA.fma(z2, sA2);
        sB2 = gB.fma(z2, sB2);
        hA = gA.fma(pA, hA);
        hB = gB.fma(pB, hB);
      }
      DoubleVector vA = DoubleVector.fromArray(S, th, rv);
      DoubleVector vB = DoubleVector.fromArray(S, th, rv + stride);
      hA.intoArray(grad, rv);
      hB.intoArray(grad, rv + stride);
      vA.mul(sA).intoArray(grad, rb);
      vB.mul(sB).intoArray(grad, rb + stride);
      vA.mul(sA0).intoArray(grad, r0);
      vB.mul(sB0).intoArray(grad, r0 + stride);
      vA.mul(sA1).intoArray(grad, r1);
      vB.mul(sB1).intoArray(grad, r1 + stride);
      vA.mul(sA2).intoArray(grad, r2);
      vB.mul(sB2).intoArray(grad, r2 + stride);
    }
    return j;
  }

  /**
   * d = 3, pre-activations read from {@code pre} (laid out {@code [j][i][lane]}) instead of recomputed;
   * blocks of two units, four sums per unit in registers ({@code ∂w2} from them by the ReLU identity
   * {@code relu(p) = [p>0]·p}); returns the first unit
   * not done.
   */
  private static int backward3Stored(double[] th, int h, int stride, double[] z, int n, double[] g, double[] grad,
                               int m, double[] pre) {
    int b1o = 3 * h * stride;
    int w2o = 4 * h * stride;
    DoubleVector zero = DoubleVector.zero(S);
    int j = 0;
    for (; j + 2 <= h; j += 2) {
      int rb = b1o + j * stride + m;
      int rv = w2o + j * stride + m;
      int r0 = j * stride + m;
      int r1 = (h + j) * stride + m;
      int r2 = (2 * h + j) * stride + m;
      DoubleVector sA = zero;
      DoubleVector sB = zero;
      DoubleVector sA0 = zero;
      DoubleVector sB0 = zero;
      DoubleVector sA1 = zero;
      DoubleVector sB1 = zero;
      DoubleVector sA2 = zero;
      DoubleVector sB2 = zero;
      for (int i = 0; i < n; i++) {
        int zi = i * 3;
        DoubleVector z0 = DoubleVector.broadcast(S, z[zi]);
        DoubleVector z1 = DoubleVector.broadcast(S, z[zi + 1]);
        DoubleVector z2 = DoubleVector.broadcast(S, z[zi + 2]);
        DoubleVector pA = DoubleVector.fromArray(S, pre, (j * n + i) * L);
        DoubleVector pB = DoubleVector.fromArray(S, pre, ((j + 1) * n + i) * L);
        DoubleVector gi = DoubleVector.fromArray(S, g, i * stride + m);
        DoubleVector gA = zero.blend(gi, pA.compare(VectorOperators.GT, zero));
        DoubleVector gB = zero.blend(gi, pB.compare(VectorOperators.GT, zero));
        sA = sA.add(gA);
        sB = sB.add(gB);
        sA0 = gA.fma(z0, sA0);
        sB0 = gB.fma(z0, sB0);
        sA1 = gA.fma(z1, sA1);
        sB1 = gB.fma(z1, sB1);
        sA2 = gA.fma(z2, sA2);
        sB2 = gB.fma(z2, sB2);
      }
      DoubleVector vA = DoubleVector.fromArray(S, th, rv);
      DoubleVector vB = DoubleVector.fromArray(S, th, rv + stride);
      // ∂w2 = Σ g·[p>0]·p = b1·Σ g·[p>0] + Σ_c W1_c·Σ g·z_c·[p>0]: four multiply-adds per unit, not
      // one per input.
      DoubleVector.fromArray(S, th, r2).fma(sA2, DoubleVector.fromArray(S, th, r1).fma(sA1, DoubleVector.fromArray(S, th, r0).fma(sA0, DoubleVector.fromArray(S, th, rb).mul(sA))))
          .intoArray(grad, rv);
      DoubleVector.fromArray(S, th, r2 + stride).fma(sB2, DoubleVector.fromArray(S, th, r1 + stride).fma(sB1, DoubleVector.fromArray(S, th, r0 + stride).fma(sB0,
          DoubleVector.fromArray(S, th, rb + stride).mul(sB)))).intoArray(grad, rv + stride);
      vA.mul(sA).intoArray(grad, rb);
      vB.mul(sB).intoArray(grad, rb + stride);
      vA.mul(sA0).intoArray(grad, r0);
      vB.mul(sB0).intoArray(grad, r0 + stride);
      vA.mul(sA1).intoArray(grad, r1);
      vB.mul(sB1).intoArray(grad, r1 + stride);
      vA.mul(sA2).intoArray(grad, r2);
      vB.mul(sB2).intoArray(grad, r2 + stride);
    }
    return j;
  }

  /** Any d: unit {@code j} of lane group {@code m}; the coordinates' sums accumulate in {@code grad}. */
  private static void backwardUnit(double[] th, int d, int h, int stride, double[] z, int n, double[] g,
                                   double[] grad, int m, int j) {
    DoubleVector zero = DoubleVector.zero(S);
    int rb = d * h * stride + j * stride + m;
    int rv = (d + 1) * h * stride + j * stride + m;
    DoubleVector bA = DoubleVector.fromArray(S, th, rb);
    DoubleVector sA = zero;
    DoubleVector hA = zero;
    for (int c = 0; c < d; c++) {
      zero.intoArray(grad, (c * h + j) * stride + m);
    }
    for (int i = 0; i < n; i++) {
      int zi = i * d;
      DoubleVector pA = bA;
      for (int c = 0; c < d; c++) {
        pA = DoubleVector.fromArray(S, th, (c * h + j) * stride + m).fma(DoubleVector.broadcast(S, z[zi + c]), pA);
      }
      DoubleVector gA = zero.blend(DoubleVector.fromArray(S, g, i * stride + m), pA.compare(VectorOperators.GT, zero));
      sA = sA.add(gA);
      hA = gA.fma(pA, hA);
      for (int c = 0; c < d; c++) {
        int go = (c * h + j) * stride + m;
        gA.fma(DoubleVector.broadcast(S, z[zi + c]), DoubleVector.fromArray(S, grad, go)).intoArray(grad, go);
      }
    }
    DoubleVector vA = DoubleVector.fromArray(S, th, rv);
    hA.intoArray(grad, rv);
    vA.mul(sA).intoArray(grad, rb);
    for (int c = 0; c < d; c++) {
      int go = (c * h + j) * stride + m;
      vA.mul(DoubleVector.fromArray(S, grad, go)).intoArray(grad, go);
    }
  }

  @Override
  public void lossGradient(double[] th, int d, int h, int stride, double[] z, int n, double[] targets,
                           double scale, double[] out, double[] loss, double[] grad, double[] work) {
    if (d != 3) {
      forward(th, d, h, stride, z, n, out);
      residuals(stride, n, targets, scale, out, loss);
      backward(th, d, h, stride, z, n, out, grad);
      return;
    }
    assert stride % L == 0 && th.length >= MlpKernels.numParams(d, h) * stride;
    assert grad.length >= th.length && work.length >= MlpKernels.workSize(h, n);
    assert z.length >= n * d && out.length >= n * stride && targets.length >= n * stride;
    int b2o = (d + 2) * h * stride;
    for (int m = 0; m < stride; m += L) {
      DoubleVector bias = DoubleVector.fromArray(S, th, b2o + m);
      for (int i = 0; i < n; i++) {
        bias.intoArray(out, i * stride + m);
      }
      forward3(th, h, stride, z, n, out, m, work);
      DoubleVector ls = DoubleVector.zero(S);
      DoubleVector gb2 = DoubleVector.zero(S);
      for (int i = 0; i < n; i++) {
        int o = i * stride + m;
        DoubleVector r = DoubleVector.fromArray(S, out, o).sub(DoubleVector.fromArray(S, targets, o));
        ls = r.fma(r, ls);
        DoubleVector gi = r.mul(DoubleVector.broadcast(S, scale));
        gb2 = gb2.add(gi);
        gi.intoArray(out, o);
      }
      ls.intoArray(loss, m);
      gb2.intoArray(grad, b2o + m);
      int j = backward3Stored(th, h, stride, z, n, out, grad, m, work);
      for (; j < h; j++) {
        backwardUnit(th, d, h, stride, z, n, out, grad, m, j);
      }
    }
  }

  private static void residuals(int stride, int n, double[] targets, double scale, double[] out, double[] loss) {
    for (int m = 0; m < stride; m += L) {
      DoubleVector ls = DoubleVector.zero(S);
      for (int i = 0; i < n; i++) {
        int o = i * stride + m;
        DoubleVector r = DoubleVector.fromArray(S, out, o).sub(DoubleVector.fromArray(S, targets, o));
        ls = r.fma(r, ls);
        r.mul(DoubleVector.broadcast(S, scale)).intoArray(out, o);
      }
      ls.intoArray(loss, m);
    }
  }

  @Override
  public void adamReset(double[] th, double[] grad, int len, double stepSize, double c1, double c2,
                        double invSqrtBc2, double eps) {
    assert len % L == 0 && th.length >= len && grad.length >= len;
    // √(c2·g²) = √c2·|g|: no square root per parameter.
    double k = Math.sqrt(c2) * invSqrtBc2;
    for (int i = 0; i < len; i += L) {
      DoubleVector gi = DoubleVector.fromArray(S, grad, i);
      DoubleVector num = gi.mul(DoubleVector.broadcast(S, c1)).mul(DoubleVector.broadcast(S, stepSize));
      DoubleVector den = gi.abs().mul(DoubleVector.broadcast(S, k)).add(DoubleVector.broadcast(S, eps));
      DoubleVector.fromArray(S, th, i).sub(num.div(den)).intoArray(th, i);
    }
  }

  @Override
  public void adamPersistent(double[] th, double[] grad, double[] mo, double[] vo, int len, double beta1,
                             double beta2, double stepSize, double invSqrtBc2, double eps) {
    assert len % L == 0 && th.length >= len && grad.length >= len && mo.length >= len && vo.length >= len;
    double c1 = 1.0 - beta1;
    double c2 = 1.0 - beta2;
    for (int i = 0; i < len; i += L) {
      DoubleVector gi = DoubleVector.fromArray(S, grad, i);
      DoubleVector mi = DoubleVector.fromArray(S, mo, i).mul(DoubleVector.broadcast(S, beta1)).add(gi.mul(DoubleVector.broadcast(S, c1)));
      DoubleVector vi = DoubleVector.fromArray(S, vo, i).mul(DoubleVector.broadcast(S, beta2)).add(gi.mul(DoubleVector.broadcast(S, c2)).mul(gi));
      mi.intoArray(mo, i);
      vi.intoArray(vo, i);
      DoubleVector den = vi.lanewise(VectorOperators.SQRT).mul(DoubleVector.broadcast(S, invSqrtBc2)).add(DoubleVector.broadcast(S, eps));
      DoubleVector.fromArray(S, th, i).sub(mi.mul(DoubleVector.broadcast(S, stepSize)).div(den)).intoArray(th, i);
    }
  }

  @Override
  public void hiddenSums(double[] w, int d, int h, double[] z, int[] rows, int rowOff, int n, double[] sums) {
    assert w.length >= MlpKernels.numParams(d, h) && rowOff >= 0 && rows.length >= rowOff + n && sums.length >= h;
    int j = 0;
    if (d == 3) {
      j = hiddenSums3(w, h, z, rows, rowOff, n, sums);
    }
    DoubleVector zero = DoubleVector.zero(S);
    int bo = d * h;
    for (; j + L <= h; j += L) {
      DoubleVector b = DoubleVector.fromArray(S, w, bo + j);
      DoubleVector acc = zero;
      for (int i = 0; i < n; i++) {
        int zi = rows[rowOff + i];
        DoubleVector p = b;
        for (int c = 0; c < d; c++) {
          p = DoubleVector.fromArray(S, w, c * h + j).fma(DoubleVector.broadcast(S, z[zi + c]), p);
        }
        acc = acc.add(p.blend(DoubleVector.zero(S), p.compare(VectorOperators.LE, DoubleVector.zero(S))));
      }
      acc.intoArray(sums, j);
    }
    for (; j < h; j++) {
      sums[j] = ScalarMlpKernels.hiddenSum(w, d, h, z, rows, rowOff, n, j);
    }
  }

  /** d = 3: blocks of four vectors of units, weights in registers, over the draws. Returns units done. */
  private static int hiddenSums3(double[] w, int h, double[] z, int[] rows, int rowOff, int n, double[] sums) {
    DoubleVector zero = DoubleVector.zero(S);
    int bo = 3 * h;
    int j = 0;
    for (; j + 4 * L <= h; j += 4 * L) {
      DoubleVector bA = DoubleVector.fromArray(S, w, bo + j);
      DoubleVector bB = DoubleVector.fromArray(S, w, bo + j + L);
      DoubleVector bC = DoubleVector.fromArray(S, w, bo + j + 2 * L);
      DoubleVector bD = DoubleVector.fromArray(S, w, bo + j + 3 * L);
      DoubleVector a0 = DoubleVector.fromArray(S, w, j);
      DoubleVector b0 = DoubleVector.fromArray(S, w, j + L);
      DoubleVector c0 = DoubleVector.fromArray(S, w, j + 2 * L);
      DoubleVector d0 = DoubleVector.fromArray(S, w, j + 3 * L);
      DoubleVector a1 = DoubleVector.fromArray(S, w, h + j);
      DoubleVector b1 = DoubleVector.fromArray(S, w, h + j + L);
      DoubleVector c1 = DoubleVector.fromArray(S, w, h + j + 2 * L);
      DoubleVector d1 = DoubleVector.fromArray(S, w, h + j + 3 * L);
      DoubleVector a2 = DoubleVector.fromArray(S, w, 2 * h + j);
      DoubleVector b2 = DoubleVector.fromArray(S, w, 2 * h + j + L);
      DoubleVector c2 = DoubleVector.fromArray(S, w, 2 * h + j + 2 * L);
      DoubleVector d2 = DoubleVector.fromArray(S, w, 2 * h + j + 3 * L);
      DoubleVector sA = zero;
      DoubleVector sB = zero;
      DoubleVector sC = zero;
      DoubleVector sD = zero;
      for (int i = 0; i < n; i++) {
        int zi = rows[rowOff + i];
        DoubleVector z0 = DoubleVector.broadcast(S, z[zi]);
        DoubleVector z1 = DoubleVector.broadcast(S, z[zi + 1]);
        DoubleVector z2 = DoubleVector.broadcast(S, z[zi + 2]);
        DoubleVector pA = a2.fma(z2, a1.fma(z1, a0.fma(z0, bA)));
        sA = sA.add(pA.blend(DoubleVector.zero(S), pA.compare(VectorOperators.LE, DoubleVector.zero(S))));
        DoubleVector pB = b2.fma(z2, b1.fma(z1, b0.fma(z0, bB)));
        sB = sB.add(pB.blend(DoubleVector.zero(S), pB.compare(VectorOperators.LE, DoubleVector.zero(S))));
        DoubleVector pC = c2.fma(z2, c1.fma(z1, c0.fma(z0, bC)));
        sC = sC.add(pC.blend(DoubleVector.zero(S), pC.compare(VectorOperators.LE, DoubleVector.zero(S))));
        DoubleVector pD = d2.fma(z2, d1.fma(z1, d0.fma(z0, bD)));
        sD = sD.add(pD.blend(DoubleVector.zero(S), pD.compare(VectorOperators.LE, DoubleVector.zero(S))));
      }
      sA.intoArray(sums, j);
      sB.intoArray(sums, j + L);
      sC.intoArray(sums, j + 2 * L);
      sD.intoArray(sums, j + 3 * L);
    }
    return j;
  }
}
