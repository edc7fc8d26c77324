package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;

/** What the served GAMBITTS agents share for {@code decide(x, allowed, out)}: the allowed test and the score report. */
final class ServedArms {

  private ServedArms() {}

  /** Whether arm {@code a} may be played ({@code allowed} null: every arm). */
  static boolean allowed(boolean[] allowed, int a) {
    return allowed == null || allowed[a];
  }

  /** The lowest allowed arm: the plain decide's default winner (0) when every arm is allowed. */
  static int first(boolean[] allowed) {
    if (allowed == null) {
      return 0;
    }
    int a = 0;
    while (!allowed[a]) {
      a++;
    }
    return a;
  }

  /** Checks a decision that asks for scores has one per arm. */
  static void checkScores(Decision out, int numArms) {
    if (out.scores() != null && out.scores().length != numArms) {
      throw new IllegalArgumentException("decision scores length must be numArms = " + numArms + ", got "
          + out.scores().length);
    }
  }

  /** Copies every allowed arm's score (NaN for the others) into {@code out} if it asks; widths are NaN. */
  static void report(Decision out, double[] scores, boolean[] allowed, int numArms) {
    double[] s = out.scores();
    if (s == null) {
      return;
    }
    double[] w = out.widths();
    for (int a = 0; a < numArms; a++) {
      s[a] = allowed(allowed, a) ? scores[a] : Double.NaN;
      w[a] = Double.NaN;
    }
  }
}
