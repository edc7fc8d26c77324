package dev.recourse.core.model;

import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;

/**
 * Logistic-link arm model (spec libra.md §3): θ̂ approximates the regularised MLE
 * {@code argmin Σ ℓ(r, xᵀθ) + (λ/2)‖θ‖²}, and {@code V = λI + Σ x xᵀ} is the design matrix of the
 * confidence set, kept by a {@link RidgeArms} (Sherman–Morrison, periodic refresh).
 *
 * <p>Design (amortised cost flat in t):
 * <ul>
 *   <li><b>Every update</b>: one online Newton step on the running Hessian
 *       {@code H = λI + Σ μ'(x_sᵀθ_s) x_s x_sᵀ}: {@code H ← H + μ'(xᵀθ)xxᵀ} (Sherman–Morrison on H⁻¹),
 *       then {@code θ ← θ + H⁻¹x·(r − μ(xᵀθ))}. For the identity link this is exactly recursive least
 *       squares; here it is the extended-Kalman / recursive-Newton estimator. O(d²).
 *   <li><b>Refits</b>: at counts 16, 32, 64, … up to {@code refitCap}, Newton's method on all of the
 *       arm's data gives the exact MLE, and H⁻¹ is rebuilt from the Hessian there. Early estimates are
 *       where the one-step recursion is least accurate; the doubling schedule makes the total refit
 *       work O(refitCap·d²) per arm, and the stored data at most {@code refitCap} rows per arm. After
 *       the cap the online step alone continues, so an update costs the same at t = 10³ or 10⁷.
 * </ul>
 * Rewards are in [0, 1] (Bernoulli outcomes, or probabilities).
 */
public final class LogisticArms implements ArmModel, dev.recourse.core.state.Snapshottable {

  public static final int DEFAULT_REFIT_CAP = 4096;
  private static final int FIRST_REFIT = 16;
  private static final int MAX_NEWTON_ITERATIONS = 50;

  private final RidgeArms design;
  private final int numArms;
  private final int dim;
  private final double lambda;
  private final int refitCap;
  private final DoubleKernels kernels;
  private final double[] theta;
  private final double[] hInv;
  private final double[] data;
  private final double[] rewards;
  private final long[] counts;
  /** Per arm: bumped by every update; see {@link #stateVersion}. */
  private final long[] versions;
  private final double[] h;
  private final double[] hessian;
  private final double[] grad;
  private final double[] work;

  public LogisticArms(int numArms, int dim, double lambda) {
    this(numArms, dim, lambda, DEFAULT_REFIT_CAP, Kernels.get());
  }

  public LogisticArms(int numArms, int dim, double lambda, int refitCap, DoubleKernels kernels) {
    if (refitCap < 0) {
      throw new IllegalArgumentException("refitCap must be >= 0 (0 disables refits), got " + refitCap);
    }
    this.design = new RidgeArms(numArms, dim, lambda, RidgeArms.DEFAULT_REFRESH_EVERY,
        RidgeArms.RefreshMethod.CHOLESKY, kernels);
    this.numArms = numArms;
    this.dim = dim;
    this.lambda = lambda;
    this.refitCap = refitCap;
    this.kernels = kernels;
    this.theta = new double[numArms * dim];
    this.hInv = new double[numArms * dim * dim];
    this.data = new double[numArms * refitCap * dim];
    this.rewards = new double[numArms * refitCap];
    this.counts = new long[numArms];
    this.versions = new long[numArms];
    this.h = new double[dim];
    this.hessian = new double[dim * dim];
    this.grad = new double[dim];
    this.work = new double[dim * dim];
    for (int a = 0; a < numArms; a++) {
      for (int i = 0; i < dim; i++) {
        hInv[a * dim * dim + i * dim + i] = 1.0 / lambda;
      }
    }
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public double[] thetaHat() {
    return theta;
  }

  @Override
  public double[] vInv() {
    return design.vInv();
  }

  /** The design's bound: ORO reads the design's {@code V⁻¹} ({@link #vInv()}). */
  @Override
  public double vInvSpectralBound(int arm) {
    return design.vInvSpectralBound(arm);
  }

  @Override
  public long stateVersion(int arm) {
    return versions[arm];
  }

  @Override
  public long count(int arm) {
    return design.count(arm);
  }

  @Override
  public DoubleKernels kernels() {
    return kernels;
  }

  @Override
  public String link() {
    return "logistic";
  }

  @Override
  public double linkLipschitz() {
    return 0.25;
  }

  @Override
  public String describe() {
    return "logistic(lambda=" + lambda + ", onlineNewton, refits=doubling to " + refitCap + ", design="
        + design.describe() + ")";
  }

  @Override
  public void checkContext(double[] x) {
    design.checkContext(x);
  }

  @Override
  public void update(int arm, double[] x, int xOff, double reward) {
    if (!(reward >= 0 && reward <= 1)) {
      throw new IllegalArgumentException("reward must be in [0, 1] for the logistic link, got " + reward);
    }
    design.update(arm, x, xOff, reward); // validates arm and x before anything changes
    long n = ++counts[arm];
    versions[arm]++; // θ̂ and H⁻¹ change below on every path (one-step update or refit)
    int to = arm * dim;
    int mo = arm * dim * dim;
    if (n <= refitCap) {
      System.arraycopy(x, xOff, data, (arm * refitCap + (int) (n - 1)) * dim, dim);
      rewards[arm * refitCap + (int) (n - 1)] = reward;
    }
    if (n >= FIRST_REFIT && n <= refitCap && Long.bitCount(n) == 1) {
      refit(arm, (int) n);
      return;
    }
    double z = kernels.dot(theta, to, x, xOff, dim);
    double p = sigmoid(z);
    double weight = Math.max(p * (1 - p), 1e-12);
    kernels.gemv(hInv, mo, dim, dim, x, xOff, h, 0);
    double s = 1.0 + weight * kernels.dot(x, xOff, h, 0, dim);
    kernels.symRankOneDowndate(hInv, mo, dim, weight / s, h, 0);
    // H_new⁻¹x = h/s.
    kernels.axpy((reward - p) / s, h, 0, theta, to, dim);
  }

  /** The design's shape and the refit cap. */
  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    design.exportShared(sink);
    sink.putLong(refitCap);
  }

