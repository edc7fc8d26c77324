package dev.recourse.core.gambitts;

import dev.recourse.core.simd.DoubleKernels;
import java.util.random.RandomGenerator;

/**
 * One member network of ens-poGAMBITTS (spec §5), {@code f(z) = w2ᵀ·relu(W1·z + b1) + b2},
 * {@code d → H ReLU → 1}, as a handful of flat {@code double[]} blocks: {@code W1} by input coordinate
 * ({@code w1[c][j]} is the weight of input {@code c} into unit {@code j}), {@code b1}, {@code w2} (each
 * {@code H}) and the scalar {@code b2}. The same shape also holds a gradient or Adam's moments.
 *
 * <p>Why this layout: every inner loop runs over the {@code H} hidden units, with unit stride, over
 * whole separate arrays, and fuses up to three input coordinates per pass. Loops of that form are the
 * ones C2's superword pass vectorises (measured on JDK 25: a fused pass over separate arrays ran at
 * about twice the speed of the same work as kernel axpys at an offset, and 2.3× faster than the
 * plain loops over offsets into one shared array, which it did not vectorise). With the units as lanes
 * the only reduction is the output {@code w2·h}, one kernel dot per input; with the batch as lanes every
 * weight gradient would be a reduction over the batch.
 *
 * <p>Nothing allocates after construction. Not thread-safe.
 */
final class Mlp {

  final int dim;
  final int hidden;
  final double[][] w1;
  final double[] b1;
  final double[] w2;
  double b2;
  /** Zeros, standing in for the missing coordinates of a partial group of three. */
  private final double[] zeros;

  Mlp(int dim, int hidden) {
    this.dim = dim;
    this.hidden = hidden;
    this.w1 = new double[dim][hidden];
    this.b1 = new double[hidden];
    this.w2 = new double[hidden];
    this.zeros = new double[hidden];
  }

  static int numParams(int d, int h) {
    return h * d + 2 * h + 1;
  }

  /** torch.nn.Linear's default initialisation: every weight and bias {@code U(−1/√fan_in, 1/√fan_in)}. */
  void init(RandomGenerator rng) {
    double a1 = 1.0 / Math.sqrt(dim);
    double a2 = 1.0 / Math.sqrt(hidden);
    for (int j = 0; j < hidden; j++) {
      for (int c = 0; c < dim; c++) {
        w1[c][j] = a1 * (2.0 * rng.nextDouble() - 1.0);
      }
      b1[j] = a1 * (2.0 * rng.nextDouble() - 1.0);
    }
    for (int j = 0; j < hidden; j++) {
      w2[j] = a2 * (2.0 * rng.nextDouble() - 1.0);
    }
    b2 = a2 * (2.0 * rng.nextDouble() - 1.0);
  }

  /** Sets every parameter to 0 (a gradient's or a moment's start). */
  void clear() {
    for (double[] row : w1) {
      java.util.Arrays.fill(row, 0.0);
    }
    java.util.Arrays.fill(b1, 0.0);
    java.util.Arrays.fill(w2, 0.0);
    b2 = 0.0;
  }

  /** Parameter {@code i} in the order W1 (by coordinate), b1, w2, b2: for tests and finite differences. */
  double get(int i) {
    int h = hidden;
    if (i < dim * h) {
      return w1[i / h][i % h];
    }
    i -= dim * h;
    if (i < h) {
      return b1[i];
    }
    i -= h;
    return i < h ? w2[i] : b2;
  }

  void set(int i, double v) {
    int h = hidden;
    if (i < dim * h) {
      w1[i / h][i % h] = v;
      return;
    }
    i -= dim * h;
    if (i < h) {
      b1[i] = v;
      return;
    }
    i -= h;
    if (i < h) {
      w2[i] = v;
    } else {
      b2 = v;
    }
  }

