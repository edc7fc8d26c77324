package dev.recourse.core.simd;

import java.util.Arrays;

/**
 * Plain-Java twin of {@code PanamaMlpKernels} (layout in {@link MlpKernels}: members as lanes). The
 * innermost loop of every pass runs over the members, with unit stride and no branch (ReLU is
 * {@code Math.max(p, 0)}, its derivative {@code ceil(min(max(p, 0), 1))}: a {@code p > 0 ? p : 0}
 * compiled to a branch that mispredicted on half the units and made the forward pass six times
 * slower), so that C2's superword pass can vectorise it; the
 * multiply-adds of {@code forward}, {@code backward} and {@code hiddenSums} are {@link Math#fma} in the
 * same order as the vector twin's; the fused training step ({@code lossGradient}) runs member by member
 * instead (see there). Tests allow a tolerance scaled to the terms. The hidden
 * units' sums live in {@code out} and {@code grad} rather than in registers: more loads and stores than
 * the vector twin.
 */
final class ScalarMlpKernels implements MlpKernels {

  static final ScalarMlpKernels INSTANCE = new ScalarMlpKernels();

  private ScalarMlpKernels() {}

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void forward(double[] th, int d, int h, int s, double[] z, int n, double[] out) {
    assert th.length >= MlpKernels.numParams(d, h) * s && z.length >= n * d && out.length >= n * s;
    int b1o = d * h * s;
    int w2o = (d + 1) * h * s;
    int b2o = (d + 2) * h * s;
    for (int i = 0; i < n; i++) {
      System.arraycopy(th, b2o, out, i * s, s);
    }
    for (int j = 0; j < h; j++) {
      int bo = b1o + j * s;
      int vo = w2o + j * s;
      int w0 = j * s;
      int w1 = d > 1 ? (h + j) * s : w0;
      int w2 = d > 2 ? (2 * h + j) * s : w0;
      for (int i = 0; i < n; i++) {
        int zi = i * d;
        int o = i * s;
        double z0 = z[zi];
        double z1 = d > 1 ? z[zi + 1] : 0.0;
        double z2 = d > 2 ? z[zi + 2] : 0.0;
        if (d <= 3) {
          for (int m = 0; m < s; m++) {
            double p = Math.fma(th[w2 + m], z2, Math.fma(th[w1 + m], z1, Math.fma(th[w0 + m], z0, th[bo + m])));
            out[o + m] = Math.fma(th[vo + m], Math.max(p, 0.0), out[o + m]);
          }
        } else {
          for (int m = 0; m < s; m++) {
            double p = Math.fma(th[w2 + m], z2, Math.fma(th[w1 + m], z1, Math.fma(th[w0 + m], z0, th[bo + m])));
            for (int c = 3; c < d; c++) {
              p = Math.fma(th[(c * h + j) * s + m], z[zi + c], p);
            }
            out[o + m] = Math.fma(th[vo + m], Math.max(p, 0.0), out[o + m]);
          }
        }
      }
    }
  }

  @Override
  public void backward(double[] th, int d, int h, int s, double[] z, int n, double[] g, double[] grad) {
    assert th.length >= MlpKernels.numParams(d, h) * s && grad.length >= MlpKernels.numParams(d, h) * s;
    assert z.length >= n * d && g.length >= n * s;
    int b1o = d * h * s;
    int w2o = (d + 1) * h * s;
    int b2o = (d + 2) * h * s;
    Arrays.fill(grad, 0, b2o + s, 0.0);
    for (int i = 0; i < n; i++) {
      int o = i * s;
      for (int m = 0; m < s; m++) {
        grad[b2o + m] += g[o + m];
      }
    }
    for (int j = 0; j < h; j++) {
      int bo = b1o + j * s;
      int vo = w2o + j * s;
      int w0 = j * s;
      int w1 = d > 1 ? (h + j) * s : w0;
      int w2 = d > 2 ? (2 * h + j) * s : w0;
      // Σ g·[h>0] accumulates in ∂b1's row, Σ g·z_c·[h>0] in ∂W1's rows, Σ g·h in ∂w2's; the first two
      // are multiplied by w2 at the end.
      for (int i = 0; i < n; i++) {
        int zi = i * d;
        int o = i * s;
        double z0 = z[zi];
        double z1 = d > 1 ? z[zi + 1] : 0.0;
        double z2 = d > 2 ? z[zi + 2] : 0.0;
        if (d == 3) {
          for (int m = 0; m < s; m++) {
            double p = Math.fma(th[w2 + m], z2, Math.fma(th[w1 + m], z1, Math.fma(th[w0 + m], z0, th[bo + m])));
            double gm = g[o + m] * Math.ceil(Math.min(Math.max(p, 0.0), 1.0));
            grad[bo + m] += gm;
            grad[w0 + m] = Math.fma(gm, z0, grad[w0 + m]);
            grad[w1 + m] = Math.fma(gm, z1, grad[w1 + m]);
            grad[w2 + m] = Math.fma(gm, z2, grad[w2 + m]);
            grad[vo + m] = Math.fma(gm, p, grad[vo + m]);
          }
        } else {
          for (int m = 0; m < s; m++) {
            double p = Math.fma(th[w2 + m], z2, Math.fma(th[w1 + m], z1, Math.fma(th[w0 + m], z0, th[bo + m])));
            for (int c = 3; c < d; c++) {
              p = Math.fma(th[(c * h + j) * s + m], z[zi + c], p);
            }
            double gm = g[o + m] * Math.ceil(Math.min(Math.max(p, 0.0), 1.0));
            grad[bo + m] += gm;
            grad[vo + m] = Math.fma(gm, p, grad[vo + m]);
            for (int c = 0; c < d; c++) {
              int go = (c * h + j) * s + m;
              grad[go] = Math.fma(gm, z[zi + c], grad[go]);
            }
          }
        }
      }
      for (int m = 0; m < s; m++) {
        grad[bo + m] *= th[vo + m];
      }
      for (int c = 0; c < d; c++) {
        int go = (c * h + j) * s;
        for (int m = 0; m < s; m++) {
          grad[go + m] *= th[vo + m];
        }
      }
    }
  }

