package dev.recourse.sim.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.policy.Policy;
import java.util.function.LongSupplier;

/**
 * A policy instance for one replication, how to read its cumulative advisor queries (the "LLM
 * effort", paper Theorem 4; the runner reads them at checkpoints only), and what to release when the
 * replication ends (an HTTP advisor's client).
 */
public record BuiltPolicy(Policy policy, LongSupplier queries, AutoCloseable resources) implements AutoCloseable {

  /** A policy that holds no resources. */
  public BuiltPolicy(Policy policy, LongSupplier queries) {
    this(policy, queries, () -> { });
  }

  /** A policy consulting {@code advisor}, released with it when the advisor holds resources. */
  static BuiltPolicy advised(Policy policy, LongSupplier queries, Advisor advisor) {
    return new BuiltPolicy(policy, queries, advisor instanceof AutoCloseable c ? c : () -> { });
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("releasing the policy's resources failed: " + e.getMessage(), e);
    }
  }
}
