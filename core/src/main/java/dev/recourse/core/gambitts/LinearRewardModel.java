package dev.recourse.core.gambitts;

import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.random.RandomGenerator;

/**
 * The shared Bayesian linear reward model of fo- and poGAMBITTS (spec §2).
 *
 * <p>Features {@code φ(z, x, a) = [z (d_z) ; ψ(x) ; e_a (K−1, only with hedging) ; 1]}, of length
 * {@code p}: the embedding, the configured context covariates ({@link ContextCells}), optional prompt
 * dummies (prompt 0 is the reference level, prompt {@code a ≥ 1} sets slot {@code a−1}) and the
 * intercept. Model {@code Y = φᵀβ + noise}, prior {@code β ~ N(m0, v²·B0⁻¹)} ({@link LinearRewardPrior}).
 *
 * <p>State: the precision {@code B = B0 + Σ φφᵀ}, {@code b = B0·m0 + Σ y·φ} (the proper conjugate start;
 * the repo starts {@code b} at 0 and so drops the prior mean after the first update, spec §2 "choice"),
 * and the lower Cholesky factor {@code L} of {@code B} with its reciprocal diagonal, kept by an O(p²)
 * rank-one update per observation instead of refactoring. A draw is
 * {@code β̃ = L⁻ᵀ(L⁻¹b + v·ξ)}, {@code ξ ~ N(0, I)}: its mean is {@code (L·Lᵀ)⁻¹b = B⁻¹b = m} and its
 * covariance {@code v²·(L·Lᵀ)⁻¹ = v²·B⁻¹}, so the posterior mean and the noise share one pair of
 * triangular solves (O(p²), multiplications by the cached reciprocals, no division).
 *
 * <p>Nothing allocates after construction. Not thread-safe.
 */
public final class LinearRewardModel {

  private final int treatmentDim;
  private final ContextCells cells;
  private final int numArms;
  private final boolean hedging;
  private final LinearRewardPrior prior;
  private final int featureDim;
  private final int covOff;
  private final int hedgeOff;
  private final int interceptIndex;
  private final double v;

  private final double[] precision;
  private final double[] factor;
  private final double[] invDiag;
  private final double[] b;
  private final double[] beta;
  private final double[] phi;
  private final double[] work;
  private long count;

  /**
   * @param treatmentDim {@code d_z ≥ 1}
   * @param cells the context columns whose covariates enter ψ(x)
   * @param numArms {@code K ≥ 1} (only used by the hedging dummies)
   * @param hedging whether φ carries the {@code K−1} prompt dummies
   */
  public LinearRewardModel(int treatmentDim, ContextCells cells, int numArms, boolean hedging,
                           LinearRewardPrior prior) {
    if (treatmentDim < 1) {
      throw new IllegalArgumentException("treatmentDim must be >= 1, got " + treatmentDim);
    }
    if (cells == null) {
      throw new IllegalArgumentException("cells must be non-null");
    }
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    if (prior == null) {
      throw new IllegalArgumentException("prior must be non-null");
    }
    this.treatmentDim = treatmentDim;
    this.cells = cells;
    this.numArms = numArms;
    this.hedging = hedging;
    this.prior = prior;
    this.covOff = treatmentDim;
    this.hedgeOff = covOff + cells.covariateDim();
    this.interceptIndex = hedgeOff + (hedging ? numArms - 1 : 0);
    this.featureDim = interceptIndex + 1;
    if ((long) featureDim * featureDim > 1 << 26) {
      throw new IllegalArgumentException("feature dimension too large: " + featureDim);
    }
    this.v = Math.sqrt(prior.v2());
    int p = featureDim;
    precision = new double[p * p];
    factor = new double[p * p];
    invDiag = new double[p];
    b = new double[p];
    beta = new double[p];
    phi = new double[p];
    work = new double[p];
    reset();
  }

  /** Back to the prior. */
  public void reset() {
    int p = featureDim;
    java.util.Arrays.fill(precision, 0.0);
    java.util.Arrays.fill(factor, 0.0);
    java.util.Arrays.fill(b, 0.0);
    java.util.Arrays.fill(beta, 0.0);
    for (int i = 0; i < p; i++) {
      double prec = i == interceptIndex ? prior.interceptPrecision() : prior.slopePrecision();
      precision[i * p + i] = prec;
      factor[i * p + i] = Math.sqrt(prec);
      invDiag[i] = 1.0 / factor[i * p + i];
    }
    // b0 = B0·m0 (B0 diagonal, m0 zero but for the intercept), so m = B⁻¹b = m0 before any data.
    b[interceptIndex] = prior.interceptPrecision() * prior.interceptMean();
    beta[interceptIndex] = prior.interceptMean();
    count = 0;
  }

