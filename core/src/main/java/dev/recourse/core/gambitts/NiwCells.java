package dev.recourse.core.gambitts;

import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.rng.Samplers;
import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Normal–Inverse-Wishart treatment models, one per slot (foGAMBITTS: slot = cell·K + prompt, spec §3):
 * {@code Z ~ N(μ, Σ)}, {@code Σ ~ IW(Ψ0, ν0)}, {@code μ | Σ ~ N(μ0, Σ/κ0)} with {@code μ0 = 0} and
 * {@code Ψ0 = ψ0·I}.
 *
 * <p>Per slot the sufficient statistics are kept online, numerically stable (Welford): the count
 * {@code n}, the running mean {@code z̄} and the scatter {@code S = Σ(z−z̄)(z−z̄)ᵀ}, updated by
 * {@code δ = z − z̄_old}, {@code z̄ += δ/n}, {@code S += δ·(z − z̄_new)ᵀ}. After each observation the
 * posterior {@code κn = κ0+n}, {@code νn = ν0+n}, {@code μn = (κ0μ0 + n·z̄)/κn},
 * {@code Ψn = Ψ0 + S + (κ0·n/κn)(z̄−μ0)(z̄−μ0)ᵀ} is recomputed for that slot and {@code Ψn} factorised
 * (O(d³) once per update, d = d_z is small), so a decision only draws.
 *
 * <p>Layout: slot {@code s}'s vectors at {@code s·d}, its {@code d×d} blocks at {@code s·d·d}. Nothing
 * allocates after construction. Not thread-safe.
 */
public final class NiwCells {

  private final int numSlots;
  private final int dim;
  private final double kappa0;
  private final double nu0;
  private final double psi0;

  private final long[] counts;
  private final double[] sampleMean;
  private final double[] scatter;
  private final double[] postMean;
  /** Lower Cholesky factor C of Ψn per slot. */
  private final double[] psiFactor;
  private final double[] delta;
  /**
   * An observation's new mean, scatter and factor of Ψn, computed by {@link #prepare} before anything is
   * committed: a Ψn that does not factorise must leave the slot as it was.
   */
  private final double[] nextMean;
  private final double[] nextScatter;
  private final double[] nextFactor;
  private int preparedSlot = -1;
  /** Bartlett factor A and the normal vector of a draw. */
  private final double[] bartlett;
  private final double[] xi;

  /**
   * @param numSlots number of (cell, prompt) models
   * @param dim {@code d_z ≥ 1}
   * @param kappa0 prior pseudo-count of the mean (finite, > 0; spec default 1)
   * @param nu0 prior degrees of freedom (finite, > d − 1 so that the IW prior is proper; spec default d_z)
   * @param psi0 diagonal of the prior scale {@code Ψ0 = ψ0·I} (finite, > 0; spec default 1)
   */
  public NiwCells(int numSlots, int dim, double kappa0, double nu0, double psi0) {
    if (numSlots < 1) {
      throw new IllegalArgumentException("numSlots must be >= 1, got " + numSlots);
    }
    if (dim < 1) {
      throw new IllegalArgumentException("treatmentDim must be >= 1, got " + dim);
    }
    if ((long) numSlots * dim * dim > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("numSlots·d² too large: " + numSlots + "·" + dim + "²");
    }
    if (!(kappa0 > 0) || !Double.isFinite(kappa0)) {
      throw new IllegalArgumentException("kappa0 must be finite and > 0, got " + kappa0);
    }
    if (!(nu0 > dim - 1) || !Double.isFinite(nu0)) {
      throw new IllegalArgumentException("nu0 must be finite and > d_z − 1 = " + (dim - 1) + ", got " + nu0);
    }
    if (!(psi0 > 0) || !Double.isFinite(psi0)) {
      throw new IllegalArgumentException("psi0 must be finite and > 0, got " + psi0);
    }
    this.numSlots = numSlots;
    this.dim = dim;
    this.kappa0 = kappa0;
    this.nu0 = nu0;
    this.psi0 = psi0;
    counts = new long[numSlots];
    sampleMean = new double[numSlots * dim];
    scatter = new double[numSlots * dim * dim];
    postMean = new double[numSlots * dim];
    psiFactor = new double[numSlots * dim * dim];
    delta = new double[dim];
    nextMean = new double[dim];
    nextScatter = new double[dim * dim];
    nextFactor = new double[dim * dim];
    bartlett = new double[dim * dim];
    xi = new double[dim];
    double c = Math.sqrt(psi0);
    for (int s = 0; s < numSlots; s++) {
      for (int i = 0; i < dim; i++) {
        psiFactor[s * dim * dim + i * dim + i] = c;
      }
    }
  }

