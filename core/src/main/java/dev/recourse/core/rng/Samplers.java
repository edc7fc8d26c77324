package dev.recourse.core.rng;

import java.util.random.RandomGenerator;

/**
 * Draws from the distributions the Thompson samplers need (GAMBITTS spec §3, §6), on a caller-given
 * {@link RandomGenerator} (one of {@link RandomStreams}' seeded streams), so that a draw depends only on
 * that stream. Matrices are flat row-major {@code d×d} blocks at an offset; outputs and workspaces are
 * passed in by the caller; nothing allocates.
 *
 * <p>Parameterisations: {@code Gamma(shape k, scale θ)} has mean {@code kθ}; {@code InvGamma(α, β)} is
 * the law of {@code 1/G} with {@code G ~ Gamma(α, scale 1/β)}, mean {@code β/(α−1)};
 * {@code IW(Ψ, ν)} is the law of {@code W⁻¹} with {@code W ~ Wishart(Ψ⁻¹, ν)}, mean {@code Ψ/(ν−d−1)}.
 */
public final class Samplers {

  private Samplers() {}

  /** A standard normal draw (the generator's ziggurat {@code nextGaussian}). */
  public static double normal(RandomGenerator rng) {
    return rng.nextGaussian();
  }

  /**
   * A {@code Gamma(shape, 1)} draw by Marsaglia and Tsang (2000), "A simple method for generating gamma
   * variables": squeeze-accepted cube of a normal, about 1.03 normals per draw for shape ≥ 1. For
   * {@code shape < 1} it uses the boost {@code Gamma(k) = Gamma(k+1)·U^{1/k}} from the same paper.
   */
  public static double gamma(RandomGenerator rng, double shape) {
    checkShape("shape", shape);
    return gammaChecked(rng, shape);
  }

