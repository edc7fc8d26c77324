package dev.recourse.spark;

import java.io.Serializable;

/**
 * What a task sends back to the driver: each of its replications' {@code ReplicationResult} arrays (per
 * checkpoint, per arm and mutable feature, per arm), never per-round data. Size per replication about
 * {@code 8·(3·checkpoints + arms·d_M + arms)} bytes plus the policy description.
 *
 * @param kernels  the kernels the executor ran (scalar and Panama kernels may differ in the last bits)
 * @param cpuNanos CPU time of the task's thread
 */
record BlockResult(Block block, double[][] regret, double[][] meanReward, double[][] queries, double[][] recourse,
                   double[][] armShare, String[] describe, String kernels, long cpuNanos) implements Serializable {

  private static final long serialVersionUID = 1L;
}