  /**
   * Member by member, in per-unit scratch arrays (the lane layout's loops cannot vectorise in plain
   * Java: their loads and stores go to offsets of arrays C2 cannot prove distinct): gather the member's
   * weights, then per input one pass per coordinate over the units, the output dot, and the backward
   * sums, every loop over separate arrays with unit stride, with plain multiplies and adds (with
   * {@code Math.fma} in these loops it ran twice as slow): equal to the vector twin up to round-off.
   * The scratch is per thread, allocated on first use.
   */
  @Override
  public void lossGradient(double[] th, int d, int h, int s, double[] z, int n, double[] targets, double scale,
                           double[] out, double[] loss, double[] grad, double[] work) {
    Scratch sc = scratch(d, h, n);
    double[][] w1 = sc.w1;
    double[] b1 = sc.b1;
    double[] w2 = sc.w2;
    double[][] gw1 = sc.gw1;
    double[] gb1 = sc.gb1;
    double[] gw2 = sc.gw2;
    int b1o = d * h * s;
    int w2o = (d + 1) * h * s;
    int b2o = (d + 2) * h * s;
    for (int m = 0; m < s; m++) {
      for (int c = 0; c < d; c++) {
        double[] row = w1[c];
        for (int j = 0, q = c * h * s + m; j < h; j++, q += s) {
          row[j] = th[q];
        }
      }
      for (int j = 0, q = m; j < h; j++, q += s) {
        b1[j] = th[b1o + q];
        w2[j] = th[w2o + q];
      }
      double b2 = th[b2o + m];
      for (int c = 0; c < d; c++) {
        Arrays.fill(gw1[c], 0.0);
      }
      Arrays.fill(gb1, 0.0);
      Arrays.fill(gw2, 0.0);
      double gb2 = 0.0;
      double lm = 0.0;
      double[] a = sc.act;
      for (int i = 0; i < n; i++) {
        System.arraycopy(b1, 0, a, 0, h);
        for (int c = 0; c < d; c++) {
          double zc = z[i * d + c];
          double[] wc = w1[c];
          for (int j = 0; j < h; j++) {
            a[j] += wc[j] * zc;
          }
        }
        double f = b2;
        for (int j = 0; j < h; j++) {
          f += w2[j] * Math.max(a[j], 0.0);
        }
        double r = f - targets[i * s + m];
        lm = Math.fma(r, r, lm);
        double gi = r * scale;
        out[i * s + m] = gi;
        gb2 += gi;
        double[] mk = sc.mask;
        for (int j = 0; j < h; j++) {
          double aj = Math.max(a[j], 0.0);
          double gm = gi * Math.ceil(Math.min(aj, 1.0));
          mk[j] = gm;
          gb1[j] += gm;
          gw2[j] += gm * aj;
        }
        for (int c = 0; c < d; c++) {
          double zc = z[i * d + c];
          double[] gc = gw1[c];
          for (int j = 0; j < h; j++) {
            gc[j] += mk[j] * zc;
          }
        }
      }
      loss[m] = lm;
      grad[b2o + m] = gb2;
      for (int c = 0; c < d; c++) {
        double[] gc = gw1[c];
        for (int j = 0, q = c * h * s + m; j < h; j++, q += s) {
          grad[q] = gc[j] * w2[j];
        }
      }
      for (int j = 0, q = m; j < h; j++, q += s) {
        grad[b1o + q] = gb1[j] * w2[j];
        grad[w2o + q] = gw2[j];
      }
    }
  }

