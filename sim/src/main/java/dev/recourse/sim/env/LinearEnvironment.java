package dev.recourse.sim.env;

import dev.recourse.core.compliance.Compliance;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.OptimalRecourse;
import dev.recourse.core.simd.DoubleKernels;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An environment with the identity link: expected reward {@code c + θ_aᵀx̄} (c a constant common to
 * all arms, the part of the reward the learner's features cannot represent) and reward noise
 * {@code σ·N(0,1)}. All three scenarios of the paper have this form.
 *
 * <p>Inner products are plain sequential loops, not the SIMD kernels, so the simulated world does not
 * depend on the kernel implementation. The optimal value comes from {@link OptimalRecourse} (Lemma 1
 * with the true θ); c cancels in regret but is kept so that rewards are on the scenario's scale.
 *
 * <p>Without per-feature bounds, Lemma 1's gain {@code max_Δ θ_{a,M}ᵀΔ = γ‖θ_{a,M}‖_*} does not depend
 * on the context, so it is computed once per arm (by {@link OptimalRecourse} itself, on the zero
 * context) and the optimal value per round is {@code max_a θ_aᵀx + gain_a}: the same operations in the
 * same order as {@link OptimalRecourse#solve}, hence the same bits, at a fifth of the cost (it was
 * 430 ns of the runner's 600 ns per synthetic round). With bounds every round goes through the solver.
 */
public final class LinearEnvironment implements Environment, LinearTruth {

  private final int dim;
  private final int numArms;
  private final double[] theta;
  private final double offset;
  private final double noiseSd;
  private final FeasibleSet set;
  private final OptimalRecourse oracle;
  private final ContextSource contexts;
  private final RandomGenerator contextRng;
  private final RandomGenerator noiseRng;
  private final Compliance compliance;
  private final double contextBound;
  private final double maxThetaNorm;
  private final double[] optimalContext;
  private final double[] optimalValue = new double[1];
  /** Per arm, Lemma 1's context-free gain; null when the set has bounds. */
  private final double[] armGain;
  /** θ_aᵀx for every arm, by one gemv of the stacked θ on the study's kernels; only the regret reads it. */
  private final double[] armBase;
  private final DoubleKernels kernels;

  /**
   * @param theta        true parameters in the learner's coordinates, arm a at {@code a·d} (not copied)
   * @param offset       the constant c added to every expected reward
   * @param set          the learner's feasible set (this environment keeps its own copy)
   * @param contextBound β_X, a bound on ‖x̃‖₂
   */
  public LinearEnvironment(double[] theta, int numArms, double offset, double noiseSd, FeasibleSet set,
                    ContextSource contexts, RandomGenerator contextRng, RandomGenerator noiseRng,
                    Compliance compliance, double contextBound, DoubleKernels kernels) {
    int d = set.dim();
    if (theta.length != numArms * d) {
      throw new IllegalArgumentException("theta must hold numArms·d = " + numArms * d + " values, got " + theta.length);
    }
    if (!(noiseSd >= 0) || !Double.isFinite(noiseSd)) {
      throw new IllegalArgumentException("noise sd must be finite and >= 0, got " + noiseSd);
    }
    this.dim = d;
    this.numArms = numArms;
    this.theta = theta;
    this.offset = offset;
    this.noiseSd = noiseSd;
    this.set = set.copy();
    this.oracle = new OptimalRecourse(set.copy());
    this.contexts = contexts;
    this.contextRng = contextRng;
    this.noiseRng = noiseRng;
    this.compliance = compliance;
    this.contextBound = contextBound;
    this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
    this.optimalContext = new double[d];
    double max = 0;
    for (int a = 0; a < numArms; a++) {
      double s = 0;
      for (int i = 0; i < d; i++) {
        s += theta[a * d + i] * theta[a * d + i];
      }
      max = Math.max(max, Math.sqrt(s));
    }
    this.maxThetaNorm = max;
    this.armGain = set.bounded() ? null : new double[numArms];
    this.armBase = new double[numArms];
    if (armGain != null) {
      double[] zero = new double[d];
      for (int a = 0; a < numArms; a++) {
        oracle.solve(java.util.Arrays.copyOfRange(theta, a * d, (a + 1) * d), 1, zero, optimalContext, optimalValue);
        armGain[a] = optimalValue[0];
      }
    }
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public void nextContext(double[] x) {
    contexts.next(contextRng, x);
  }

  /**
   * Regret against the recourse-optimal pair (Lemma 1 with the true θ), the patient's realised context
   * from the compliance model, and the reward {@code c + θ_aᵀx̄ + σ·N(0,1)}.
   */
  @Override
  public double act(double[] x, Decision decision, Outcome outcome) {
    double best = optimalValue(x);
    int arm = decision.arm();
    double[] realised = outcome.context();
    realise(x, arm, decision.context(), realised);
    double mean = expectedReward(arm, realised);
    outcome.set(arm, observe(mean));
    return best - mean;
  }

  @Override
  public Optional<FeasibleSet> newFeasibleSet() {
    return Optional.of(set.copy());
  }

  @Override
  public Optional<LinearTruth> truth() {
    return Optional.of(this);
  }

  /**
   * The context the patient implements when {@code arm} is played with {@code recommended} for context
   * {@code original}, written into {@code out}: the scenario's {@link Compliance} model (paper §4, §5.4).
   */
  public void realise(double[] original, int arm, double[] recommended, double[] out) {
    compliance.realise(original, arm, recommended, out);
  }

  /** The compliance model's description, for result headers. */
  String compliance() {
    return compliance.describe();
  }

  /** {@code c + θ_aᵀx̄} with the true parameters, for the realised context. */
  public double expectedReward(int arm, double[] realised) {
    int off = arm * dim;
    double s = offset;
    for (int i = 0; i < dim; i++) {
      s += theta[off + i] * realised[i];
    }
    return s;
  }

  /** The reward the learner observes: {@code expectedReward} plus this round's noise draw. */
  public double observe(double expectedReward) {
    return expectedReward + noiseSd * noiseRng.nextGaussian();
  }

  /** The expected reward of the optimal (arm, recourse) pair for context {@code x} (Lemma 1). */
  public double optimalValue(double[] x) {
    if (armGain == null) {
      oracle.solve(theta, numArms, x, optimalContext, optimalValue);
      return offset + optimalValue[0];
    }
    kernels.gemv(theta, 0, numArms, dim, x, 0, armBase, 0);
    double best = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < numArms; a++) {
      double value = armBase[a] + armGain[a];
      if (value > best) {
        best = value;
      }
    }
    return offset + best;
  }

  /** The optimal value straight from {@link OptimalRecourse}, every round (for tests). */
  double optimalValueBySolver(double[] x) {
    oracle.solve(theta, numArms, x, optimalContext, optimalValue);
    return offset + optimalValue[0];
  }

  @Override
  public double[] trueTheta() {
    return theta;
  }

  @Override
  public double noiseSd() {
    return noiseSd;
  }

  @Override
  public double contextBound() {
    return contextBound;
  }

  @Override
  public double maxThetaNorm() {
    return maxThetaNorm;
  }
}
