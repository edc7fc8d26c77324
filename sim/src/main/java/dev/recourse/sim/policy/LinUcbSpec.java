package dev.recourse.sim.policy;

import dev.recourse.core.policy.LinUcb;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.RadiusDefaults;
import dev.recourse.sim.env.Scenario;
import java.util.Map;

/**
 * Disjoint LinUCB: no recourse; in recourse studies its regret is still measured against the
 * recourse-optimal pair.
 *
 * @param radius its α (a constant radius)
 * @param ridge  λ and the refresh period
 */
public record LinUcbSpec(String label, RadiusSpec.Constant radius, RidgeSettings ridge) implements PolicySpec {

  /** With the default refresh period. */
  public LinUcbSpec(String label, RadiusSpec.Constant radius, double lambda) {
    this(label, radius, new RidgeSettings(lambda));
  }

  static final PolicyType TYPE = new PolicyType("linucb", "LinUCB", false, LinUcbSpec::parse);

  private static PolicySpec parse(ConfigNode node, String label, Scenario scenario) {
    RadiusSpec radius = RadiusSpec.parse(node, scenario, RadiusDefaults::linucb, true);
    return new LinUcbSpec(label, (RadiusSpec.Constant) radius, RidgeSettings.parse(node));
  }

  @Override
  public String type() {
    return TYPE.key();
  }

  @Override
  public double stateDoubles(Scenario scenario) {
    return RidgeSettings.stateDoubles(scenario);
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    LinUcb policy = new LinUcb(ridge.arms(context.env().numArms(), context.env().dim(), context.kernels()),
        radius.alpha());
    return new BuiltPolicy(policy, () -> 0L);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = Parameters.ordered(type(), "label", label, "radius", radius.parameters());
    ridge.describeInto(p);
    return p;
  }
}