  private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

  private static Scratch scratch(int d, int h, int n) {
    Scratch sc = SCRATCH.get();
    if (sc == null || sc.d != d || sc.h != h || sc.n < n) {
      sc = new Scratch(d, h, Math.max(n, sc == null ? 0 : sc.n));
      SCRATCH.set(sc);
    }
    return sc;
  }

  /** One member's weights and gradient in per-unit arrays, and its hidden activations. */
  private static final class Scratch {
    final int d;
    final int h;
    final int n;
    final double[][] w1;
    final double[] b1;
    final double[] w2;
    final double[][] gw1;
    final double[] gb1;
    final double[] gw2;
    final double[] act;
    final double[] mask;

    Scratch(int d, int h, int n) {
      this.d = d;
      this.h = h;
      this.n = n;
      w1 = new double[d][h];
      b1 = new double[h];
      w2 = new double[h];
      gw1 = new double[d][h];
      gb1 = new double[h];
      gw2 = new double[h];
      act = new double[h];
      mask = new double[h];
    }
  }

  @Override
  public void adamReset(double[] th, double[] grad, int len, double stepSize, double c1, double c2,
                        double invSqrtBc2, double eps) {
    // √(c2·g²) = √c2·|g|: no square root per parameter.
    double k = Math.sqrt(c2) * invSqrtBc2;
    for (int i = 0; i < len; i++) {
      double gi = grad[i];
      th[i] -= (gi * c1 * stepSize) / (Math.abs(gi) * k + eps);
    }
  }

  @Override
  public void adamPersistent(double[] th, double[] grad, double[] mo, double[] vo, int len, double beta1,
                             double beta2, double stepSize, double invSqrtBc2, double eps) {
    double c1 = 1.0 - beta1;
    double c2 = 1.0 - beta2;
    for (int i = 0; i < len; i++) {
      double gi = grad[i];
      double mi = mo[i] * beta1 + gi * c1;
      double vi = vo[i] * beta2 + gi * c2 * gi;
      mo[i] = mi;
      vo[i] = vi;
      th[i] -= (mi * stepSize) / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }

  @Override
  public void hiddenSums(double[] w, int d, int h, double[] z, int[] rows, int rowOff, int n, double[] sums) {
    assert w.length >= MlpKernels.numParams(d, h) && rowOff >= 0 && rows.length >= rowOff + n && sums.length >= h;
    if (d != 3) {
      for (int j = 0; j < h; j++) {
        sums[j] = hiddenSum(w, d, h, z, rows, rowOff, n, j);
      }
      return;
    }
    // Separate arrays (per-thread scratch), so that the loop over the units vectorises.
    Scratch sc = scratch(d, h, 1);
    double[] w0 = sc.w1[0];
    double[] w1 = sc.w1[1];
    double[] w2 = sc.w1[2];
    double[] b = sc.b1;
    System.arraycopy(w, 0, w0, 0, h);
    System.arraycopy(w, h, w1, 0, h);
    System.arraycopy(w, 2 * h, w2, 0, h);
    System.arraycopy(w, 3 * h, b, 0, h);
    double[] acc = sc.act;
    Arrays.fill(acc, 0.0);
    for (int i = 0; i < n; i++) {
      int zi = rows[rowOff + i];
      double z0 = z[zi];
      double z1 = z[zi + 1];
      double z2 = z[zi + 2];
      for (int j = 0; j < h; j++) {
        acc[j] += Math.max(Math.fma(w2[j], z2, Math.fma(w1[j], z1, Math.fma(w0[j], z0, b[j]))), 0.0);
      }
    }
    System.arraycopy(acc, 0, sums, 0, h);
  }

  /** {@code Σ_i relu(b1_j + Σ_c W1_cj·z_ic)}, the multiply-adds in the vector twin's order. */
  static double hiddenSum(double[] w, int d, int h, double[] z, int[] rows, int rowOff, int n, int j) {
    double b = w[d * h + j];
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      int zi = rows[rowOff + i];
      double p = b;
      for (int c = 0; c < d; c++) {
        p = Math.fma(w[c * h + j], z[zi + c], p);
      }
      s += Math.max(p, 0.0);
    }
    return s;
  }
}
