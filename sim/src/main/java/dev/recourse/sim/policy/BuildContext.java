package dev.recourse.sim.policy;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.env.Environment;
import java.util.random.RandomGenerator;

/**
 * What a policy of one replication is built from.
 *
 * @param env        the replication's environment (its feasible set and, for simulated advisors and
 *                   Lemma-2 radii, its truth)
 * @param advisorRng the replication's ADVISOR stream
 * @param policyRng  the replication's POLICY stream (a sampler's own draws)
 * @param kernels    the study's kernels
 */
public record BuildContext(Environment env, RandomGenerator advisorRng, RandomGenerator policyRng,
                           DoubleKernels kernels) {
}
