package dev.recourse.core.recourse;

/**
 * Exact ORO-Arm for the ℓ1 ball without bounds. {@code g} is convex in x̃ (affine plus a norm of an
 * affine map), so its maximum over the cross-polytope lies at one of the {@code 2·d_M} vertices
 * {@code ±γe_i}; each costs O(1) after {@code u}: {@code ‖x̃‖²_A = xᵀu ± 2γu_i + γ²A_ii}. Ties: lower
 * index, + before −; a vertex must beat {@code g(0)} strictly.
 *
 * <p>Speed: the square root of a vertex's {@code ‖x̃‖²_A} sits on the comparison chain, so it is taken
 * only where needed. Concavity of √ gives each vertex a root-free upper bound, the tangent at
 * {@code q₀ = xᵀu}: {@code √q ≤ √q₀ + (q − q₀)/(2√q₀)}. The vertex with the largest bound is evaluated
 * first; every other vertex is evaluated only if its bound (inflated against round-off) reaches the
 * best value so far. Each value is computed by the same expression as a plain enumeration and ties
 * are broken by the enumeration's order, so the result is the plain enumeration's, bit for bit
 * (tested against it).
 */
public final class ExactL1Oro implements OroSolver {

  private static final double BOUND_SLACK = 1e-9;

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
    double gammaSq = gamma * gamma;
    double best = p.objectiveAtZero();
    int bestVertex = -1; // vertex v = 2k for +γe_k, 2k+1 for −γe_k: the enumeration's order
    double root0 = Math.sqrt(Math.max(0.0, xAx));
    iterations = 2 * dimM;
    if (!(root0 > 0)) {
      for (int v = 0; v < 2 * dimM; v++) {
        double value = vertexValue(v, base, xAx, gamma, gammaSq, rho, thetaM, uM, p);
        if (value > best) {
          best = value;
          bestVertex = v;
        }
      }
      return finish(delta, dimM, gamma, bestVertex, best);
    }
    double slope = rho / (2.0 * root0);
    double constant = base + rho * root0;
    // Pass 1: the vertex with the largest tangent bound.
    int first = 0;
    double firstBound = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < dimM; k++) {
      double lin = gamma * thetaM[k];
      double cross = 2.0 * gamma * uM[k];
      double quad = gammaSq * p.aMM(k, k);
      double plus = constant + lin + slope * (cross + quad);
      double minus = constant - lin + slope * (quad - cross);
      if (plus > firstBound) {
        firstBound = plus;
        first = 2 * k;
      }
      if (minus > firstBound) {
        firstBound = minus;
        first = 2 * k + 1;
      }
    }
    double firstValue = vertexValue(first, base, xAx, gamma, gammaSq, rho, thetaM, uM, p);
    if (firstValue > best) {
      best = firstValue;
      bestVertex = first;
    }
    // Pass 2: the others, skipped when their bound is below the best value.
    for (int k = 0; k < dimM; k++) {
      double lin = gamma * thetaM[k];
      double cross = 2.0 * gamma * uM[k];
      double quad = gammaSq * p.aMM(k, k);
      double scale = Math.abs(base) + Math.abs(lin) + rho * root0 + slope * (Math.abs(cross) + Math.abs(quad));
      double slack = BOUND_SLACK * scale + Double.MIN_NORMAL;
      for (int s = 0; s < 2; s++) {
        int v = 2 * k + s;
        double bound = s == 0 ? constant + lin + slope * (cross + quad) : constant - lin + slope * (quad - cross);
        if (v == first || bound + slack < best) {
          continue;
        }
        double value = vertexValue(v, base, xAx, gamma, gammaSq, rho, thetaM, uM, p);
        if (value > best || (value == best && bestVertex >= 0 && v < bestVertex)) {
          best = value;
          bestVertex = v;
        }
      }
    }
    return finish(delta, dimM, gamma, bestVertex, best);
  }

  /** {@code g} at vertex v, by the plain enumeration's expression. */
  private static double vertexValue(int v, double base, double xAx, double gamma, double gammaSq, double rho,
                                    double[] thetaM, double[] uM, OroProblem p) {
    int k = v >> 1;
    double quadTerm = gammaSq * p.aMM(k, k);
    double lin = gamma * thetaM[k];
    double cross = 2.0 * gamma * uM[k];
    return (v & 1) == 0
        ? base + lin + rho * Math.sqrt(Math.max(0.0, xAx + cross + quadTerm))
        : base - lin + rho * Math.sqrt(Math.max(0.0, xAx - cross + quadTerm));
  }

  private static double finish(double[] delta, int dimM, double gamma, int bestVertex, double best) {
    java.util.Arrays.fill(delta, 0, dimM, 0.0);
    if (bestVertex >= 0) {
      delta[bestVertex >> 1] = (bestVertex & 1) == 0 ? gamma : -gamma;
    }
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
