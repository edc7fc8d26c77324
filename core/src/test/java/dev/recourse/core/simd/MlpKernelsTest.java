package dev.recourse.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The ensemble-MLP kernels (members as lanes): the scalar twin against a naive per-member reference
 * (forward, backpropagation written out, Adam), the Panama kernels against the scalar twin, and the
 * gradient against central finite differences. Random inputs over several {@code d}, {@code H}, batch
 * sizes and member counts (with padding lanes); the tolerance is {@code c·(terms)·ε·Σ|terms|}, the bound
 * on the round-off of a sum of that many products in any order.
 */
class MlpKernelsTest {

  private static final double EPS = Math.ulp(1.0);
  private static final MlpKernels SCALAR = MlpKernels.scalar();
  private static final MlpKernels VECTOR = new PanamaMlpKernels();

  private static double tol(int terms, double sumAbs) {
    return 8.0 * (terms + 2) * EPS * sumAbs + Double.MIN_NORMAL;
  }

  /** Random weights for {@code members} lanes, zero in the padding lanes. */
  private static double[] weights(SplittableRandom rng, int d, int h, int members, int stride) {
    double[] th = new double[MlpKernels.numParams(d, h) * stride];
    for (int p = 0; p < MlpKernels.numParams(d, h); p++) {
      for (int m = 0; m < members; m++) {
        th[p * stride + m] = rng.nextDouble(-1, 1);
      }
    }
    return th;
  }

