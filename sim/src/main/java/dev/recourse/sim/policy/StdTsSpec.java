package dev.recourse.sim.policy;

import dev.recourse.core.gambitts.AgentChecks;
import dev.recourse.core.gambitts.NigPrior;
import dev.recourse.core.gambitts.StdTs;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.Map;

/**
 * The GAMBITTS baselines (spec gambitts.md §6): StdTS, independent Normal–Inverse-Gamma arms that never
 * read Z or the context, and StdTS:Contextual, one NIG model per (cell, arm). Key {@code prior: {mean:
 * 77, count: 5, shape: 1, scale: 10}} (the repo's).
 */
public record StdTsSpec(boolean contextual, String label, NigPrior prior) implements PolicySpec {

  static final PolicyType PLAIN = new PolicyType("std-ts", "StdTS", false,
      (node, label, scenario) -> parse(false, node, label, scenario));
  static final PolicyType CONTEXTUAL = new PolicyType("std-ts-contextual", "StdTS:Contextual", false,
      (node, label, scenario) -> parse(true, node, label, scenario));

  private static PolicySpec parse(boolean contextual, ConfigNode node, String label, Scenario scenario) {
    GambittsSettings.requireWorld(node, (contextual ? CONTEXTUAL : PLAIN).key(), scenario);
    NigPrior d = NigPrior.DEFAULT;
    NigPrior prior = d;
    ConfigNode p = node.object("prior");
    if (p != null) {
      prior = new NigPrior(p.finite("mean", d.mean()), p.positive("count", d.count()), p.positive("shape", d.shape()),
          p.positive("scale", d.scale()));
      p.finish();
    }
    return new StdTsSpec(contextual, label, prior);
  }

  @Override
  public String type() {
    return (contextual ? CONTEXTUAL : PLAIN).key();
  }

  /** StdTS never reads Z, but refuses rewards as the agents do. */
  @Override
  public double rewardLimit() {
    return AgentChecks.MAX_REWARD;
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    TreatmentWorld world = GambittsSettings.world(context);
    StdTs agent = new StdTs(context.env().numArms(), GambittsSettings.cells(world, Map.of()), contextual, prior,
        context.policyRng());
    return new BuiltPolicy(agent, () -> 0L);
  }

  @Override
  public Map<String, Object> parameters() {
    return Parameters.ordered(type(), "label", label, "prior", Parameters.ordered("nig", "mean", prior.mean(),
        "count", prior.count(), "shape", prior.shape(), "scale", prior.scale()));
  }
}
