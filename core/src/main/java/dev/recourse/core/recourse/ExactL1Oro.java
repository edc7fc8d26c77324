package dev.recourse.core.recourse;

/**
 * Exact ORO-Arm for the ℓ1 ball without bounds. {@code g} is convex in x̃ (affine plus a norm of an
 * affine map), so its maximum over the cross-polytope lies at one of the {@code 2·d_M} vertices
 * {@code ±γe_i}; each costs O(1) after {@code u}: {@code ‖x̃‖²_A = xᵀu ± 2γu_i + γ²A_ii}. Ties: lower
 * index, + before −; a vertex must beat {@code g(0)} strictly.
 *
 * <p>Speed: a vertex beats the best value so far iff {@code ρ√q > t := best − (θ̂ᵀx ± γθ̂_i)}, i.e.
 * {@code t < 0} or {@code ρ²q > t²}; the square root (on the comparison chain) is taken only for the
 * vertices that pass this test, which after the first few are rare; a first test on both vertices of a
 * feature at once (with |γθ̂_k| and |2γu_k|) skips most features in half the work. The test is loosened (a relative
 * 1e-9 on ρ²q, and t lowered by 64 units of roundoff of |θ̂ᵀx| + |best|) so that round-off never rejects
 * a vertex the direct comparison accepts: the result is the plain enumeration's, bit for bit (tested
 * against it, including at |θ̂ᵀx| ≈ 2¹⁹ with ρ√q near 1e-7).
 */
public final class ExactL1Oro implements OroSolver {

  /** ρ² is loosened by this factor in the filter (no division on the way to the first test). */
  private static final double FILTER_SLACK = 1.0 + 1e-9;
  /** The filter's margin per unit of |θ̂ᵀx| + |best|: 2⁻⁴⁷, 64 units of roundoff. */
  private static final double MARGIN = 0x1p-47;

  private int iterations;
  private FeasibleSet checkedSet;

  @Override
  public double solve(OroProblem p, double[] delta) {
    FeasibleSet set = p.feasibleSet();
    if (set != checkedSet) { // a set's ball and bounds are fixed at construction: check each set once
      if (!(set.ball() instanceof L1Ball) || set.bounded()) {
        throw new IllegalArgumentException("exact-l1 solves the unbounded l1 ball only, got " + set.describe());
      }
      checkedSet = set;
    }
    int dimM = p.mutableDim();
    double gamma = set.gamma();
    double rho = p.rho();
    double[] thetaM = p.thetaHatM();
    double[] uM = p.uM();
    double[] a = p.aMMArray();
    int diag = p.aMMOffset();
    int stride = dimM + 1;
    double base = p.base();
    double xAx = p.normSqAtZero();
    double gammaSq = gamma * gamma;
    double best = p.objectiveAtZero();
    double headroom = lowered(best, base); // t = headroom ∓ γθ̂_k
    double rhoSqLoose = rho * rho * FILTER_SLACK;
    double twoGamma = 2.0 * gamma;
    int bestIndex = -1;
    double bestSign = 0;
    for (int k = 0; k < dimM; k++, diag += stride) {
      double lin = gamma * thetaM[k];
      double cross = twoGamma * uM[k];
      double quadTerm = gammaSq * a[diag];
      // Both vertices of feature k at once: ±γθ̂_k ≤ |γθ̂_k| and q± ≤ xᵀu + |2γu_k| + γ²A_kk (rounding is
      // monotone), so if the pair's test rejects, each vertex's own test would reject too.
      double tPair = headroom - Math.abs(lin);
      if (tPair >= 0 && rhoSqLoose * (xAx + Math.abs(cross) + quadTerm) <= tPair * tPair) {
        continue;
      }
      double qPlus = xAx + cross + quadTerm; // the direct comparison's q, bit for bit
      double t = headroom - lin;
      // A negative q (round-off) fails the second test, as it should: its root is taken as 0.
      if (t < 0 || rhoSqLoose * qPlus > t * t) {
        double plus = base + lin + rho * Math.sqrt(Math.max(0.0, qPlus));
        if (plus > best) {
          best = plus;
          headroom = lowered(best, base);
          bestIndex = k;
          bestSign = 1;
        }
      }
      double qMinus = xAx - cross + quadTerm;
      t = headroom + lin;
      if (t < 0 || rhoSqLoose * qMinus > t * t) {
        double minus = base - lin + rho * Math.sqrt(Math.max(0.0, qMinus));
        if (minus > best) {
          best = minus;
          headroom = lowered(best, base);
          bestIndex = k;
          bestSign = -1;
        }
      }
    }
    java.util.Arrays.fill(delta, 0, dimM, 0.0);
    if (bestIndex >= 0) {
      delta[bestIndex] = bestSign * gamma;
    }
    iterations = 2 * dimM;
    return best;
  }

  /**
   * {@code best − θ̂ᵀx}, lowered by a margin for the rounding the direct comparison does at the scale of
   * |θ̂ᵀx|, |best| and |γθ̂_k|; since {@code |γθ̂_k| ≤ |best| + |θ̂ᵀx| + |t|} and errors relative to t are
   * covered by FILTER_SLACK, a margin in |θ̂ᵀx| + |best| alone suffices and costs nothing per vertex.
   */
  private static double lowered(double best, double base) {
    return best - base - MARGIN * (Math.abs(base) + Math.abs(best));
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
