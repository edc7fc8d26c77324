package dev.recourse.core.policy;

import java.util.Arrays;

/**
 * What a policy decided for one round, written into a caller-owned, reusable instance so that
 * {@link Policy#decide} allocates nothing: the arm, the context the policy recommends implementing
 * (the input context itself when the policy recommends no recourse), the policy's score for the pair,
 * the width of its confidence interval where it has one (else NaN), whether an advisor supplied the
 * pair, and how many solver iterations the decision took. When an advisor supplied the pair (LIBRA),
 * the score and width are those of the bandit's own pair, whose width sent the decision to the advisor:
 * the bandit has no score for the advisor's pair.
 */
public final class Decision {

  private final double[] context;
  /** Per-arm score and width, filled by {@link ServablePolicy#decide(double[], boolean[], Decision)}; null when not asked for. */
  private final double[] scores;
  private final double[] widths;
  private int arm = -1;
  private double score = Double.NaN;
  private double width = Double.NaN;
  private boolean advised;
  private int iterations;
  private boolean scoreWanted = true;

  public Decision(int dim) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    this.context = new double[dim];
    this.scores = null;
    this.widths = null;
  }

  /**
   * A decision that also receives every arm's score and confidence width (NaN for an arm not allowed
   * or without a width). Asking for them can cost a policy work its plain decide skips (GLRB then
   * solves every allowed arm instead of pruning); the chosen pair is the same.
   */
  public Decision(int dim, int numArms) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    this.context = new double[dim];
    this.scores = new double[numArms];
    this.widths = new double[numArms];
  }

  /**
   * Says that the caller reads the arm, the context, {@link #advised()} and {@link #iterations()}, not
   * {@link #score()} or {@link #width()}: a policy may then skip the work of those two and leave them NaN
   * (LinUCB decides most rounds of a learnt model without any quadratic form). The arm is the same.
   * Not for a decision that receives every arm's score. Returns this decision.
   */
  public Decision withoutScore() {
    if (scores != null) {
      throw new IllegalStateException("a decision that receives every arm's score cannot go without the chosen one's");
    }
    scoreWanted = false;
    return this;
  }

  /** Whether the caller reads {@link #score()} and {@link #width()} (true unless {@link #withoutScore()}). */
  public boolean scoreWanted() {
    return scoreWanted;
  }

  /** Every arm's score of the last decide, or null when this decision was built without them. */
  public double[] scores() {
    return scores;
  }

  /** Every arm's confidence width of the last decide, or null when this decision was built without them. */
  public double[] widths() {
    return widths;
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
