package dev.recourse.core.recourse;

import dev.recourse.core.linalg.CholeskyOps;

/**
 * Mahalanobis ball {@code sqrt(ΔᵀΣΔ) ≤ γ} with Σ symmetric positive definite ({@code d_M×d_M},
 * row-major). Its dual norm is {@code sqrt(θᵀΣ⁻¹θ)}.
 */
public final class MahalanobisBall extends Ball {

  private static final int MAX_SWEEPS = 500;
  private static final int MAX_BISECTIONS = 200;
  private static final double TOL = 1e-12;

  private final double[] sigma;
  private final double[] cholesky;
  private final double[] work;
  private final double traceOfInverse;

  /** {@code sigma} is copied; it must be symmetric positive definite. */
  public MahalanobisBall(int dimM, double gamma, double[] sigma) {
    super(dimM, gamma);
    if (sigma == null || sigma.length != dimM * dimM) {
      throw new IllegalArgumentException("sigma must be a " + dimM + "x" + dimM + " row-major matrix ("
          + (dimM * dimM) + " values), got " + (sigma == null ? "null" : sigma.length + " values"));
    }
    for (int i = 0; i < dimM; i++) {
      for (int j = 0; j < dimM; j++) {
        double a = sigma[i * dimM + j];
        double b = sigma[j * dimM + i];
        if (!Double.isFinite(a)) {
          throw new IllegalArgumentException("sigma[" + i + "][" + j + "] must be finite, got " + a);
        }
        if (Math.abs(a - b) > 1e-12 * (Math.abs(a) + Math.abs(b))) {
          throw new IllegalArgumentException("sigma must be symmetric: sigma[" + i + "][" + j + "] = " + a
              + " but sigma[" + j + "][" + i + "] = " + b);
        }
      }
    }
    this.sigma = sigma.clone();
    this.cholesky = sigma.clone();
    if (!CholeskyOps.factor(cholesky, 0, dimM)) {
      throw new IllegalArgumentException("sigma is not positive definite");
    }
    this.work = new double[dimM];
    double trace = 0;
    double[] column = new double[dimM];
    for (int j = 0; j < dimM; j++) { // trace(Σ⁻¹) = Σ_j (Σ⁻¹e_j)_j
      java.util.Arrays.fill(column, 0.0);
      column[j] = 1.0;
      CholeskyOps.solve(cholesky, 0, dimM, column, 0);
      trace += column[j];
    }
    this.traceOfInverse = trace;
  }

  @Override
  public String name() {
    return "mahalanobis";
  }

  /** {@code Σ_ij}, without copying Σ (for solvers that compare one set's Σ with another's). */
  double sigmaEntry(int i, int j) {
    return sigma[i * dimM + j];
  }

  /** A copy of Σ. */
  public double[] sigma() {
    return sigma.clone();
  }

  /**
   * {@code ΔᵀΣΔ ≤ γ²} gives {@code ‖Δ‖₂² ≤ γ²·λ_max(Σ⁻¹) ≤ γ²·trace(Σ⁻¹)}; the trace is
   * {@code ‖L⁻¹‖_F²}, computed once.
   */
  @Override
  public double maxEuclideanNorm() {
    return gamma * Math.sqrt(traceOfInverse);
  }

  @Override
  public double norm(double[] delta) {
    return Math.sqrt(Math.max(0.0, quad(delta)));
  }

  private double quad(double[] v) {
    double s = 0;
    for (int i = 0; i < dimM; i++) {
      double row = 0;
      for (int j = 0; j < dimM; j++) {
        row += sigma[i * dimM + j] * v[j];
      }
      s += v[i] * row;
    }
    return s;
  }

