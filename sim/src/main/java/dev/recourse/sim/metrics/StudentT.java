package dev.recourse.sim.metrics;

/**
 * Quantiles of Student's t distribution, for confidence intervals over a handful of replications
 * (the paper averages 10 runs, where the normal quantile 1.96 would understate the interval: t₉ gives
 * 2.262). The CDF is {@code 1 − I_{ν/(ν+t²)}(ν/2, 1/2)/2} for t ≥ 0, with the regularised incomplete
 * beta function evaluated by its continued fraction (modified Lentz); the quantile is found by
 * bisection, which is plenty for a few calls per output file.
 */
public final class StudentT {

  private static final double EPS = 1e-15;
  private static final int MAX_TERMS = 500;

  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
      9.9843695780195716e-6, 1.5056327351493116e-7};

  private StudentT() {}

  /** The p-quantile of t with {@code df} degrees of freedom, {@code 0.5 <= p < 1}. */
  public static double quantile(double p, double df) {
    if (!(p >= 0.5 && p < 1)) {
      throw new IllegalArgumentException("p must be in [0.5, 1), got " + p);
    }
    if (!(df > 0)) {
      throw new IllegalArgumentException("df must be > 0, got " + df);
    }
    if (p == 0.5) {
      return 0.0;
    }
    double lo = 0;
    double hi = 1;
    while (cdf(hi, df) < p) {
      hi *= 2;
    }
    for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
      double mid = 0.5 * (lo + hi);
      if (cdf(mid, df) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return 0.5 * (lo + hi);
  }

  /** {@code P(T <= t)} for t with {@code df} degrees of freedom. */
  public static double cdf(double t, double df) {
    double x = df / (df + t * t);
    double tail = 0.5 * regularizedBeta(x, 0.5 * df, 0.5);
    return t >= 0 ? 1 - tail : tail;
  }

  /** {@code I_x(a, b)}, the regularised incomplete beta function. */
  static double regularizedBeta(double x, double a, double b) {
    if (x <= 0) {
      return 0;
    }
    if (x >= 1) {
      return 1;
    }
    double front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
    // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
    if (x < (a + 1) / (a + b + 2)) {
      return front * continuedFraction(x, a, b) / a;
    }
    return 1 - front * continuedFraction(1 - x, b, a) / b;
  }

  private static double continuedFraction(double x, double a, double b) {
    double tiny = 1e-300;
    double c = 1;
    double d = 1 - (a + b) * x / (a + 1);
    d = Math.abs(d) < tiny ? tiny : d;
    d = 1 / d;
    double h = d;
    for (int m = 1; m <= MAX_TERMS; m++) {
      int m2 = 2 * m;
      double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
      d = 1 + num * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + num / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      h *= d * c;
      num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
      d = 1 + num * d;
      d = Math.abs(d) < tiny ? tiny : d;
      c = 1 + num / c;
      c = Math.abs(c) < tiny ? tiny : c;
      d = 1 / d;
      double step = d * c;
      h *= step;
      if (Math.abs(step - 1) < EPS) {
        break;
      }
    }
    return h;
  }

  private static double logBeta(double a, double b) {
    return logGamma(a) + logGamma(b) - logGamma(a + b);
  }

  /** Lanczos approximation (g = 7, n = 9), relative error below 1e-14 for x > 0. */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    double[] c = LANCZOS;
    double z = x - 1;
    double sum = c[0];
    for (int i = 1; i < c.length; i++) {
      sum += c[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
