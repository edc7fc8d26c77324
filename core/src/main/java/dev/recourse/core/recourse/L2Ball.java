package dev.recourse.core.recourse;

/** Euclidean ball {@code ‖Δ‖₂ ≤ γ}. */
public final class L2Ball extends Ball {

  private final boolean[] clipped;

  public L2Ball(int dimM, double gamma) {
    super(dimM, gamma);
    this.clipped = new boolean[dimM];
  }

  @Override
  public String name() {
    return "l2";
  }

  @Override
  public double maxEuclideanNorm() {
    return gamma;
  }

  @Override
  public double norm(double[] delta) {
    double s = 0;
    for (int i = 0; i < dimM; i++) {
      s += delta[i] * delta[i];
    }
    return Math.sqrt(s);
  }

  /**
   * Unbounded: {@code Δ = γθ/‖θ‖₂}. Bounded: the KKT point {@code Δ_i = clip(tθ_i)}; the scalar t is
   * found exactly by an active-set pass: t grows each time a coordinate is fixed at its bound (the
   * budget left for the others grows), so a fixed coordinate stays fixed and at most {@code d_M}
   * passes are needed, typically one or two. θ = 0 gives Δ = 0 (no change is as good as any).
   */
  @Override
  public double maximizeLinear(double[] theta, double[] lo, double[] hi, double[] delta) {
    double sumSq = sumOfSquares(theta, dimM);
    if (sumSq == 0 || gamma == 0) {
      java.util.Arrays.fill(delta, 0, dimM, 0.0);
      return 0.0;
    }
    if (lo == null) {
      double scale = gamma / Math.sqrt(sumSq);
      for (int i = 0; i < dimM; i++) {
        delta[i] = scale * theta[i];
      }
      return gamma * Math.sqrt(sumSq);
    }
    boolean[] fixed = clipped;
    java.util.Arrays.fill(fixed, false);
    double fixedSq = 0;
    double freeSq = sumSq;
    double t = 0;
    boolean changed = true;
    while (changed && freeSq > 0) {
      t = Math.sqrt(Math.max(0.0, gamma * gamma - fixedSq) / freeSq);
      changed = false;
      for (int i = 0; i < dimM; i++) {
        double th = theta[i];
        if (fixed[i] || th == 0) {
          continue;
        }
        double cap = room(th, lo, hi, i);
        if (t * Math.abs(th) >= cap) {
          fixed[i] = true;
          fixedSq += cap * cap;
          freeSq -= th * th;
          changed = true;
        }
      }
    }
    double value = 0;
    for (int i = 0; i < dimM; i++) {
      double th = theta[i];
      double d = th == 0 ? 0.0 : fixed[i] ? Math.copySign(room(th, lo, hi, i), th) : t * th;
      delta[i] = d;
      value += th * d;
    }
    return value;
  }

  /**
   * Projection onto ball ∩ box: {@code Δ_i = clip(c_i/(1+μ))} with μ ≥ 0 the smallest value whose
   * point is in the ball (separable KKT; the box contains 0). μ by bisection, returned on the feasible side.
   */
  @Override
  public void project(double[] candidate, double[] lo, double[] hi, double[] out) {
    double normClipped = 0;
    for (int i = 0; i < dimM; i++) {
      double v = clip(candidate[i], lo, hi, i);
      normClipped += v * v;
    }
    if (normClipped <= gamma * gamma) {
      for (int i = 0; i < dimM; i++) {
        out[i] = clip(candidate[i], lo, hi, i);
      }
      return;
    }
    if (gamma == 0) {
      java.util.Arrays.fill(out, 0, dimM, 0.0);
      return;
    }
    double normSq = 0;
    for (int i = 0; i < dimM; i++) {
      normSq += candidate[i] * candidate[i];
    }
    double muLo = 0;
    double muHi = Math.sqrt(normSq) / gamma; // c/(1+μ) then has norm < γ, and clipping only shrinks it
    for (int iter = 0; iter < 200 && muHi - muLo > 1e-15 * (1 + muHi); iter++) {
      double mu = 0.5 * (muLo + muHi);
      if (shrunkNormSq(candidate, lo, hi, mu) > gamma * gamma) {
        muLo = mu;
      } else {
        muHi = mu;
      }
    }
    double f = 1.0 / (1.0 + muHi);
    for (int i = 0; i < dimM; i++) {
      out[i] = clip(candidate[i] * f, lo, hi, i);
    }
  }

  private double shrunkNormSq(double[] c, double[] lo, double[] hi, double mu) {
    double f = 1.0 / (1.0 + mu);
    double s = 0;
    for (int i = 0; i < dimM; i++) {
      double v = clip(c[i] * f, lo, hi, i);
      s += v * v;
    }
    return s;
  }

  @Override
  public Ball withGamma(double newGamma) {
    return new L2Ball(dimM, newGamma);
  }

  @Override
  protected void sampleBall(java.util.random.RandomGenerator rng, double[] out) {
    uniformInL2Ball(rng, dimM, gamma, out);
  }

  /**
   * {@code Σ θ_i²} with four independent partial sums: the serial chain of d_M dependent additions
   * was the slowest part of the CD step. Fixed order, so the same bits on every run and kernel.
   */
  static double sumOfSquares(double[] v, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += v[i] * v[i];
      s1 += v[i + 1] * v[i + 1];
      s2 += v[i + 2] * v[i + 2];
      s3 += v[i + 3] * v[i + 3];
    }
    for (; i < n; i++) {
      s0 += v[i] * v[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
}