  /**
   * Writes the hidden activations {@code relu(W1·z + b1)} of input {@code z[zOff..zOff+d)} into
   * {@code act[0..H)}: the first pass takes the bias and up to three coordinates, later passes three more
   * each, the last pass applies the ReLU.
   */
  void hidden(double[] z, int zOff, double[] act) {
    int h = hidden;
    int d = dim;
    double[] b = b1;
    double[][] w = w1;
    if (d == 1) {
      double z0 = z[zOff];
      double[] w0 = w[0];
      for (int j = 0; j < h; j++) {
        act[j] = Math.max(b[j] + z0 * w0[j], 0.0);
      }
      return;
    }
    if (d == 2) {
      double z0 = z[zOff];
      double z1 = z[zOff + 1];
      double[] w0 = w[0];
      double[] w1r = w[1];
      for (int j = 0; j < h; j++) {
        act[j] = Math.max(b[j] + z0 * w0[j] + z1 * w1r[j], 0.0);
      }
      return;
    }
    double z0 = z[zOff];
    double z1 = z[zOff + 1];
    double z2 = z[zOff + 2];
    double[] w0 = w[0];
    double[] w1r = w[1];
    double[] w2r = w[2];
    if (d == 3) {
      for (int j = 0; j < h; j++) {
        act[j] = Math.max(b[j] + z0 * w0[j] + z1 * w1r[j] + z2 * w2r[j], 0.0);
      }
      return;
    }
    for (int j = 0; j < h; j++) {
      act[j] = b[j] + z0 * w0[j] + z1 * w1r[j] + z2 * w2r[j];
    }
    for (int c = 3; c < d; c += 3) {
      double y0 = z[zOff + c];
      double y1 = c + 1 < d ? z[zOff + c + 1] : 0.0;
      double y2 = c + 2 < d ? z[zOff + c + 2] : 0.0;
      double[] v0 = w[c];
      double[] v1 = c + 1 < d ? w[c + 1] : zeros;
      double[] v2 = c + 2 < d ? w[c + 2] : zeros;
      for (int j = 0; j < h; j++) {
        act[j] += y0 * v0[j] + y1 * v1[j] + y2 * v2[j];
      }
    }
    for (int j = 0; j < h; j++) {
      act[j] = Math.max(act[j], 0.0);
    }
  }

  /**
   * Adds the hidden activations of the inputs at {@code z[zOff0..)} and {@code z[zOff1..)} to
   * {@code sum[0..H)}; {@code act} is scratch. For {@code d ≤ 3} one fused pass for both inputs (the
   * weights are loaded once for two inputs), else two {@link #hidden} calls.
   */
  void addHiddenPair(double[] z, int zOff0, int zOff1, double[] sum, double[] act) {
    int h = hidden;
    int d = dim;
    if (d > 3) {
      hidden(z, zOff0, act);
      for (int j = 0; j < h; j++) {
        sum[j] += act[j];
      }
      hidden(z, zOff1, act);
      for (int j = 0; j < h; j++) {
        sum[j] += act[j];
      }
      return;
    }
    double[] b = b1;
    double[] w0 = w1[0];
    double[] w1r = d > 1 ? w1[1] : zeros;
    double[] w2r = d > 2 ? w1[2] : zeros;
    double x0 = z[zOff0];
    double x1 = d > 1 ? z[zOff0 + 1] : 0.0;
    double x2 = d > 2 ? z[zOff0 + 2] : 0.0;
    double y0 = z[zOff1];
    double y1 = d > 1 ? z[zOff1 + 1] : 0.0;
    double y2 = d > 2 ? z[zOff1 + 2] : 0.0;
    for (int j = 0; j < h; j++) {
      double bj = b[j];
      double u0 = w0[j];
      double u1 = w1r[j];
      double u2 = w2r[j];
      sum[j] += Math.max(bj + x0 * u0 + x1 * u1 + x2 * u2, 0.0) + Math.max(bj + y0 * u0 + y1 * u1 + y2 * u2, 0.0);
    }
  }

  /** {@code f(z)}; {@code act} receives the hidden activations. */
  double forward(DoubleKernels k, double[] z, int zOff, double[] act) {
    hidden(z, zOff, act);
    return b2 + k.dot(w2, 0, act, 0, hidden);
  }

