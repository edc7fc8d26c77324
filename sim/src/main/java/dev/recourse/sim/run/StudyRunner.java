package dev.recourse.sim.run;

/**
 * Runs a study's (replication, policy) units and aggregates them. Implementations differ in where the
 * units run (a local thread pool here; a cluster later) but must merge the
 * {@link ReplicationResult}s in replication order, so that the aggregates are the same bits whatever
 * the parallelism.
 */
public interface StudyRunner {

  StudyResult run(Study study, ProgressListener progress);
}
