package dev.recourse.core.recourse;

/** Manhattan ball {@code ‖Δ‖₁ ≤ γ}. */
public final class L1Ball extends Ball {

  private final boolean[] filled;

  public L1Ball(int dimM, double gamma) {
    super(dimM, gamma);
    this.filled = new boolean[dimM];
  }

  @Override
  public String name() {
    return "l1";
  }

  /** {@code ‖Δ‖₂ ≤ ‖Δ‖₁ ≤ γ}. */
  @Override
  public double maxEuclideanNorm() {
    return gamma;
  }

  @Override
  public double norm(double[] delta) {
    double s = 0;
    for (int i = 0; i < dimM; i++) {
      s += Math.abs(delta[i]);
    }
    return s;
  }

  /**
   * Unbounded: the whole budget on {@code j = argmax |θ_i|} (lowest index on ties). Bounded: the
   * fractional-knapsack greedy: fill coordinates by decreasing {@code |θ_i|} up to their bound until
   * the budget is spent (exact for this LP).
   */
  @Override
  public double maximizeLinear(double[] theta, double[] lo, double[] hi, double[] delta) {
    java.util.Arrays.fill(delta, 0, dimM, 0.0);
    java.util.Arrays.fill(filled, false);
    double budget = gamma;
    double value = 0;
    while (budget > 0) {
      int best = -1;
      double bestAbs = 0;
      for (int i = 0; i < dimM; i++) {
        double a = Math.abs(theta[i]);
        if (!filled[i] && a > bestAbs) {
          bestAbs = a;
          best = i;
        }
      }
      if (best < 0) {
        break;
      }
      filled[best] = true;
      double th = theta[best];
      double step = Math.min(budget, room(th, lo, hi, best));
      delta[best] = Math.copySign(step, th);
      value += bestAbs * step;
      budget -= step;
    }
    return value;
  }

  /**
   * Projection onto ball ∩ box: {@code Δ_i = clip(soft(c_i, τ))}, soft-thresholding at the smallest
   * τ ≥ 0 that lands in the ball (separable KKT; the box contains 0). τ by bisection, feasible side.
   */
  @Override
  public void project(double[] candidate, double[] lo, double[] hi, double[] out) {
    double tauHi = 0;
    for (int i = 0; i < dimM; i++) {
      tauHi = Math.max(tauHi, Math.abs(candidate[i]));
    }
    if (thresholdedNorm(candidate, lo, hi, 0) <= gamma) {
      writeThresholded(candidate, lo, hi, 0, out);
      return;
    }
    double tauLo = 0;
    for (int iter = 0; iter < 200 && tauHi - tauLo > 1e-15 * (1 + tauHi); iter++) {
      double tau = 0.5 * (tauLo + tauHi);
      if (thresholdedNorm(candidate, lo, hi, tau) > gamma) {
        tauLo = tau;
      } else {
        tauHi = tau;
      }
    }
    writeThresholded(candidate, lo, hi, tauHi, out);
  }

  private double thresholdedNorm(double[] c, double[] lo, double[] hi, double tau) {
    double s = 0;
    for (int i = 0; i < dimM; i++) {
      s += Math.abs(clip(soft(c[i], tau), lo, hi, i));
    }
    return s;
  }

  private void writeThresholded(double[] c, double[] lo, double[] hi, double tau, double[] out) {
    for (int i = 0; i < dimM; i++) {
      out[i] = clip(soft(c[i], tau), lo, hi, i);
    }
  }

  private static double soft(double v, double tau) {
    double a = Math.abs(v) - tau;
    return a > 0 ? Math.copySign(a, v) : 0.0;
  }

  @Override
  public Ball withGamma(double newGamma) {
    return new L1Ball(dimM, newGamma);
  }

  /** Uniform in the cross-polytope: exponential spacings give a uniform point of the simplex. */
  @Override
  protected void sampleBall(java.util.random.RandomGenerator rng, double[] out) {
    double total = 0;
    for (int i = 0; i < dimM; i++) {
      double e = -Math.log(1.0 - rng.nextDouble());
      out[i] = e;
      total += e;
    }
    total += -Math.log(1.0 - rng.nextDouble()); // slack coordinate: the interior, not just the surface
    for (int i = 0; i < dimM; i++) {
      double v = gamma * out[i] / total;
      out[i] = rng.nextBoolean() ? v : -v;
    }
  }
}
