package dev.recourse.core.recourse;

/**
 * The best pair with known parameters (spec libra.md §2, Lemma 1 / Corollary 1): per arm
 * {@code xᵀθ_a + max_Δ θ_{a,M}ᵀΔ}, maximised over arms (the link is increasing, so it does not change
 * the argmax). Simulators use it for regret and for oracle advisors. Owns scratch; one thread.
 */
public final class OptimalRecourse {

  private final FeasibleSet set;
  private final double[] thetaM;
  private final double[] delta;
  private final double[] bestDelta;

  public OptimalRecourse(FeasibleSet set) {
    this.set = set;
    this.thetaM = new double[set.mutableDim()];
    this.delta = new double[set.mutableDim()];
    this.bestDelta = new double[set.mutableDim()];
  }

  /**
   * Writes the optimal implemented context into {@code out} and returns the optimal arm. {@code theta}
   * holds arm {@code a}'s parameters at {@code a·d}. The optimal linear predictor is written to
   * {@code valueOut[0]} if {@code valueOut} is not null. Ties go to the lowest arm.
   */
  public int solve(double[] theta, int numArms, double[] x, double[] out, double[] valueOut) {
    int d = set.dim();
    set.prepare(x);
    int best = -1;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < numArms; a++) {
      double base = 0;
      for (int i = 0; i < d; i++) {
        base += theta[a * d + i] * x[i];
      }
      for (int k = 0; k < thetaM.length; k++) {
        thetaM[k] = theta[a * d + set.mutableIndex(k)];
      }
      double value = base + set.maximizeLinear(thetaM, delta);
      if (value > bestValue) {
        bestValue = value;
        best = a;
        System.arraycopy(delta, 0, bestDelta, 0, delta.length);
      }
    }
    set.apply(x, bestDelta, out);
    if (valueOut != null) {
      valueOut[0] = bestValue;
    }
    return best;
  }

  public FeasibleSet feasibleSet() {
    return set;
  }
}
