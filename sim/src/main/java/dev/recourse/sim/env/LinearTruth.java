package dev.recourse.sim.env;

/**
 * What a simulator knows and a learner does not: the true parameters of a linear world and the bounds
 * Lemma 2 needs. Read by simulated advisors and by the Lemma-2 radius, never by a policy's decisions.
 */
public interface LinearTruth {

  /** The true parameters in the learner's coordinates, arm a at {@code a·d}. Read only. */
  double[] trueTheta();

  /** Standard deviation σ of the reward noise. */
  double noiseSd();

  /** A bound β_X on ‖x̃‖₂ over feasible recourse (for the Lemma-2 radius). */
  double contextBound();

  /** {@code max_a ‖θ_a‖₂} (β_Θ for the Lemma-2 radius). */
  double maxThetaNorm();
}
