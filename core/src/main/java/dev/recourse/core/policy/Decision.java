package dev.recourse.core.policy;

import java.util.Arrays;

/**
 * What a policy decided for one round, written into a caller-owned, reusable instance so that
 * {@link Policy#decide} allocates nothing: the arm, the context the policy recommends implementing
 * (the input context itself when the policy recommends no recourse), the policy's score for the pair,
 * the width of its confidence interval where it has one (else NaN), whether an advisor supplied the
 * pair, and how many solver iterations the decision took.
 */
public final class Decision {

  private final double[] context;
  private int arm = -1;
  private double score = Double.NaN;
  private double width = Double.NaN;
  private boolean advised;
  private int iterations;

  public Decision(int dim) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    this.context = new double[dim];
  }

  public int arm() {
    return arm;
  }

  /** The recommended (implemented) context {@code x̃}; owned by this decision, overwritten by the next. */
  public double[] context() {
    return context;
  }

  public double score() {
    return score;
  }

  public double width() {
    return width;
  }

  public boolean advised() {
    return advised;
  }

  public int iterations() {
    return iterations;
  }

  /** Records a decision; {@code context()} must have been filled by the caller. */
  public void set(int arm, double score, double width, boolean advised, int iterations) {
    this.arm = arm;
    this.score = score;
    this.width = width;
    this.advised = advised;
    this.iterations = iterations;
  }

  @Override
  public String toString() {
    return "Decision{arm=" + arm + ", score=" + score + ", width=" + width + ", advised=" + advised
        + ", iterations=" + iterations + ", context=" + Arrays.toString(context) + '}';
  }
}
