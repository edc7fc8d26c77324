package dev.recourse.sim.metrics;

/**
 * Streaming mean and variance of a vector of quantities over replications (Welford 1962), one cell
 * per quantity, memory independent of the number of replications. A NaN entry means "no observation
 * in this replication" (an arm that was never played) and is skipped, so cells may have different
 * counts. Adding the same values in the same order gives the same bits: the runner adds replications
 * in index order. Not thread-safe.
 */
public final class RunningStats {

  private final long[] count;
  private final double[] mean;
  private final double[] m2;
  /** The last t quantile computed, for {@link #quantileCount} observations (cells mostly share n). */
  private long quantileCount = -1;
  private double quantile;

  public RunningStats(int size) {
    this.count = new long[size];
    this.mean = new double[size];
    this.m2 = new double[size];
  }

  public int size() {
    return mean.length;
  }

  /** Adds one replication's values (length {@link #size()}). */
  public void add(double[] values) {
    if (values.length != mean.length) {
      throw new IllegalArgumentException("expected " + mean.length + " values, got " + values.length);
    }
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (Double.isNaN(v)) {
        continue;
      }
      long n = ++count[i];
      double delta = v - mean[i];
      mean[i] += delta / n;
      m2[i] += delta * (v - mean[i]);
    }
  }

  public long count(int i) {
    return count[i];
  }

  /** Mean of cell i, NaN without observations. */
  public double mean(int i) {
    return count[i] == 0 ? Double.NaN : mean[i];
  }

  /** Sample variance (n − 1), NaN below two observations. */
  public double variance(int i) {
    return count[i] < 2 ? Double.NaN : m2[i] / (count[i] - 1);
  }

  /**
   * Half-width of the 95% confidence interval of the mean, {@code t_{0.975, n−1}·s/sqrt(n)} (Student t,
   * since studies often have 10 replications); NaN below two observations.
   */
  public double halfWidth95(int i) {
    long n = count[i];
    if (n < 2) {
      return Double.NaN;
    }
    if (n != quantileCount) {
      quantileCount = n;
      quantile = StudentT.quantile(0.975, n - 1);
    }
    return quantile * Math.sqrt(variance(i) / n);
  }
}