  @Override
  public void importShared(dev.recourse.core.state.StateSource source) {
    design.importShared(source);
    source.expect("refitCap", refitCap);
  }

  @Override
  public int stateArms() {
    return numArms;
  }

  /** The arm's design part, θ̂, H⁻¹, its stored refit rows and rewards, and its count. */
  @Override
  public void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    design.exportArm(arm, sink); // checks arm
    sink.putDoubles(theta, arm * dim, dim);
    sink.putDoubles(hInv, arm * dim * dim, dim * dim);
    sink.putDoubles(data, arm * refitCap * dim, refitCap * dim);
    sink.putDoubles(rewards, arm * refitCap, refitCap);
    sink.putLong(counts[arm]);
  }

  @Override
  public void importArm(int arm, dev.recourse.core.state.StateSource source) {
    design.importArm(arm, source);
    source.getDoubles(theta, arm * dim, dim);
    source.getDoubles(hInv, arm * dim * dim, dim * dim);
    source.getDoubles(data, arm * refitCap * dim, refitCap * dim);
    source.getDoubles(rewards, arm * refitCap, refitCap);
    long count = source.getLong();
    // The next update stores its row at index count: a negative (or wrapping) count would write into
    // another arm's refit rows.
    if (count < 0 || count == Long.MAX_VALUE) {
      throw new IllegalArgumentException("state logistic count of arm " + arm + " must be in [0, "
          + (Long.MAX_VALUE - 1) + "], got " + count);
    }
    counts[arm] = count;
    versions[arm]++; // θ̂ and V⁻¹ were replaced: caches keyed on the version must not survive an import
  }

  /**
   * What a decision reads of the arm: the design's decision part ({@code V⁻¹}, its θ̂ and count) and
   * this model's {@code θ̂}; not {@code H⁻¹} nor the refit rows, which only updates read.
   */
  @Override
  public void exportArmDecision(int arm, dev.recourse.core.state.StateSink sink) {
    design.exportArmDecision(arm, sink); // checks arm
    sink.putDoubles(theta, arm * dim, dim);
  }

  @Override
  public void importArmDecision(int arm, dev.recourse.core.state.StateSource source) {
    design.importArmDecision(arm, source);
    source.getDoubles(theta, arm * dim, dim);
    versions[arm]++;
  }

  /** Exact regularised MLE on the arm's first {@code n} rows by Newton's method; rebuilds H⁻¹. */
  private void refit(int arm, int n) {
    int to = arm * dim;
    for (int iter = 0; iter < MAX_NEWTON_ITERATIONS; iter++) {
      buildGradientAndHessian(arm, n);
      if (!CholeskyOps.factor(hessian, 0, dim)) {
        return; // only with non-finite data, which update() rejects
      }
      CholeskyOps.solve(hessian, 0, dim, grad, 0);
      double stepSq = 0;
      double thetaSq = 0;
      for (int i = 0; i < dim; i++) {
        theta[to + i] -= grad[i];
        stepSq += grad[i] * grad[i];
        thetaSq += theta[to + i] * theta[to + i];
      }
      if (stepSq <= 1e-24 * Math.max(1.0, thetaSq)) {
        break;
      }
    }
    buildGradientAndHessian(arm, n);
    if (CholeskyOps.factor(hessian, 0, dim)) {
      CholeskyOps.inverseFromFactor(hessian, 0, dim, hInv, arm * dim * dim, work, 0);
    }
  }

  /** grad = Σ(μ(z)−r)x + λθ, hessian = Σ μ'(z) x xᵀ + λI at the current θ. */
  private void buildGradientAndHessian(int arm, int n) {
    int to = arm * dim;
    int base = arm * refitCap;
    java.util.Arrays.fill(hessian, 0.0);
    for (int i = 0; i < dim; i++) {
      grad[i] = lambda * theta[to + i];
      hessian[i * dim + i] = lambda;
    }
    for (int s = 0; s < n; s++) {
      int xo = (base + s) * dim;
      double p = sigmoid(kernels.dot(theta, to, data, xo, dim));
      kernels.axpy(p - rewards[base + s], data, xo, grad, 0, dim);
      kernels.symRankOneDowndate(hessian, 0, dim, -Math.max(p * (1 - p), 1e-12), data, xo);
    }
  }
}
