package dev.recourse.sim.run;

import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.policy.PolicySpec;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Monte Carlo study: {@code replications} independent replications of {@code scenario}, each run
 * for {@code horizon} rounds by every policy, with results recorded at the checkpoint rounds.
 *
 * @param name         used in output file names and titles
 * @param seed         the study seed: with the scenario name, replication index and purpose, it keys
 *                     every random stream ({@link dev.recourse.sim.env.ReplicationStreams})
 * @param checkpoints  strictly increasing rounds in [1, horizon], the last one {@code horizon}
 * @param recourseFrom the recommended recourse is averaged over rounds {@code t > recourseFrom}
 *                     (App. D looks at the recourse "after step 70")
 */
public record Study(String name, Scenario scenario, List<PolicySpec> policies, int horizon, int replications,
                    long seed, int[] checkpoints, int recourseFrom) {

  public Study {
    Objects.requireNonNull(scenario, "scenario");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
    }
    if (replications < 1) {
      throw new IllegalArgumentException("replications must be >= 1, got " + replications);
    }
    if (policies == null || policies.isEmpty()) {
      throw new IllegalArgumentException("policies must name at least one policy");
    }
    policies = List.copyOf(policies);
    Set<String> labels = new HashSet<>();
    for (PolicySpec p : policies) {
      if (!labels.add(p.label())) {
        throw new IllegalArgumentException("policy label '" + p.label() + "' is used twice; give each a distinct label");
      }
    }
    checkpoints = checkpoints.clone();
    if (checkpoints.length == 0 || checkpoints[checkpoints.length - 1] != horizon) {
      throw new IllegalArgumentException("checkpoints must end at the horizon " + horizon);
    }
    for (int i = 0; i < checkpoints.length; i++) {
      if (checkpoints[i] < 1 || (i > 0 && checkpoints[i] <= checkpoints[i - 1])) {
        throw new IllegalArgumentException("checkpoints must be strictly increasing in [1, horizon], got "
            + Arrays.toString(checkpoints));
      }
    }
    if (recourseFrom < 0 || recourseFrom >= horizon) {
      throw new IllegalArgumentException("recourse_from must be in [0, horizon), got " + recourseFrom);
    }
  }

  /** {@code count} checkpoints spread evenly over [1, horizon] (fewer if horizon < count), ending at horizon. */
  public static int[] evenCheckpoints(int horizon, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("checkpoints must be >= 1, got " + count);
    }
    int n = Math.min(count, horizon);
    int[] rounds = new int[n];
    for (int k = 1; k <= n; k++) {
      rounds[k - 1] = (int) Math.ceilDiv((long) k * horizon, n);
    }
    return rounds;
  }

  /** The same study with another horizon, replication count or seed (checkpoints respread, same count). */
  public Study resized(int newHorizon, int newReplications, long newSeed) {
    int[] cps = evenCheckpoints(newHorizon, checkpoints.length);
    return new Study(name, scenario, policies, newHorizon, newReplications, newSeed, cps,
        Math.min(recourseFrom, newHorizon - 1));
  }

  /** Work units: one per (replication, policy), replication-major. */
  public int units() {
    return replications * policies.size();
  }

  @Override
  public int[] checkpoints() {
    return checkpoints.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Study s && s.name.equals(name) && s.scenario.equals(scenario) && s.policies.equals(policies)
        && s.horizon == horizon && s.replications == replications && s.seed == seed
        && Arrays.equals(s.checkpoints, checkpoints) && s.recourseFrom == recourseFrom;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, policies, horizon, replications, seed, Arrays.hashCode(checkpoints), recourseFrom);
  }

  @Override
  public String toString() {
    return "Study[" + name + ", " + scenario.name() + ", T=" + horizon + ", reps=" + replications + ", seed=" + seed
        + ", policies=" + policies.size() + "]";
  }
}