  /**
   * Mean squared error {@code L = (1/n)·Σ (f(z_i) − t_i)²} over the {@code n} inputs {@code z} (row-major
   * {@code n×d} at {@code zOff}) with targets {@code t[0..n)}; writes {@code ∂L/∂θ} into {@code grad}
   * (same shape, overwritten) and returns {@code L}. Scratch: {@code hid} ({@code n} rows of {@code H}),
   * {@code out} ({@code n}), {@code mask} ({@code H}).
   *
   * <p>Backpropagation per input: {@code g = 2(f − t)/n}; {@code ∂b2 += g}; {@code ∂w2 += g·h};
   * {@code μ = w2 ⊙ [h > 0]}; {@code ∂b1 += g·μ}; {@code ∂W1[c] += g·z_c·μ}, fused three coordinates per
   * pass. {@code [h > 0] = ceil(min(h, 1))} for {@code h = relu(·) ≥ 0}: exact, and branch-free so that
   * the loop vectorises.
   */
  double gradient(DoubleKernels k, double[] z, int zOff, int n, double[] t, Mlp grad, double[][] hid,
                  double[] out, double[] mask) {
    int h = hidden;
    int d = dim;
    for (int i = 0; i < n; i++) {
      out[i] = forward(k, z, zOff + i * d, hid[i]);
    }
    grad.clear();
    double[] v = w2;
    double[] gv = grad.w2;
    double[] gb = grad.b1;
    double[][] gw = grad.w1;
    double loss = 0.0;
    double gb2 = 0.0;
    double scale = 2.0 / n;
    for (int i = 0; i < n; i++) {
      double r = out[i] - t[i];
      loss += r * r;
      double g = scale * r;
      gb2 += g;
      double[] a = hid[i];
      int zi = zOff + i * d;
      double gz0 = g * z[zi];
      double gz1 = d > 1 ? g * z[zi + 1] : 0.0;
      double gz2 = d > 2 ? g * z[zi + 2] : 0.0;
      double[] g0 = gw[0];
      double[] g1 = d > 1 ? gw[1] : mask;
      double[] g2 = d > 2 ? gw[2] : mask;
      // The first pass: ∂w2, the mask, ∂b1 and the first three coordinates (a missing coordinate writes
      // g·0·μ = 0 into the mask array, which is overwritten before it is read).
      for (int j = 0; j < h; j++) {
        double aj = a[j];
        gv[j] += g * aj;
        double m = v[j] * Math.ceil(Math.min(aj, 1.0));
        gb[j] += g * m;
        g0[j] += gz0 * m;
        g1[j] += gz1 * m;
        g2[j] += gz2 * m;
      }
      if (d > 3) {
        for (int j = 0; j < h; j++) {
          mask[j] = v[j] * Math.ceil(Math.min(a[j], 1.0));
        }
        for (int c = 3; c < d; c += 3) {
          double y0 = g * z[zi + c];
          double y1 = c + 1 < d ? g * z[zi + c + 1] : 0.0;
          double y2 = c + 2 < d ? g * z[zi + c + 2] : 0.0;
          double[] q0 = gw[c];
          double[] q1 = c + 1 < d ? gw[c + 1] : zeros;
          double[] q2 = c + 2 < d ? gw[c + 2] : zeros;
          // Partial groups add 0·μ into the shared zero array: it stays zero.
          for (int j = 0; j < h; j++) {
            double m = mask[j];
            q0[j] += y0 * m;
            q1[j] += y1 * m;
            q2[j] += y2 * m;
          }
        }
      }
    }
    grad.b2 = gb2;
    return loss / n;
  }

  /** Writes the parameters (shape, then w1 by input, b1, w2, b2): a snapshot of a member or of Adam's moments. */
  void exportState(dev.recourse.core.state.StateSink sink) {
    sink.putLong(dim);
    sink.putLong(hidden);
    for (double[] row : w1) {
      sink.putDoubles(row, 0, hidden);
    }
    sink.putDoubles(b1, 0, hidden);
    sink.putDoubles(w2, 0, hidden);
    sink.putDouble(b2);
  }

  /** Reads back what {@link #exportState} wrote into a network of the same shape. */
  void importState(dev.recourse.core.state.StateSource source) {
    source.expect("network d_z", dim);
    source.expect("network hidden units", hidden);
    for (double[] row : w1) {
      source.getDoubles(row, 0, hidden);
    }
    source.getDoubles(b1, 0, hidden);
    source.getDoubles(w2, 0, hidden);
    b2 = source.getDouble();
  }
}
