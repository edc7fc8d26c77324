package dev.recourse.bench.proto;

import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.model.RidgeArms;

/**
 * A prototype of LinUCB + {@code RidgeArms} built on {@link ProtoKernels}, same layout, same maths, same
 * input checks and the same CHOLESKY refresh every {@code refreshEvery} updates of an arm, so that it can
 * be timed against core on identical state. Three changes from core:
 *
 * <ol>
 *   <li>decide scores every arm with {@link ProtoKernels#symApply} (no reduction per row, masked tail)
 *       and {@link ProtoKernels#dotMasked}, and keeps {@code w = V⁻¹x} and {@code xᵀV⁻¹x} of the best arm;
 *   <li>update computes {@code w = V⁻¹x} by {@code symApply} and does both rank-one modifications in one
 *       pass ({@link ProtoKernels#fusedRankOne});
 *   <li>{@link #decideUpdate} reuses the decide's {@code w} and {@code xᵀw} for the chosen arm, so the
 *       update skips its {@code V⁻¹x} (one of its three {@code d²} passes).
 * </ol>
 */
public final class ProtoLinUcb {

  private final int numArms;
  private final int dim;
  private final int block;
  private final double alpha;
  private final int refreshEvery;
  private final double[] vInv;
  private final double[] v;
  private final double[] b;
  private final double[] theta;
  private final int[] sinceRefresh;
  /** Two w buffers: the best arm's so far and the current arm's; swapped when the current wins. */
  private double[] wBest;
  private double[] wCur;
  private double qBest;
  private final double[] factorWork;
  private final double[] inverseWork;

  /** A copy of a (warmed) core model. */
  public ProtoLinUcb(RidgeArms src, double alpha) {
    this.numArms = src.numArms();
    this.dim = src.dim();
    this.block = dim * dim;
    this.alpha = alpha;
    this.refreshEvery = src.refreshEvery();
    this.vInv = src.vInv().clone();
    this.theta = src.thetaHat().clone();
    this.v = new double[numArms * block];
    this.b = new double[numArms * dim];
    for (int a = 0; a < numArms; a++) {
      src.copyGram(a, v, a * block);
      src.copyResponse(a, b, a * dim);
    }
    this.sinceRefresh = new int[numArms];
    this.wBest = new double[dim];
    this.wCur = new double[dim];
    this.factorWork = new double[block];
    this.inverseWork = new double[block];
  }

  public double[] vInv() {
    return vInv;
  }

  public double[] thetaHat() {
    return theta;
  }

  /** LinUCB's arm for {@code x}; leaves {@code w} and {@code xᵀV⁻¹x} of that arm for {@link #decideUpdate}. */
  public int decide(double[] x) {
    checkContext(x);
    int d = dim;
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int arm = 0; arm < numArms; arm++) {
      double[] wc = wCur;
      double q = ProtoKernels.symApply(vInv, arm * block, d, x, 0, wc, 0);
      double score = ProtoKernels.dotMasked(theta, arm * d, x, 0, d) + alpha * Math.sqrt(Math.max(0.0, q));
      if (score > bestScore) {
        bestScore = score;
        best = arm;
        qBest = q;
        wCur = wBest;
        wBest = wc;
      }
    }
    return best;
  }

  /** Same update as {@code RidgeArms.update}. */
  public void update(int arm, double[] x, double reward) {
    checkArm(arm);
    checkContext(x);
    checkReward(reward);
    double q = ProtoKernels.symApply(vInv, arm * block, dim, x, 0, wCur, 0);
    apply(arm, x, reward, wCur, q);
  }

  /** One round: decide, then update the chosen arm with {@code rewards[rOff + arm]}, reusing decide's w. */
  public int decideUpdate(double[] x, double[] rewards, int rOff) {
    int arm = decide(x);
    double reward = rewards[rOff + arm];
    checkReward(reward);
    apply(arm, x, reward, wBest, qBest);
    return arm;
  }

  private void apply(int arm, double[] x, double reward, double[] w, double q) {
    int m = arm * block;
    int vo = arm * dim;
    double s = 1.0 + q;
    double residual = reward - ProtoKernels.dotMasked(theta, vo, x, 0, dim);
    ProtoKernels.axpyMasked(residual / s, w, 0, theta, vo, dim);
    ProtoKernels.fusedRankOne(vInv, v, m, dim, 1.0 / s, w, 0, x, 0);
    ProtoKernels.axpyMasked(reward, x, 0, b, vo, dim);
    if (refreshEvery > 0 && ++sinceRefresh[arm] >= refreshEvery) {
      refresh(arm);
    }
  }

  private void refresh(int arm) {
    int m = arm * block;
    System.arraycopy(v, m, factorWork, 0, block);
    if (CholeskyOps.factor(factorWork, 0, dim)) {
      CholeskyOps.inverseFromFactor(factorWork, 0, dim, vInv, m, inverseWork, 0);
      for (int r = 0; r < dim; r++) {
        theta[arm * dim + r] = ProtoKernels.dotMasked(vInv, m + r * dim, b, arm * dim, dim);
      }
    }
    sinceRefresh[arm] = 0;
  }

  private void checkArm(int arm) {
    if (arm < 0 || arm >= numArms) {
      throw new IllegalArgumentException("arm must be in [0, " + numArms + "), got " + arm);
    }
  }

  private static void checkReward(double reward) {
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, got " + reward);
    }
  }

  private void checkContext(double[] x) {
    if (x == null || x.length < dim) {
      throw new IllegalArgumentException("context needs " + dim + " values");
    }
    for (int i = 0; i < dim; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException("context x" + i + " must be finite, got " + x[i]);
      }
    }
  }
}
