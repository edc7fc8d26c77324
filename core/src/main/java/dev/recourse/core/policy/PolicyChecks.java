package dev.recourse.core.policy;

/**
 * Shape checks of the policies' public single-context entry points, run before any state changes.
 * O(1) or O(d) scalar work; allocate only when they throw.
 */
final class PolicyChecks {

  private PolicyChecks() {}

  /**
   * A single context must have exactly {@code dim} entries: the models accept longer arrays (a row of a
   * block at an offset), which would silently ignore a caller's extra features.
   */
  static void contextLength(double[] x, int dim) {
    if (x == null) {
      throw new IllegalArgumentException("context must not be null");
    }
    if (x.length != dim) {
      throw new IllegalArgumentException("context length must be " + dim + ", got " + x.length);
    }
  }

  /** Every context value finite (after {@link #contextLength}). */
  static void finiteContext(double[] x) {
    for (int i = 0; i < x.length; i++) {
      double xi = x[i];
      if (!Double.isFinite(xi)) {
        throw new IllegalArgumentException("context x" + i + " must be finite, got " + xi);
      }
    }
  }

  static void decision(Decision out, int dim) {
    if (out == null) {
      throw new IllegalArgumentException("decision must not be null");
    }
    if (out.context().length != dim) {
      throw new IllegalArgumentException("decision dim must be " + dim + ", got " + out.context().length);
    }
  }

  static void outcome(Outcome outcome, int dim) {
    if (outcome == null) {
      throw new IllegalArgumentException("outcome must not be null");
    }
    if (outcome.dim() != dim) {
      throw new IllegalArgumentException("outcome dim must be " + dim + ", got " + outcome.dim());
    }
  }
}
