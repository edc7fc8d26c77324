package dev.recourse.core.recourse;

/**
 * A solver of ORO-Arm ({@link OroProblem}). Implementations own their workspace and allocate nothing
 * per solve; one thread each.
 */
public interface OroSolver {

  /**
   * Maximises {@code g} over the feasible set for the loaded problem, writes the displacement Δ of the
   * mutable block into {@code delta} and returns {@code g(Δ)}, never less than {@code g(0)}.
   */
  double solve(OroProblem problem, double[] delta);

  /** Iterations (or vertices, for enumeration) the last solve used. */
  int lastIterations();

  /**
   * Whether every value this solver returns is at most the global maximum of ORO-Arm for the loaded
   * problem, hence at most {@link OroProblem#upperBound}: true for the solvers of ORO itself, which
   * lets GLRB skip arms whose bound is already beaten. False (the default) for solvers of another
   * objective, such as the non-compliance variant.
   */
  default boolean boundedByOroMaximum() {
    return false;
  }

  /**
   * The number of mutable features this solver's workspace holds, or -1 if it takes any problem. A
   * policy refuses a solver smaller than its feasible set's mutable block at construction, rather than
   * failing at its first decision.
   */
  default int mutableDim() {
    return -1;
  }

  /** Short name: cd, exact-l1, exact-box, exact-l2, reference, oro-nc. */
  String name();
}
