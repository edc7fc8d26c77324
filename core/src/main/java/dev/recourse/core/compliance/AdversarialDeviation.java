package dev.recourse.core.compliance;

import dev.recourse.core.recourse.Ball;

/**
 * Adversarial non-compliance (paper §4.2): the patient moves the mutable block by at most ϵ (in the
 * recourse norm) in the direction that hurts the reward most for the played arm's true parameters:
 * {@code x̄_M = x̃_M − ϵ·v}, v the unit-norm Lemma-1 maximiser of {@code θ_{a,M}ᵀv}. Needs the true θ,
 * which only a simulator has.
 */
public final class AdversarialDeviation implements Compliance {

  private final double[] theta;
  private final int dim;
  private final int[] mutable;
  private final double epsilon;
  private final Ball unitBall;
  private final double[] thetaM;
  private final double[] direction;

  /**
   * @param theta    true parameters, arm a at {@code a·d} (not copied: the simulator owns them)
   * @param dim      context dimension d
   * @param mutable  mutable feature indices (copied)
   * @param norm     the recourse ball's norm (its radius is ignored)
   * @param epsilon  ϵ, the size of the deviation
   */
  public AdversarialDeviation(double[] theta, int dim, int[] mutable, Ball norm, double epsilon) {
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0, got " + epsilon);
    }
    if (theta.length % dim != 0) {
      throw new IllegalArgumentException("theta length " + theta.length + " is not a multiple of dim " + dim);
    }
    this.theta = theta;
    this.dim = dim;
    this.mutable = mutable.clone();
    this.epsilon = epsilon;
    this.unitBall = norm.withGamma(1.0);
    this.thetaM = new double[mutable.length];
    this.direction = new double[mutable.length];
  }

  @Override
  public void realise(double[] original, int arm, double[] recommended, double[] realised) {
    System.arraycopy(recommended, 0, realised, 0, recommended.length);
    for (int k = 0; k < mutable.length; k++) {
      thetaM[k] = theta[arm * dim + mutable[k]];
    }
    unitBall.maximizeLinear(thetaM, null, null, direction);
    for (int k = 0; k < mutable.length; k++) {
      realised[mutable[k]] -= epsilon * direction[k];
    }
  }

  @Override
  public String describe() {
    return "adversarial(epsilon=" + epsilon + ", norm=" + unitBall.name() + ")";
  }
}
