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
   * {@code act[actOff..actOff+H)}: a copy of {@code b1}, {@code d} kernel axpys and a max.
   */
  static void hidden(DoubleKernels k, double[] p, int off, int d, int h, double[] z, int zOff,
                     double[] act, int actOff) {
    System.arraycopy(p, off + h * d, act, actOff, h);
    for (int c = 0; c < d; c++) {
      k.axpy(z[zOff + c], p, off + c * h, act, actOff, h);
    }
    for (int j = 0; j < h; j++) {
      act[actOff + j] = Math.max(act[actOff + j], 0.0);
    }
  }

  /** {@code f(z)} of input {@code z[zOff..zOff+d)}; {@code act} receives the hidden activations. */
  static double forward(DoubleKernels k, double[] p, int off, int d, int h, double[] z, int zOff, double[] act) {
    hidden(k, p, off, d, h, z, zOff, act, 0);
    int w2 = off + h * d + h;
    return p[w2 + h] + k.dot(p, w2, act, 0, h);
  }

  /**
   * {@code out[i] = f(z_i)} for the {@code n} inputs {@code z} (row-major {@code n×d} at {@code zOff}); the
   * hidden activations go to {@code hid} ({@code n×H}, row-major), the output layer is one kernel gemv
   * {@code hid·w2} (four rows at a time) rather than {@code n} dots.
   */
  static void forwardBatch(DoubleKernels k, double[] p, int off, int d, int h, double[] z, int zOff, int n,
                           double[] hid, double[] out) {
    for (int i = 0; i < n; i++) {
      hidden(k, p, off, d, h, z, zOff + i * d, hid, i * h);
    }
    int w2 = off + h * d + h;
    k.gemv(hid, 0, n, h, p, w2, out, 0);
    double b2 = p[w2 + h];
    for (int i = 0; i < n; i++) {
      out[i] += b2;
    }
  }

  /**
   * Mean squared error {@code L = (1/n)·Σ (f(z_i) − t_i)²} over the {@code n} inputs {@code z} (row-major
   * {@code n×d} at {@code zOff}) with targets {@code t[tOff..tOff+n)}; writes {@code ∂L/∂p} into
   * {@code grad[0..numParams)} (overwritten) and returns {@code L}. Scratch: {@code hid} ({@code n×H}),
   * {@code out} ({@code n}), {@code mask} ({@code H}).
   *
   * <p>Backpropagation per input: {@code g = 2(f − t)/n}; {@code ∂b2 += g}; {@code ∂w2 += g·h};
   * {@code δ = g·(w2 ⊙ [h > 0])}; {@code ∂b1 += δ}; {@code ∂W1[c] += g·z_c·(w2 ⊙ [h > 0])}: one
   * elementwise mask and {@code d + 2} kernel axpys over the hidden units.
   */
  static double gradient(DoubleKernels k, double[] p, int off, int d, int h, double[] z, int zOff, int n,
                         double[] t, int tOff, double[] grad, double[] hid, double[] out, double[] mask) {
    forwardBatch(k, p, off, d, h, z, zOff, n, hid, out);
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
      double r = out[i] - t[tOff + i];
      loss += r * r;
      double g = scale * r;
      gb2 += g;
      int row = i * h;
      k.axpy(g, hid, row, grad, gw2, h);
      // [h > 0] = ceil(min(h, 1)) for h = relu(·) ≥ 0: exact, and branch-free so the loop vectorises.
      for (int j = 0; j < h; j++) {
        mask[j] = p[w2 + j] * Math.ceil(Math.min(hid[row + j], 1.0));
      }
      k.axpy(g, mask, 0, grad, gb1, h);
      int zi = zOff + i * d;
      for (int c = 0; c < d; c++) {
        k.axpy(g * z[zi + c], mask, 0, grad, c * h, h);
      }
    }
    grad[gw2 + h] = gb2;
    return loss / n;
  }
}
