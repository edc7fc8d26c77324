package dev.recourse.core.policy;

import dev.recourse.core.advisor.Advisor;

/**
 * LIBRA (Algorithm 3): compute the GLRB pair; if its confidence width {@code CI = UCB − LCB} exceeds
 * the threshold Δ, consult the advisor and play its pair (projected onto the feasible set if needed),
 * otherwise play the bandit pair. On advisor failure the bandit pair is played. The played arm is
 * updated either way (by the caller, through {@link #update}). Counts queries, failures and projections;
 * {@link Decision#advised()} tells whether the round's pair came from the advisor.
 */
public final class Libra implements ServablePolicy {

  private final Glrb glrb;
  private final AdviceIntake advice;
  private final double threshold;
  /** The advisor, if it has state to save; else null. */
  private final dev.recourse.core.advisor.SaveableAdvisor saveableAdvisor;
  private boolean lastQueried;

  public Libra(Glrb glrb, Advisor advisor, double threshold) {
    if (!(threshold >= 0) || Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold (Delta) must be >= 0, got " + threshold);
    }
    this.glrb = java.util.Objects.requireNonNull(glrb, "glrb");
    this.advice = new AdviceIntake(advisor, glrb.feasibleSet(), glrb.numArms());
    this.threshold = threshold;
    this.saveableAdvisor = advisor instanceof dev.recourse.core.advisor.SaveableAdvisor a ? a : null;
  }

  @Override
  public int dim() {
    return glrb.dim();
  }

  @Override
  public int numArms() {
    return glrb.numArms();
  }

  @Override
  public void decide(double[] x, Decision out) {
    glrb.decide(x, out); // validates x and prepares the feasible set for it
    consultIfUnsure(x, null, out);
  }

  /**
   * Among the allowed arms: GLRB's pair among them, and advice naming an arm outside them counts as a
   * failed consultation (the bandit pair is played). The per-arm scores are GLRB's; so are the score
   * and width of an advised decision (those of GLRB's pair, whose width exceeded the threshold).
   */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    glrb.decide(x, allowed, out);
    consultIfUnsure(x, allowed, out);
  }

  private void consultIfUnsure(double[] x, boolean[] allowed, Decision out) {
    lastQueried = false;
    if (!(out.width() > threshold)) {
      return;
    }
    lastQueried = true;
    int arm = advice.consult(x, out.context(), allowed);
    if (arm < 0) {
      return; // advisor failed: the bandit pair stays
    }
    out.set(arm, out.score(), out.width(), true, out.iterations());
    glrb.recordPlayed(arm, out.context());
  }

  @Override
  public void update(Outcome outcome) {
    glrb.update(outcome);
  }

  /** Learns from arm {@code arm} played at realised context {@code x} with reward {@code reward}. */
  public void update(int arm, double[] x, double reward) {
    glrb.update(arm, x, reward);
  }

  /**
   * GLRB's shared state, the advice counters, then the advisor's state if it is a
   * {@link dev.recourse.core.advisor.SaveableAdvisor} (a simulated advisor's generator), so a restored
   * LIBRA hears the same advice; an advisor without state (a model endpoint) adds nothing.
   */
  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    glrb.exportShared(sink);
    advice.exportState(sink, saveableAdvisor);
  }

  @Override
  public void importShared(dev.recourse.core.state.StateSource source) {
    glrb.importShared(source);
    advice.importState(source, saveableAdvisor);
  }

  @Override
  public int stateArms() {
    return glrb.stateArms();
  }

  @Override
  public void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    glrb.exportArm(arm, sink);
  }

  @Override
  public void importArm(int arm, dev.recourse.core.state.StateSource source) {
    glrb.importArm(arm, source);
  }

  /** The bandit underneath (a service records the pair it played there before a delayed update). */
  public Glrb glrb() {
    return glrb;
  }

  /** Rounds in which the advisor was consulted (the "LLM effort"). */
  public long queries() {
    return advice.queries();
  }

  /** Consultations that failed (the bandit pair was played). */
  public long failures() {
    return advice.failures();
  }

  /** Advice that had to be projected onto the feasible set. */
  public long projections() {
    return advice.projections();
  }

  /** Whether the last {@link #decide} consulted the advisor (successfully or not). */
  public boolean lastQueried() {
    return lastQueried;
  }

  public double threshold() {
    return threshold;
  }

  @Override
  public String describe() {
    return "LIBRA(Delta=" + threshold + ", advisor=" + advice.describe() + ", " + glrb.describe() + ")";
  }
}
