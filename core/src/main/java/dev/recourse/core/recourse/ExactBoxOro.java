package dev.recourse.core.recourse;

/**
 * Exact ORO-Arm for (weighted) ℓ∞ balls, with or without bounds: the feasible set is a box
 * {@code [L_i, U_i]} and convex {@code g} peaks at one of its {@code 2^{d_M}} vertices. They are
 * visited in Gray-code order, so each step moves one coordinate and updates {@code A_MM·Δ}, the norm
 * and the linear part in O(d_M). The winner is re-evaluated from scratch to shed accumulated round-off.
 * Refuses {@code d_M} above its limit (default {@value #DEFAULT_MAX_MUTABLE}: 65,536 vertices).
 */
public final class ExactBoxOro implements OroSolver {

  public static final int DEFAULT_MAX_MUTABLE = 16;

  private final int maxMutable;
  private final double[] lower;
  private final double[] upper;
  private final double[] current;
  private final double[] aDelta;
  private int iterations;

  public ExactBoxOro(int dimM) {
    this(dimM, DEFAULT_MAX_MUTABLE);
  }

  public ExactBoxOro(int dimM, int maxMutable) {
    if (maxMutable < 1 || maxMutable > 30) {
      throw new IllegalArgumentException("maxMutable must be in [1, 30], got " + maxMutable);
    }
    this.maxMutable = maxMutable;
    this.lower = new double[dimM];
    this.upper = new double[dimM];
    this.current = new double[dimM];
    this.aDelta = new double[dimM];
  }

  @Override
  public double solve(OroProblem p, double[] delta) {
    FeasibleSet set = p.feasibleSet();
    if (!(set.ball() instanceof LInfBall box)) {
      throw new IllegalArgumentException("exact-box solves (weighted) linf balls only, got " + set.describe());
    }
    int dimM = p.mutableDim();
    if (dimM > maxMutable) {
      throw new IllegalArgumentException("exact-box enumerates 2^d_M vertices; d_M = " + dimM
          + " exceeds its limit " + maxMutable);
    }
    double[] dLo = set.lowerDisplacement();
    double[] dHi = set.upperDisplacement();
    for (int k = 0; k < dimM; k++) {
      double w = box.halfWidth(k);
      lower[k] = dLo == null ? -w : Math.max(-w, dLo[k]);
      upper[k] = dHi == null ? w : Math.min(w, dHi[k]);
    }
    double[] thetaM = p.thetaHatM();
    double[] uM = p.uM();
    double rho = p.rho();
    System.arraycopy(lower, 0, current, 0, dimM);
    p.multiplyAMM(current, aDelta);
    double q = p.normSq(current, aDelta);
    double lin = p.base();
    for (int k = 0; k < dimM; k++) {
      lin += thetaM[k] * current[k];
    }
    double best = lin + rho * Math.sqrt(q);
    long bestMask = 0;
    long mask = 0;
    long count = 1L << dimM;
    double[] aArr = p.aMMArray();
    int aOff = p.aMMOffset();
    for (long step = 1; step < count; step++) {
      int j = Long.numberOfTrailingZeros(step);
      mask ^= 1L << j;
      double step1 = ((mask >>> j) & 1L) != 0 ? upper[j] - lower[j] : lower[j] - upper[j];
      lin += thetaM[j] * step1;
      q += step1 * (2.0 * (uM[j] + aDelta[j]) + step1 * p.aMM(j, j));
      // A_MM is symmetric: its column j is its row j.
      int row = aOff + j * dimM;
      for (int k = 0; k < dimM; k++) {
        aDelta[k] += step1 * aArr[row + k];
      }
      double value = lin + rho * Math.sqrt(Math.max(0.0, q));
      if (value > best) {
        best = value;
        bestMask = mask;
      }
    }
    for (int k = 0; k < dimM; k++) {
      delta[k] = ((bestMask >>> k) & 1L) != 0 ? upper[k] : lower[k];
    }
    iterations = (int) Math.min(Integer.MAX_VALUE, count);
    double exact = p.objective(delta);
    double atZero = p.objectiveAtZero();
    if (atZero > exact) { // only possible through round-off on a flat objective
      java.util.Arrays.fill(delta, 0, dimM, 0.0);
      return atZero;
    }
    return exact;
  }

  @Override
  public boolean boundedByOroMaximum() {
    return true;
  }

  @Override
  public int lastIterations() {
    return iterations;
  }

  @Override
  public int mutableDim() {
    return lower.length;
  }

  @Override
  public String name() {
    return "exact-box";
  }
}
