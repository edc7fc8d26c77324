package dev.recourse.core.gambitts;

import dev.recourse.core.simd.DoubleKernels;
import java.util.random.RandomGenerator;

/**
 * The maths of one ensemble member of ens-poGAMBITTS (spec §5), {@code f(z) = w2ᵀ·relu(W1·z + b1) + b2},
 * {@code d → H ReLU → 1}, on flat arrays. A member's parameters are one block of
 * {@link #numParams numParams(d, H)} doubles at an offset: {@code W1} ({@code H×d}, row-major: unit
 * {@code j}'s weights at {@code j·d}), then {@code b1} ({@code H}), {@code w2} ({@code H}), {@code b2}.
 *
 * <p>Batches are transposed, {@code zT[c·ld + i]} = coordinate {@code c} of input {@code i}, so that every
 * inner loop runs over the batch with unit stride and is a kernel {@code axpy}/{@code dot}
 * ({@link DoubleKernels}) or a loop the JIT vectorises. Scratch {@code pre} holds {@code H} rows of
 * length {@code ld}. Stateless; nothing allocates.
 */
final class Mlp {

  private Mlp() {}

  static int numParams(int d, int h) {
    return h * d + 2 * h + 1;
  }

  /** torch.nn.Linear's default initialisation: every weight and bias {@code U(−1/√fan_in, 1/√fan_in)}. */
  static void init(RandomGenerator rng, double[] p, int off, int d, int h) {
    double a1 = 1.0 / Math.sqrt(d);
    double a2 = 1.0 / Math.sqrt(h);
    int n1 = h * d + h;
    for (int i = 0; i < n1; i++) {
      p[off + i] = a1 * (2.0 * rng.nextDouble() - 1.0);
    }
    for (int i = n1; i < n1 + h + 1; i++) {
      p[off + i] = a2 * (2.0 * rng.nextDouble() - 1.0);
    }
  }

  /**
   * {@code out[i] = f(z_i)} for the {@code n} inputs of {@code zT} (row stride {@code ld}); leaves the
   * pre-activations {@code W1·z_i + b1} in {@code pre[j·ld + i]} for {@link #gradient}.
   */
  static void forward(DoubleKernels k, double[] p, int off, int d, int h, double[] zT, int ld, int n,
                      double[] pre, double[] out) {
    int b1 = off + h * d;
    int w2 = b1 + h;
    double b2 = p[w2 + h];
    for (int i = 0; i < n; i++) {
      out[i] = b2;
    }
    for (int j = 0; j < h; j++) {
      int row = j * ld;
      double bias = p[b1 + j];
      for (int i = 0; i < n; i++) {
        pre[row + i] = bias;
      }
      int wj = off + j * d;
      for (int c = 0; c < d; c++) {
        k.axpy(p[wj + c], zT, c * ld, pre, row, n);
      }
      double w = p[w2 + j];
      for (int i = 0; i < n; i++) {
        out[i] += w * Math.max(pre[row + i], 0.0);
      }
    }
  }

  /**
   * Gradient of the mean squared error {@code L = (1/n)·Σ (f(z_i) − t_i)²} after {@link #forward} (whose
   * {@code pre} and {@code out} it reads) into {@code grad[gOff..gOff+numParams)} (overwritten). Returns
   * {@code L}. {@code resid} and {@code act} need {@code n} doubles; {@code ones} holds {@code n} ones.
   * Backpropagation: {@code g_i = 2(f_i − t_i)/n}; {@code ∂b2 = Σg}; {@code ∂w2_j = Σ g·relu(pre_j)};
   * {@code δ_j = g·w2_j·[pre_j > 0]}; {@code ∂b1_j = Σ δ_j}; {@code ∂W1_jc = Σ δ_j·z_c}.
   */
  static double gradient(DoubleKernels k, double[] p, int off, int d, int h, double[] zT, int ld, int n,
                         double[] pre, double[] out, double[] targets, int tOff, int tStride,
                         double[] grad, int gOff, double[] resid, double[] act, double[] ones) {
    int b1 = h * d;
    int w2 = b1 + h;
    double loss = 0.0;
    double scale = 2.0 / n;
    for (int i = 0; i < n; i++) {
      double r = out[i] - targets[tOff + i * tStride];
      loss += r * r;
      resid[i] = scale * r;
    }
    grad[gOff + w2 + h] = k.dot(resid, 0, ones, 0, n);
    for (int j = 0; j < h; j++) {
      int row = j * ld;
      for (int i = 0; i < n; i++) {
        act[i] = Math.max(pre[row + i], 0.0);
      }
      grad[gOff + w2 + j] = k.dot(resid, 0, act, 0, n);
      double w = p[off + w2 + j];
      // δ overwrites act: relu'(pre)·g·w2_j, a select the JIT can vectorise.
      for (int i = 0; i < n; i++) {
        act[i] = pre[row + i] > 0.0 ? resid[i] * w : 0.0;
      }
      grad[gOff + b1 + j] = k.dot(act, 0, ones, 0, n);
      int gj = gOff + j * d;
      for (int c = 0; c < d; c++) {
        grad[gj + c] = k.dot(act, 0, zT, c * ld, n);
      }
    }
    return loss / n;
  }
}
