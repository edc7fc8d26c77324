package dev.recourse.sim.env;

/**
 * How a patient implements a recommended context (paper §4). Full compliance implements it exactly;
 * random and adversarial non-compliance (issue 5) will deviate from it here, drawing from the
 * replication's {@link ReplicationStreams.Purpose#COMPLIANCE} stream. Allocates nothing; one thread.
 */
public interface Compliance {

  /** Writes the realised context for {@code recommended} into {@code out} (distinct arrays). */
  void realise(double[] recommended, double[] out);

  /** One line for result headers. */
  String describe();

  /** The patient implements exactly what is recommended. */
  static Compliance full() {
    return FullCompliance.INSTANCE;
  }
}
