package dev.recourse.sim.env;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** Indices of the mutable features (a copy); empty when the problem offers no recourse. */
  int[] mutableIndices();

  /** Whether its environments offer a feasible set, so that recourse policies can run on it. */
  default boolean offersRecourse() {
    return false;
  }

  /** Whether its environments know their true linear parameters (simulated advisors, Lemma-2 radii). */
  default boolean hasLinearTruth() {
    return false;
  }

  /** The generator-mediated world its environments act in (GAMBITTS); empty for the recourse scenarios. */
  default Optional<TreatmentWorld> treatmentWorld() {
    return Optional.empty();
  }

  /** The constant radii policies get on this scenario when their configuration names none. */
  default Optional<RadiusDefaults> radiusDefaults() {
    return Optional.empty();
  }

  /**
   * The environment of replication {@code replication}; its draws depend only on the arguments. Any
   * arithmetic it does on the kernels (the regret's products) is the study's: the runner passes its own.
   */
  Environment create(long studySeed, int replication, DoubleKernels kernels);

  /** {@link #create(long, int, DoubleKernels)} on the process's kernels (tests, tools). */
  default Environment create(long studySeed, int replication) {
    return create(studySeed, replication, Kernels.get());
  }

  /** The configuration, key by key, as the study file spells it (for the JSON summary). */
  Map<String, Object> parameters();
}
