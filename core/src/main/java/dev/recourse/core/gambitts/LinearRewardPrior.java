package dev.recourse.core.gambitts;

/**
 * Prior of the shared Bayesian linear reward model (spec §2): {@code β ~ N(m0, v²·B0⁻¹)} with
 * {@code B0 = diag(slopePrecision, …, slopePrecision, interceptPrecision)} and {@code m0 = (0, …, 0,
 * interceptMean)}, the intercept last. The repo's values are {@link #DEFAULT}: precision 1 on the
 * slopes, 0.01 on the intercept, intercept mean 77, {@code v² = 1} whatever the reward noise (parity);
 * pass the known noise variance as {@code v2} for the {@code v2: noise} option.
 *
 * @param interceptMean prior mean of the intercept (finite)
 * @param interceptPrecision prior precision of the intercept, relative to {@code v²} (finite, > 0)
 * @param slopePrecision prior precision of every other coefficient (finite, > 0)
 * @param v2 the scale {@code v²} of the posterior covariance {@code v²·B⁻¹} (finite, > 0)
 */
public record LinearRewardPrior(double interceptMean, double interceptPrecision, double slopePrecision, double v2) {

  /** The repo's prior: intercept mean 77, precisions 0.01 (intercept) and 1, {@code v² = 1}. */
  public static final LinearRewardPrior DEFAULT = new LinearRewardPrior(77.0, 0.01, 1.0, 1.0);

  public LinearRewardPrior {
    if (!Double.isFinite(interceptMean)) {
      throw new IllegalArgumentException("interceptMean must be finite, got " + interceptMean);
    }
    positive("interceptPrecision", interceptPrecision);
    positive("slopePrecision", slopePrecision);
    positive("v2", v2);
  }

  /** The default prior with another {@code v²}. */
  public LinearRewardPrior withV2(double newV2) {
    return new LinearRewardPrior(interceptMean, interceptPrecision, slopePrecision, newV2);
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
    }
  }
}