  /**
   * Parameters are checked once per public call, O(1), outside the draw's rejection loop; a bad one
   * used to give NaN (an assertion only under -ea).
   */
  private static void checkShape(String name, double shape) {
    if (!(shape > 0) || shape == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + shape);
    }
  }

  /** A scale may be +∞ (the draw is then +∞, the limit), not NaN, zero or negative. */
  private static void checkScale(double scale) {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("scale must be > 0, got " + scale);
    }
  }

  /** {@link #gamma(RandomGenerator, double)} for a shape already checked. */
  private static double gammaChecked(RandomGenerator rng, double shape) {
    if (shape < 1.0) {
      double g = gammaAtLeastOne(rng, shape + 1.0);
      // U in (0, 1]: a zero would give a zero Gamma draw, which the inverse-gamma cannot invert.
      double u = 1.0 - rng.nextDouble();
      return g * Math.pow(u, 1.0 / shape);
    }
    return gammaAtLeastOne(rng, shape);
  }

  private static double gammaAtLeastOne(RandomGenerator rng, double shape) {
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x;
      double v;
      do {
        x = rng.nextGaussian();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      double u = rng.nextDouble();
      double x2 = x * x;
      // Squeeze first: accepts ~98% without a logarithm.
      if (u < 1.0 - 0.0331 * x2 * x2) {
        return d * v;
      }
      if (u > 0.0 && Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  /** A {@code Gamma(shape, scale)} draw (mean {@code shape·scale}). */
  public static double gamma(RandomGenerator rng, double shape, double scale) {
    checkShape("shape", shape);
    checkScale(scale);
    return scale * gammaChecked(rng, shape);
  }

  /** A chi-square draw with {@code k > 0} degrees of freedom, {@code 2·Gamma(k/2)}. */
  public static double chiSquare(RandomGenerator rng, double k) {
    checkShape("degrees of freedom k", k);
    return 2.0 * gammaChecked(rng, 0.5 * k);
  }

  /**
   * An {@code InvGamma(shape α, scale β)} draw, {@code β / Gamma(α, 1)}: mean {@code β/(α−1)} for
   * {@code α > 1}, variance {@code β²/((α−1)²(α−2))} for {@code α > 2}.
   */
  public static double inverseGamma(RandomGenerator rng, double shape, double scale) {
    checkShape("shape", shape);
    checkScale(scale);
    return scale / gammaChecked(rng, shape);
  }

  /**
   * Fills {@code out[outOff..outOff+d)} with a draw of {@code N(mean, L·Lᵀ)}: {@code mean + L·ξ},
   * {@code ξ} standard normal, {@code L} the lower-triangular {@code d×d} block at {@code lOff} (e.g.
   * {@link dev.recourse.core.linalg.CholeskyOps#factor}'s output). {@code work} needs {@code d} doubles
   * at {@code workOff}; {@code out} may be {@code mean} (same offset) but must not overlap {@code work}.
   */
  public static void multivariateNormal(RandomGenerator rng, double[] mean, int meanOff, double[] l, int lOff,
                                        int d, double[] out, int outOff, double[] work, int workOff) {
    for (int i = 0; i < d; i++) {
      work[workOff + i] = rng.nextGaussian();
    }
    for (int i = d - 1; i >= 0; i--) {
      // Row i of L·ξ reads ξ[0..i]; going downwards leaves ξ intact for the rows still to come.
      int row = lOff + i * d;
      double s = 0.0;
      for (int k = 0; k <= i; k++) {
        s += l[row + k] * work[workOff + k];
      }
      out[outOff + i] = mean[meanOff + i] + s;
    }
  }

  /**
   * The Bartlett factor of a Wishart draw: fills the lower-triangular {@code d×d} block {@code A} at
   * {@code aOff} with {@code A_ii = sqrt(χ²(ν − i))} (0-based {@code i}) and {@code A_ij ~ N(0,1)} for
   * {@code i > j}, zero above; then {@code A·Aᵀ ~ Wishart(I, ν)} (Bartlett 1933). Needs {@code ν > d − 1}.
   */
  public static void bartlett(RandomGenerator rng, double nu, int d, double[] a, int aOff) {
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, got " + d);
    }
    // Once per factor: then every χ²(ν − i), i < d, has ν − i > 0.
    if (!(0.5 * (nu - (d - 1)) > 0) || nu == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("nu must be finite and > d - 1 = " + (d - 1) + ", got " + nu);
    }
    for (int i = 0; i < d; i++) {
      int row = aOff + i * d;
      for (int j = 0; j < i; j++) {
        a[row + j] = rng.nextGaussian();
      }
      a[row + i] = Math.sqrt(2.0 * gammaChecked(rng, 0.5 * (nu - i)));
      for (int j = i + 1; j < d; j++) {
        a[row + j] = 0.0;
      }
    }
  }

  /**
   * A square-root factor {@code T} of an inverse-Wishart draw {@code Σ = T·Tᵀ ~ IW(Ψ, ν)}, written into
   * the {@code d×d} block {@code t} at {@code tOff}, from the lower Cholesky factor {@code C} of
   * {@code Ψ = C·Cᵀ} at {@code cOff}. With {@code A} the Bartlett factor, {@code W = C⁻ᵀ·A·Aᵀ·C⁻¹} is
   * {@code Wishart(Ψ⁻¹, ν)} (any square root of the scale will do, as {@code Wishart(I, ν)} is invariant
   * under rotations), so {@code Σ = W⁻¹ = (C·A⁻ᵀ)(C·A⁻ᵀ)ᵀ} and {@code T = C·A⁻ᵀ}: no inverse of
   * {@code Ψ} and no factorisation of {@code Σ} is needed to draw {@code N(μ, Σ/κ)} next, since
   * {@code μ + T·ξ/√κ} is such a draw. {@code work} needs {@code 2·d·d} doubles at {@code workOff}.
   */
  public static void inverseWishartFactor(RandomGenerator rng, double[] c, int cOff, int d, double nu,
                                          double[] t, int tOff, double[] work, int workOff) {
    int aOff = workOff;
    int invOff = workOff + d * d;
    bartlett(rng, nu, d, work, aOff);
    // work[inv] = A⁻¹ (lower triangular), column by column by forward substitution.
    for (int i = 0; i < d; i++) {
      int aRow = aOff + i * d;
      double invDiag = 1.0 / work[aRow + i];
      for (int j = 0; j < i; j++) {
        double s = 0.0;
        for (int k = j; k < i; k++) {
          s -= work[aRow + k] * work[invOff + k * d + j];
        }
        work[invOff + i * d + j] = s * invDiag;
      }
      work[invOff + i * d + i] = invDiag;
      for (int j = i + 1; j < d; j++) {
        work[invOff + i * d + j] = 0.0;
      }
    }
    // T = C·A⁻ᵀ: T[i][j] = Σ_k C[i][k]·A⁻¹[j][k], k ≤ min(i, j) (both factors lower triangular).
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        int kMax = Math.min(i, j);
        double s = 0.0;
        for (int k = 0; k <= kMax; k++) {
          s += c[cOff + i * d + k] * work[invOff + j * d + k];
        }
        t[tOff + i * d + j] = s;
      }
    }
  }

  /**
   * An inverse-Wishart draw {@code Σ ~ IW(Ψ, ν)} written (full, symmetric) into the {@code d×d} block
   * {@code out} at {@code outOff}, from the lower Cholesky factor {@code C} of {@code Ψ} at {@code cOff}.
   * {@code work} needs {@code 3·d·d} doubles at {@code workOff}; no argument may overlap another.
   */
  public static void inverseWishart(RandomGenerator rng, double[] c, int cOff, int d, double nu,
                                    double[] out, int outOff, double[] work, int workOff) {
    int tOff = workOff + 2 * d * d;
    inverseWishartFactor(rng, c, cOff, d, nu, work, tOff, work, workOff);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j <= i; j++) {
        double s = 0.0;
        for (int k = 0; k < d; k++) {
          s += work[tOff + i * d + k] * work[tOff + j * d + k];
        }
        out[outOff + i * d + j] = s;
        out[outOff + j * d + i] = s;
      }
    }
  }
}
