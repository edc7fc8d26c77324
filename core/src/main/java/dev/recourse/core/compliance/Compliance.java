package dev.recourse.core.compliance;

/**
 * How a patient realises a recommended context (paper §4, spec libra.md §6): exactly (full
 * compliance), with a random deviation, or with a deviation chosen against the learner. Used by
 * simulators; the learner only ever sees the realised context. Implementations allocate nothing.
 */
public interface Compliance {

  /**
   * Writes into {@code realised} the context the patient actually implements when {@code arm} is played
   * with recommended context {@code recommended}; {@code original} is the context before recourse.
   */
  void realise(double[] original, int arm, double[] recommended, double[] realised);

  /** One line for result headers. */
  String describe();

  /** Full compliance: the recommendation is implemented exactly. */
  Compliance FULL = new Compliance() {
    @Override
    public void realise(double[] original, int arm, double[] recommended, double[] realised) {
      System.arraycopy(recommended, 0, realised, 0, recommended.length);
    }

    @Override
    public String describe() {
      return "full";
    }
  };
}
