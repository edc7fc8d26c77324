package dev.recourse.core.advisor;

/**
 * A fixed guideline (paper §5, Figure 4a; spec §8): the same change of the mutable features for every
 * patient, and either a fixed arm or, for a clinician who knows the drugs, the arm with the larger true
 * expected reward at the shifted context ({@link #bestArm}; how an independent implementation of the
 * paper's hypertension experiment reads it). The paper's LLM raised DietScore by about 0.8 and PhyActHours by about
 * 1.1 on average. The policy projects the result onto its feasible set when it breaks it.
 */
public final class GuidelineAdvisor implements Advisor {

  private final int arm;
  private final int[] features;
  private final double[] shifts;
  /** True parameters, arm a at a·d, when the arm is chosen per patient; null for a fixed arm. */
  private final double[] trueTheta;
  private final int numArms;

  /** Adds {@code shifts[k]} to feature {@code features[k]} and recommends {@code arm}. */
  public GuidelineAdvisor(int arm, int[] features, double[] shifts) {
    if (arm < 0) {
      throw new IllegalArgumentException("arm must be >= 0, got " + arm);
    }
    checkShifts(features, shifts);
    this.arm = arm;
    this.features = features.clone();
    this.shifts = shifts.clone();
    this.trueTheta = null;
    this.numArms = 0;
  }

  private GuidelineAdvisor(double[] trueTheta, int numArms, int[] features, double[] shifts) {
    if (trueTheta == null || numArms < 1 || trueTheta.length % numArms != 0) {
      throw new IllegalArgumentException("trueTheta must hold numArms·d values, got "
          + (trueTheta == null ? "null" : String.valueOf(trueTheta.length)) + " for numArms = " + numArms);
    }
    checkShifts(features, shifts);
    this.arm = -1;
    this.features = features.clone();
    this.shifts = shifts.clone();
    this.trueTheta = trueTheta;
    this.numArms = numArms;
  }

  /**
   * Features are indices (≥ 0; the upper end is checked per context, whose length this advisor does not
   * know), shifts finite: a negative index would throw out of {@link #advise} instead of failing there.
   */
  private static void checkShifts(int[] features, double[] shifts) {
    if (features == null || shifts == null) {
      throw new IllegalArgumentException("features and shifts must not be null");
    }
    if (features.length != shifts.length) {
      throw new IllegalArgumentException("one shift per feature: " + features.length + " features, "
          + shifts.length + " shifts");
    }
    for (int k = 0; k < features.length; k++) {
      if (features[k] < 0) {
        throw new IllegalArgumentException("features[" + k + "] must be >= 0, got " + features[k]);
      }
      if (!Double.isFinite(shifts[k])) {
        throw new IllegalArgumentException("shifts[" + k + "] must be finite, got " + shifts[k]);
      }
    }
  }

  /**
   * The guideline's shift with the arm whose true expected reward {@code θ_aᵀx̃} is largest at the
   * shifted context {@code x̃} (ties to the lowest arm). {@code trueTheta} is read, not copied.
   */
  public static GuidelineAdvisor bestArm(double[] trueTheta, int numArms, int[] features, double[] shifts) {
    return new GuidelineAdvisor(trueTheta, numArms, features, shifts);
  }

  @Override
  public boolean advise(double[] x, int[] armOut, double[] context) {
    System.arraycopy(x, 0, context, 0, x.length);
    for (int k = 0; k < features.length; k++) {
      if (features[k] >= x.length) {
        return false;
      }
      context[features[k]] += shifts[k];
    }
    int chosen = trueTheta == null ? arm : bestArmAt(context);
    armOut[0] = chosen;
    return chosen >= 0;
  }

  private int bestArmAt(double[] context) {
    int d = context.length;
    if (trueTheta.length != numArms * d) {
      return -1; // a context of another dimension: a failure
    }
    int best = 0;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < numArms; a++) {
      double v = 0;
      for (int i = 0; i < d; i++) {
        v += trueTheta[a * d + i] * context[i];
      }
      if (v > bestValue) {
        bestValue = v;
        best = a;
      }
    }
    return best;
  }

  @Override
  public String describe() {
    return "guideline(arm=" + (trueTheta == null ? Integer.toString(arm) : "best") + ", features=" + java.util.Arrays.toString(features) + ", shifts="
        + java.util.Arrays.toString(shifts) + ")";
  }
}
