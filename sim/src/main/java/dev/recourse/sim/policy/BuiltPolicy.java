package dev.recourse.sim.policy;

import dev.recourse.core.policy.Policy;
import java.util.function.LongSupplier;

/**
 * A policy instance for one replication and how to read its cumulative advisor queries (the "LLM
 * effort", paper Theorem 4); the runner reads them at checkpoints only.
 */
public record BuiltPolicy(Policy policy, LongSupplier queries) {
}
