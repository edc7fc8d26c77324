package dev.recourse.sim.policy;

import java.util.Map;

/** Plays arm 0 with no recourse and learns nothing: measures the runner's own cost per round. */
public record NoopSpec(String label) implements PolicySpec {

  static final PolicyType TYPE = new PolicyType("noop", "noop", false, (node, label, scenario) -> new NoopSpec(label));

  @Override
  public String type() {
    return TYPE.key();
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    return new BuiltPolicy(new NoopPolicy(context.env().dim(), context.env().numArms()), () -> 0L);
  }

  @Override
  public Map<String, Object> parameters() {
    return Parameters.ordered(type(), "label", label);
  }
}
