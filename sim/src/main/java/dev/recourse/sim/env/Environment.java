package dev.recourse.sim.env;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.recourse.FeasibleSet;
import java.util.Optional;

/**
 * One replication of a scenario, reduced to the round loop every bandit family shares: the runner
 * calls {@link #nextContext}, asks the policy, then {@link #act}, and hands the filled {@link Outcome}
 * to the policy's update. Confined to one thread; built by {@link Scenario#create}; neither call
 * allocates.
 *
 * <p>What only some worlds have is optional: a feasible set for recourse policies
 * ({@link #newFeasibleSet}) and the oracle parts that simulated advisors and the Lemma-2 radius read
 * ({@link #truth}). A logged stream or a response database has neither.
 */
public interface Environment {

  /** Context dimension of the learner. */
  int dim();

  int numArms();

  /** Dimension of the treatment embedding {@code Z} the world reveals after acting; 0 when it reveals none. */
  default int treatmentDim() {
    return 0;
  }

  /** Draws the next context {@code x_t} into {@code x} (length {@link #dim()}). */
  void nextContext(double[] x);

  /**
   * Plays {@code decision} for context {@code x}: writes what the world answers into {@code outcome}
   * (the arm, the context the patient realised, the reward, and the treatment embedding where there is
   * one) and returns this round's regret, the expected reward of the best action for {@code x} minus
   * that of the action played (spec libra.md §7; gambitts.md §7 for per-cell means).
   */
  double act(double[] x, Decision decision, Outcome outcome);

  /** The learner's feasible set, a new instance with its own scratch per caller; empty without recourse. */
  default Optional<FeasibleSet> newFeasibleSet() {
    return Optional.empty();
  }

  /** The generator-mediated world (context columns, working embedding, offline access); empty elsewhere. */
  default Optional<TreatmentWorld> treatments() {
    return Optional.empty();
  }

  /** The oracle parts of a simulated linear world; empty where the world has none. */
  default Optional<LinearTruth> truth() {
    return Optional.empty();
  }
}