  public int numSlots() {
    return numSlots;
  }

  public int dim() {
    return dim;
  }

  public double kappa0() {
    return kappa0;
  }

  public double nu0() {
    return nu0;
  }

  public double psi0() {
    return psi0;
  }

  public long count(int slot) {
    return counts[slot];
  }

  /**
   * Adds observation {@code z[zOff..zOff+d)} to {@code slot} and refreshes that slot's posterior, or
   * throws {@link IllegalArgumentException} and changes nothing when {@code Ψn} would not factorise.
   */
  public void add(int slot, double[] z, int zOff) {
    if (!prepare(slot, z, zOff)) {
      throw singular(slot, z, zOff);
    }
    commit();
  }

  /**
   * Computes what {@link #add} would make of {@code slot} without changing it; returns whether the new
   * {@code Ψn} factorises. {@link #commit} then applies it (an agent that updates another model in between
   * commits last, so that nothing changes unless everything can).
   */
  boolean prepare(int slot, double[] z, int zOff) {
    int d = dim;
    int vOff = slot * d;
    int mOff = slot * d * d;
    preparedSlot = -1;
    long n = counts[slot] + 1;
    double invN = 1.0 / n;
    for (int i = 0; i < d; i++) {
      double di = z[zOff + i] - sampleMean[vOff + i];
      delta[i] = di;
      nextMean[i] = sampleMean[vOff + i] + di * invN;
    }
    for (int i = 0; i < d; i++) {
      double di = delta[i];
      int row = i * d;
      for (int j = 0; j < d; j++) {
        nextScatter[row + j] = scatter[mOff + row + j] + di * (z[zOff + j] - nextMean[j]);
      }
    }
    // Symmetrise: δ(z−z̄_new)ᵀ = (n−1)/n·δδᵀ is symmetric in exact arithmetic only.
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < i; j++) {
        double avg = 0.5 * (nextScatter[i * d + j] + nextScatter[j * d + i]);
        nextScatter[i * d + j] = avg;
        nextScatter[j * d + i] = avg;
      }
    }
    double kn = kappa0 + n;
    double shrink = kappa0 * n / kn;
    for (int i = 0; i < d; i++) {
      double mi = nextMean[i];
      for (int j = 0; j <= i; j++) {
        double v = nextScatter[i * d + j] + shrink * mi * nextMean[j];
        if (i == j) {
          v += psi0;
        }
        nextFactor[i * d + j] = v;
      }
    }
    // Ψn ⪰ ψ0·I is positive definite in exact arithmetic, but ψ0 is lost to round-off beside a huge
    // z̄z̄ᵀ or S; a non-finite entry shows as a failed pivot or an infinite diagonal.
    if (!CholeskyOps.factor(nextFactor, 0, d)) {
      return false;
    }
    for (int i = 0; i < d; i++) {
      if (nextFactor[i * d + i] == Double.POSITIVE_INFINITY) {
        return false;
      }
    }
    preparedSlot = slot;
    return true;
  }

  /** Applies the observation of the last successful {@link #prepare}. */
  void commit() {
    int slot = preparedSlot;
    if (slot < 0) {
      throw new IllegalStateException("nothing prepared");
    }
    preparedSlot = -1;
    int d = dim;
    int vOff = slot * d;
    int mOff = slot * d * d;
    long n = ++counts[slot];
    double kn = kappa0 + n;
    System.arraycopy(nextMean, 0, sampleMean, vOff, d);
    System.arraycopy(nextScatter, 0, scatter, mOff, d * d);
    System.arraycopy(nextFactor, 0, psiFactor, mOff, d * d);
    for (int i = 0; i < d; i++) {
      postMean[vOff + i] = n * sampleMean[vOff + i] / kn;
    }
  }

  /** The exception for an observation whose {@code Ψn} does not factorise (allocates; the error path). */
  IllegalArgumentException singular(int slot, double[] z, int zOff) {
    double[] zs = java.util.Arrays.copyOfRange(z, zOff, zOff + dim);
    return new IllegalArgumentException("treatment Z = " + java.util.Arrays.toString(zs) + " makes the NIW scale "
        + "matrix Ψn of slot " + slot + " numerically singular (its magnitude swamps psi0 = " + psi0
        + " in round-off); rescale the embedding. Nothing was learnt");
  }

  /**
   * Draws {@code μ̃ ~ N(μn, Σ̃/κn)} with {@code Σ̃ ~ IW(Ψn, νn)} for {@code slot} into
   * {@code out[outOff..outOff+d)} (spec §3). With {@code Ψn = C·Cᵀ} and Bartlett factor {@code A},
   * {@code T = C·A⁻ᵀ} is a square root of {@code Σ̃} ({@link Samplers#inverseWishartFactor}), so
   * {@code μ̃ = μn + C·(A⁻ᵀξ)/√κn}: one back substitution and one triangular product, Σ̃ never formed.
   */
  public void drawMean(int slot, RandomGenerator rng, double[] out, int outOff) {
    int d = dim;
    int vOff = slot * d;
    int mOff = slot * d * d;
    long n = counts[slot];
    double[] a = bartlett;
    double[] u = xi;
    Samplers.bartlett(rng, nu0 + n, d, a, 0);
    for (int i = 0; i < d; i++) {
      u[i] = rng.nextGaussian();
    }
    CholeskyOps.solveLowerTransposed(a, 0, d, u, 0);
    double scale = 1.0 / Math.sqrt(kappa0 + n);
    double[] c = psiFactor;
    for (int i = d - 1; i >= 0; i--) {
      int row = mOff + i * d;
      double s = 0.0;
      for (int k = 0; k <= i; k++) {
        s += c[row + k] * u[k];
      }
      out[outOff + i] = postMean[vOff + i] + scale * s;
    }
  }

  /** Copies {@code μn} of {@code slot} into {@code out[0..d)}. */
  public void copyPosteriorMean(int slot, double[] out) {
    System.arraycopy(postMean, slot * dim, out, 0, dim);
  }

  /** Writes {@code Ψn} of {@code slot} (full {@code d×d}) into {@code out}, from its factor. */
  public void copyPosteriorScale(int slot, double[] out) {
    int d = dim;
    int mOff = slot * d * d;
    Arrays.fill(out, 0, d * d, 0.0);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0.0;
        for (int k = 0; k <= Math.min(i, j); k++) {
          s += psiFactor[mOff + i * d + k] * psiFactor[mOff + j * d + k];
        }
        out[i * d + j] = s;
      }
    }
  }

  /** Writes the learnt state: shape, then per slot count, sample mean, scatter, posterior mean and factor. */
  public void exportState(StateSink sink) {
    int d = dim;
    sink.putLong(numSlots);
    sink.putLong(d);
    sink.putLongs(counts);
    sink.putDoubles(sampleMean, 0, numSlots * d);
    sink.putDoubles(scatter, 0, numSlots * d * d);
    sink.putDoubles(postMean, 0, numSlots * d);
    sink.putDoubles(psiFactor, 0, numSlots * d * d);
  }

  /** Reads back what {@link #exportState} wrote into cells of the same shape (import into fresh ones). */
  public void importState(StateSource source) {
    int d = dim;
    source.expect("treatment model slots", numSlots);
    source.expect("treatment model d_z", d);
    source.getLongs(counts);
    for (int s = 0; s < numSlots; s++) {
      if (counts[s] < 0) {
        throw new IllegalArgumentException("state treatment model count of slot " + s + " must be >= 0, got "
            + counts[s]);
      }
    }
    source.getDoubles(sampleMean, 0, numSlots * d);
    source.getDoubles(scatter, 0, numSlots * d * d);
    source.getDoubles(postMean, 0, numSlots * d);
    source.getDoubles(psiFactor, 0, numSlots * d * d);
  }

  /** {@code κn} of {@code slot}. */
  public double posteriorKappa(int slot) {
    return kappa0 + counts[slot];
  }

  /** {@code νn} of {@code slot}. */
  public double posteriorNu(int slot) {
    return nu0 + counts[slot];
  }
}
