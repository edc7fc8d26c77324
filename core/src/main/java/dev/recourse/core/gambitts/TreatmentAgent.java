package dev.recourse.core.gambitts;

/**
 * A GAMBITTS agent that learns from the treatment embedding {@code Z} (po-, fo-, ens-poGAMBITTS), with
 * the limit on {@code Z}'s entries, for a caller that checks an outcome before it commits to it
 * ({@link AgentChecks#treatment(String, double[], int, int, double)} with this limit refuses exactly
 * what the agent's update would).
 */
public interface TreatmentAgent {

  int treatmentDim();

  /**
   * The largest {@code |Z_i|} the agent accepts: {@link AgentChecks#TREATMENT_UNITS}{@code ·√scale}, its
   * prior's scale (see {@link AgentChecks}).
   */
  double treatmentLimit();
}
