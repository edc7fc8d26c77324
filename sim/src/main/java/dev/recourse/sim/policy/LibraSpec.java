package dev.recourse.sim.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.policy.Libra;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.RadiusDefaults;
import dev.recourse.sim.env.Scenario;
import java.util.Map;

/**
 * LIBRA (Algorithm 3): GLRB that consults an advisor while its confidence width exceeds Δ.
 *
 * @param threshold Δ (default 1, the paper's)
 */
public record LibraSpec(String label, RadiusSpec radius, RidgeSettings ridge, double threshold, AdvisorSpec advisor)
    implements PolicySpec {

  /** With λ and the default refresh period. */
  public LibraSpec(String label, RadiusSpec radius, double lambda, double threshold, AdvisorSpec advisor) {
    this(label, radius, new RidgeSettings(lambda), threshold, advisor);
  }

  public static final double DEFAULT_THRESHOLD = 1.0;

  static final PolicyType TYPE = new PolicyType("libra", "LIBRA", true, LibraSpec::parse);

  private static PolicySpec parse(ConfigNode node, String label, Scenario scenario) {
    GlrbSpec.requireRecourse(node, "libra", scenario);
    RadiusSpec radius = RadiusSpec.parse(node, scenario, RadiusDefaults::libra, false);
    RidgeSettings ridge = RidgeSettings.parse(node);
    double threshold = node.nonNegative("threshold", DEFAULT_THRESHOLD);
    return new LibraSpec(label, radius, ridge, threshold, AdvisorSpec.parseRequired(node, "libra", scenario));
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
    Libra libra = new Libra(GlrbSpec.glrb(context, GlrbSpec.Variant.PLAIN, radius, ridge, Double.NaN), built, threshold);
    return BuiltPolicy.advised(libra, libra::queries, built);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = Parameters.ordered(type(), "label", label, "radius", radius.parameters());
    ridge.describeInto(p);
    p.put("threshold", threshold);
    p.put("advisor", advisor.parameters());
    return p;
  }
}