  /**
   * Unbounded: {@code Δ = γΣ⁻¹θ/sqrt(θᵀΣ⁻¹θ)}. Bounded (no closed form): the Lagrangian dual in the
   * ball constraint, {@code Δ(μ) = argmax_box θᵀΔ − (μ/2)ΔᵀΣΔ} (a strictly concave box QP solved by
   * coordinate ascent), with μ found by bisection so that {@code ‖Δ(μ)‖_Σ = γ}; the returned point is
   * on the feasible side. Iterative, for configurations rather than the hot path.
   */
  @Override
  public double maximizeLinear(double[] theta, double[] lo, double[] hi, double[] delta) {
    boolean zero = true;
    for (int i = 0; i < dimM; i++) {
      zero &= theta[i] == 0;
    }
    if (zero || gamma == 0) {
      java.util.Arrays.fill(delta, 0, dimM, 0.0);
      return 0.0;
    }
    if (lo == null) {
      System.arraycopy(theta, 0, work, 0, dimM);
      CholeskyOps.solve(cholesky, 0, dimM, work, 0);
      double dual = 0;
      for (int i = 0; i < dimM; i++) {
        dual += theta[i] * work[i];
      }
      dual = Math.sqrt(dual);
      for (int i = 0; i < dimM; i++) {
        delta[i] = gamma * work[i] / dual;
      }
      return gamma * dual;
    }
    // μ → 0 limit: the box's own maximiser, if the ball does not cut it.
    boolean boxBounded = true;
    for (int i = 0; i < dimM; i++) {
      double th = theta[i];
      double r = th == 0 ? 0.0 : room(th, lo, hi, i);
      boxBounded &= Double.isFinite(r);
      delta[i] = th == 0 ? 0.0 : Math.copySign(Math.min(r, Double.MAX_VALUE), th);
    }
    if (boxBounded && quad(delta) <= gamma * gamma) {
      return dot(theta, delta);
    }
    java.util.Arrays.fill(delta, 0, dimM, 0.0);
    double muHi = 1.0;
    while (boxQpNormSq(theta, lo, hi, muHi, delta) > gamma * gamma) {
      muHi *= 2;
    }
    double muLo = muHi / 2;
    while (muLo > 1e-300 && boxQpNormSq(theta, lo, hi, muLo, delta) <= gamma * gamma) {
      muHi = muLo;
      muLo /= 2;
    }
    for (int iter = 0; iter < MAX_BISECTIONS && muHi - muLo > 1e-13 * muHi; iter++) {
      double mu = 0.5 * (muLo + muHi);
      if (boxQpNormSq(theta, lo, hi, mu, delta) > gamma * gamma) {
        muLo = mu;
      } else {
        muHi = mu;
      }
    }
    boxQpNormSq(theta, lo, hi, muHi, delta);
    double n = norm(delta);
    if (n > gamma) { // coordinate-ascent tolerance: pull back onto the ball
      double f = gamma / n;
      for (int i = 0; i < dimM; i++) {
        delta[i] *= f;
      }
    }
    return dot(theta, delta);
  }

  /** Solves the box QP for μ into {@code delta} (warm-started from its content); returns ΔᵀΣΔ. */
  private double boxQpNormSq(double[] theta, double[] lo, double[] hi, double mu, double[] delta) {
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double maxChange = 0;
      double maxAbs = 0;
      for (int i = 0; i < dimM; i++) {
        double off = 0;
        for (int j = 0; j < dimM; j++) {
          if (j != i) {
            off += sigma[i * dimM + j] * delta[j];
          }
        }
        double v = clip((theta[i] / mu - off) / sigma[i * dimM + i], lo, hi, i);
        maxChange = Math.max(maxChange, Math.abs(v - delta[i]));
        maxAbs = Math.max(maxAbs, Math.abs(v));
        delta[i] = v;
      }
      if (maxChange <= TOL * Math.max(1.0, maxAbs)) {
        break;
      }
    }
    return quad(delta);
  }

  private double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < dimM; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * Feasible retraction, not the Euclidean projection (which has no cheap form here): clip to the
   * bounds, then scale toward 0 until inside the ellipsoid. Scaling keeps the bounds satisfied because
   * the box contains 0.
   */
  @Override
  public void project(double[] candidate, double[] lo, double[] hi, double[] out) {
    for (int i = 0; i < dimM; i++) {
      out[i] = clip(candidate[i], lo, hi, i);
    }
    double n = norm(out);
    if (n > gamma) {
      double f = gamma / n;
      for (int i = 0; i < dimM; i++) {
        out[i] *= f;
      }
    }
  }

  @Override
  public Ball withGamma(double newGamma) {
    return new MahalanobisBall(dimM, newGamma, sigma);
  }

  /** {@code Δ = L⁻ᵀz} with z uniform in the γ-ball and Σ = LLᵀ: then {@code ΔᵀΣΔ = ‖z‖²}. */
  @Override
  protected void sampleBall(java.util.random.RandomGenerator rng, double[] out) {
    uniformInL2Ball(rng, dimM, gamma, out);
    for (int i = dimM - 1; i >= 0; i--) {
      double s = out[i];
      for (int k = i + 1; k < dimM; k++) {
        s -= cholesky[k * dimM + i] * out[k];
      }
      out[i] = s / cholesky[i * dimM + i];
    }
  }
}
