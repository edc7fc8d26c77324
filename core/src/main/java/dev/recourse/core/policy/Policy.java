package dev.recourse.core.policy;

/**
 * A contextual bandit policy that recommends an arm and, possibly, a change of the context (recourse).
 * UCB policies (LinUCB, GLRB, LIBRA) and samplers (Thompson, GAMBITTS) fit the same two calls; a
 * sampler owns its seeded generator from construction.
 *
 * <p>Contract: {@link #decide} and {@link #update} allocate nothing; bad input throws
 * {@link IllegalArgumentException} naming the field and value and leaves the policy unchanged. A
 * policy is confined to one thread.
 */
public interface Policy {

  /** Context dimension {@code d}. */
  int dim();

  /** Number of arms {@code K}. */
  int numArms();

  /** Decides for context {@code x} (length {@code d}), writing the result into {@code out}. */
  void decide(double[] x, Decision out);

  /**
   * Learns from one round's {@link Outcome}: the arm played, the context the patient realised (the
   * implemented recourse, or what non-compliance made of it), the reward, and where the family has
   * them the observed treatment embedding and the decision id. Reads the record, keeps no reference.
   */
  void update(Outcome outcome);

  /** One line describing the configuration, recorded with every result. */
  String describe();
}
