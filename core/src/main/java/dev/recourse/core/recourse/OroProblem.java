package dev.recourse.core.recourse;

import dev.recourse.core.simd.DoubleKernels;

/**
 * One arm's optimistic recourse problem (ORO-Arm, spec libra.md §4) for the context prepared in the
 * {@link FeasibleSet}: maximise over feasible Δ
 * <pre>  g(Δ) = x̃ᵀθ̂ + ρ‖x̃‖_{V⁻¹},   x̃ = (x_I, x_M + Δ).</pre>
 * With {@code A = V⁻¹} and {@code u = Ax} computed once in {@link #load} (O(d²)), everything after is
 * O(d_M²): {@code ‖x̃‖²_A = xᵀu + 2u_MᵀΔ + ΔᵀA_MMΔ} and {@code (Ax̃)_M = u_M + A_MMΔ}. When every
 * feature is mutable in index order, {@code A_MM} is {@code A} itself and is not copied.
 * Owns its workspace; one thread.
 */
public final class OroProblem {

  private final FeasibleSet set;
  private final DoubleKernels kernels;
  private final int dim;
  private final int dimM;
  private final boolean allMutable;

  private final double[] u;
  private final double[] uM;
  private final double[] thetaM;
  private final double[] aMMCopy;
  private final double[] z;
  private final double[] support;

  private double[] aMM;
  private int aMMOff;
  private double base;
  private double xAx;
  private double rho;
  /** The loaded arm's identity for per-arm caches (-1: not given), see {@link #load(double[], double[], int, double[], int, double, int, long)}. */
  private int arm = -1;
  private long stateVersion = -1;
  private double[] stateSource;

  public OroProblem(FeasibleSet set, DoubleKernels kernels) {
    this.set = set;
    this.kernels = kernels;
    this.dim = set.dim();
    this.dimM = set.mutableDim();
    boolean identity = dimM == dim;
    for (int k = 0; identity && k < dimM; k++) {
      identity = set.mutableIndex(k) == k;
    }
    this.allMutable = identity;
    this.u = new double[dim];
    this.uM = new double[dimM];
    this.thetaM = new double[dimM];
    this.aMMCopy = identity ? null : new double[dimM * dimM];
    this.z = new double[dimM];
    this.support = new double[dimM];
  }

  public FeasibleSet feasibleSet() {
    return set;
  }

  public DoubleKernels kernels() {
    return kernels;
  }

  public int mutableDim() {
    return dimM;
  }

  /**
   * Loads one arm: {@code theta[thetaOff..+d)} is θ̂, {@code vInv[vOff..+d²)} is {@code V⁻¹}, ρ the
   * radius. The context is the one last given to {@link FeasibleSet#prepare}, passed again as {@code x}.
   */
  public void load(double[] x, double[] theta, int thetaOff, double[] vInv, int vOff, double rho) {
    load(x, theta, thetaOff, vInv, vOff, rho, -1, -1);
  }

  /**
   * {@link #load(double[], double[], int, double[], int, double)} for arm {@code arm} of a model whose
   * state (θ̂, V⁻¹) for that arm is at version {@code stateVersion} ({@code ArmModel.stateVersion}).
   * Solvers with per-arm preparation that depends on the arm's state and ρ but not on the context
   * (the exact ℓ2 solver's eigen-decomposition) key their cache on (arm, version, V⁻¹ array, ρ) and
   * redo it only when one changes. {@code arm < 0} or {@code stateVersion < 0} means unknown: such
   * solvers then prepare on every solve.
   */
  public void load(double[] x, double[] theta, int thetaOff, double[] vInv, int vOff, double rho,
                   int arm, long stateVersion) {
    this.rho = rho;
    this.arm = stateVersion < 0 ? -1 : arm;
    this.stateVersion = stateVersion;
    this.stateSource = vInv;
    kernels.gemv(vInv, vOff, dim, dim, x, 0, u, 0);
    xAx = kernels.dot(x, 0, u, 0, dim);
    base = kernels.dot(theta, thetaOff, x, 0, dim);
    for (int k = 0; k < dimM; k++) {
      int m = set.mutableIndex(k);
      uM[k] = u[m];
      thetaM[k] = theta[thetaOff + m];
    }
    if (allMutable) {
      aMM = vInv;
      aMMOff = vOff;
    } else {
      for (int r = 0; r < dimM; r++) {
        int row = vOff + set.mutableIndex(r) * dim;
        for (int c = 0; c < dimM; c++) {
          aMMCopy[r * dimM + c] = vInv[row + set.mutableIndex(c)];
        }
      }
      aMM = aMMCopy;
      aMMOff = 0;
    }
  }

