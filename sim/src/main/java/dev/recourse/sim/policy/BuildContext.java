package dev.recourse.sim.policy;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.ReplicationStreams;
import java.util.random.RandomGenerator;

/**
 * What a policy of one replication is built from: the replication's environment (its feasible set, its
 * generator-mediated world, and for simulated advisors and Lemma-2 radii its truth), the key of its
 * random streams, and the study's kernels.
 */
public record BuildContext(Environment env, long studySeed, String scenario, int replication, DoubleKernels kernels) {

  /** The replication's stream for {@code purpose} (ADVISOR, POLICY, OFFLINE, ...): a new generator each call. */
  public RandomGenerator stream(ReplicationStreams.Purpose purpose) {
    return ReplicationStreams.stream(studySeed, scenario, replication, purpose);
  }

  /** The replication's ADVISOR stream. */
  public RandomGenerator advisorRng() {
    return stream(ReplicationStreams.Purpose.ADVISOR);
  }

  /** The replication's POLICY stream (a sampler's own draws). */
  public RandomGenerator policyRng() {
    return stream(ReplicationStreams.Purpose.POLICY);
  }
}
