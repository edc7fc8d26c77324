package dev.recourse.core.policy;

import dev.recourse.core.state.Snapshottable;

/**
 * A policy a service can embed: it decides among a subset of its arms, reports every arm's score when
 * the {@link Decision} has room for them ({@link Decision#Decision(int, int)}), and saves and restores
 * its full learnt state. With every arm allowed and no scores asked for, {@link #decide(double[], boolean[],
 * Decision)} makes bit for bit the decision of {@link #decide(double[], Decision)}.
 */
public interface ServablePolicy extends Policy, Snapshottable {

  /**
   * Decides for {@code x} among the arms {@code a} with {@code allowed[a]} (length {@link #numArms()},
   * at least one true). Allocates nothing.
   */
  void decide(double[] x, boolean[] allowed, Decision out);

  /** Checks an allowed mask: length {@code numArms}, at least one arm, else an exception naming it. */
  static void checkAllowed(boolean[] allowed, int numArms) {
    if (allowed == null) {
      throw new IllegalArgumentException("allowed must not be null");
    }
    if (allowed.length != numArms) {
      throw new IllegalArgumentException("allowed must have length numArms = " + numArms + ", got " + allowed.length);
    }
    for (boolean a : allowed) {
      if (a) {
        return;
      }
    }
    throw new IllegalArgumentException("allowed must name at least one arm, got none");
  }
}
