package dev.recourse.sim.policy;

import dev.recourse.core.gambitts.AgentChecks;
import dev.recourse.core.gambitts.EnsPoGambitts;
import dev.recourse.core.gambitts.EnsembleOptions;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.Map;

/**
 * ens-poGAMBITTS (spec gambitts.md §5): an ensemble of small MLPs on z with perturbed targets, and Monte
 * Carlo over the offline embeddings of the (cell, prompt). Keys (the repo's defaults): {@code members: 60,
 * hidden: 64, buffer: 1024, warmup_rounds: 100, batch_size: 100, mc_draws: 100, learning_rate: 0.1,
 * reset_optimizer: true}; {@code perturbation_sd} is required (the repo uses the true noise sd, an
 * oracle; {@code perturbation_sd: noise} says so explicitly); {@code offline_samples} as poGAMBITTS.
 *
 * @param perturbationSd NaN for the world's σ ({@code perturbation_sd: noise})
 */
public record EnsPoGambittsSpec(String label, int offlineSamples, EnsembleOptions options, double perturbationSd)
    implements PolicySpec {

  static final PolicyType TYPE = new PolicyType("ens-po-gambitts", "ens-poGAMBITTS", false, EnsPoGambittsSpec::parse);

  private static PolicySpec parse(ConfigNode node, String label, Scenario scenario) {
    GambittsSettings.requireWorld(node, TYPE.key(), scenario);
    double sd;
    if (!node.has("perturbation_sd")) {
      throw node.error("perturbation_sd", "missing (required): the sd of the target perturbations (a number, or"
          + " 'noise' for the world's noise sd, an oracle)");
    }
    if (node.raw("perturbation_sd").isTextual()) {
      String t = node.requiredText("perturbation_sd");
      if (!t.equals("noise")) {
        throw node.error("perturbation_sd", "expected a number >= 0 or 'noise', got '" + t + "'");
      }
      sd = Double.NaN;
    } else {
      sd = node.nonNegative("perturbation_sd", Double.NaN);
    }
    EnsembleOptions d = EnsembleOptions.repo(0.0);
    int offline = GambittsSettings.offlineSamples(node);
    EnsembleOptions options;
    try {
      options = new EnsembleOptions(node.integerAtLeast("members", d.members(), 1), node.integerAtLeast("hidden",
          d.hidden(), 1), node.integerAtLeast("buffer", d.bufferCapacity(), 1), node.integerAtLeast("warmup_rounds",
          d.warmupRounds(), 0), node.integerAtLeast("batch_size", d.batchSize(), 1), node.integerAtLeast("mc_draws",
          d.mcDraws(), 1), node.positive("learning_rate", d.learningRate()), node.bool("reset_optimizer",
          d.resetOptimizer()), Double.isNaN(sd) ? 0.0 : sd);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
    return new EnsPoGambittsSpec(label, offline, options, sd);
  }

  @Override
  public String type() {
    return TYPE.key();
  }

  @Override
  public double treatmentLimit() {
    return EnsPoGambitts.TREATMENT_LIMIT;
  }

  @Override
  public double rewardLimit() {
    return AgentChecks.MAX_REWARD;
  }

  @Override
  public double stateDoubles(Scenario scenario) {
    double dz = scenario.treatmentWorld().orElseThrow().treatmentDim();
    double params = options.members() * (options.hidden() * (dz + 2) + 1.0);
    return GambittsSettings.offlineDoubles(scenario, offlineSamples) + 3 * params
        + (double) options.bufferCapacity() * (options.members() + dz + 1);
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    TreatmentWorld world = GambittsSettings.world(context);
    EnsembleOptions o = options;
    if (Double.isNaN(perturbationSd)) {
      o = new EnsembleOptions(o.members(), o.hidden(), o.bufferCapacity(), o.warmupRounds(), o.batchSize(),
          o.mcDraws(), o.learningRate(), o.resetOptimizer(), world.noiseSd());
    }
    EnsPoGambitts agent = new EnsPoGambitts(GambittsSettings.cells(world, Map.of()),
        GambittsSettings.offline(context, world, offlineSamples), o, context.policyRng());
    return new BuiltPolicy(agent, () -> 0L);
  }

  @Override
  public Map<String, Object> parameters() {
    return Parameters.ordered(type(), "label", label, "offline_samples", GambittsSettings.samplesValue(offlineSamples),
        "members", options.members(), "hidden", options.hidden(), "buffer", options.bufferCapacity(),
        "warmup_rounds", options.warmupRounds(), "batch_size", options.batchSize(), "mc_draws", options.mcDraws(),
        "learning_rate", options.learningRate(), "reset_optimizer", options.resetOptimizer(),
        "perturbation_sd", Double.isNaN(perturbationSd) ? "noise" : perturbationSd);
  }
}
