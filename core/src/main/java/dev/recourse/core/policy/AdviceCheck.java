package dev.recourse.core.policy;

/** Whether an advisor's answer can be used: it succeeded, its arm exists and its context is finite. */
final class AdviceCheck {

  private AdviceCheck() {}

  static boolean valid(boolean succeeded, int arm, double[] context, int numArms) {
    if (!succeeded || arm < 0 || arm >= numArms) {
      return false;
    }
    for (double v : context) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
