package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;

/** Argument checks shared by the GAMBITTS agents and their baselines; allocate only when they throw. */
final class AgentChecks {

  private AgentChecks() {}

  static void decision(Decision out, int dim) {
    if (out == null) {
      throw new IllegalArgumentException("decision must be non-null");
    }
    if (out.context().length != dim) {
      throw new IllegalArgumentException("decision dim must be " + dim + ", got " + out.context().length);
    }
  }

  /** Checks arm, reward and context of an outcome; returns its cell. */
  static int outcome(Outcome o, int numArms, ContextCells cells) {
    if (o == null) {
      throw new IllegalArgumentException("outcome must be non-null");
    }
    int arm = o.arm();
    if (arm < 0 || arm >= numArms) {
      throw new IllegalArgumentException("outcome arm must be in 0.." + (numArms - 1) + ", got " + arm);
    }
    double y = o.reward();
    if (!Double.isFinite(y)) {
      throw new IllegalArgumentException("outcome reward must be finite, got " + y);
    }
    return cells.checkedCell(o.context());
  }

  /** Checks that an outcome carries a finite treatment embedding of length {@code treatmentDim}. */
  static void treatment(Outcome o, int treatmentDim) {
    if (!o.hasTreatment()) {
      throw new IllegalArgumentException("outcome has no treatment embedding Z; a GAMBITTS agent needs it");
    }
    double[] z = o.treatment();
    if (z.length != treatmentDim) {
      throw new IllegalArgumentException("outcome treatmentDim must be " + treatmentDim + ", got " + z.length);
    }
    double normSq = 0.0;
    for (int i = 0; i < treatmentDim; i++) {
      if (!Double.isFinite(z[i])) {
        throw new IllegalArgumentException("outcome treatment Z[" + i + "] must be finite, got " + z[i]);
      }
      normSq += z[i] * z[i];
    }
    // The models add products of Z's entries: a squared norm that overflows would make them infinite or NaN.
    if (normSq == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("outcome treatment Z is too large: its squared norm overflows a double, Z = "
          + java.util.Arrays.toString(z));
    }
  }

  static int positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
    return v;
  }

  static <T> T nonNull(String name, T v) {
    if (v == null) {
      throw new IllegalArgumentException(name + " must be non-null");
    }
    return v;
  }
}
