package dev.recourse.core.recourse;

import java.util.Arrays;

/**
 * The recourse a decision may recommend (spec libra.md §1): for context {@code x}, the contexts
 * {@code x̃} that equal {@code x} on the immutable features and satisfy {@code ‖x̃_M − x_M‖ ≤ γ} and
 * {@code lo_i ≤ x̃_i ≤ hi_i} on the mutable ones. Which features are mutable is configuration (any
 * indices, not a suffix). Bounds are absolute feature values (infinite for a one-sided limit; an
 * "only decrease" feature has {@code hi = +∞}... set per round as {@code hi_i = x_i} by the caller's
 * scenario, or a fixed clinical range).
 *
 * <p>Usage per round: {@link #prepare(double[])} with the context (validates it against the bounds and
 * computes the displacement bounds), then the ball operations. Owns scratch: confined to one thread;
 * {@link #copy()} for another.
 */
public final class FeasibleSet {

  private final int dim;
  private final int[] mutable;
  private final boolean[] isMutable;
  private final Ball ball;
  private final double[] lower;
  private final double[] upper;
  private final double[] dLo;
  private final double[] dHi;
  private final double[] xM;

  /** A set without per-feature bounds. */
  public FeasibleSet(int dim, int[] mutable, Ball ball) {
    this(dim, mutable, ball, null, null);
  }

  /**
   * @param dim     context dimension d
   * @param mutable indices of the mutable features, distinct, in [0, d); copied
   * @param ball    the norm ball over the mutable block (its dimension must be {@code mutable.length})
   * @param lower   absolute lower bounds per mutable feature (−∞ for none), or null for no bounds
   * @param upper   absolute upper bounds per mutable feature (+∞ for none), or null for no bounds
   */
  public FeasibleSet(int dim, int[] mutable, Ball ball, double[] lower, double[] upper) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    if (mutable == null || mutable.length == 0) {
      throw new IllegalArgumentException("mutable must name at least one feature");
    }
    boolean[] seen = new boolean[dim];
    for (int m : mutable) {
      if (m < 0 || m >= dim) {
        throw new IllegalArgumentException("mutable index " + m + " is out of range [0, " + dim + ")");
      }
      if (seen[m]) {
        throw new IllegalArgumentException("mutable index " + m + " is listed twice");
      }
      seen[m] = true;
    }
    if (ball.mutableDim() != mutable.length) {
      throw new IllegalArgumentException("ball has " + ball.mutableDim() + " coordinates but "
          + mutable.length + " features are mutable");
    }
    if ((lower == null) != (upper == null)) {
      throw new IllegalArgumentException("give both lower and upper bounds (use ±Infinity for one-sided), or neither");
    }
    if (lower != null) {
      if (lower.length != mutable.length || upper.length != mutable.length) {
        throw new IllegalArgumentException("bounds must have one entry per mutable feature (" + mutable.length
            + "), got lower " + lower.length + ", upper " + upper.length);
      }
      for (int i = 0; i < mutable.length; i++) {
        if (Double.isNaN(lower[i]) || Double.isNaN(upper[i]) || lower[i] > upper[i]) {
          throw new IllegalArgumentException("bounds of feature " + mutable[i] + " must satisfy lower <= upper, got ["
              + lower[i] + ", " + upper[i] + "]");
        }
      }
    }
    this.dim = dim;
    this.mutable = mutable.clone();
    this.isMutable = seen;
    this.ball = ball;
    this.lower = lower == null ? null : lower.clone();
    this.upper = upper == null ? null : upper.clone();
    this.dLo = lower == null ? null : new double[mutable.length];
    this.dHi = lower == null ? null : new double[mutable.length];
    this.xM = new double[mutable.length];
  }

  public int dim() {
    return dim;
  }

  public int mutableDim() {
    return mutable.length;
  }

  /** Index of the {@code k}-th mutable feature. */
  public int mutableIndex(int k) {
    return mutable[k];
  }

  /** A copy of the mutable indices. */
  public int[] mutableIndices() {
    return mutable.clone();
  }

  public Ball ball() {
    return ball;
  }

  public double gamma() {
    return ball.gamma();
  }

  public boolean bounded() {
    return lower != null;
  }

  /**
   * Reads the mutable block of {@code x} and the displacement bounds {@code lo − x_M}, {@code hi − x_M}
   * for the operations that follow. Throws if a mutable feature lies outside its bounds (the set
   * would be empty) or is not finite. Allocates nothing.
   */
  public void prepare(double[] x) {
    if (x.length != dim) {
      throw new IllegalArgumentException("context must have " + dim + " features, got " + x.length);
    }
    for (int k = 0; k < mutable.length; k++) {
      double v = x[mutable[k]];
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("context x" + mutable[k] + " must be finite, got " + v);
      }
      xM[k] = v;
      if (lower != null) {
        if (v < lower[k] || v > upper[k]) {
          throw new IllegalArgumentException("context x" + mutable[k] + " = " + v + " lies outside its bounds ["
              + lower[k] + ", " + upper[k] + "]: the feasible set would be empty");
        }
        dLo[k] = lower[k] - v;
        dHi[k] = upper[k] - v;
      }
    }
  }

  /** Displacement lower bounds of the prepared context, or null when the set has no bounds. */
  public double[] lowerDisplacement() {
    return dLo;
  }

  /** Displacement upper bounds of the prepared context, or null when the set has no bounds. */
  public double[] upperDisplacement() {
    return dHi;
  }

  /** {@code out = x} with {@code out_M = x_M + Δ}; {@code out} may alias {@code x}. */
  public void apply(double[] x, double[] delta, double[] out) {
    if (out != x) {
      System.arraycopy(x, 0, out, 0, dim);
    }
    for (int k = 0; k < mutable.length; k++) {
      out[mutable[k]] = x[mutable[k]] + delta[k];
    }
  }

  /** Lemma 1 on the prepared context: maximiser {@code Δ} of {@code θ_MᵀΔ}; returns the maximum. */
  public double maximizeLinear(double[] thetaM, double[] delta) {
    return ball.maximizeLinear(thetaM, dLo, dHi, delta);
  }

  /**
   * Makes a proposed context feasible for the prepared context {@code x}: immutable features reset to
   * {@code x}'s, the mutable displacement projected onto the ball and bounds ({@link Ball#project}).
   * Returns whether anything had to change (beyond {@code tol}). {@code delta} is scratch of length d_M.
   */
  public boolean makeFeasible(double[] x, double[] proposed, double[] delta, double[] out, double tol) {
    boolean changed = false;
    for (int i = 0; i < dim; i++) {
      if (!isMutable[i] && Math.abs(proposed[i] - x[i]) > tol * Math.max(1.0, Math.abs(x[i]))) {
        changed = true;
      }
    }
    for (int k = 0; k < mutable.length; k++) {
      delta[k] = proposed[mutable[k]] - xM[k];
    }
    if (!ball.contains(delta, dLo, dHi, tol)) {
      changed = true;
    }
    ball.project(delta, dLo, dHi, delta);
    apply(x, delta, out);
    return changed;
  }

  /** An independent instance (own scratch) with the same configuration. */
  public FeasibleSet copy() {
    return new FeasibleSet(dim, mutable, ball.copy(), lower, upper);
  }

  /** e.g. {@code l2(gamma=3.0) on [5, 6] bounded}. */
  public String describe() {
    return ball.name() + "(gamma=" + ball.gamma() + ") on " + Arrays.toString(mutable) + (bounded() ? " with bounds" : "");
  }
}
