package dev.recourse.sim.policy;

import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.NonComplianceOro;
import dev.recourse.core.recourse.OroSolver;
import dev.recourse.core.recourse.OroSolvers;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.RadiusDefaults;
import dev.recourse.sim.env.Scenario;
import java.util.Map;

/**
 * GLRB (Algorithm 1) and its two non-compliance variants (§4.1's mean-deviation rule, §4.2's ORO-NC).
 * ORO-Arm is solved by coordinate descent (Algorithm 2), the solver for the ℓ2 balls of the paper's
 * scenarios.
 *
 * @param epsilon the deviation size ORO-NC guards against ({@link Variant#NON_COMPLIANCE}; NaN otherwise)
 */
public record GlrbSpec(Variant variant, String label, RadiusSpec radius, RidgeSettings ridge, double epsilon,
                       OroSolvers.Choice solver) implements PolicySpec {

  /**
   * The default ORO solver: coordinate descent. Measured (BENCHMARKS.md, "Exact ℓ2 ORO"): the certified
   * exact ℓ2 solver costs 1.5–2.5× CD at every size and did not lower GLRB's regret on the paper's
   * problems, so {@code exact} and {@code auto} (exact up to d_M = 3) are choices, not the default.
   */
  public static final OroSolvers.Choice DEFAULT_SOLVER = OroSolvers.Choice.CD;

  /** GLRB with the default solver. */
  public GlrbSpec(Variant variant, String label, RadiusSpec radius, RidgeSettings ridge, double epsilon) {
    this(variant, label, radius, ridge, epsilon, DEFAULT_SOLVER);
  }

  /** Which rule GLRB decides by. */
  public enum Variant {
    /** Algorithm 1. */
    PLAIN("glrb", "GLRB"),
    /** Decides on x̃ + the arm's mean observed deviation (§4.1, Remark 1). */
    ROBUST("glrb-robust", "GLRB robust"),
    /** ORO-NC, robust to adversarial deviations of size ϵ (§4.2, Lemma 4). */
    NON_COMPLIANCE("glrb-nc", "GLRB ORO-NC");

    final PolicyType type;

    Variant(String key, String displayName) {
      this.type = new PolicyType(key, displayName, false, true,
          (node, label, scenario) -> parse(this, node, label, scenario));
    }
  }

  /** A plain or robust GLRB (no ϵ). */
  public GlrbSpec(Variant variant, String label, RadiusSpec radius, double lambda) {
    this(variant, label, radius, new RidgeSettings(lambda), Double.NaN);
  }

  /** GLRB with λ and the default refresh period. */
  public GlrbSpec(Variant variant, String label, RadiusSpec radius, double lambda, double epsilon) {
    this(variant, label, radius, new RidgeSettings(lambda), epsilon);
  }

  private static PolicySpec parse(Variant variant, ConfigNode node, String label, Scenario scenario) {
    requireRecourse(node, variant.type.key(), scenario);
    RadiusSpec radius = RadiusSpec.parse(node, scenario, RadiusDefaults::glrb, false);
    RidgeSettings ridge = RidgeSettings.parse(node);
    OroSolvers.Choice solver = solver(node, variant);
    double epsilon = Double.NaN;
    if (variant == Variant.NON_COMPLIANCE) {
      if (!node.has("epsilon")) {
        throw node.error("epsilon", "missing (required): glrb-nc needs the deviation size epsilon >= 0");
      }
      epsilon = node.nonNegative("epsilon", Double.NaN);
    }
    return new GlrbSpec(variant, label, radius, ridge, epsilon, solver);
  }

  /** {@code solver: cd | exact | auto} (default cd); ORO-NC has its own solver and takes none. */
  static OroSolvers.Choice solver(ConfigNode node, Variant variant) {
    if (!node.has("solver")) {
      return DEFAULT_SOLVER;
    }
    if (variant == Variant.NON_COMPLIANCE) {
      throw node.error("solver", "glrb-nc solves ORO-NC with its own solver; solver applies to glrb, glrb-robust, libra");
    }
    String name = node.requiredText("solver");
    try {
      return OroSolvers.Choice.parse(name);
    } catch (IllegalArgumentException e) {
      throw node.error("solver", e.getMessage());
    }
  }

  /** Rejects a recourse policy on a scenario whose environments have no feasible set. */
  static void requireRecourse(ConfigNode node, String type, Scenario scenario) {
    if (!scenario.offersRecourse()) {
      throw node.error("type", type + " recommends recourse, but scenario '" + scenario.name()
          + "' has no feasible set");
    }
  }

  @Override
  public String type() {
    return variant.type.key();
  }

  @Override
  public double stateDoubles(Scenario scenario) {
    return RidgeSettings.stateDoubles(scenario);
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    return new BuiltPolicy(glrb(context, variant, radius, ridge, epsilon, solver), () -> 0L);
  }

  /** GLRB for one replication; LIBRA builds its bandit with this too. */
  static Glrb glrb(BuildContext context, Variant variant, RadiusSpec radius, RidgeSettings ridge, double epsilon,
                   OroSolvers.Choice choice) {
    Environment env = context.env();
    FeasibleSet set = env.newFeasibleSet().orElseThrow(() -> new IllegalArgumentException(
        "GLRB needs an environment with a feasible set"));
    ConfidenceRadius rho = radius.build(env, ridge.lambda());
    OroSolver solver = variant == Variant.NON_COMPLIANCE
        ? new NonComplianceOro(set, epsilon, context.kernels()) : OroSolvers.create(set, choice);
    return new Glrb(ridge.arms(env.numArms(), env.dim(), context.kernels()), set, rho, solver,
        variant == Variant.ROBUST);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = Parameters.ordered(type(), "label", label, "radius", radius.parameters());
    ridge.describeInto(p);
    if (solver != DEFAULT_SOLVER) {
      p.put("solver", solver.label());
    }
    if (variant == Variant.NON_COMPLIANCE) {
      p.put("epsilon", epsilon);
    }
    return p;
  }
}