  private static double[] random(SplittableRandom rng, int len) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = rng.nextDouble(-2, 2);
    }
    return v;
  }

  private static double w(double[] th, int p, int stride, int m) {
    return th[p * stride + m];
  }

  /** Pre-activation of unit j, member m, input i, and the sum of its terms' magnitudes. */
  private static double[] pre(double[] th, int d, int h, int s, double[] z, int i, int j, int m) {
    double p = w(th, d * h + j, s, m);
    double abs = Math.abs(p);
    for (int c = 0; c < d; c++) {
      double t = z[i * d + c] * w(th, c * h + j, s, m);
      p += t;
      abs += Math.abs(t);
    }
    return new double[] {p, abs};
  }

  private static final int[][] SHAPES = {
      // d, h, n, members
      {3, 64, 100, 60}, {3, 64, 7, 5}, {1, 5, 9, 3}, {2, 3, 4, 8}, {3, 7, 13, 17}, {4, 6, 5, 9},
      {5, 9, 11, 2}, {7, 2, 3, 16}, {3, 1, 1, 1}, {10, 64, 20, 12},
  };

  @Test
  void forwardAndBackwardMatchNaiveAndEachOther() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int[] shape : SHAPES) {
      int d = shape[0];
      int h = shape[1];
      int n = shape[2];
      int members = shape[3];
      int s = MlpKernels.stride(members);
      String where = "d=" + d + " h=" + h + " n=" + n + " M=" + members;
      double[] th = weights(rng, d, h, members, s);
      double[] z = random(rng, n * d);
      double[] outS = new double[n * s];
      double[] outV = new double[n * s];
      SCALAR.forward(th, d, h, s, z, n, outS);
      VECTOR.forward(th, d, h, s, z, n, outV);
      double[] g = new double[n * s];
      for (int i = 0; i < n; i++) {
        for (int m = 0; m < members; m++) {
          g[i * s + m] = rng.nextDouble(-1, 1);
        }
      }
      // Naive forward and backward per member.
      int np = MlpKernels.numParams(d, h);
      double[] ref = new double[np * s];
      double[] refAbs = new double[np * s];
      for (int m = 0; m < s; m++) {
        for (int i = 0; i < n; i++) {
          double f = w(th, (d + 2) * h, s, m);
          double fAbs = Math.abs(f);
          double gi = g[i * s + m];
          for (int j = 0; j < h; j++) {
            double[] pa = pre(th, d, h, s, z, i, j, m);
            double a = Math.max(pa[0], 0.0);
            double v = w(th, (d + 1) * h + j, s, m);
            f += v * a;
            fAbs += Math.abs(v) * pa[1];
            // backprop
            ref[((d + 1) * h + j) * s + m] += gi * a;
            refAbs[((d + 1) * h + j) * s + m] += Math.abs(gi) * pa[1];
            if (pa[0] > 0) {
              ref[(d * h + j) * s + m] += gi * v;
              refAbs[(d * h + j) * s + m] += Math.abs(gi * v);
              for (int c = 0; c < d; c++) {
                ref[(c * h + j) * s + m] += gi * v * z[i * d + c];
                refAbs[(c * h + j) * s + m] += Math.abs(gi * v * z[i * d + c]);
              }
            }
          }
          ref[(d + 2) * h * s + m] += gi;
          refAbs[(d + 2) * h * s + m] += Math.abs(gi);
          double t = tol(h * (d + 2), fAbs);
          assertEquals(f, outS[i * s + m], t, "scalar forward " + where);
          assertEquals(outS[i * s + m], outV[i * s + m], t, "vector forward " + where);
          if (m >= members) {
            assertEquals(0.0, outV[i * s + m], 0.0, "padding forward " + where);
          }
        }
      }
      double[] gradS = random(rng, np * s); // overwritten
      double[] gradV = random(rng, np * s);
      SCALAR.backward(th, d, h, s, z, n, g, gradS);
      VECTOR.backward(th, d, h, s, z, n, g, gradV);
      for (int k = 0; k < np * s; k++) {
        double t = tol(n * (d + 2), refAbs[k]);
        assertEquals(ref[k], gradS[k], t, "scalar backward " + where + " index " + k);
        assertEquals(gradS[k], gradV[k], t, "vector backward " + where + " index " + k);
        if (k % s >= members) {
          assertEquals(0.0, gradV[k], 0.0, "padding gradient " + where);
        }
      }
    }
  }

  /** L = Σ_m Σ_i ½·(f_m(z_i) − t_im)², so g = f − t; the gradient against central differences. */
  @Test
  void gradientMatchesFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(5);
    for (MlpKernels k : new MlpKernels[] {SCALAR, VECTOR}) {
      for (int[] shape : new int[][] {{3, 6, 5, 3}, {4, 5, 4, 9}, {1, 3, 6, 2}}) {
        int d = shape[0];
        int h = shape[1];
        int n = shape[2];
        int members = shape[3];
        int s = MlpKernels.stride(members);
        double[] th = weights(rng, d, h, members, s);
        double[] z = random(rng, n * d);
        double[] t = random(rng, n * s);
        double[] out = new double[n * s];
        k.forward(th, d, h, s, z, n, out);
        double[] g = new double[n * s];
        for (int i = 0; i < n; i++) {
          for (int m = 0; m < members; m++) {
            g[i * s + m] = out[i * s + m] - t[i * s + m];
          }
        }
        double[] grad = new double[th.length];
        k.backward(th, d, h, s, z, n, g, grad);
        for (int p = 0; p < MlpKernels.numParams(d, h); p++) {
          for (int m = 0; m < members; m++) {
            int idx = p * s + m;
            double keep = th[idx];
            double step = 1e-6;
            th[idx] = keep + step;
            double lp = loss(k, th, d, h, s, z, n, t, m, out);
            th[idx] = keep - step;
            double lm = loss(k, th, d, h, s, z, n, t, m, out);
            th[idx] = keep;
            double fd = (lp - lm) / (2 * step);
            assertEquals(fd, grad[idx], 1e-5 * (1 + Math.abs(fd)), k.name() + " param " + p + " member " + m);
          }
        }
      }
    }
  }

  private static double loss(MlpKernels k, double[] th, int d, int h, int s, double[] z, int n, double[] t,
                             int member, double[] out) {
    k.forward(th, d, h, s, z, n, out);
    double l = 0;
    for (int i = 0; i < n; i++) {
      double r = out[i * s + member] - t[i * s + member];
      l += 0.5 * r * r;
    }
    return l;
  }

  @Test
  void adamMatchesTheFormulaAndEachOther() {
    SplittableRandom rng = new SplittableRandom(3);
    int len = 8 * 41;
    double lr = 0.1;
    double b1 = 0.9;
    double b2 = 0.999;
    double eps = 1e-8;
    double[] th0 = random(rng, len);
    double[] g = random(rng, len);
    g[5] = 0.0;
    double[] m0 = random(rng, len);
    double[] v0 = new double[len];
    for (int i = 0; i < len; i++) {
      v0[i] = rng.nextDouble(0, 3);
    }
    double stepSize = lr / (1 - b1);
    double inv = 1 / Math.sqrt(1 - b2);
    double[] thS = th0.clone();
    double[] thV = th0.clone();
    SCALAR.adamReset(thS, g, len, stepSize, 1 - b1, 1 - b2, inv, eps);
    VECTOR.adamReset(thV, g, len, stepSize, 1 - b1, 1 - b2, inv, eps);
    for (int i = 0; i < len; i++) {
      double want = th0[i] - stepSize * ((1 - b1) * g[i]) / (Math.sqrt((1 - b2) * g[i] * g[i]) * inv + eps);
      assertEquals(want, thS[i], 1e-14 * (1 + Math.abs(th0[i]) + stepSize), "scalar reset " + i);
      assertEquals(thS[i], thV[i], 1e-14 * (1 + Math.abs(th0[i]) + stepSize), "vector reset " + i);
    }
    assertEquals(th0[5], thV[5], 0.0, "zero gradient leaves the weight");
    double stepSize3 = lr / (1 - Math.pow(b1, 3));
    double inv3 = 1 / Math.sqrt(1 - Math.pow(b2, 3));
    thS = th0.clone();
    thV = th0.clone();
    double[] mS = m0.clone();
    double[] mV = m0.clone();
    double[] vS = v0.clone();
    double[] vV = v0.clone();
    SCALAR.adamPersistent(thS, g, mS, vS, len, b1, b2, stepSize3, inv3, eps);
    VECTOR.adamPersistent(thV, g, mV, vV, len, b1, b2, stepSize3, inv3, eps);
    for (int i = 0; i < len; i++) {
      double mi = b1 * m0[i] + (1 - b1) * g[i];
      double vi = b2 * v0[i] + (1 - b2) * g[i] * g[i];
      double want = th0[i] - stepSize3 * mi / (Math.sqrt(vi) * inv3 + eps);
      double t = 1e-12 * (1 + Math.abs(th0[i]) + Math.abs(stepSize3 * mi / (Math.sqrt(vi) * inv3 + eps)));
      assertEquals(mi, mS[i], 1e-15 * (1 + Math.abs(mi)), "scalar m " + i);
      assertEquals(vi, vS[i], 1e-15 * (1 + Math.abs(vi)), "scalar v " + i);
      assertEquals(want, thS[i], t, "scalar persistent " + i);
      assertEquals(mS[i], mV[i], 1e-15 * (1 + Math.abs(mi)), "vector m " + i);
      assertEquals(vS[i], vV[i], 1e-15 * (1 + Math.abs(vi)), "vector v " + i);
      assertEquals(thS[i], thV[i], t, "vector persistent " + i);
    }
  }

  @Test
  void strideRoundsUpToEight() {
    assertEquals(8, MlpKernels.stride(1));
    assertEquals(64, MlpKernels.stride(60));
    assertEquals(64, MlpKernels.stride(64));
    assertTrue(MlpKernels.get().name().equals("scalar") == (Kernels.get() == Kernels.scalar()));
  }

  @Test
  void hiddenSumsMatchNaiveAndEachOther() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int[] shape : new int[][] {{3, 64, 100}, {3, 64, 1}, {3, 5, 7}, {3, 33, 9}, {1, 4, 3}, {2, 9, 5},
        {4, 64, 10}, {10, 13, 6}}) {
      int d = shape[0];
      int h = shape[1];
      int n = shape[2];
      double[] w = random(rng, MlpKernels.numParams(d, h));
      // Inputs are rows of a pool, chosen by index (with repeats), from offset 2 of the index array.
      int poolRows = 7;
      double[] z = random(rng, poolRows * d);
      int[] rows = new int[n + 3];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = rng.nextInt(poolRows) * d;
      }
      int off = 2;
      double[] sumS = new double[h];
      double[] sumV = random(rng, h);
      SCALAR.hiddenSums(w, d, h, z, rows, off, n, sumS);
      VECTOR.hiddenSums(w, d, h, z, rows, off, n, sumV);
      for (int j = 0; j < h; j++) {
        double ref = 0;
        double abs = 0;
        for (int i = 0; i < n; i++) {
          double p = w[d * h + j];
          double pa = Math.abs(p);
          for (int c = 0; c < d; c++) {
            p += w[c * h + j] * z[rows[off + i] + c];
            pa += Math.abs(w[c * h + j] * z[rows[off + i] + c]);
          }
          ref += Math.max(p, 0);
          abs += pa;
        }
        double t = tol(n * (d + 1), abs);
        String where = "d=" + d + " h=" + h + " n=" + n + " j=" + j;
        assertEquals(ref, sumS[j], t, "scalar " + where);
        assertEquals(sumS[j], sumV[j], t, "vector " + where);
      }
    }
  }

  /** The fused step against forward, residuals and backward written out (scalar kernels). */
  @Test
  void lossGradientMatchesTheSteps() {
    SplittableRandom rng = new SplittableRandom(23);
    for (int[] shape : SHAPES) {
      int d = shape[0];
      int h = shape[1];
      int n = shape[2];
      int members = shape[3];
      int s = MlpKernels.stride(members);
      String where = "d=" + d + " h=" + h + " n=" + n + " M=" + members;
      double[] th = weights(rng, d, h, members, s);
      double[] z = random(rng, n * d);
      double[] t = new double[n * s];
      for (int i = 0; i < n; i++) {
        for (int m = 0; m < members; m++) {
          t[i * s + m] = rng.nextDouble(-1, 1);
        }
      }
      double scale = 2.0 / n;
      double[] out = new double[n * s];
      SCALAR.forward(th, d, h, s, z, n, out);
      double[] wantLoss = new double[s];
      double[] g = new double[n * s];
      double[] lossAbs = new double[s];
      for (int i = 0; i < n; i++) {
        for (int m = 0; m < s; m++) {
          double r = out[i * s + m] - t[i * s + m];
          wantLoss[m] += r * r;
          lossAbs[m] += r * r;
          g[i * s + m] = scale * r;
        }
      }
      double[] want = new double[th.length];
      SCALAR.backward(th, d, h, s, z, n, g, want);
      double[] work = new double[MlpKernels.workSize(h, n)];
      for (MlpKernels k : new MlpKernels[] {SCALAR, VECTOR}) {
        double[] o = new double[n * s];
        double[] loss = new double[s];
        double[] grad = random(rng, th.length);
        k.lossGradient(th, d, h, s, z, n, t, scale, o, loss, grad, work);
        for (int m = 0; m < s; m++) {
          assertEquals(wantLoss[m], loss[m], tol(n, lossAbs[m]) * 4 + 1e-12 * lossAbs[m], k.name() + " loss " + where);
        }
        for (int q = 0; q < g.length; q++) {
          assertEquals(g[q], o[q], 1e-12 * (1 + Math.abs(g[q])), k.name() + " dL/df " + where);
        }
        for (int q = 0; q < want.length; q++) {
          assertEquals(want[q], grad[q], 1e-12 * (1 + Math.abs(want[q])), k.name() + " grad " + where + " " + q);
        }
      }
    }
  }
}
