package dev.recourse.core.recourse;

/**
 * Algorithm 2 of the paper: two-block coordinate descent for ORO-Arm from {@code x̃_M = x_M}.
 * <ol>
 *   <li>θ-step: {@code θ_M = θ̂_M + ρ(A x̃)_M / ‖x̃‖_A} (the inner maximiser, restricted to the block
 *       the x-step reads);
 *   <li>x-step: Δ = the Lemma-1 maximiser of {@code θ_MᵀΔ} over the feasible set.
 * </ol>
 * Each step maximises the bilinear {@code x̃ᵀθ} in one block, so {@code g} never decreases (Lemma 3);
 * the loop stops when it improves by less than {@code tol·max(1,|g|)} or after {@code maxIterations}.
 * One {@code A_MM·Δ} product per iteration serves both the θ-step and the objective: O(d_M²).
 */
public final class CoordinateDescentOro implements OroSolver {

  public static final double DEFAULT_TOLERANCE = 1e-9;
  public static final int DEFAULT_MAX_ITERATIONS = 100;

  private final double tolerance;
  private final int maxIterations;
  private final double[] candidate;
  private final double[] aDelta;
  private final double[] aCandidate;
  private final double[] theta;
  private int iterations;

  public CoordinateDescentOro(int dimM) {
    this(dimM, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS);
  }

  public CoordinateDescentOro(int dimM, double tolerance, int maxIterations) {
    if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    this.tolerance = tolerance;
    this.maxIterations = maxIterations;
    this.candidate = new double[dimM];
    this.aDelta = new double[dimM];
    this.aCandidate = new double[dimM];
    this.theta = new double[dimM];
  }

  @Override
  public double solve(OroProblem p, double[] delta) {
    int dimM = p.mutableDim();
    java.util.Arrays.fill(delta, 0, dimM, 0.0);
    java.util.Arrays.fill(aDelta, 0, dimM, 0.0); // A_MM·0: no product needed for the start
    return run(p, delta, Math.max(0.0, p.normSqAtZero()), p.objectiveAtZero());
  }

  /**
   * Runs the iterations from the displacement already in {@code delta} (the reference solver's
   * multi-start uses this). Returns the final {@code g}, never below the starting one.
   *
   * <p>The iterate and the candidate swap buffers instead of being copied, and {@code ‖x̃‖²_A} of the
   * kept iterate is carried into the next θ-step, so an iteration is one {@code A_MM} product, the
   * Lemma-1 step and three kernel dots.
   */
  double iterate(OroProblem p, double[] delta) {
    p.multiplyAMM(delta, aDelta);
    double q = p.normSq(delta, aDelta);
    return run(p, delta, q, p.objectiveAt(delta, q));
  }

  /** The iterations from {@code delta}, given {@code aDelta = A_MM·delta}, its {@code q} and {@code g}. */
  private double run(OroProblem p, double[] delta, double q, double value) {
    int dimM = p.mutableDim();
    FeasibleSet set = p.feasibleSet();
    double[] current = delta;
    double[] aCurrent = aDelta;
    double[] next = candidate;
    double[] aNext = aCandidate;
    int it = 0;
    while (it < maxIterations) {
      it++;
      p.optimisticTheta(aCurrent, q, theta);
      set.maximizeLinear(theta, next); // x-step
      p.multiplyAMM(next, aNext);
      double qNext = p.normSq(next, aNext);
      double valueNext = p.objectiveAt(next, qNext);
      if (!(valueNext > value)) {
        break;
      }
      boolean converged = valueNext - value <= tolerance * Math.max(1.0, Math.abs(valueNext));
      double[] t = current;
      current = next;
      next = t;
      t = aCurrent;
      aCurrent = aNext;
      aNext = t;
      q = qNext;
      value = valueNext;
      if (converged) {
        break;
      }
    }
    if (current != delta) {
      System.arraycopy(current, 0, delta, 0, dimM);
    }
    iterations = it;
    return value;
  }

  @Override
  public boolean boundedByOroMaximum() {
    return true;
  }

  @Override
  public int lastIterations() {
    return iterations;
  }

  @Override
  public int mutableDim() {
    return candidate.length;
  }

  @Override
  public String name() {
    return "cd";
  }

  public double tolerance() {
    return tolerance;
  }

  public int maxIterations() {
    return maxIterations;
  }
}
