package dev.recourse.core.recourse;

/**
 * A norm ball {@code ‖Δ‖ ≤ γ} over the mutable block, intersected with per-coordinate displacement
 * bounds {@code lo_i ≤ Δ_i ≤ hi_i} ({@code lo_i ≤ 0 ≤ hi_i}; infinite where a feature has no bound).
 * Implementations own their scratch arrays: an instance is confined to one thread; {@link #copy()}
 * gives another.
 *
 * <p>Arrays have length {@link #mutableDim()} and are indexed by position in the mutable block.
 */
public abstract sealed class Ball permits L2Ball, L1Ball, LInfBall, MahalanobisBall {

  protected final int dimM;
  protected final double gamma;

  protected Ball(int dimM, double gamma) {
    if (dimM < 1) {
      throw new IllegalArgumentException("number of mutable features must be >= 1, got " + dimM);
    }
    if (!(gamma >= 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and >= 0, got " + gamma);
    }
    this.dimM = dimM;
    this.gamma = gamma;
  }

  public final int mutableDim() {
    return dimM;
  }

  public final double gamma() {
    return gamma;
  }

  /** Short name used in configuration and output: l2, l1, linf, wlinf, mahalanobis. */
  public abstract String name();

  /**
   * An upper bound on {@code ‖Δ‖₂} over the ball (so over any intersection with bounds too); used to
   * bound ORO-Arm's value when GLRB prunes arms.
   */
  public abstract double maxEuclideanNorm();

  /** {@code ‖Δ‖} in this ball's norm. */
  public abstract double norm(double[] delta);

  /**
   * Lemma 1 (spec libra.md §2): writes into {@code delta} a maximiser of {@code θᵀΔ} over the ball
   * intersected with the bounds, and returns the maximum. {@code lo}/{@code hi} may be null for
   * "no bounds", which selects the closed forms.
   */
  public abstract double maximizeLinear(double[] theta, double[] lo, double[] hi, double[] delta);

  /**
   * Writes into {@code out} a feasible point close to {@code candidate}: the Euclidean projection onto
   * the ball ∩ bounds for ℓ2, ℓ1 and (weighted) ℓ∞; for the Mahalanobis ball a documented retraction
   * (clip to the bounds, then scale toward 0). {@code out} may alias {@code candidate}.
   */
  public abstract void project(double[] candidate, double[] lo, double[] hi, double[] out);

  /** An independent instance with the same configuration and its own scratch. */
  public final Ball copy() {
    return withGamma(gamma);
  }

  /** An independent instance with the same norm and a different radius. */
  public abstract Ball withGamma(double newGamma);

  /** Writes a point drawn uniformly from the ball (no bounds) into {@code out}. Allocates nothing. */
  protected abstract void sampleBall(java.util.random.RandomGenerator rng, double[] out);

  /** Tries of rejection sampling against the bounds before falling back to projection. */
  private static final int MAX_REJECTIONS = 64;

  /**
   * A displacement drawn uniformly from the ball ∩ bounds: uniform in the ball, rejected until inside
   * the bounds; after {@value #MAX_REJECTIONS} rejections (very tight bounds) the last draw is projected,
   * which is feasible but no longer exactly uniform.
   */
  public final void sampleUniform(java.util.random.RandomGenerator rng, double[] lo, double[] hi, double[] out) {
    for (int attempt = 0; attempt < MAX_REJECTIONS; attempt++) {
      sampleBall(rng, out);
      if (lo == null || insideBounds(out, lo, hi)) {
        return;
      }
    }
    project(out, lo, hi, out);
  }

  private boolean insideBounds(double[] delta, double[] lo, double[] hi) {
    for (int i = 0; i < dimM; i++) {
      if (delta[i] < lo[i] || delta[i] > hi[i]) {
        return false;
      }
    }
    return true;
  }

  /** Uniform in the Euclidean ball of radius {@code r}: Gaussian direction, radius {@code r·U^{1/n}}. */
  protected static void uniformInL2Ball(java.util.random.RandomGenerator rng, int n, double r, double[] out) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      double g = rng.nextGaussian();
      out[i] = g;
      s += g * g;
    }
    double scale = s > 0 ? r * Math.pow(rng.nextDouble(), 1.0 / n) / Math.sqrt(s) : 0.0;
    for (int i = 0; i < n; i++) {
      out[i] *= scale;
    }
  }

  /** Whether {@code Δ} lies in the ball and the bounds, up to {@code tol} (relative to γ). */
  public final boolean contains(double[] delta, double[] lo, double[] hi, double tol) {
    double slack = tol * Math.max(1.0, gamma);
    if (norm(delta) > gamma + slack) {
      return false;
    }
    if (lo != null) {
      for (int i = 0; i < dimM; i++) {
        if (delta[i] < lo[i] - slack || delta[i] > hi[i] + slack) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code clamp(v, lo, hi)} with null bounds meaning none. */
  protected static double clip(double v, double[] lo, double[] hi, int i) {
    if (lo == null) {
      return v;
    }
    return Math.min(Math.max(v, lo[i]), hi[i]);
  }

  /** The bound a coordinate meets when moved in the direction of {@code sign}: {@code hi} or {@code |lo|}. */
  protected static double room(double sign, double[] lo, double[] hi, int i) {
    if (lo == null) {
      return Double.POSITIVE_INFINITY;
    }
    return sign > 0 ? hi[i] : -lo[i];
  }
}
