package dev.recourse.sim.policy;

import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.sim.env.Environment;

/**
 * How a policy's confidence radius ρ is configured (spec libra.md §3): a constant α, or the Lemma-2
 * radius times a scale, whose σ, β_X and β_Θ come from the replication's environment (the simulator
 * knows the true max ‖θ_a‖). Every result records the radius through {@code Policy.describe()}.
 */
public sealed interface RadiusSpec {

  /** The radius for one replication's environment. */
  ConfidenceRadius build(Environment env, double lambda);

  /** Configuration as the study file spells it. */
  java.util.Map<String, Object> parameters();

  /** ρ = α for every arm and round. */
  record Constant(double alpha) implements RadiusSpec {
    public Constant {
      if (!(alpha >= 0) || !Double.isFinite(alpha)) {
        throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
      }
    }

    @Override
    public ConfidenceRadius build(Environment env, double lambda) {
      return ConfidenceRadius.constant(alpha);
    }

    @Override
    public java.util.Map<String, Object> parameters() {
      return Parameters.ordered("constant", "alpha", alpha);
    }
  }

  /**
   * Lemma 2 (appendix A.2 form) times {@code scale}, with {@code c_μ = 1} (identity link). With
   * scale 1 the radius is 15–60 on the paper's problems, so LIBRA's width never falls below Δ = 1 and
   * it queries every round (spec §3); a scale well below 1 is the practical choice.
   */
  record Lemma2(double scale, double delta) implements RadiusSpec {
    public Lemma2 {
      if (!(scale > 0) || !Double.isFinite(scale)) {
        throw new IllegalArgumentException("scale must be finite and > 0, got " + scale);
      }
      if (!(delta > 0 && delta < 1)) {
        throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
      }
    }

    @Override
    public ConfidenceRadius build(Environment env, double lambda) {
      return new ConfidenceRadius.Lemma2(env.noiseSd(), env.dim(), env.numArms(), delta, lambda,
          env.contextBound(), env.maxThetaNorm(), 1.0, scale);
    }

    @Override
    public java.util.Map<String, Object> parameters() {
      return Parameters.ordered("lemma2", "scale", scale, "delta", delta);
    }
  }
}
