package dev.recourse.api;

import java.util.Arrays;

/**
 * One decision of a {@link PolicyService}: its id (quote it with the outcome), the model version it
 * read, the arm, the recommended context (the input itself when the policy recommends no recourse),
 * the chosen pair's score and confidence width, every arm's score and width (NaN for arms not allowed,
 * retired or not yet added), and for LIBRA whether the advisor was asked and whether its pair was
 * played. Reusable: {@link PolicyService#decide(double[], int[], ServiceDecision)} overwrites it.
 */
public final class ServiceDecision {

  long id = -1;
  long version;
  int arm = -1;
  double score;
  double width;
  boolean advisorQueried;
  boolean advised;
  final double[] recourse;
  final int slots;
  final double[] scores;
  final double[] widths;

  /** A buffer for a service of context dimension {@code dim} and {@code maxArms} arm slots, with every arm's scores. */
  public ServiceDecision(int dim, int maxArms) {
    this(dim, maxArms, true);
  }

  /**
   * A buffer that receives every arm's score and width only when {@code withScores}. They cost GLRB and
   * LIBRA their pruning (every allowed arm's ORO is solved, about 3× the decide at d = 20, K = 10 once
   * the model has learnt); without them {@link #scores()} and {@link #widths()} are null and the
   * decision is the same.
   */
  public ServiceDecision(int dim, int maxArms, boolean withScores) {
    if (dim < 1 || maxArms < 1) {
      throw new IllegalArgumentException("dim and maxArms must be >= 1, got " + dim + ", " + maxArms);
    }
    this.recourse = new double[dim];
    this.slots = maxArms;
    this.scores = withScores ? new double[maxArms] : null;
    this.widths = withScores ? new double[maxArms] : null;
  }

  public long id() {
    return id;
  }

  /** The model version this decision read ({@link PolicyService#version()} at the time). */
  public long version() {
    return version;
  }

  public int arm() {
    return arm;
  }

  /** The recommended context x̃ (owned by this object). */
  public double[] recourse() {
    return recourse;
  }

  public double score() {
    return score;
  }

  public double width() {
    return width;
  }

  /** Every arm slot's score (owned by this object), or null for a decision built without scores. */
  public double[] scores() {
    return scores;
  }

  /** Every arm slot's confidence width (owned by this object), or null without scores. */
  public double[] widths() {
    return widths;
  }

  /** LIBRA: whether the width exceeded Δ and the advisor was asked. */
  public boolean advisorQueried() {
    return advisorQueried;
  }

  /** LIBRA: whether the advisor answered usably and its pair is {@link #arm()}/{@link #recourse()}. */
  public boolean advised() {
    return advised;
  }

  @Override
  public String toString() {
    return "ServiceDecision{id=" + id + ", version=" + version + ", arm=" + arm + ", score=" + score
        + ", width=" + width + (advisorQueried ? ", advisorQueried, advised=" + advised : "")
        + ", recourse=" + Arrays.toString(recourse) + (scores != null ? ", scores=" + Arrays.toString(scores) : "") + '}';
  }
}
