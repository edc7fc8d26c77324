package dev.recourse.sim.run;

/**
 * What one (replication, policy) unit produced, in primitive arrays: per checkpoint the cumulative
 * regret, the mean observed reward so far and the cumulative advisor queries; at the end, per arm the
 * mean recommended displacement of each mutable feature (NaN for an arm never played after
 * {@code recourseFrom}) and the share of rounds the arm was played. A cluster runner can ship these
 * between machines; aggregation only needs them in replication order.
 *
 * @param recourse   row-major {@code K×d_M}
 * @param describe   {@code Policy.describe()} of this unit's policy
 */
public record ReplicationResult(int replication, int policy, double[] regret, double[] meanReward, double[] queries,
                                double[] recourse, double[] armShare, String describe) {
}
