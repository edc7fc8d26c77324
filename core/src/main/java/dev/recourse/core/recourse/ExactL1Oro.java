package dev.recourse.core.recourse;

/**
 * Exact ORO-Arm for the ℓ1 ball without bounds. {@code g} is convex in x̃ (affine plus a norm of an
 * affine map), so its maximum over the cross-polytope lies at one of the {@code 2·d_M} vertices
 * {@code ±γe_i}; each costs O(1) after {@code u}: {@code ‖x̃‖²_A = xᵀu ± 2γu_i + γ²A_ii}. Ties: lower
 * index, + before −.
 */
public final class ExactL1Oro implements OroSolver {

  private int iterations;

  @Override
  public double solve(OroProblem p, double[] delta) {
    FeasibleSet set = p.feasibleSet();
    if (!(set.ball() instanceof L1Ball) || set.bounded()) {
      throw new IllegalArgumentException("exact-l1 solves the unbounded l1 ball only, got " + set.describe());
    }
    int dimM = p.mutableDim();
    double gamma = set.gamma();
    double rho = p.rho();
    double[] thetaM = p.thetaHatM();
    double[] uM = p.uM();
    double base = p.base();
    double xAx = p.normSqAtZero();
    double best = p.objectiveAtZero();
    int bestIndex = -1;
    double bestSign = 0;
    for (int k = 0; k < dimM; k++) {
      double quadTerm = gamma * gamma * p.aMM(k, k);
      double lin = gamma * thetaM[k];
      double cross = 2.0 * gamma * uM[k];
      double plus = base + lin + rho * Math.sqrt(Math.max(0.0, xAx + cross + quadTerm));
      if (plus > best) {
        best = plus;
        bestIndex = k;
        bestSign = 1;
      }
      double minus = base - lin + rho * Math.sqrt(Math.max(0.0, xAx - cross + quadTerm));
      if (minus > best) {
        best = minus;
        bestIndex = k;
        bestSign = -1;
      }
    }
    java.util.Arrays.fill(delta, 0, dimM, 0.0);
    if (bestIndex >= 0) {
      delta[bestIndex] = bestSign * gamma;
    }
    iterations = 2 * dimM;
    return best;
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
  public String name() {
    return "exact-l1";
  }
}