  public double rho() {
    return rho;
  }

  /** The loaded arm's index for per-arm caches, or -1 when the loader did not identify it. */
  public int arm() {
    return arm;
  }

  /** The loaded arm's state version ({@code ArmModel.stateVersion}), or -1 when unknown. */
  public long stateVersion() {
    return stateVersion;
  }

  /** The V⁻¹ array last loaded: with the arm and version, it tells one model's arm from another's. */
  Object stateSource() {
    return stateSource;
  }

  /**
   * Takes over another problem's loaded arm (same context, θ̂, V⁻¹, ρ) for this problem's feasible set,
   * which must have the same mutable features: O(d + d_M²), no product with V⁻¹.
   */
  public void copyLoadedFrom(OroProblem other) {
    if (other.dim != dim || other.dimM != dimM) {
      throw new IllegalArgumentException("problems differ in shape: d " + other.dim + " vs " + dim + ", d_M "
          + other.dimM + " vs " + dimM);
    }
    rho = other.rho;
    arm = other.arm;
    stateVersion = other.stateVersion;
    stateSource = other.stateSource;
    base = other.base;
    xAx = other.xAx;
    System.arraycopy(other.u, 0, u, 0, dim);
    System.arraycopy(other.uM, 0, uM, 0, dimM);
    System.arraycopy(other.thetaM, 0, thetaM, 0, dimM);
    if (allMutable) {
      aMM = other.aMM;
      aMMOff = other.aMMOff;
    } else {
      for (int r = 0; r < dimM; r++) {
        for (int c = 0; c < dimM; c++) {
          aMMCopy[r * dimM + c] = other.aMM(r, c);
        }
      }
      aMM = aMMCopy;
      aMMOff = 0;
    }
  }

  /** {@code θ̂ᵀx}: the linear predictor without recourse. */
  public double base() {
    return base;
  }

  /** {@code ‖x‖²_A} without recourse. */
  public double normSqAtZero() {
    return xAx;
  }

  /** θ̂ restricted to the mutable block (read only). */
  public double[] thetaHatM() {
    return thetaM;
  }

  /** {@code u_M = (V⁻¹x)_M} (read only). */
  public double[] uM() {
    return uM;
  }

  /** {@code (A_MM)_{ij}}. */
  public double aMM(int i, int j) {
    return aMM[aMMOff + i * dimM + j];
  }

  /** The {@code A_MM} block's array and offset (row-major d_M×d_M), for kernels. */
  public double[] aMMArray() {
    return aMM;
  }

  public int aMMOffset() {
    return aMMOff;
  }

  /** {@code out = A_MM·Δ}. */
  public void multiplyAMM(double[] delta, double[] out) {
    kernels.gemv(aMM, aMMOff, dimM, dimM, delta, 0, out, 0);
  }

  /**
   * {@code ‖x̃‖²_A = xᵀu + 2u_MᵀΔ + Δᵀ(A_MMΔ)} for displacement Δ, given {@code aDelta = A_MM·Δ};
   * clamped at 0 against round-off. Two kernel dots: no serial chain of d_M additions.
   */
  public double normSq(double[] delta, double[] aDelta) {
    double q = xAx + 2.0 * kernels.dot(uM, 0, delta, 0, dimM) + kernels.dot(aDelta, 0, delta, 0, dimM);
    return Math.max(0.0, q);
  }

