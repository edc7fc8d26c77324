package dev.recourse.core.advisor;

/**
 * A fixed guideline (paper §5, Figure 4a; spec §8): the same change of the mutable features for every
 * patient, and a fixed arm. The paper's LLM raised DietScore by about 0.8 and PhyActHours by about
 * 1.1 on average. The policy projects the result onto its feasible set when it breaks it.
 */
public final class GuidelineAdvisor implements Advisor {

  private final int arm;
  private final int[] features;
  private final double[] shifts;

  /** Adds {@code shifts[k]} to feature {@code features[k]} and recommends {@code arm}. */
  public GuidelineAdvisor(int arm, int[] features, double[] shifts) {
    if (arm < 0) {
      throw new IllegalArgumentException("arm must be >= 0, got " + arm);
    }
    if (features.length != shifts.length) {
      throw new IllegalArgumentException("one shift per feature: " + features.length + " features, "
          + shifts.length + " shifts");
    }
    this.arm = arm;
    this.features = features.clone();
    this.shifts = shifts.clone();
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
    armOut[0] = arm;
    return true;
  }

  @Override
  public String describe() {
    return "guideline(arm=" + arm + ", features=" + java.util.Arrays.toString(features) + ", shifts="
        + java.util.Arrays.toString(shifts) + ")";
  }
}
