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
  public abstract Ball copy();

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
