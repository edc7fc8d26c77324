package dev.recourse.core.policy;

/**
 * The radius ρ of an arm's confidence ellipsoid {@code ‖θ − θ̂_a‖_{V_a} ≤ ρ} as a function of the arm's
 * sample count. Every result records which one was used (spec libra.md §3).
 */
public sealed interface ConfidenceRadius permits ConfidenceRadius.Constant, ConfidenceRadius.Lemma2 {

  /** ρ for an arm that has received {@code n} updates. */
  double rho(long n);

  /** One line for result headers. */
  String describe();

  /** A constant ρ = α (the LinUCB habit); scale α with the reward noise, e.g. α = σ. */
  static ConfidenceRadius constant(double alpha) {
    return new Constant(alpha);
  }

  /** Constant radius α. */
  record Constant(double alpha) implements ConfidenceRadius {
    public Constant {
      if (!(alpha >= 0) || !Double.isFinite(alpha)) {
        throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
      }
    }

    @Override
    public double rho(long n) {
      return alpha;
    }

    @Override
    public String describe() {
      return "constant(alpha=" + alpha + ")";
    }
  }

  /**
   * Lemma 2 in the appendix A.2 form (spec §3), times {@code scale}:
   * {@code ρ = scale·(1/c_μ)·(σ·sqrt(d·log(1 + β_X²n/λ) + d·log(K/δ)) + sqrt(λ)·β_Θ)}.
   * The theoretical radius (scale 1) explores far too long at practical horizons; a scale below 1
   * is the usual practical choice.
   */
  record Lemma2(double sigma, int dim, int numArms, double delta, double lambda, double betaX,
                double betaTheta, double cMu, double scale) implements ConfidenceRadius {
    public Lemma2 {
      requirePositive("sigma", sigma);
      requirePositive("lambda", lambda);
      requirePositive("betaX", betaX);
      requirePositive("cMu", cMu);
      requirePositive("scale", scale);
      if (!(betaTheta >= 0) || !Double.isFinite(betaTheta)) {
        throw new IllegalArgumentException("betaTheta must be finite and >= 0, got " + betaTheta);
      }
      if (!(delta > 0 && delta < 1)) {
        throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
      }
      if (dim < 1 || numArms < 1) {
        throw new IllegalArgumentException("dim and numArms must be >= 1, got " + dim + ", " + numArms);
      }
    }

    private static void requirePositive(String name, double v) {
      if (!(v > 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
      }
    }

    @Override
    public double rho(long n) {
      double inner = dim * Math.log1p(betaX * betaX * n / lambda) + dim * Math.log(numArms / delta);
      return scale * (sigma * Math.sqrt(inner) + Math.sqrt(lambda) * betaTheta) / cMu;
    }

    @Override
    public String describe() {
      return "lemma2(sigma=" + sigma + ", delta=" + delta + ", lambda=" + lambda + ", betaX=" + betaX
          + ", betaTheta=" + betaTheta + ", cMu=" + cMu + ", scale=" + scale + ")";
    }
  }
}
