package dev.recourse.spark;

import java.io.Serializable;

/**
 * One Spark task's work: replications {@code [firstReplication, firstReplication + count)} of policy
 * {@code policy}. Its index in the job (policy-major) fixes where its results go; nothing about the
 * partition, executor or attempt that runs it enters the computation.
 */
record Block(int policy, int firstReplication, int count) implements Serializable {

  private static final long serialVersionUID = 1L;
}
