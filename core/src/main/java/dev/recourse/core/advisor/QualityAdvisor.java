package dev.recourse.core.advisor;

import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.OptimalRecourse;
import java.util.random.RandomGenerator;

/**
 * The q-quality advisor of the paper's §6 (spec libra.md §8): with probability q the optimal pair for
 * the true parameters, otherwise a uniformly random arm with a recourse drawn uniformly from the
 * feasible set. Reads the true θ, which only a simulator has. Allocates nothing.
 */
public final class QualityAdvisor implements SaveableAdvisor {

  private final double[] theta;
  private final int numArms;
  private final double q;
  private final FeasibleSet set;
  private final OptimalRecourse oracle;
  private final RandomGenerator rng;
  private final double[] delta;

  /**
   * @param theta   true parameters, arm a at {@code a·d} (not copied: the simulator owns them)
   * @param set     the feasible set (this advisor uses its own copy)
   * @param rng     this advisor's own stream
   */
  public QualityAdvisor(double[] theta, int numArms, FeasibleSet set, double q, RandomGenerator rng) {
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("q must be in [0, 1], got " + q);
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
    this.q = q;
    this.set = set.copy();
    this.oracle = new OptimalRecourse(this.set);
    this.rng = rng;
    this.delta = new double[set.mutableDim()];
  }

  @Override
  public boolean advise(double[] x, int[] arm, double[] context) {
    if (rng.nextDouble() < q) {
      arm[0] = oracle.solve(theta, numArms, x, context, null);
      return true;
    }
    set.prepare(x);
    arm[0] = rng.nextInt(numArms);
    set.ball().sampleUniform(rng, set.lowerDisplacement(), set.upperDisplacement(), delta);
    set.apply(x, delta, context);
    return true;
  }

  /** The generator, whose position is this advisor's only state; needs an {@code Lxm64x128}. */
  @Override
  public dev.recourse.core.rng.Lxm64x128 generator() {
    return dev.recourse.core.rng.Lxm64x128.saveable(rng, "the q-quality advisor");
  }

  /** Same θ and set, a copy of the generator. */
  @Override
  public SaveableAdvisor copy() {
    return new QualityAdvisor(theta, numArms, set, q, generator().copy());
  }

  @Override
  public String describe() {
    return "q-quality(q=" + q + ")";
  }
}
