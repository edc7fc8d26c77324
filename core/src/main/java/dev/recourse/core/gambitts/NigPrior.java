package dev.recourse.core.gambitts;

/**
 * Normal–Inverse-Gamma prior of the StdTS baselines (spec §6): {@code σ² ~ InvGamma(α, β)},
 * {@code μ | σ² ~ N(m, σ²/ν)}. The repo's values are {@link #DEFAULT}: m = 77, ν = 5, α = 1, β = 10.
 *
 * @param mean prior mean {@code m} (finite)
 * @param count prior pseudo-count {@code ν} (finite, > 0)
 * @param shape {@code α} (finite, > 0)
 * @param scale {@code β} (finite, > 0)
 */
public record NigPrior(double mean, double count, double shape, double scale) {

  public static final NigPrior DEFAULT = new NigPrior(77.0, 5.0, 1.0, 10.0);

  public NigPrior {
    if (!Double.isFinite(mean)) {
      throw new IllegalArgumentException("mean must be finite, got " + mean);
    }
    positive("count", count);
    positive("shape", shape);
    positive("scale", scale);
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
    }
  }
}
