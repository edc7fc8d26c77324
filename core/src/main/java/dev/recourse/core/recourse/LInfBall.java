package dev.recourse.core.recourse;

/**
 * Weighted max-norm ball {@code max_i w_i|Δ_i| ≤ γ} (plain ℓ∞ when every weight is 1): a box of
 * half-widths {@code γ/w_i}, so its intersection with the bounds is again a box.
 */
public final class LInfBall extends Ball {

  private final double[] weights;
  private final boolean weighted;

  /** Plain ℓ∞ ball. */
  public LInfBall(int dimM, double gamma) {
    this(dimM, gamma, null);
  }

  /** Weighted ℓ∞ ball; {@code weights} (length d_M, each finite and > 0) is copied. */
  public LInfBall(int dimM, double gamma, double[] weights) {
    super(dimM, gamma);
    this.weighted = weights != null;
    this.weights = new double[dimM];
    if (weights == null) {
      java.util.Arrays.fill(this.weights, 1.0);
    } else {
      if (weights.length != dimM) {
        throw new IllegalArgumentException("weights must have " + dimM + " entries, got " + weights.length);
      }
      for (int i = 0; i < dimM; i++) {
        if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
          throw new IllegalArgumentException("weights[" + i + "] must be finite and > 0, got " + weights[i]);
        }
        this.weights[i] = weights[i];
      }
    }
  }

  @Override
  public String name() {
    return weighted ? "wlinf" : "linf";
  }

  /** Half-width of the box along coordinate {@code i}: {@code γ/w_i}. */
  public double halfWidth(int i) {
    return gamma / weights[i];
  }

  public double weight(int i) {
    return weights[i];
  }

  /** The box's half-diagonal {@code γ·sqrt(Σ 1/w_i²)}. */
  @Override
  public double maxEuclideanNorm() {
    double s = 0;
    for (int i = 0; i < dimM; i++) {
      s += 1.0 / (weights[i] * weights[i]);
    }
    return gamma * Math.sqrt(s);
  }

  @Override
  public double norm(double[] delta) {
    double m = 0;
    for (int i = 0; i < dimM; i++) {
      m = Math.max(m, weights[i] * Math.abs(delta[i]));
    }
    return m;
  }

  /** {@code Δ_i = sign(θ_i)·min(γ/w_i, bound)}, and 0 where θ_i = 0. */
  @Override
  public double maximizeLinear(double[] theta, double[] lo, double[] hi, double[] delta) {
    double value = 0;
    for (int i = 0; i < dimM; i++) {
      double th = theta[i];
      double d = th == 0 ? 0.0 : Math.copySign(Math.min(gamma / weights[i], room(th, lo, hi, i)), th);
      delta[i] = d;
      value += th * d;
    }
    return value;
  }

  /** Clip to the intersected box: the exact Euclidean projection. */
  @Override
  public void project(double[] candidate, double[] lo, double[] hi, double[] out) {
    for (int i = 0; i < dimM; i++) {
      double w = gamma / weights[i];
      double v = Math.min(Math.max(candidate[i], -w), w);
      out[i] = clip(v, lo, hi, i);
    }
  }

  @Override
  public Ball withGamma(double newGamma) {
    return new LInfBall(dimM, newGamma, weighted ? weights : null);
  }

  @Override
  protected void sampleBall(java.util.random.RandomGenerator rng, double[] out) {
    for (int i = 0; i < dimM; i++) {
      double w = gamma / weights[i];
      if (w > 0) {
        out[i] = rng.nextDouble(-w, w);
      } else {
        // γ = 0 (or γ/w_i underflowed): the box is a point, and nextDouble(-0.0, 0.0) throws. One draw
        // still taken, so the stream after a sample does not depend on γ (as for the other balls).
        rng.nextDouble();
        out[i] = 0.0;
      }
    }
  }
}
