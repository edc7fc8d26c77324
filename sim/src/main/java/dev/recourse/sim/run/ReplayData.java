package dev.recourse.sim.run;

import java.util.Objects;

/**
 * The inputs of an offline replay, already validated, in primitive arrays.
 *
 * <p>Warm-up: {@code warmupArms.length} observations, observation {@code i} being arm
 * {@code warmupArms[i]} with reward {@code warmupRewards[i]} at the context
 * {@code warmupContexts[i·d..(i+1)·d)}. Stream: {@code rounds} rows of width {@code d + K} in
 * {@code stream}, row {@code t} holding the context {@code x} then the reward of every arm
 * {@code r_0..r_{K-1}}.
 */
public record ReplayData(int dim, int numArms, int[] warmupArms, double[] warmupRewards,
                         double[] warmupContexts, int rounds, double[] stream) {

  public ReplayData {
    Objects.requireNonNull(warmupArms, "warmupArms");
    Objects.requireNonNull(warmupRewards, "warmupRewards");
    Objects.requireNonNull(warmupContexts, "warmupContexts");
    Objects.requireNonNull(stream, "stream");
    if (dim < 1 || numArms < 1) {
      throw new IllegalArgumentException("dim and numArms must be >= 1, got " + dim + ", " + numArms);
    }
    int warmupRows = warmupArms.length;
    if (warmupRewards.length != warmupRows || (long) warmupRows * dim != warmupContexts.length) {
      throw new IllegalArgumentException("warm-up arrays disagree: " + warmupRows + " arms, "
          + warmupRewards.length + " rewards, " + warmupContexts.length + " context values for dim " + dim);
    }
    for (int i = 0; i < warmupRows; i++) {
      if (warmupArms[i] < 0 || warmupArms[i] >= numArms) {
        throw new IllegalArgumentException("warm-up observation " + i + ": arm must be in [0, " + numArms
            + "), got " + warmupArms[i]);
      }
    }
    if (rounds < 0 || (long) rounds * (dim + numArms) != stream.length) {
      throw new IllegalArgumentException("stream length " + stream.length + " != rounds " + rounds
          + " × (dim + numArms) " + (dim + numArms));
    }
  }

  public int warmupRows() {
    return warmupArms.length;
  }

  /** Width of a stream row: {@code d + K}. */
  public int streamWidth() {
    return dim + numArms;
  }
}
