package dev.recourse.core.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.linalg.CholeskyOps;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * Moment tests of {@link Samplers}. Each tolerance is 5 standard errors of the estimator, computed from
 * the distribution's own higher moments (not tuned to the seed): a correct sampler fails one with
 * probability below 10⁻⁶, while a wrong shape/scale convention (e.g. rate for scale, ν off by one in
 * the Bartlett diagonal) moves a mean by far more than that.
 */
class SamplerMomentsTest {

  private static final double Z = 5.0;

  private static double[] meanVar(double[] xs) {
    double m = 0;
    for (double x : xs) {
      m += x;
    }
    m /= xs.length;
    double v = 0;
    for (double x : xs) {
      v += (x - m) * (x - m);
    }
    return new double[] {m, v / (xs.length - 1)};
  }

  private static void checkMoments(String what, double[] xs, double mean, double var, double excessKurtosis) {
    int n = xs.length;
    double[] mv = meanVar(xs);
    double seMean = Math.sqrt(var / n);
    // Var of the sample variance ≈ (μ4 − σ⁴)/n = σ⁴(2 + excess kurtosis)/n.
    double seVar = var * Math.sqrt((2.0 + excessKurtosis) / n);
    assertEquals(mean, mv[0], Z * seMean, what + " mean");
    assertEquals(var, mv[1], Z * seVar, what + " variance");
  }

  @Test
  void gammaMatchesMeanAndVarianceAcrossShapes() {
    RandomGenerator rng = RandomStreams.stream(11, 1);
    double[] shapes = {0.3, 0.8, 1.0, 2.5, 30.0};
    double scale = 1.7;
    int n = 400_000;
    double[] xs = new double[n];
    for (double k : shapes) {
      for (int i = 0; i < n; i++) {
        xs[i] = Samplers.gamma(rng, k, scale);
        assertTrue(xs[i] > 0, "gamma draw must be positive");
      }
      checkMoments("Gamma(" + k + ")", xs, k * scale, k * scale * scale, 6.0 / k);
    }
  }

  @Test
  void chiSquareHasMeanKAndVariance2K() {
    RandomGenerator rng = RandomStreams.stream(11, 2);
    int n = 200_000;
    double[] xs = new double[n];
    for (double k : new double[] {1.0, 3.0, 7.5}) {
      for (int i = 0; i < n; i++) {
        xs[i] = Samplers.chiSquare(rng, k);
      }
      checkMoments("chi2(" + k + ")", xs, k, 2 * k, 12.0 / k);
    }
  }

