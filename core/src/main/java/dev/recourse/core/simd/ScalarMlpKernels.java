package dev.recourse.core.simd;

import java.util.Arrays;

/**
 * Plain-Java twin of {@code PanamaMlpKernels} (layout in {@link MlpKernels}: members as lanes). The
 * innermost loop of every pass runs over the members, with unit stride and no branch (the ReLU
 * derivative is {@code ceil(min(max(p, 0), 1))}), so that C2's superword pass can vectorise it; the
 * multiply-adds are {@link Math#fma} in the same order as the vector twin's, so on finite inputs both
 * produce the same values, except {@code ∂w2} in the vector twin's fused step ({@code lossGradient}),
 * which it derives from the other sums (tests allow a tolerance scaled to the terms). The hidden
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
            out[o + m] = Math.fma(th[vo + m], p > 0.0 ? p : 0.0, out[o + m]);
          }
        } else {
          for (int m = 0; m < s; m++) {
            double p = Math.fma(th[w2 + m], z2, Math.fma(th[w1 + m], z1, Math.fma(th[w0 + m], z0, th[bo + m])));
            for (int c = 3; c < d; c++) {
              p = Math.fma(th[(c * h + j) * s + m], z[zi + c], p);
            }
            out[o + m] = Math.fma(th[vo + m], p > 0.0 ? p : 0.0, out[o + m]);
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

  /** Forward, residuals, backward (the pre-activations recomputed): the same values as the vector twin. */
  @Override
  public void lossGradient(double[] th, int d, int h, int s, double[] z, int n, double[] targets, double scale,
                           double[] out, double[] loss, double[] grad, double[] work) {
    forward(th, d, h, s, z, n, out);
    Arrays.fill(loss, 0, s, 0.0);
    for (int i = 0; i < n; i++) {
      int o = i * s;
      for (int m = 0; m < s; m++) {
        double r = out[o + m] - targets[o + m];
        loss[m] = Math.fma(r, r, loss[m]);
        out[o + m] = r * scale;
      }
    }
    backward(th, d, h, s, z, n, out, grad);
  }

  @Override
  public void adamReset(double[] th, double[] grad, int len, double stepSize, double c1, double c2,
                        double invSqrtBc2, double eps) {
    for (int i = 0; i < len; i++) {
      double gi = grad[i];
      th[i] -= (gi * c1 * stepSize) / (Math.sqrt(gi * c2 * gi) * invSqrtBc2 + eps);
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
  public void hiddenSums(double[] w, int d, int h, double[] z, int zOff, int n, double[] sums) {
    assert w.length >= MlpKernels.numParams(d, h) && zOff >= 0 && z.length >= zOff + n * d && sums.length >= h;
    if (d != 3) {
      for (int j = 0; j < h; j++) {
        sums[j] = hiddenSum(w, d, h, z, zOff, n, j);
      }
      return;
    }
    Arrays.fill(sums, 0, h, 0.0);
    int bo = 3 * h;
    for (int i = 0; i < n; i++) {
      double z0 = z[zOff + 3 * i];
      double z1 = z[zOff + 3 * i + 1];
      double z2 = z[zOff + 3 * i + 2];
      for (int j = 0; j < h; j++) {
        double p = Math.fma(w[2 * h + j], z2, Math.fma(w[h + j], z1, Math.fma(w[j], z0, w[bo + j])));
        sums[j] += p > 0.0 ? p : 0.0;
      }
    }
  }

  /** {@code Σ_i relu(b1_j + Σ_c W1_cj·z_ic)}, the multiply-adds in the vector twin's order. */
  static double hiddenSum(double[] w, int d, int h, double[] z, int zOff, int n, int j) {
    double b = w[d * h + j];
    double s = 0.0;
    for (int i = 0; i < n; i++) {
      int zi = zOff + i * d;
      double p = b;
      for (int c = 0; c < d; c++) {
        p = Math.fma(w[c * h + j], z[zi + c], p);
      }
      s += p > 0.0 ? p : 0.0;
    }
    return s;
  }
}
