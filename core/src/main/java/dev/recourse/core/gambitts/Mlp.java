package dev.recourse.core.gambitts;

import dev.recourse.core.simd.DoubleKernels;
import java.util.random.RandomGenerator;

/**
 * The maths of one ensemble member of ens-poGAMBITTS (spec §5), {@code f(z) = w2ᵀ·relu(W1·z + b1) + b2},
 * {@code d → H ReLU → 1}, on flat arrays. A member's parameters are one block of
 * {@link #numParams numParams(d, H)} doubles at an offset, laid out so that every inner loop runs over
 * the {@code H} hidden units with unit stride: {@code W1} stored by input coordinate ({@code d} rows of
 * {@code H}: the weight of input {@code c} into unit {@code j} at {@code c·H + j}), then {@code b1}
 * ({@code H}), {@code w2} ({@code H}), {@code b2}.
 *
 * <p>Why the hidden units and not the batch are the vector lanes: with the batch as lanes, every weight
 * gradient is a reduction over the batch (d + 2 per unit and sample block), which the JIT does not
 * vectorise for doubles; with the units as lanes the forward pass is {@code d} axpys, the backward pass
 * elementwise updates of the gradient rows, and the only reduction is {@code w2·h}, one dot per sample
 * (a kernel). The plain loops over {@code j} are of the forms C2's superword pass vectorises.
 *
 * <p>Stateless; nothing allocates.
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
   * Writes the hidden activations {@code relu(W1·z + b1)} of input {@code z[zOff..zOff+d)} into
   * {@code act[0..H)} and returns {@code f(z)}.
   */
  static double forward(DoubleKernels k, double[] p, int off, int d, int h, double[] z, int zOff, double[] act) {
    int b1 = off + h * d;
    int w2 = b1 + h;
    double z0 = z[zOff];
    for (int j = 0; j < h; j++) {
      act[j] = p[b1 + j] + z0 * p[off + j];
    }
    for (int c = 1; c < d; c++) {
      double zc = z[zOff + c];
      int wc = off + c * h;
      for (int j = 0; j < h; j++) {
        act[j] += zc * p[wc + j];
      }
    }
    for (int j = 0; j < h; j++) {
      act[j] = Math.max(act[j], 0.0);
    }
    return p[w2 + h] + k.dot(p, w2, act, 0, h);
  }

  /**
   * Mean squared error {@code L = (1/n)·Σ (f(z_i) − t_i)²} over the {@code n} inputs {@code z} (row-major
   * {@code n×d} at {@code zOff}) with targets {@code t[tOff..tOff+n)}; writes {@code ∂L/∂p} into
   * {@code grad[0..numParams)} (overwritten) and returns {@code L}. {@code act} and {@code delta} need
   * {@code H} doubles. Backpropagation per input: {@code g = 2(f − t)/n}; {@code ∂b2 += g};
   * {@code ∂w2 += g·h}; {@code δ = g·w2 ⊙ [h > 0]}; {@code ∂b1 += δ}; {@code ∂W1[c] += z_c·δ}.
   */
  static double gradient(DoubleKernels k, double[] p, int off, int d, int h, double[] z, int zOff, int n,
                         double[] t, int tOff, double[] grad, double[] act, double[] delta) {
    int np = numParams(d, h);
    int gb1 = h * d;
    int gw2 = gb1 + h;
    int w2 = off + gw2;
    for (int i = 0; i < np; i++) {
      grad[i] = 0.0;
    }
    double loss = 0.0;
    double gb2 = 0.0;
    double scale = 2.0 / n;
    for (int i = 0; i < n; i++) {
      int zi = zOff + i * d;
      double r = forward(k, p, off, d, h, z, zi, act) - t[tOff + i];
      loss += r * r;
      double g = scale * r;
      gb2 += g;
      for (int j = 0; j < h; j++) {
        double a = act[j];
        grad[gw2 + j] += g * a;
        // relu'(pre) = [pre > 0] = signum(relu(pre)), branch-free so that the loop vectorises.
        double dl = g * p[w2 + j] * Math.signum(a);
        delta[j] = dl;
        grad[gb1 + j] += dl;
      }
      for (int c = 0; c < d; c++) {
        double zc = z[zi + c];
        int gc = c * h;
        for (int j = 0; j < h; j++) {
          grad[gc + j] += zc * delta[j];
        }
      }
    }
    grad[gw2 + h] = gb2;
    return loss / n;
  }
}
