package dev.recourse.sim.policy;

import dev.recourse.core.gambitts.AgentChecks;
import dev.recourse.core.gambitts.ContextCells;
import dev.recourse.core.gambitts.FoGambitts;
import dev.recourse.core.gambitts.LinearRewardPrior;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.Map;

/**
 * foGAMBITTS (spec gambitts.md §3): a Normal–Inverse-Wishart treatment model per (cell, prompt), learned
 * online from the observed embeddings, and the shared linear reward model. NIW prior keys
 * {@code kappa0} (default 1), {@code nu0} (default d_z), {@code psi0} ({@code Ψ0 = psi0·I}, default 1).
 *
 * @param nu0 NaN for the default d_z
 */
public record FoGambittsSpec(String label, boolean hedging, double v2, LinearRewardPrior prior,
                             Map<String, ContextCells.Covariate> covariates, double kappa0, double nu0, double psi0)
    implements PolicySpec {

  static final PolicyType TYPE = new PolicyType("fo-gambitts", "foGAMBITTS", false, FoGambittsSpec::parse);

  private static PolicySpec parse(ConfigNode node, String label, Scenario scenario) {
    TreatmentWorld world = GambittsSettings.requireWorld(node, TYPE.key(), scenario);
    double nu0 = node.has("nu0") ? node.number("nu0", Double.NaN) : Double.NaN;
    if (!Double.isNaN(nu0) && !(nu0 > world.treatmentDim() - 1)) {
      throw node.error("nu0", "must be > d_z - 1 = " + (world.treatmentDim() - 1) + ", got " + nu0);
    }
    return new FoGambittsSpec(label, node.bool("hedging", false), GambittsSettings.v2(node), GambittsSettings.prior(node),
        GambittsSettings.covariates(node, world), node.positive("kappa0", 1.0), nu0, node.positive("psi0", 1.0));
  }

  @Override
  public String type() {
    return TYPE.key();
  }

  @Override
  public double treatmentLimit() {
    return FoGambitts.treatmentLimit(prior, psi0);
  }

  @Override
  public double rewardLimit() {
    return AgentChecks.MAX_REWARD;
  }

  @Override
  public double stateDoubles(Scenario scenario) {
    TreatmentWorld w = scenario.treatmentWorld().orElseThrow();
    double cells = 1;
    for (int l : w.contextLevels()) {
      cells *= l;
    }
    double dz = w.treatmentDim();
    return cells * scenario.numArms() * (dz * dz + dz + 2);
  }

  @Override
  public BuiltPolicy build(BuildContext context) {
    TreatmentWorld world = GambittsSettings.world(context);
    int dz = world.treatmentDim();
    FoGambitts agent = new FoGambitts(context.env().numArms(), dz, GambittsSettings.cells(world, covariates), hedging,
        GambittsSettings.resolve(prior, v2, world), kappa0, Double.isNaN(nu0) ? dz : nu0, psi0, context.policyRng());
    return new BuiltPolicy(agent, () -> 0L);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = Parameters.ordered(type(), "label", label);
    GambittsSettings.describeInto(p, hedging, v2, prior, covariates);
    p.put("kappa0", kappa0);
    p.put("nu0", Double.isNaN(nu0) ? "d_z" : nu0);
    p.put("psi0", psi0);
    return p;
  }
}
