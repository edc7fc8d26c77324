package dev.recourse.core.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
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
   * 512 bits unless {@code recourse.simd.bits} says otherwise: the member axis has no tail (the stride
   * is a multiple of 8) and no lane fold, so the wider vector only halves the instruction count
   * (measured, BENCHMARKS.md "GAMBITTS agents").
   */
  private static VectorSpecies<Double> selectSpecies() {
    int bits = Integer.getInteger(KernelProvider.BITS_PROPERTY, 0);
    return switch (bits) {
      case 0 -> DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? DoubleVector.SPECIES_512
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

  private static DoubleVector load(double[] a, int off) {
    return DoubleVector.fromArray(S, a, off);
  }

  /** The weight vector of coordinate {@code c}, unit {@code j}; zero for a missing coordinate. */
  private static DoubleVector w1(double[] th, int c, int d, int h, int j, int stride, int m) {
    return c < d ? load(th, (c * h + j) * stride + m) : DoubleVector.zero(S);
  }

  @Override
  public void forward(double[] th, int d, int h, int stride, double[] z, int n, double[] out) {
    assert stride % L == 0 && th.length >= MlpKernels.numParams(d, h) * stride;
    assert z.length >= n * d && out.length >= n * stride;
    int b1o = d * h * stride;
    int w2o = (d + 1) * h * stride;
    int b2o = (d + 2) * h * stride;
    DoubleVector zero = DoubleVector.zero(S);
    for (int m = 0; m < stride; m += L) {
      DoubleVector bias = load(th, b2o + m);
      for (int i = 0; i < n; i++) {
        bias.intoArray(out, i * stride + m);
      }
      int j = 0;
      for (; j + 4 <= h; j += 4) {
        DoubleVector bA = load(th, b1o + j * stride + m);
        DoubleVector bB = load(th, b1o + (j + 1) * stride + m);
        DoubleVector bC = load(th, b1o + (j + 2) * stride + m);
        DoubleVector bD = load(th, b1o + (j + 3) * stride + m);
        DoubleVector vA = load(th, w2o + j * stride + m);
        DoubleVector vB = load(th, w2o + (j + 1) * stride + m);
        DoubleVector vC = load(th, w2o + (j + 2) * stride + m);
        DoubleVector vD = load(th, w2o + (j + 3) * stride + m);
        DoubleVector a0 = w1(th, 0, d, h, j, stride, m);
        DoubleVector b0 = w1(th, 0, d, h, j + 1, stride, m);
        DoubleVector c0 = w1(th, 0, d, h, j + 2, stride, m);
        DoubleVector d0 = w1(th, 0, d, h, j + 3, stride, m);
        DoubleVector a1 = w1(th, 1, d, h, j, stride, m);
        DoubleVector b1 = w1(th, 1, d, h, j + 1, stride, m);
        DoubleVector c1 = w1(th, 1, d, h, j + 2, stride, m);
        DoubleVector d1 = w1(th, 1, d, h, j + 3, stride, m);
        DoubleVector a2 = w1(th, 2, d, h, j, stride, m);
        DoubleVector b2 = w1(th, 2, d, h, j + 1, stride, m);
        DoubleVector c2 = w1(th, 2, d, h, j + 2, stride, m);
        DoubleVector d2 = w1(th, 2, d, h, j + 3, stride, m);
        for (int i = 0; i < n; i++) {
          int zi = i * d;
          DoubleVector z0 = DoubleVector.broadcast(S, z[zi]);
          DoubleVector z1 = DoubleVector.broadcast(S, d > 1 ? z[zi + 1] : 0.0);
          DoubleVector z2 = DoubleVector.broadcast(S, d > 2 ? z[zi + 2] : 0.0);
          DoubleVector pA = a2.fma(z2, a1.fma(z1, a0.fma(z0, bA)));
          DoubleVector pB = b2.fma(z2, b1.fma(z1, b0.fma(z0, bB)));
          DoubleVector pC = c2.fma(z2, c1.fma(z1, c0.fma(z0, bC)));
          DoubleVector pD = d2.fma(z2, d1.fma(z1, d0.fma(z0, bD)));
          for (int c = 3; c < d; c++) {
            DoubleVector zc = DoubleVector.broadcast(S, z[zi + c]);
            int wo = (c * h + j) * stride + m;
            pA = load(th, wo).fma(zc, pA);
            pB = load(th, wo + stride).fma(zc, pB);
            pC = load(th, wo + 2 * stride).fma(zc, pC);
            pD = load(th, wo + 3 * stride).fma(zc, pD);
          }
          int o = i * stride + m;
          DoubleVector acc = load(out, o);
          acc = vA.fma(pA.max(zero), acc);
          acc = vB.fma(pB.max(zero), acc);
          acc = vC.fma(pC.max(zero), acc);
          acc = vD.fma(pD.max(zero), acc);
          acc.intoArray(out, o);
        }
      }
      for (; j < h; j++) {
        DoubleVector bA = load(th, b1o + j * stride + m);
        DoubleVector vA = load(th, w2o + j * stride + m);
        for (int i = 0; i < n; i++) {
          int zi = i * d;
          DoubleVector pA = bA;
          for (int c = 0; c < d; c++) {
            pA = load(th, (c * h + j) * stride + m).fma(DoubleVector.broadcast(S, z[zi + c]), pA);
          }
          int o = i * stride + m;
          vA.fma(pA.max(zero), load(out, o)).intoArray(out, o);
        }
      }
    }
  }

  @Override
  public void backward(double[] th, int d, int h, int stride, double[] z, int n, double[] g, double[] grad) {
    assert stride % L == 0 && th.length >= MlpKernels.numParams(d, h) * stride;
    assert grad.length >= MlpKernels.numParams(d, h) * stride;
    assert z.length >= n * d && g.length >= n * stride;
    int b1o = d * h * stride;
    int w2o = (d + 1) * h * stride;
    int b2o = (d + 2) * h * stride;
    DoubleVector zero = DoubleVector.zero(S);
    for (int m = 0; m < stride; m += L) {
      DoubleVector gb2 = zero;
      for (int i = 0; i < n; i++) {
        gb2 = gb2.add(load(g, i * stride + m));
      }
      gb2.intoArray(grad, b2o + m);
      // Coordinates from the fourth on accumulate in grad itself.
      for (int c = 3; c < d; c++) {
        for (int j = 0; j < h; j++) {
          zero.intoArray(grad, (c * h + j) * stride + m);
        }
      }
      int j = 0;
      for (; j + 2 <= h; j += 2) {
        DoubleVector bA = load(th, b1o + j * stride + m);
        DoubleVector bB = load(th, b1o + (j + 1) * stride + m);
        DoubleVector a0 = w1(th, 0, d, h, j, stride, m);
        DoubleVector b0 = w1(th, 0, d, h, j + 1, stride, m);
        DoubleVector a1 = w1(th, 1, d, h, j, stride, m);
        DoubleVector b1 = w1(th, 1, d, h, j + 1, stride, m);
        DoubleVector a2 = w1(th, 2, d, h, j, stride, m);
        DoubleVector b2 = w1(th, 2, d, h, j + 1, stride, m);
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
          int zi = i * d;
          DoubleVector z0 = DoubleVector.broadcast(S, z[zi]);
          DoubleVector z1 = DoubleVector.broadcast(S, d > 1 ? z[zi + 1] : 0.0);
          DoubleVector z2 = DoubleVector.broadcast(S, d > 2 ? z[zi + 2] : 0.0);
          DoubleVector pA = a2.fma(z2, a1.fma(z1, a0.fma(z0, bA)));
          DoubleVector pB = b2.fma(z2, b1.fma(z1, b0.fma(z0, bB)));
          for (int c = 3; c < d; c++) {
            DoubleVector zc = DoubleVector.broadcast(S, z[zi + c]);
            int wo = (c * h + j) * stride + m;
            pA = load(th, wo).fma(zc, pA);
            pB = load(th, wo + stride).fma(zc, pB);
          }
          DoubleVector gi = load(g, i * stride + m);
          VectorMask<Double> onA = pA.compare(VectorOperators.GT, zero);
          VectorMask<Double> onB = pB.compare(VectorOperators.GT, zero);
          DoubleVector gA = zero.blend(gi, onA);
          DoubleVector gB = zero.blend(gi, onB);
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
          for (int c = 3; c < d; c++) {
            DoubleVector zc = DoubleVector.broadcast(S, z[zi + c]);
            int go = (c * h + j) * stride + m;
            gA.fma(zc, load(grad, go)).intoArray(grad, go);
            gB.fma(zc, load(grad, go + stride)).intoArray(grad, go + stride);
          }
        }
        DoubleVector vA = load(th, w2o + j * stride + m);
        DoubleVector vB = load(th, w2o + (j + 1) * stride + m);
        hA.intoArray(grad, w2o + j * stride + m);
        hB.intoArray(grad, w2o + (j + 1) * stride + m);
        vA.mul(sA).intoArray(grad, b1o + j * stride + m);
        vB.mul(sB).intoArray(grad, b1o + (j + 1) * stride + m);
        vA.mul(sA0).intoArray(grad, j * stride + m);
        vB.mul(sB0).intoArray(grad, (j + 1) * stride + m);
        if (d > 1) {
          vA.mul(sA1).intoArray(grad, (h + j) * stride + m);
          vB.mul(sB1).intoArray(grad, (h + j + 1) * stride + m);
        }
        if (d > 2) {
          vA.mul(sA2).intoArray(grad, (2 * h + j) * stride + m);
          vB.mul(sB2).intoArray(grad, (2 * h + j + 1) * stride + m);
        }
        for (int c = 3; c < d; c++) {
          int go = (c * h + j) * stride + m;
          vA.mul(load(grad, go)).intoArray(grad, go);
          vB.mul(load(grad, go + stride)).intoArray(grad, go + stride);
        }
      }
      for (; j < h; j++) {
        DoubleVector bA = load(th, b1o + j * stride + m);
        DoubleVector sA = zero;
        DoubleVector hA = zero;
        for (int c = 0; c < d; c++) {
          zero.intoArray(grad, (c * h + j) * stride + m);
        }
        for (int i = 0; i < n; i++) {
          int zi = i * d;
          DoubleVector pA = bA;
          for (int c = 0; c < d; c++) {
            pA = load(th, (c * h + j) * stride + m).fma(DoubleVector.broadcast(S, z[zi + c]), pA);
          }
          DoubleVector gA = zero.blend(load(g, i * stride + m), pA.compare(VectorOperators.GT, zero));
          sA = sA.add(gA);
          hA = gA.fma(pA, hA);
          for (int c = 0; c < d; c++) {
            int go = (c * h + j) * stride + m;
            gA.fma(DoubleVector.broadcast(S, z[zi + c]), load(grad, go)).intoArray(grad, go);
          }
        }
        DoubleVector vA = load(th, w2o + j * stride + m);
        hA.intoArray(grad, w2o + j * stride + m);
        vA.mul(sA).intoArray(grad, b1o + j * stride + m);
        for (int c = 0; c < d; c++) {
          int go = (c * h + j) * stride + m;
          vA.mul(load(grad, go)).intoArray(grad, go);
        }
      }
    }
  }

  @Override
  public void adamReset(double[] th, double[] grad, int len, double stepSize, double c1, double c2,
                        double invSqrtBc2, double eps) {
    assert len % L == 0 && th.length >= len && grad.length >= len;
    for (int i = 0; i < len; i += L) {
      DoubleVector gi = load(grad, i);
      DoubleVector num = gi.mul(c1).mul(stepSize);
      DoubleVector den = gi.mul(c2).mul(gi).lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
      load(th, i).sub(num.div(den)).intoArray(th, i);
    }
  }

  @Override
  public void adamPersistent(double[] th, double[] grad, double[] mo, double[] vo, int len, double beta1,
                             double beta2, double stepSize, double invSqrtBc2, double eps) {
    assert len % L == 0 && th.length >= len && grad.length >= len && mo.length >= len && vo.length >= len;
    double c1 = 1.0 - beta1;
    double c2 = 1.0 - beta2;
    for (int i = 0; i < len; i += L) {
      DoubleVector gi = load(grad, i);
      DoubleVector mi = load(mo, i).mul(beta1).add(gi.mul(c1));
      DoubleVector vi = load(vo, i).mul(beta2).add(gi.mul(c2).mul(gi));
      mi.intoArray(mo, i);
      vi.intoArray(vo, i);
      DoubleVector den = vi.lanewise(VectorOperators.SQRT).mul(invSqrtBc2).add(eps);
      load(th, i).sub(mi.mul(stepSize).div(den)).intoArray(th, i);
    }
  }
}