  public int featureDim() {
    return featureDim;
  }

  public int treatmentDim() {
    return treatmentDim;
  }

  public boolean hedging() {
    return hedging;
  }

  public LinearRewardPrior prior() {
    return prior;
  }

  /** Observations learnt so far. */
  public long count() {
    return count;
  }

  /**
   * Writes {@code φ(z, x, a)} into {@code out[0..p)}: {@code z = z[zOff..zOff+d_z)}, {@code x} a context
   * already checked by {@link ContextCells#check}.
   */
  public void features(double[] z, int zOff, double[] x, int arm, double[] out) {
    System.arraycopy(z, zOff, out, 0, treatmentDim);
    cells.writeCovariates(x, out, covOff);
    if (hedging) {
      for (int i = hedgeOff; i < interceptIndex; i++) {
        out[i] = 0.0;
      }
      if (arm > 0) {
        out[hedgeOff + arm - 1] = 1.0;
      }
    }
    out[interceptIndex] = 1.0;
  }

  /**
   * Learns {@code (z, x, a, y)} (spec §2, with the observed {@code Z}): {@code B += φφᵀ},
   * {@code b += y·φ}, {@code L} rank-one updated. O(p²).
   * Arguments are assumed checked by the calling agent.
   */
  public void update(double[] z, int zOff, double[] x, int arm, double y) {
    int p = featureDim;
    // φ goes straight into the rank-one update's vector (which the update overwrites).
    double[] f = work;
    features(z, zOff, x, arm, f);
    // B's lower triangle only: the upper one is its mirror, written where B is read (mirrorPrecision).
    for (int i = 0; i < p; i++) {
      double fi = f[i];
      b[i] += y * fi;
      int row = i * p;
      for (int j = 0; j <= i; j++) {
        precision[row + j] += fi * f[j];
      }
    }
    rankOneUpdate(f);
    count++;
  }

  /**
   * {@code L ← chol(L·Lᵀ + x·xᵀ)} in place, destroying {@code x}, and the reciprocal diagonal with it: the
   * arithmetic of {@link CholeskyOps#rankOneUpdate} operation for operation (so the same bits), but
   * {@code 1/l_kk} is the cached {@link #invDiag} (which holds exactly {@code 1.0/l_kk}) and the new
   * {@code 1/r} is computed beside {@code l_kk/r} instead of in a second pass over the diagonal: one
   * division fewer per row and no second pass.
   */
  private void rankOneUpdate(double[] x) {
    int p = featureDim;
    double[] l = factor;
    double[] inv = invDiag;
    for (int k = 0; k < p; k++) {
      int kk = k * p + k;
      double lkk = l[kk];
      double xk = x[k];
      double r = Math.sqrt(lkk * lkk + xk * xk);
      double invL = inv[k];
      double c = r * invL;
      double s = xk * invL;
      l[kk] = r;
      double invC = lkk / r;
      inv[k] = 1.0 / r;
      for (int i = k + 1; i < p; i++) {
        int ik = i * p + k;
        double lik = (l[ik] + s * x[i]) * invC;
        l[ik] = lik;
        x[i] = c * x[i] - s * lik;
      }
    }
  }

  /** Draws {@code β̃ ~ N(m, v²·B⁻¹)} (once per decision, spec §2) into the buffer read by the scores. */
  public void drawBeta(RandomGenerator rng) {
    int p = featureDim;
    double[] l = factor;
    double[] inv = invDiag;
    double[] u = beta;
    double s = v;
    // w = L⁻¹b (forward substitution) and u = w + v·ξ in the same pass (ξ drawn in index order) …
    double[] w = work;
    for (int i = 0; i < p; i++) {
      int row = i * p;
      double acc = b[i];
      for (int k = 0; k < i; k++) {
        acc -= l[row + k] * w[k];
      }
      double wi = acc * inv[i];
      w[i] = wi;
      u[i] = wi + s * rng.nextGaussian();
    }
    // … then β̃ = L⁻ᵀu (back substitution).
    for (int i = p - 1; i >= 0; i--) {
      double acc = u[i];
      for (int k = i + 1; k < p; k++) {
        acc -= l[k * p + i] * u[k];
      }
      u[i] = acc * inv[i];
    }
  }

