package dev.recourse.core.policy;

import java.util.Arrays;

/**
 * What the world answered to one decision, written by the caller into a reusable instance and passed
 * to {@link Policy#update}, so that learning allocates nothing: the arm played, the context the patient
 * realised (the implemented recourse, or what non-compliance made of it), the reward, and, where the
 * bandit family has them, the treatment embedding {@code Z} observed after acting (GAMBITTS: the
 * generated text's embedding) and the id of the decision this outcome answers (delayed feedback).
 *
 * <p>The context and treatment buffers are owned by this record: fill {@link #context()} and
 * {@link #treatment()} in place, then call {@link #set}. A policy reads the record during
 * {@code update} and keeps no reference to it.
 */
public final class Outcome {

  /** {@link #decisionId()} of an outcome that answers no recorded decision (logged data, simulation). */
  public static final long NO_DECISION = -1L;

  private final double[] context;
  private final double[] treatment;
  private int arm = -1;
  private double reward = Double.NaN;
  private boolean treatmentObserved;
  private long decisionId = NO_DECISION;

  /** An outcome without a treatment embedding (the recourse family). */
  public Outcome(int dim) {
    this(dim, 0);
  }

  /** An outcome for context dimension {@code dim} and treatment-embedding dimension {@code treatmentDim}. */
  public Outcome(int dim, int treatmentDim) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    if (treatmentDim < 0) {
      throw new IllegalArgumentException("treatmentDim must be >= 0, got " + treatmentDim);
    }
    this.context = new double[dim];
    this.treatment = new double[treatmentDim];
  }

  /** Records arm and reward for the context already written into {@link #context()}; no treatment, no id. */
  public Outcome set(int arm, double reward) {
    this.arm = arm;
    this.reward = reward;
    this.treatmentObserved = false;
    this.decisionId = NO_DECISION;
    return this;
  }

  /** Marks {@link #treatment()} as filled with this round's observed embedding {@code Z}. */
  public Outcome withTreatment() {
    if (treatment.length == 0) {
      throw new IllegalStateException("this outcome was built without a treatment embedding (treatmentDim = 0)");
    }
    this.treatmentObserved = true;
    return this;
  }

  /** Records the id of the decision this outcome answers. */
  public Outcome withDecisionId(long id) {
    this.decisionId = id;
    return this;
  }

  public int arm() {
    return arm;
  }

  public double reward() {
    return reward;
  }

  /** The realised context (length {@code dim}); owned by this record, overwritten by the next round. */
  public double[] context() {
    return context;
  }

  /** The observed treatment embedding {@code Z} (length {@code treatmentDim}); valid when {@link #hasTreatment()}. */
  public double[] treatment() {
    return treatment;
  }

  public boolean hasTreatment() {
    return treatmentObserved;
  }

  public long decisionId() {
    return decisionId;
  }

  public int dim() {
    return context.length;
  }

  public int treatmentDim() {
    return treatment.length;
  }

  @Override
  public String toString() {
    return "Outcome{arm=" + arm + ", reward=" + reward + ", context=" + Arrays.toString(context)
        + (treatmentObserved ? ", treatment=" + Arrays.toString(treatment) : "")
        + (decisionId != NO_DECISION ? ", decisionId=" + decisionId : "") + '}';
  }
}
