package dev.recourse.sim.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.LinearTruth;
import dev.recourse.sim.env.RadiusDefaults;
import dev.recourse.sim.env.Scenario;
import java.util.function.ToDoubleFunction;

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

  /**
   * Reads {@code radius}: a number, {@code {type: constant, alpha}} or {@code {type: lemma2, scale,
   * delta}}; absent, the scenario's default for the policy ({@code pick}).
   *
   * @param constantOnly whether only a constant radius is allowed (LinUCB's α)
   */
  static RadiusSpec parse(ConfigNode node, Scenario scenario, ToDoubleFunction<RadiusDefaults> pick,
                          boolean constantOnly) {
    JsonNode raw = node.raw("radius");
    if (raw == null) {
      RadiusDefaults defaults = scenario.radiusDefaults().orElseThrow(() -> node.error("radius",
          "missing: scenario '" + scenario.name() + "' has no default radius, give the policy one"));
      return new Constant(pick.applyAsDouble(defaults));
    }
    if (raw.isNumber()) {
      return new Constant(node.nonNegative("radius", Double.NaN));
    }
    if (!raw.isObject()) {
      throw node.error("radius", "expected a number or a mapping, got " + ConfigNode.kind(raw));
    }
    ConfigNode r = node.child("radius", raw);
    String type = r.requiredText("type");
    RadiusSpec spec = switch (type) {
      case "constant" -> {
        r.requiredNumber("alpha", "the constant radius");
        yield new Constant(r.nonNegative("alpha", Double.NaN));
      }
      case "lemma2" -> {
        if (constantOnly) {
          throw r.error("type", "linucb takes a constant radius (its alpha)");
        }
        if (!scenario.hasLinearTruth()) {
          throw r.error("type", "lemma2 needs the true parameter bounds, which scenario '" + scenario.name()
              + "' does not have");
        }
        double scale = r.positive("scale", 1.0);
        double delta = r.number("delta", 0.05);
        if (!(delta > 0 && delta < 1)) {
          throw r.error("delta", "must be in (0, 1), got " + delta);
        }
        yield new Lemma2(scale, delta);
      }
      default -> throw r.error("type", "unknown radius '" + type + "' (known: constant, lemma2)");
    };
    r.finish();
    return spec;
  }

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
      LinearTruth truth = env.truth().orElseThrow(() -> new IllegalArgumentException(
          "the lemma2 radius needs an environment with known true parameters"));
      return new ConfidenceRadius.Lemma2(truth.noiseSd(), env.dim(), env.numArms(), delta, lambda,
          truth.contextBound(), truth.maxThetaNorm(), 1.0, scale);
    }

    @Override
    public java.util.Map<String, Object> parameters() {
      return Parameters.ordered("lemma2", "scale", scale, "delta", delta);
    }
  }
}
