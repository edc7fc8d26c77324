package dev.recourse.sim.gambitts;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.run.Study;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Refuses a study whose world holds data its GAMBITTS policies would refuse (README "GAMBITTS", Limits),
 * before any replication runs: an agent refuses an embedding entry beyond its {@code treatmentLimit()} or
 * a reward beyond {@code AgentChecks.MAX_REWARD} only when a round or an offline draw reaches it, part-way
 * through the run and without naming the data. Checked here: every entry a response database holds (which
 * bounds every round and offline sample) and its true rewards, a generator's means and spreads, and the
 * reward noise; a generator's draws beyond its means are left to the agents' own refusal.
 */
public final class TreatmentLimits {

  private TreatmentLimits() {}

  /**
   * Throws an {@link InputException} naming where the first value beyond a limit is (the data file's line
   * and column, or the scenario's settings), the value, and the policy with the smallest limit; {@code
   * source} names the study (its file) in the message. A study on another kind of world passes.
   */
  public static void check(Study study, String source) {
    if (!(study.scenario() instanceof TreatmentScenario scenario)) {
      return;
    }
    List<PolicySpec> policies = study.policies();
    int zAt = smallest(policies, PolicySpec::treatmentLimit);
    int rAt = smallest(policies, PolicySpec::rewardLimit);
    if (zAt < 0 && rAt < 0) {
      return;
    }
    for (Generator.Extreme e : scenario.extremes(source)) {
      int at = e.reward() ? rAt : zAt;
      if (at >= 0 && !(Math.abs(e.value()) <= limit(policies.get(at), e.reward()))) {
        throw e.at().apply(problem(e.value(), e.reward(), policies, at, source, "it"));
      }
    }
    // A spread beyond the limit puts nearly a third or more of the draws beyond it (P(|N(0,1)| > 1) = 31.7%).
    if (zAt >= 0 && scenario.treatmentSd() > limit(policies.get(zAt), false)) {
      throw new InputException(source + ": scenario.treatment_sd: " + problem(scenario.treatmentSd(), false, policies,
          zAt, source, "nearly a third or more of the embeddings drawn"));
    }
    if (rAt >= 0 && scenario.world().noiseSd() > limit(policies.get(rAt), true)) {
      throw new InputException(source + ": scenario.noise_sd: " + problem(scenario.world().noiseSd(), true, policies,
          rAt, source, "nearly a third or more of the rewards"));
    }
  }

  /** The index of the policy with the smallest finite limit (the first of equals), or -1 if none has one. */
  private static int smallest(List<PolicySpec> policies, ToDoubleFunction<PolicySpec> limit) {
    int at = -1;
    for (int i = 0; i < policies.size(); i++) {
      double l = limit.applyAsDouble(policies.get(i));
      if (l < Double.POSITIVE_INFINITY && (at < 0 || l < limit.applyAsDouble(policies.get(at)))) {
        at = i;
      }
    }
    return at;
  }

  private static double limit(PolicySpec policy, boolean reward) {
    return reward ? policy.rewardLimit() : policy.treatmentLimit();
  }

  /** {@code "20000.0 is beyond 10000.0, the embedding limit of policy 'foGAMBITTS' (s.yaml: policies[1]), …"}. */
  private static String problem(double value, boolean reward, List<PolicySpec> policies, int at, String source,
                                String refused) {
    PolicySpec policy = policies.get(at);
    return value + " is beyond " + limit(policy, reward) + ", the " + (reward ? "reward" : "embedding")
        + " limit of policy '" + policy.label() + "' (" + source + ": policies[" + at + "]), which would refuse "
        + refused + " part-way through the run; " + (reward ? "rescale the reward"
        : "rescale Z or that policy's prior (README \"GAMBITTS\", Limits)");
  }
}
