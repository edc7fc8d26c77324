package dev.recourse.sim.env;

import dev.recourse.core.recourse.FeasibleSet;

/**
 * One replication of a scenario: the world a policy acts in. Confined to one thread; built by
 * {@link Scenario#create}. Per round the runner calls, in this order, {@link #nextContext},
 * {@link #optimalValue}, the policy, {@link #realise}, {@link #expectedReward} and {@link #observe};
 * none of them allocates.
 *
 * <p>Regret (spec libra.md §7) is {@code optimalValue(x_t) − expectedReward(a_t, x̄_t)} with
 * {@code x̄_t} the context the patient realises, which {@link #realise} produces from the
 * recommendation: the identity under full compliance, a deviation under non-compliance (§4, §5.4).
 */
public interface Environment {

  /** Context dimension of the learner. */
  int dim();

  int numArms();

  /** Draws the next context {@code x_t} into {@code x} (length {@link #dim()}). */
  void nextContext(double[] x);

  /** The learner's feasible set: a new instance with its own scratch for each caller. */
  FeasibleSet newFeasibleSet();

  /**
   * The context the patient implements when {@code arm} is played with {@code recommended} for context
   * {@code original}, written into {@code out}: the scenario's {@link dev.recourse.core.compliance.Compliance}
   * model (full compliance now; random and adversarial deviations, paper §4 and §5.4, plug in here).
   */
  void realise(double[] original, int arm, double[] recommended, double[] out);

  /** {@code μ(θ_aᵀx)} with the true parameters (identity link), for the realised context. */
  double expectedReward(int arm, double[] realised);

  /** The reward the learner observes: {@code expectedReward} plus this round's noise draw. */
  double observe(double expectedReward);

  /** The expected reward of the optimal (arm, recourse) pair for context {@code x} (Lemma 1). */
  double optimalValue(double[] x);

  /**
   * The true parameters in the learner's coordinates, arm a at {@code a·d}, for simulated advisors
   * and regret. Read only: the environment keeps using the array.
   */
  double[] trueTheta();

  /** Standard deviation σ of the reward noise. */
  double noiseSd();

  /** A bound β_X on ‖x̃‖₂ over feasible recourse (for the Lemma-2 radius). */
  double contextBound();

  /** {@code max_a ‖θ_a‖₂} (β_Θ for the Lemma-2 radius). */
  double maxThetaNorm();
}
