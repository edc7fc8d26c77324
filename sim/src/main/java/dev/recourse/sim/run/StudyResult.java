package dev.recourse.sim.run;

import dev.recourse.sim.metrics.PolicyAggregate;
import java.util.List;

/**
 * A finished study: one aggregate per policy (in the study's order), and how it ran.
 *
 * @param cpuSeconds CPU time of the worker threads (0 where the JVM cannot measure it)
 * @param kernels    the kernels the policies ran on
 */
public record StudyResult(Study study, List<PolicyAggregate> policies, double wallSeconds, double cpuSeconds,
                          int threads, String kernels) {

  public StudyResult {
    policies = List.copyOf(policies);
  }

  /** Rounds simulated: replications × policies × horizon. */
  public long rounds() {
    return (long) study.units() * study.horizon();
  }
}
