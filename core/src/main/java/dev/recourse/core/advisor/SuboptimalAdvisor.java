package dev.recourse.core.advisor;

import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.OptimalRecourse;
import java.util.random.RandomGenerator;

/**
 * An η-suboptimal advisor (Theorems 3 and 5; spec §8): returns a pair whose linear predictor is within
 * η of the optimum. It keeps the optimal arm and scales the optimal displacement by a random
 * {@code f ∈ [1 − η/gain, 1]}, so the loss {@code (1 − f)·gain} is at most η; the scaled point stays
 * feasible because the set is convex and contains "no change". With η = 0 it is the oracle.
 * Allocates nothing.
 */
public final class SuboptimalAdvisor implements SaveableAdvisor {

  private final double[] theta;
  private final int numArms;
  private final double eta;
  private final FeasibleSet set;
  private final OptimalRecourse oracle;
  private final RandomGenerator rng;
  private final double[] value = new double[1];

  public SuboptimalAdvisor(double[] theta, int numArms, FeasibleSet set, double eta, RandomGenerator rng) {
    if (!(eta >= 0) || !Double.isFinite(eta)) {
      throw new IllegalArgumentException("eta must be finite and >= 0, got " + eta);
    }
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    if (theta == null || theta.length != numArms * set.dim()) {
      throw new IllegalArgumentException("theta must hold numArms·d = " + numArms * set.dim() + " values, got "
          + (theta == null ? "null" : String.valueOf(theta.length)));
    }
    this.theta = theta;
    this.numArms = numArms;
    this.eta = eta;
    this.set = set.copy();
    this.oracle = new OptimalRecourse(this.set);
    this.rng = rng;
  }

  @Override
  public boolean advise(double[] x, int[] arm, double[] context) {
    int a = oracle.solve(theta, numArms, x, context, value);
    arm[0] = a;
    int d = set.dim();
    // Gain of the optimal displacement over no change, along the chosen arm.
    double gain = 0;
    for (int k = 0; k < set.mutableDim(); k++) {
      int m = set.mutableIndex(k);
      gain += theta[a * d + m] * (context[m] - x[m]);
    }
    if (gain <= eta) { // no change at all is already η-optimal: the worst allowed answer
      System.arraycopy(x, 0, context, 0, d);
      return true;
    }
    // Keep a fraction f of the displacement with (1 − f)·gain ≤ η, f drawn in [1 − η/gain, 1].
    double f = 1.0 - rng.nextDouble() * (eta / gain);
    for (int k = 0; k < set.mutableDim(); k++) {
      int m = set.mutableIndex(k);
      context[m] = x[m] + f * (context[m] - x[m]);
    }
    return true;
  }

  /** The generator, whose position is this advisor's only state; needs an {@code Lxm64x128}. */
  @Override
  public dev.recourse.core.rng.Lxm64x128 generator() {
    return dev.recourse.core.rng.Lxm64x128.saveable(rng, "the eta-suboptimal advisor");
  }

  /** Same θ and set, a copy of the generator. */
  @Override
  public SaveableAdvisor copy() {
    return new SuboptimalAdvisor(theta, numArms, set, eta, generator().copy());
  }

  @Override
  public String describe() {
    return "eta-suboptimal(eta=" + eta + ")";
  }
}
