package dev.recourse.core.recourse;

/**
 * ORO-NC-Arm (paper §4.2, Algorithm 4): recommend x̌ within the recourse budget δ (this problem's
 * feasible set, unbounded balls only), anticipating that the patient realises the worst x̄ within ϵ
 * of it:
 * <pre>  max_{x̌, θ ∈ Θ} min_{‖x̄_M − x̌_M‖ ≤ ϵ} x̄ᵀθ.</pre>
 * Lemma 4 (spec §6: the paper's γ there means δ): for fixed θ, {@code x̌_M = x_M + δv} and the worst
 * {@code x̄_M = x_M + (δ − ϵ)v}, v the unit-radius Lemma-1 maximiser for θ_M. Algorithm 4 alternates
 * that with the θ-step {@code θ = θ̂ + ρV⁻¹x̄/‖x̄‖_{V⁻¹}}; the value is {@code g(x̄) = x̄ᵀθ̂ + ρ‖x̄‖_{V⁻¹}},
 * the optimistic reward of the worst realisation. {@link #solve} writes x̌'s displacement δv.
 *
 * <p>For δ > ϵ the value is {@code max_{θ∈Θ} xᵀθ + (δ − ϵ)‖θ_M‖_*}, i.e. ORO-Arm on the ball of radius
 * δ − ϵ, so it is solved as such, with the solver {@link OroSolvers} picks by cost ({@code auto}: the
 * exact one where it is no dearer — ℓ1 vertices, ℓ∞ Gray code, certified ℓ2 for small d_M) and
 * Algorithm 2 otherwise: Algorithm 4's alternation can stop at a non-global vertex of the ℓ1
 * ball (seen in tests). For δ ≤ ϵ (the patient can undo the whole recommendation) Algorithm 4 runs
 * as stated.
 */
public final class NonComplianceOro implements OroSolver {

  private final double epsilon;
  private final double tolerance;
  private final int maxIterations;
  private final double[] v;
  private final double[] worst;
  private final double[] candidate;
  private final double[] direction;
  private final double[] aDelta;
  private final double[] theta;
  private final Ball unitBall;
  private int iterations;

  private final FeasibleSet shrunkSet;
  private final OroProblem shrunkProblem;
  private final OroSolver shrunkSolver;

  /** ORO-NC for the recourse budget of {@code set} (δ = its radius; no bounds) and deviation ϵ. */
  public NonComplianceOro(FeasibleSet set, double epsilon, dev.recourse.core.simd.DoubleKernels kernels) {
    this(set, epsilon, kernels, CoordinateDescentOro.DEFAULT_TOLERANCE, CoordinateDescentOro.DEFAULT_MAX_ITERATIONS);
  }

  public NonComplianceOro(FeasibleSet set, double epsilon, dev.recourse.core.simd.DoubleKernels kernels,
                          double tolerance, int maxIterations) {
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    if (set.bounded()) {
      throw new IllegalArgumentException("ORO-NC (Lemma 4) is defined for balls without bounds, got " + set.describe());
    }
    int dimM = set.mutableDim();
    this.epsilon = epsilon;
    this.tolerance = tolerance;
    this.unitBall = set.ball().withGamma(1.0);
    double shrink = set.gamma() - epsilon;
    if (shrink > 0) {
      Ball ball = set.ball().withGamma(shrink);
      this.shrunkSet = new FeasibleSet(set.dim(), set.mutableIndices(), ball);
      this.shrunkProblem = new OroProblem(shrunkSet, kernels);
      // Exact where enumeration is exact and cheap (ℓ1, small ℓ∞); coordinate descent on ℓ2 balls, where
      // the certified solver costs 1.5–2.5× CD per solve and lowered no study's regret (BENCHMARKS.md).
      this.shrunkSolver = OroSolvers.create(shrunkSet, ExactL2Oro.supports(shrunkSet) ? OroSolvers.Choice.CD
          : OroSolvers.Choice.AUTO, tolerance, maxIterations);
    } else {
      this.shrunkSet = null;
      this.shrunkProblem = null;
      this.shrunkSolver = null;
    }
    this.maxIterations = maxIterations;
    this.v = new double[dimM];
    this.worst = new double[dimM];
    this.candidate = new double[dimM];
    this.direction = new double[dimM];
    this.aDelta = new double[dimM];
    this.theta = new double[dimM];
  }

  public double epsilon() {
    return epsilon;
  }

  /** The worst realised displacement x̄_M − x_M of the last solve. */
  public double[] worstDisplacement() {
    return worst;
  }

  @Override
  public double solve(OroProblem p, double[] delta) {
    FeasibleSet set = p.feasibleSet();
    int dimM = p.mutableDim();
    double budget = set.gamma();
    double shrink = budget - epsilon;
    if (shrunkSolver != null) {
      shrunkProblem.copyLoadedFrom(p);
      double value = shrunkSolver.solve(shrunkProblem, worst);
      iterations = shrunkSolver.lastIterations();
      for (int k = 0; k < dimM; k++) {
        delta[k] = budget / shrink * worst[k];
      }
      return value;
    }
    java.util.Arrays.fill(worst, 0.0);
    java.util.Arrays.fill(v, 0.0);
    java.util.Arrays.fill(aDelta, 0.0);
    double value = Double.NEGATIVE_INFINITY;
    int it = 0;
    while (it < maxIterations) {
      it++;
      // θ-step at the current worst realisation x̄ (Algorithm 4, "Optimize θ_a").
      p.optimisticTheta(worst, aDelta, theta);
      // Lemma 4: the unit direction v, then x̄ − x = (δ − ϵ)v.
      unitBall.maximizeLinear(theta, null, null, direction);
      for (int k = 0; k < dimM; k++) {
        candidate[k] = shrink * direction[k];
      }
      p.multiplyAMM(candidate, aDelta);
      double next = p.objective(candidate, aDelta);
      boolean improved = next > value;
      if (improved) {
        System.arraycopy(candidate, 0, worst, 0, dimM);
        System.arraycopy(direction, 0, v, 0, dimM);
      }
      if (!improved || next - value <= tolerance * Math.max(1.0, Math.abs(next))) {
        value = Math.max(value, next);
        break;
      }
      value = next;
    }
    for (int k = 0; k < dimM; k++) {
      delta[k] = budget * v[k];
    }
    iterations = it;
    return value;
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
    return "oro-nc";
  }
}
