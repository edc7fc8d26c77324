package dev.recourse.sim.env;

import java.util.List;
import java.util.Map;

/**
 * A configured problem (paper §5, §6, App. D; spec libra.md §9) that produces one independent
 * {@link Environment} per replication. Immutable and thread-safe: {@link #create} may be called from
 * any thread, and its result depends only on its arguments.
 */
public interface Scenario {

  /** Short name, also the scenario's key in the random-stream path: synthetic, hypertension, fertility. */
  String name();

  /** The learner's context dimension. */
  int dim();

  int numArms();

  /** One name per learner feature, for outputs. */
  List<String> featureNames();

  /** One name per arm, for outputs. */
  List<String> armNames();

  /** Indices of the mutable features (a copy). */
  int[] mutableIndices();


  /** The environment of replication {@code replication}; its draws depend only on the arguments. */
  Environment create(long studySeed, int replication);

  /** The configuration, key by key, as the study file spells it (for the JSON summary). */
  Map<String, Object> parameters();
}