  /**
   * The θ-step of Algorithms 2 and 4, on the mutable block: {@code θ_M = θ̂_M + ρ(Ax̃)_M/‖x̃‖_A} with
   * {@code (Ax̃)_M = u_M + A_MMΔ}. At {@code ‖x̃‖_A = 0} the norm has no gradient and any θ in the
   * ellipsoid is optimal: θ̂ is taken.
   */
  public void optimisticTheta(double[] delta, double[] aDelta, double[] thetaOut) {
    optimisticTheta(aDelta, normSq(delta, aDelta), thetaOut);
  }

  /** The θ-step when {@code q = ‖x̃‖²_A} is already known (the solver kept it from the objective). */
  public void optimisticTheta(double[] aDelta, double q, double[] thetaOut) {
    double scale = q > 0 ? rho / Math.sqrt(q) : 0.0;
    for (int k = 0; k < dimM; k++) {
      thetaOut[k] = thetaM[k] + scale * (uM[k] + aDelta[k]);
    }
  }

  /** {@code g(Δ)}, given {@code aDelta = A_MM·Δ}. */
  public double objective(double[] delta, double[] aDelta) {
    return objectiveAt(delta, normSq(delta, aDelta));
  }

  /** {@code g(Δ)} when {@code q = ‖x̃‖²_A} is already known. */
  public double objectiveAt(double[] delta, double q) {
    return base + kernels.dot(thetaM, 0, delta, 0, dimM) + rho * Math.sqrt(q);
  }

  /** {@code g(Δ)} from scratch (one O(d_M²) product). */
  public double objective(double[] delta) {
    multiplyAMM(delta, z);
    return objective(delta, z);
  }

  /**
   * An upper bound on the loaded problem's global maximum, given {@code lambdaMax ≥ λ_max(V⁻¹)}:
   * <pre>  g(Δ) ≤ θ̂ᵀx + max_Δ θ̂_MᵀΔ + ρ·sqrt(xᵀu + 2R‖u_M‖₂ + R²·lambdaMax),</pre>
   * with R the set's bound on {@code ‖Δ‖₂} (Cauchy–Schwarz on {@code 2u_MᵀΔ}, and
   * {@code ΔᵀA_MMΔ ≤ λ_max(A)‖Δ‖²} by interlacing). The first maximum is taken over the ball without
   * the bounds (its closed form, O(d_M) except Mahalanobis' O(d_M²)), which contains the feasible set. Inflated by a relative 1e-9 so that round-off in a solver's value
   * cannot cross it. {@code +∞} if {@code lambdaMax} is.
   */
  public double upperBound(double lambdaMax) {
    if (!(lambdaMax < Double.POSITIVE_INFINITY)) {
      return Double.POSITIVE_INFINITY;
    }
    // The ball's closed form without the bounds: an upper bound for the bounded set too, and exact,
    // where the bounded step may be iterative (Mahalanobis) and stop short of the maximum.
    double h = set.ball().maximizeLinear(thetaM, null, null, support);
    double r = set.ball().maxEuclideanNorm();
    double uNorm = Math.sqrt(kernels.dot(uM, 0, uM, 0, dimM));
    double q = Math.max(0.0, xAx) + 2.0 * r * uNorm + r * r * Math.max(0.0, lambdaMax);
    double width = rho * Math.sqrt(q);
    return base + h + width + 1e-9 * (Math.abs(base) + Math.abs(h) + width) + Double.MIN_NORMAL;
  }

  /** {@code g(0)}: the value of recommending no change. */
  public double objectiveAtZero() {
    return base + rho * Math.sqrt(Math.max(0.0, xAx));
  }
}
