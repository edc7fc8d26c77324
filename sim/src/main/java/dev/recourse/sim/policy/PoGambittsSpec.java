package dev.recourse.sim.policy;

import dev.recourse.core.gambitts.AgentChecks;
import dev.recourse.core.gambitts.ContextCells;
import dev.recourse.core.gambitts.LinearRewardPrior;
import dev.recourse.core.gambitts.PoGambitts;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.Map;

/**
 * poGAMBITTS (spec gambitts.md §4): the treatment model is the mean of {@code offline_samples} offline
 * embeddings per (cell, prompt), drawn before the online phase; only the linear reward model learns.
 *
 * @param offlineSamples M_off, or {@link GambittsSettings#ALL}
 * @param v2             the posterior scale, or NaN for the world's σ² ({@code v2: noise})
 */
public record PoGambittsSpec(String label, int offlineSamples, boolean hedging, double v2, LinearRewardPrior prior,
                             Map<String, ContextCells.Covariate> covariates) implements PolicySpec {

  static final PolicyType TYPE = new PolicyType("po-gambitts", "poGAMBITTS", false, PoGambittsSpec::parse);

  private static PolicySpec parse(ConfigNode node, String label, Scenario scenario) {
    TreatmentWorld world = GambittsSettings.requireWorld(node, TYPE.key(), scenario);
    return new PoGambittsSpec(label, GambittsSettings.offlineSamples(node), node.bool("hedging", false),
        GambittsSettings.v2(node), GambittsSettings.prior(node), GambittsSettings.covariates(node, world));
  }

  @Override
  public String type() {
    return TYPE.key();
  }

  @Override
  public double treatmentLimit() {
    return PoGambitts.treatmentLimit(prior);
  }

  @Override
  public double rewardLimit() {
    return AgentChecks.MAX_REWARD;
  }

  @Override
  public double stateDoubles(Scenario scenario) {
    return GambittsSettings.offlineDoubles(scenario, offlineSamples);
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    TreatmentWorld world = GambittsSettings.world(context);
    ContextCells cells = GambittsSettings.cells(world, covariates);
    PoGambitts agent = new PoGambitts(cells, GambittsSettings.offline(context, world, offlineSamples), hedging,
        GambittsSettings.resolve(prior, v2, world), context.policyRng());
    return new BuiltPolicy(agent, () -> 0L);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = Parameters.ordered(type(), "label", label, "offline_samples",
        GambittsSettings.samplesValue(offlineSamples));
    GambittsSettings.describeInto(p, hedging, v2, prior, covariates);
    return p;
  }
}
