package dev.recourse.core.gambitts;

/**
 * The offline treatment samples of po- and ens-poGAMBITTS (spec §4, §5): for every slot
 * {@code s = cell·K + prompt} ({@link ContextCells} for the cell), {@code counts[s] ≥ 1} embeddings of
 * dimension {@code d_z} generated offline ("simulation access"), and their mean {@code ẑ_s}, which
 * poGAMBITTS treats as the known treatment mean.
 *
 * <p>How to pass them: one flat {@code double[] samples}, the slots' samples back to back in slot
 * order (slot 0's {@code counts[0]} embeddings, then slot 1's, …), each embedding {@code d_z}
 * consecutive values; and {@code int[] counts} of length {@code numCells·K}. The constructor copies
 * both, so the instance is immutable and may be shared read-only by any number of agents and threads.
 */
public final class OfflineTreatments {

  private final int numCells;
  private final int numArms;
  private final int dim;
  private final double[] samples;
  private final int[] counts;
  /** Index (in embeddings, not doubles) of each slot's first sample. */
  private final int[] starts;
  private final double[] means;

  /**
   * @param numCells number of context cells ({@link ContextCells#numCells()})
   * @param numArms {@code K}
   * @param dim {@code d_z}
   * @param samples all embeddings, slot by slot (see the class comment); finite
   * @param counts samples per slot, each ≥ 1 (an empty (cell, prompt) is an error)
   */
  public OfflineTreatments(int numCells, int numArms, int dim, double[] samples, int[] counts) {
    AgentChecks.positive("numCells", numCells);
    AgentChecks.positive("numArms", numArms);
    AgentChecks.positive("treatmentDim", dim);
    AgentChecks.nonNull("samples", samples);
    AgentChecks.nonNull("counts", counts);
    long slots = (long) numCells * numArms;
    if (counts.length != slots) {
      throw new IllegalArgumentException("counts length must be numCells·numArms = " + slots + ", got "
          + counts.length);
    }
    long total = 0;
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] < 1) {
        throw new IllegalArgumentException("counts[" + s + "] (cell " + s / numArms + ", prompt " + s % numArms
            + ") must be >= 1, got " + counts[s]);
      }
      total += counts[s];
    }
    if (total * dim != samples.length) {
      throw new IllegalArgumentException("samples length must be Σcounts·d_z = " + total * dim + ", got "
          + samples.length);
    }
    for (int i = 0; i < samples.length; i++) {
      if (!Double.isFinite(samples[i])) {
        throw new IllegalArgumentException("samples[" + i + "] must be finite, got " + samples[i]);
      }
    }
    this.numCells = numCells;
    this.numArms = numArms;
    this.dim = dim;
    this.samples = samples.clone();
    this.counts = counts.clone();
    this.starts = new int[counts.length];
    this.means = new double[counts.length * dim];
    int start = 0;
    for (int s = 0; s < counts.length; s++) {
      starts[s] = start;
      int n = counts[s];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < dim; j++) {
          means[s * dim + j] += this.samples[(start + i) * dim + j];
        }
      }
      for (int j = 0; j < dim; j++) {
        means[s * dim + j] /= n;
      }
      start += n;
    }
  }

  public int numCells() {
    return numCells;
  }

  public int numArms() {
    return numArms;
  }

  public int dim() {
    return dim;
  }

  public int numSlots() {
    return counts.length;
  }

  /** Samples of {@code slot}. */
  public int count(int slot) {
    return counts[slot];
  }

  /** Offset in {@link #samples()} of {@code slot}'s {@code i}-th embedding. */
  public int sampleOffset(int slot, int i) {
    return (starts[slot] + i) * dim;
  }

  /** All samples (read-only: do not modify). */
  double[] samples() {
    return samples;
  }

  /** The cell means, {@code ẑ_s} at {@code s·d_z} (read-only: do not modify). */
  double[] means() {
    return means;
  }

  /** Copies {@code ẑ} of {@code slot} into {@code out[0..d_z)}. */
  public void copyMean(int slot, double[] out) {
    System.arraycopy(means, slot * dim, out, 0, dim);
  }

  /** Copies {@code slot}'s {@code i}-th embedding into {@code out[0..d_z)}. */
  public void copySample(int slot, int i, double[] out) {
    System.arraycopy(samples, sampleOffset(slot, i), out, 0, dim);
  }

  /** Total number of embeddings. */
  public int totalCount() {
    return samples.length / dim;
  }

  /** Minimum samples over slots. */
  public int minCount() {
    int m = Integer.MAX_VALUE;
    for (int c : counts) {
      m = Math.min(m, c);
    }
    return m;
  }
}
