package dev.recourse.sim.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.recourse.OroSolvers;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.RadiusDefaults;
import dev.recourse.sim.env.Scenario;
import java.util.Map;

/**
 * LIBRA (Algorithm 3): GLRB that consults an advisor while its confidence width exceeds Δ.
 *
 * @param threshold Δ (default 1, the paper's)
 */
public record LibraSpec(String label, RadiusSpec radius, RidgeSettings ridge, double threshold, AdvisorSpec advisor,
                        OroSolvers.Choice solver) implements PolicySpec {

  /** With λ, the default refresh period and GLRB's default solver. */
  public LibraSpec(String label, RadiusSpec radius, double lambda, double threshold, AdvisorSpec advisor) {
    this(label, radius, new RidgeSettings(lambda), threshold, advisor, GlrbSpec.DEFAULT_SOLVER);
  }

  public static final double DEFAULT_THRESHOLD = 1.0;

  static final PolicyType TYPE = new PolicyType("libra", "LIBRA", true, true, LibraSpec::parse);

  private static PolicySpec parse(ConfigNode node, String label, Scenario scenario) {
    GlrbSpec.requireRecourse(node, "libra", scenario);
    RadiusSpec radius = RadiusSpec.parse(node, scenario, RadiusDefaults::libra, false);
    RidgeSettings ridge = RidgeSettings.parse(node);
    double threshold = node.nonNegative("threshold", DEFAULT_THRESHOLD);
    OroSolvers.Choice solver = GlrbSpec.solver(node, GlrbSpec.Variant.PLAIN);
    return new LibraSpec(label, radius, ridge, threshold, AdvisorSpec.parseRequired(node, "libra", scenario), solver);
  }

  @Override
  public String type() {
    return TYPE.key();
  }

  @Override
  public boolean decidesWhenToAsk() {
    return true;
  }

  @Override
  public double stateDoubles(Scenario scenario) {
    return RidgeSettings.stateDoubles(scenario);
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    Advisor built = advisor.build(context.env(), context.advisorRng());
    Libra libra = new Libra(GlrbSpec.glrb(context, GlrbSpec.Variant.PLAIN, radius, ridge, Double.NaN, solver), built, threshold);
    return BuiltPolicy.advised(libra, libra::queries, built);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = Parameters.ordered(type(), "label", label, "radius", radius.parameters());
    ridge.describeInto(p);
    if (solver != GlrbSpec.DEFAULT_SOLVER) {
      p.put("solver", solver.label());
    }
    p.put("threshold", threshold);
    p.put("advisor", advisor.parameters());
    return p;
  }
}
