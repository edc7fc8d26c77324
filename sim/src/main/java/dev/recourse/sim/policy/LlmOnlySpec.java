package dev.recourse.sim.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.policy.AdvisorOnly;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;
import java.util.Map;

/** Always the advisor's pair (the paper's "LLM-only"); learns nothing. */
public record LlmOnlySpec(String label, AdvisorSpec advisor) implements PolicySpec {

  static final PolicyType TYPE = new PolicyType("llm-only", "LLM-only", true, true, LlmOnlySpec::parse);

  private static PolicySpec parse(ConfigNode node, String label, Scenario scenario) {
    GlrbSpec.requireRecourse(node, "llm-only", scenario);
    return new LlmOnlySpec(label, AdvisorSpec.parseRequired(node, "llm-only", scenario));
  }

  @Override
  public String type() {
    return TYPE.key();
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    Advisor built = advisor.build(context.env(), context.advisorRng());
    AdvisorOnly only = new AdvisorOnly(built, context.env().newFeasibleSet().orElseThrow(), context.env().numArms());
    return BuiltPolicy.advised(only, only::queries, built);
  }

  @Override
  public Map<String, Object> parameters() {
    return Parameters.ordered(type(), "label", label, "advisor", advisor.parameters());
  }
}
