package dev.recourse.core.advisor;

/**
 * An outside source of treatment plans: a language model behind an endpoint, a clinical guideline, or
 * a simulated expert (spec libra.md §5, §8). Context in; an arm and a recommended context out.
 *
 * <p>Contract: {@link #advise} reports advisor-side failures (timeout, refusal, unparseable reply) by
 * returning {@code false}, never by throwing, so that a policy can always fall back and no round is
 * lost. The suggested context may be infeasible: the policy projects it onto its feasible set.
 * Simulated advisors allocate nothing.
 */
public interface Advisor {

  /**
   * Asks for a plan for context {@code x} (length d). On success writes the arm into {@code arm[0]} and
   * the full recommended context into {@code context} (length d) and returns {@code true}.
   */
  boolean advise(double[] x, int[] arm, double[] context);

  /** One line for result headers. */
  String describe();
}