  /**
   * The part of {@code φ(z, x, a)ᵀβ̃} that is the same for every prompt: {@code β̃_ψ·ψ(x) + β̃_1}, from the
   * last {@link #drawBeta} and a checked context.
   */
  public double contextScore(double[] x) {
    double s = beta[interceptIndex];
    int nCov = hedgeOff - covOff;
    if (nCov > 0) {
      cells.writeCovariates(x, phi, covOff);
      for (int i = covOff; i < hedgeOff; i++) {
        s += beta[i] * phi[i];
      }
    }
    return s;
  }

  /** The prompt-dependent part {@code β̃_z·z + β̃_{e_a}} (hedging dummy, if any) of the score. */
  public double promptScore(double[] z, int zOff, int arm) {
    double s = 0.0;
    for (int i = 0; i < treatmentDim; i++) {
      s += beta[i] * z[zOff + i];
    }
    if (hedging && arm > 0) {
      s += beta[hedgeOff + arm - 1];
    }
    return s;
  }

  /** The embedding part of β̃ ({@code β̃[0..d_z)}); read-only view of the last draw, for the agents. */
  double[] sampledBeta() {
    return beta;
  }

  /** Copies the last β̃ into {@code out[0..p)}. */
  public void copySampledBeta(double[] out) {
    System.arraycopy(beta, 0, out, 0, featureDim);
  }

  /** Writes the posterior mean {@code m = B⁻¹b} into {@code out[0..p)} (two triangular solves; not the hot path). */
  public void copyPosteriorMean(double[] out) {
    System.arraycopy(b, 0, out, 0, featureDim);
    CholeskyOps.solve(factor, 0, featureDim, out, 0);
  }

  /** Copies the precision {@code B} (full {@code p×p}, row-major) into {@code out}. */
  public void copyPrecision(double[] out) {
    mirrorPrecision();
    System.arraycopy(precision, 0, out, 0, featureDim * featureDim);
  }

  /**
   * Writes {@code B}'s upper triangle from its lower one: {@link #update} adds {@code φ_i·φ_j} to the lower
   * triangle only, and {@code φ_i·φ_j = φ_j·φ_i} exactly, so the mirror is the full sum bit for bit.
   */
  private void mirrorPrecision() {
    int p = featureDim;
    for (int i = 0; i < p; i++) {
      for (int j = i + 1; j < p; j++) {
        precision[i * p + j] = precision[j * p + i];
      }
    }
  }

  /** Copies {@code b} into {@code out[0..p)}. */
  public void copyB(double[] out) {
    System.arraycopy(b, 0, out, 0, featureDim);
  }

  /** Copies the lower Cholesky factor of {@code B} into {@code out}. */
  public void copyFactor(double[] out) {
    System.arraycopy(factor, 0, out, 0, featureDim * featureDim);
  }

  /**
   * Writes the learnt state: the feature dimension (shape), the count, {@code B}, its factor {@code L} and
   * {@code b}. The factor is saved rather than refactorised so a restored model draws bit for bit alike.
   */
  public void exportState(StateSink sink) {
    int p = featureDim;
    sink.putLong(p);
    sink.putLong(count);
    mirrorPrecision();
    sink.putDoubles(precision, 0, p * p);
    sink.putDoubles(factor, 0, p * p);
    sink.putDoubles(b, 0, p);
  }

  /** Reads back what {@link #exportState} wrote into a model of the same shape (import into a fresh one). */
  public void importState(StateSource source) {
    int p = featureDim;
    source.expect("reward model feature dimension", p);
    long n = source.getLong();
    if (n < 0) {
      throw new IllegalArgumentException("state reward model count must be >= 0, got " + n);
    }
    source.getDoubles(precision, 0, p * p);
    source.getDoubles(factor, 0, p * p);
    source.getDoubles(b, 0, p);
    for (int i = 0; i < p; i++) {
      invDiag[i] = 1.0 / factor[i * p + i];
    }
    count = n;
  }

  public String describe() {
    return "linear(p=" + featureDim + ", hedging=" + hedging + ", m0_intercept=" + prior.interceptMean()
        + ", b0_intercept=" + prior.interceptPrecision() + ", b0_slope=" + prior.slopePrecision()
        + ", v2=" + prior.v2() + ")";
  }
}