  @Test
  void inverseGammaMatchesMeanAndVariance() {
    RandomGenerator rng = RandomStreams.stream(11, 3);
    double alpha = 10.0;
    double beta = 3.0;
    int n = 400_000;
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = Samplers.inverseGamma(rng, alpha, beta);
    }
    double mean = beta / (alpha - 1);
    double var = beta * beta / ((alpha - 1) * (alpha - 1) * (alpha - 2));
    double exKurt = 6.0 * (5 * alpha - 11) / ((alpha - 3) * (alpha - 4));
    checkMoments("InvGamma(10, 3)", xs, mean, var, exKurt);
    // Shape < 1 (no finite InvGamma mean): its reciprocal is Gamma(α, scale 1/β), whose moments are checked.
    double a2 = 0.6;
    for (int i = 0; i < n; i++) {
      xs[i] = 1.0 / Samplers.inverseGamma(rng, a2, beta);
    }
    checkMoments("1/InvGamma(0.6, 3)", xs, a2 / beta, a2 / (beta * beta), 6.0 / a2);
  }

  /** A fixed SPD 3×3 scale. */
  private static final double[] PSI = {
      2.0, 0.6, -0.3,
      0.6, 1.5, 0.4,
      -0.3, 0.4, 1.0};

  @Test
  void inverseWishartMeanIsPsiOverNuMinusDMinus1() {
    int d = 3;
    double nu = 10.0;
    double[] c = PSI.clone();
    assertTrue(CholeskyOps.factor(c, 0, d));
    RandomGenerator rng = RandomStreams.stream(11, 4);
    int n = 200_000;
    double[] sum = new double[d * d];
    double[] draw = new double[d * d];
    double[] work = new double[3 * d * d];
    for (int t = 0; t < n; t++) {
      Samplers.inverseWishart(rng, c, 0, d, nu, draw, 0, work, 0);
      for (int i = 0; i < d * d; i++) {
        sum[i] += draw[i];
      }
    }
    double denom = nu - d - 1;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double expected = PSI[i * d + j] / denom;
        // Var(Σ_ij) of IW(Ψ, ν) (Press 1982): [(ν−d+1)ψij² + (ν−d−1)ψii·ψjj] / [(ν−d)(ν−d−1)²(ν−d−3)].
        double var = ((nu - d + 1) * PSI[i * d + j] * PSI[i * d + j]
            + (nu - d - 1) * PSI[i * d + i] * PSI[j * d + j])
            / ((nu - d) * denom * denom * (nu - d - 3));
        assertEquals(expected, sum[i * d + j] / n, Z * Math.sqrt(var / n), "E[IW][" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void inverseWishartFactorSquaresToTheSameDraw() {
    int d = 3;
    double[] c = PSI.clone();
    CholeskyOps.factor(c, 0, d);
    double[] t = new double[d * d];
    double[] work = new double[3 * d * d];
    double[] full = new double[d * d];
    Samplers.inverseWishartFactor(RandomStreams.stream(5, 5), c, 0, d, 4.5, t, 0, work, 0);
    Samplers.inverseWishart(RandomStreams.stream(5, 5), c, 0, d, 4.5, full, 0, work, 0);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += t[i * d + k] * t[j * d + k];
        }
        assertEquals(full[i * d + j], s, 1e-12 * (1 + Math.abs(s)));
      }
    }
  }

  @Test
  void multivariateNormalHasMeanAndCovariance() {
    int d = 3;
    double[] l = PSI.clone();
    CholeskyOps.factor(l, 0, d);
    double[] mean = {1.0, -2.0, 0.5};
    RandomGenerator rng = RandomStreams.stream(11, 6);
    int n = 200_000;
    double[] x = new double[d];
    double[] work = new double[d];
    double[] s1 = new double[d];
    double[] s2 = new double[d * d];
    for (int t = 0; t < n; t++) {
      Samplers.multivariateNormal(rng, mean, 0, l, 0, d, x, 0, work, 0);
      for (int i = 0; i < d; i++) {
        s1[i] += x[i];
        for (int j = 0; j < d; j++) {
          s2[i * d + j] += (x[i] - mean[i]) * (x[j] - mean[j]);
        }
      }
    }
    for (int i = 0; i < d; i++) {
      assertEquals(mean[i], s1[i] / n, Z * Math.sqrt(PSI[i * d + i] / n), "mean " + i);
      for (int j = 0; j < d; j++) {
        // Var(x_i x_j) of a centred Gaussian = Σii·Σjj + Σij².
        double se = Math.sqrt((PSI[i * d + i] * PSI[j * d + j] + PSI[i * d + j] * PSI[i * d + j]) / n);
        assertEquals(PSI[i * d + j], s2[i * d + j] / n, Z * se, "cov " + i + "," + j);
      }
    }
  }

  /** Bad parameters throw, naming them (they used to return NaN, or write NaN into A, without -ea). */
  @Test
  void badParametersAreRejected() {
    RandomGenerator rng = RandomStreams.stream(11, 9);
    Object[][] cases = {
        {(Runnable) () -> Samplers.gamma(rng, -1), "shape must be finite and > 0, got -1.0"},
        {(Runnable) () -> Samplers.gamma(rng, Double.NaN), "shape must be finite and > 0, got NaN"},
        {(Runnable) () -> Samplers.gamma(rng, Double.POSITIVE_INFINITY), "got Infinity"},
        {(Runnable) () -> Samplers.gamma(rng, 2, -1), "scale must be > 0, got -1.0"},
        {(Runnable) () -> Samplers.inverseGamma(rng, 0, 1), "shape must be finite and > 0, got 0.0"},
        {(Runnable) () -> Samplers.inverseGamma(rng, 2, Double.NaN), "scale must be > 0, got NaN"},
        {(Runnable) () -> Samplers.chiSquare(rng, 0), "degrees of freedom k must be finite and > 0, got 0.0"},
        {(Runnable) () -> Samplers.bartlett(rng, 0.5, 3, new double[9], 0), "nu must be finite and > d - 1 = 2, got 0.5"},
        {(Runnable) () -> Samplers.bartlett(rng, 2.0, 3, new double[9], 0), "got 2.0"},
        {(Runnable) () -> Samplers.bartlett(rng, 3.0, 0, new double[9], 0), "d must be >= 1, got 0"},
    };
    for (Object[] c : cases) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          ((Runnable) c[0])::run);
      assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
    }
    double[] a = new double[9];
    Samplers.bartlett(rng, 2.0001, 3, a, 0);
    for (double v : a) {
      assertTrue(Double.isFinite(v));
    }
  }
}
