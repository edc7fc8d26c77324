package dev.recourse.core.recourse;

/**
 * The one place that picks an ORO-Arm solver for a feasible set. Exact solvers:
 * <ul>
 *   <li>ℓ1 without bounds: {@link ExactL1Oro} (2·d_M vertices);
 *   <li>(weighted) ℓ∞, with or without bounds, {@code d_M ≤ }{@value ExactBoxOro#DEFAULT_MAX_MUTABLE}:
 *       {@link ExactBoxOro} (2^{d_M} vertices);
 *   <li>ℓ2 and Mahalanobis, with or without bounds: {@link ExactL2Oro} (certified; with bounds exact
 *       only when the ball's maximiser respects them, else coordinate descent's answer).
 * </ul>
 * {@link Choice#AUTO} takes the exact solver where it costs at most what coordinate descent does and CD
 * elsewhere: ℓ1 and ℓ∞ as before (exact wherever it exists), ℓ2 and Mahalanobis up to
 * {@link #AUTO_EXACT_L2_MAX_MUTABLE} mutable features (BENCHMARKS.md, "Exact ℓ2 ORO").
 */
public final class OroSolvers {

  /** How to choose: the exact solver (fails where none exists), coordinate descent, or by cost. */
  public enum Choice {
    EXACT, CD, AUTO;

    /** {@code exact}, {@code cd} or {@code auto} (case-insensitive). */
    public static Choice parse(String name) {
      if (name != null) {
        for (Choice c : values()) {
          if (c.name().equalsIgnoreCase(name.trim())) {
            return c;
          }
        }
      }
      throw new IllegalArgumentException("solver must be one of exact, cd, auto; got '" + name + "'");
    }

    /** The configuration name: exact, cd, auto. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * Largest d_M at which {@link Choice#AUTO} takes {@link ExactL2Oro} for ℓ2 and Mahalanobis balls:
   * the paper's problems (hypertension d_M = 2, fertility d_M = 3). Measured (BENCHMARKS.md, "Exact ℓ2
   * ORO"): an exact solve costs 1.5–2.5× this engine's coordinate descent at every size (0.6–0.8 µs vs
   * 0.35–0.5 µs at d_M ≤ 3), and the per-round preparation of the arm that learnt grows as d_M³: 0.2 µs
   * at d_M = 2, 1.1 µs at 3, then 4 µs at 5, 13 µs at 8 and ≈ 100 µs at 20, i.e. from d_M = 5 on it
   * costs several times the CD solves it would replace. Up to 3 the exact round costs ≈ 1 µs more than
   * CD's (GLRB decide+update at the hypertension size), for the global optimum with a certificate.
   */
  public static final int AUTO_EXACT_L2_MAX_MUTABLE = 3;

  private OroSolvers() {}

  /** Whether an exact solver exists for {@code set}. */
  public static boolean hasExact(FeasibleSet set) {
    Ball ball = set.ball();
    return (ball instanceof L1Ball && !set.bounded())
        || (ball instanceof LInfBall && set.mutableDim() <= ExactBoxOro.DEFAULT_MAX_MUTABLE)
        || ExactL2Oro.supports(set);
  }

  /** Whether {@link Choice#AUTO} takes the exact solver for {@code set}. */
  public static boolean autoPicksExact(FeasibleSet set) {
    if (!hasExact(set)) {
      return false;
    }
    return !ExactL2Oro.supports(set) || set.mutableDim() <= AUTO_EXACT_L2_MAX_MUTABLE;
  }

  /** The solver for {@code set}, with coordinate descent's default tolerance and iteration cap. */
  public static OroSolver create(FeasibleSet set, Choice choice) {
    return create(set, choice, CoordinateDescentOro.DEFAULT_TOLERANCE, CoordinateDescentOro.DEFAULT_MAX_ITERATIONS);
  }

  /**
   * The solver for {@code set}: {@code cdTolerance} and {@code cdMaxIterations} configure coordinate
   * descent where it is chosen. {@link Choice#EXACT} throws {@link IllegalArgumentException} naming
   * the set where no exact solver exists.
   */
  public static OroSolver create(FeasibleSet set, Choice choice, double cdTolerance, int cdMaxIterations) {
    java.util.Objects.requireNonNull(choice, "choice");
    int dimM = set.mutableDim();
    boolean exact = switch (choice) {
      case CD -> false;
      case AUTO -> autoPicksExact(set);
      case EXACT -> {
        if (!hasExact(set)) {
          throw new IllegalArgumentException("no exact solver for " + set.describe()
              + " (exact exists for l1 without bounds, linf and wlinf with d_M <= " + ExactBoxOro.DEFAULT_MAX_MUTABLE
              + ", l2 and mahalanobis)");
        }
        yield true;
      }
    };
    if (!exact) {
      return new CoordinateDescentOro(dimM, cdTolerance, cdMaxIterations);
    }
    Ball ball = set.ball();
    if (ball instanceof L1Ball) {
      return new ExactL1Oro();
    }
    if (ball instanceof LInfBall) {
      return new ExactBoxOro(dimM);
    }
    return new ExactL2Oro(dimM, cdTolerance, cdMaxIterations);
  }
}
