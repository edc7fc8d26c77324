package dev.recourse.core.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recourse.core.reference.NaiveLinalg;
import dev.recourse.core.simd.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exact ℓ2/Mahalanobis solver against a dense sweep of the ball's boundary (an independent brute
 * force), its certificate against the dense matrix W(r, λ) of the spec (no eigenbasis), and against
 * coordinate descent.
 */
class ExactL2OroTest {

  /** One instance: d, x, θ̂, V⁻¹, ρ and the feasible set. */
  static final class Case {
    final int dim;
    final double[] x;
    final double[] theta;
    final double[] vInv;
    final double rho;
    final FeasibleSet set;
    /** Σ of a Mahalanobis ball, else null. */
    final double[] sigma;

    Case(int dim, double[] x, double[] theta, double[] vInv, double rho, FeasibleSet set, double[] sigma) {
      this.dim = dim;
      this.x = x;
      this.theta = theta;
      this.vInv = vInv;
      this.rho = rho;
      this.set = set;
      this.sigma = sigma;
    }

    OroProblem load() {
      set.prepare(x);
      OroProblem p = new OroProblem(set, Kernels.get());
      p.load(x, theta, 0, vInv, 0, rho);
      return p;
    }

    int dimM() {
      return set.mutableDim();
    }
  }

  /** Knobs for the edge-case families of the issue. */
  enum Family { RANDOM, LATE_ROUND, HARD, ZERO_THETA, ZERO_X, RHO_RANGE, MAHALANOBIS }

  /**
   * d = d_M + 2 (two immutable features, mutable indices scattered), x, θ̂ ~ N(0, I),
   * V = s·(I + Σ of up to 3d outer products) with s = 1 except in late rounds (s up to 1e12, so that
   * ‖t‖²/Γ_max reaches 1e12), ρ, γ ∈ [0.5, 3] except in the ρ family (1e-4 to 1e3).
   */
  static Case random(SplittableRandom rng, int dimM, Family family) {
    int dim = dimM + 2;
    int[] mutable = OroSolverTest.scatteredMutable(rng, dim, dimM);
    double[] x = gaussian(rng, dim);
    double[] theta = gaussian(rng, dim);
    double[] v = new double[dim * dim];
    for (int i = 0; i < dim; i++) {
      v[i * dim + i] = 1.0;
    }
    int n = rng.nextInt(0, 3 * dim + 1);
    for (int s = 0; s < n; s++) {
      double[] z = gaussian(rng, dim);
      for (int i = 0; i < dim; i++) {
        for (int j = 0; j < dim; j++) {
          v[i * dim + j] += z[i] * z[j];
        }
      }
    }
    double rho = rng.nextDouble(0.5, 3.0);
    double gamma = rng.nextDouble(0.5, 3.0);
    double[] sigma = null;
    switch (family) {
      case LATE_ROUND -> {
        double scale = Math.pow(10, rng.nextDouble(0, 12));
        for (int i = 0; i < v.length; i++) {
          v[i] *= scale;
        }
      }
      case HARD -> {
        // V diagonal, the first mutable feature's θ̂ and x zero and its variance largest: e_first is
        // G's top eigenvector and t, u ⟂ it, so the trust-region subproblem has b̂ ⟂ top eigenvector.
        java.util.Arrays.fill(v, 0.0);
        for (int i = 0; i < dim; i++) {
          v[i * dim + i] = rng.nextDouble(1.0, 4.0);
        }
        int first = mutable[0];
        v[first * dim + first] = rng.nextDouble(0.05, 0.5);
        theta[first] = 0.0;
        x[first] = 0.0;
        if (rng.nextBoolean()) { // a near-hard case too: b̂ almost ⟂
          theta[first] = 1e-9 * rng.nextGaussian();
        }
      }
      case ZERO_THETA -> {
        for (int m : mutable) {
          theta[m] = 0.0;
        }
      }
      case ZERO_X -> java.util.Arrays.fill(x, 0.0);
      case RHO_RANGE -> rho = Math.pow(10, rng.nextDouble(-4, 3));
      case MAHALANOBIS -> sigma = randomSpd(rng, dimM);
      default -> { }
    }
    double[] vInv = NaiveLinalg.inverse(v, dim);
    for (int i = 0; i < dim; i++) { // exact symmetry, as the model keeps it
      for (int j = 0; j < i; j++) {
        double s = 0.5 * (vInv[i * dim + j] + vInv[j * dim + i]);
        vInv[i * dim + j] = s;
        vInv[j * dim + i] = s;
      }
    }
    Ball ball = sigma == null ? new L2Ball(dimM, gamma) : new MahalanobisBall(dimM, gamma, sigma);
    return new Case(dim, x, theta, vInv, rho, new FeasibleSet(dim, mutable, ball), sigma);
  }

  static double[] randomSpd(SplittableRandom rng, int m) {
    double[] s = new double[m * m];
    for (int i = 0; i < m; i++) {
      s[i * m + i] = rng.nextDouble(0.2, 2.0);
    }
    for (int k = 0; k < m; k++) {
      double[] z = gaussian(rng, m);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          s[i * m + j] += z[i] * z[j];
        }
      }
    }
    return s;
  }

  static double[] gaussian(SplittableRandom rng, int n) {
    double[] z = new double[n];
    for (int i = 0; i < n; i++) {
      z[i] = rng.nextGaussian();
    }
    return z;
  }

  // ---------------------------------------------------------------------------------------------
  // Brute force: a dense sweep of the boundary, each local maximum of the grid polished by a pattern
  // search in the tangent plane. Reads only c0, t, u, q0, B of the loaded problem and Σ.
  // ---------------------------------------------------------------------------------------------

  static final class Sweep {
    final OroProblem p;
    final int m;
    final double gamma;
    final double[] lInvT; // Δ = γ·L⁻ᵀw for unit w (Σ = LLᵀ; identity for ℓ2)
    final double[] delta;

    Sweep(OroProblem p, double[] sigma) {
      this.p = p;
      this.m = p.mutableDim();
      this.gamma = p.feasibleSet().gamma();
      this.delta = new double[m];
      lInvT = new double[m * m];
      if (sigma == null) {
        for (int i = 0; i < m; i++) {
          lInvT[i * m + i] = 1.0;
        }
      } else { // columns of L⁻ᵀ by solving Σ c = L e_j ⇔ c = L⁻ᵀ e_j
        double[] l = sigma.clone();
        assertTrue(dev.recourse.core.linalg.CholeskyOps.factor(l, 0, m));
        for (int j = 0; j < m; j++) {
          double[] c = new double[m];
          for (int i = 0; i < m; i++) {
            c[i] = l[i * m + j];
          }
          dev.recourse.core.linalg.CholeskyOps.solve(l, 0, m, c, 0);
          for (int i = 0; i < m; i++) {
            lInvT[i * m + j] = c[i];
          }
        }
      }
    }

    /** g at the boundary point of unit direction w (normalised here). */
    double at(double[] w) {
      double n = 0;
      for (double v : w) {
        n += v * v;
      }
      n = Math.sqrt(n);
      for (int i = 0; i < m; i++) {
        double s = 0;
        for (int j = 0; j < m; j++) {
          s += lInvT[i * m + j] * w[j];
        }
        delta[i] = gamma * s / n;
      }
      double lin = p.base();
      double q = p.normSqAtZero();
      for (int i = 0; i < m; i++) {
        lin += p.thetaHatM()[i] * delta[i];
        q += 2 * p.uM()[i] * delta[i];
        for (int j = 0; j < m; j++) {
          q += delta[i] * p.aMM(i, j) * delta[j];
        }
      }
      return lin + p.rho() * Math.sqrt(Math.max(0.0, q));
    }

    /**
     * Best boundary value found: the grid, then up to 4 seeds polished: the best grid point, then the
     * best one farther than 4 grid spacings from every seed so far (so a second basin whose maximum is
     * within the grid's resolution of the first is polished too).
     */
    double max() {
      double[][] grid = m == 2 ? circle() : fibonacciSphere();
      double[] values = new double[grid.length];
      for (int i = 0; i < grid.length; i++) {
        values[i] = at(grid[i]);
      }
      double spacing = m == 2 ? 2 * Math.PI / grid.length : Math.sqrt(4 * Math.PI / grid.length);
      double exclusionSq = 16 * spacing * spacing;
      double best = p.objectiveAtZero();
      int[] seeds = new int[4];
      int count = 0;
      while (count < seeds.length) {
        int pick = -1;
        for (int i = 0; i < grid.length; i++) {
          if (pick >= 0 && values[i] <= values[pick]) {
            continue;
          }
          boolean far = true;
          for (int s = 0; s < count && far; s++) {
            double d2 = 0;
            for (int k = 0; k < m; k++) {
              double d = grid[i][k] - grid[seeds[s]][k];
              d2 += d * d;
            }
            far = d2 > exclusionSq;
          }
          if (far) {
            pick = i;
          }
        }
        if (pick < 0) {
          break;
        }
        seeds[count++] = pick;
        best = Math.max(best, polish(grid[pick], 2 * spacing));
      }
      return best;
    }

    /** Pattern search over w0 + a·e1 (+ b·e2) (tangent plane), step halving from {@code step}. */
    private double polish(double[] w0, double step) {
      double[][] tangent = tangentBasis(w0);
      double[] w = w0.clone();
      double best = at(w);
      double[] trial = new double[m];
      while (step > 1e-13) {
        boolean moved = false;
        for (double[] e : tangent) {
          for (double sgn = -1; sgn <= 1; sgn += 2) {
            for (int i = 0; i < m; i++) {
              trial[i] = w[i] + sgn * step * e[i];
            }
            double v = at(trial);
            if (v > best) {
              best = v;
              double n = 0;
              for (double t : trial) {
                n += t * t;
              }
              n = Math.sqrt(n);
              for (int i = 0; i < m; i++) {
                w[i] = trial[i] / n;
              }
              moved = true;
            }
          }
        }
        if (!moved) {
          step *= 0.5;
        } else {
          tangent = tangentBasis(w);
        }
      }
      return best;
    }

    private double[][] tangentBasis(double[] w) {
      if (m == 2) {
        return new double[][] {{-w[1], w[0]}};
      }
      double[] a = Math.abs(w[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
      double d = a[0] * w[0] + a[1] * w[1] + a[2] * w[2];
      double[] e1 = {a[0] - d * w[0], a[1] - d * w[1], a[2] - d * w[2]};
      double n = Math.sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
      for (int i = 0; i < 3; i++) {
        e1[i] /= n;
      }
      double[] e2 = {w[1] * e1[2] - w[2] * e1[1], w[2] * e1[0] - w[0] * e1[2], w[0] * e1[1] - w[1] * e1[0]};
      return new double[][] {e1, e2};
    }
  }

  private static final double[][] CIRCLE = new double[1024][];
  private static final double[][] SPHERE = new double[4000][];

  static {
    for (int i = 0; i < CIRCLE.length; i++) {
      double a = 2 * Math.PI * i / CIRCLE.length;
      CIRCLE[i] = new double[] {Math.cos(a), Math.sin(a)};
    }
    double golden = Math.PI * (3 - Math.sqrt(5));
    for (int i = 0; i < SPHERE.length; i++) { // Fibonacci sphere: near-uniform points
      double z = 1 - 2 * (i + 0.5) / SPHERE.length;
      double r = Math.sqrt(1 - z * z);
      SPHERE[i] = new double[] {r * Math.cos(golden * i), r * Math.sin(golden * i), z};
    }
  }

  static double[][] circle() {
    return CIRCLE;
  }

  static double[][] fibonacciSphere() {
    return SPHERE;
  }

  // ---------------------------------------------------------------------------------------------
  // Certificate, the slow way: W(r, λ) ⪰ 0 in the original coordinates (spec "Certificate"), with
  // λΣ in place of λI for a Mahalanobis ball.
  // ---------------------------------------------------------------------------------------------

  /** Smallest eigenvalue of W(r, λ) relative to its largest entry; ≥ −tiny certifies the bound. */
  static double certificateResidual(OroProblem p, double[] sigma, double upper, double lambda) {
    int m = p.mutableDim();
    double rho2 = p.rho() * p.rho();
    double r = upper - p.base();
    double gamma = p.feasibleSet().gamma();
    double[] t = p.thetaHatM();
    double[] u = p.uM();
    int n = m + 1;
    double[] w = new double[n * n];
    double maxAbs = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        double metric = sigma == null ? (i == j ? 1.0 : 0.0) : sigma[i * m + j];
        w[i * n + j] = lambda * metric - (rho2 * p.aMM(i, j) - t[i] * t[j]);
      }
      double bi = -(r * t[i] + rho2 * u[i]);
      w[i * n + m] = bi;
      w[m * n + i] = bi;
    }
    w[m * n + m] = r * r - rho2 * Math.max(0.0, p.normSqAtZero()) - lambda * gamma * gamma;
    for (double v : w) {
      maxAbs = Math.max(maxAbs, Math.abs(v));
    }
    return NaiveLinalg.symmetricEigenvalues(w, n)[0] / maxAbs;
  }

  // ---------------------------------------------------------------------------------------------
  // Tests
  // ---------------------------------------------------------------------------------------------

  /**
   * ≥ 10,000 random instances at d_M = 2 and 3: the value agrees with the sweep to 1e-9 relative and is
   * never below it beyond round-off (the sweep's points are feasible, so its value is a lower bound);
   * the certificate closes (gap ≤ 1e-12 relative) and the bound is above the value on every instance.
   */
  @ParameterizedTest
  @ValueSource(ints = {2, 3})
  void agreesWithADenseBoundarySweepOnRandomInstances(int dimM) {
    SplittableRandom rng = new SplittableRandom(100 + dimM);
    ExactL2Oro solver = new ExactL2Oro(dimM);
    double[] delta = new double[dimM];
    int instances = 10_000;
    for (int i = 0; i < instances; i++) {
      Case c = random(rng, dimM, Family.RANDOM);
      OroProblem p = c.load();
      double value = solver.solve(p, delta);
      double sweep = new Sweep(p, null).max();
      double scale = Math.max(1.0, Math.abs(sweep));
      String where = "d_M " + dimM + " instance " + i;
      assertTrue(value >= sweep - 1e-12 * scale, where + ": value " + value + " below the sweep " + sweep);
      assertTrue(value <= sweep + 1e-9 * scale, where + ": value " + value + " above the sweep " + sweep);
      assertCertified(solver, p, c, value, delta, where);
    }
  }

  /** The edge cases: every instance certified, and equal to the sweep. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Family.class)
  void certifiesEveryEdgeCaseFamily(Family family) {
    for (int dimM = 2; dimM <= 3; dimM++) {
      SplittableRandom rng = new SplittableRandom(7 * family.ordinal() + dimM);
      ExactL2Oro solver = new ExactL2Oro(dimM);
      double[] delta = new double[dimM];
      for (int i = 0; i < 1500; i++) {
        Case c = random(rng, dimM, family);
        OroProblem p = c.load();
        double value = solver.solve(p, delta);
        String where = family + " d_M " + dimM + " instance " + i;
        assertCertified(solver, p, c, value, delta, where);
        if (i % 3 == 0) {
          double sweep = new Sweep(p, c.sigma).max();
          double scale = Math.max(1.0, Math.abs(sweep));
          assertTrue(value >= sweep - 1e-12 * scale, where + ": value " + value + " below the sweep " + sweep);
          assertTrue(value <= sweep + 1e-9 * scale, where + ": value " + value + " above the sweep " + sweep);
        }
      }
    }
  }

  /** The certificate at larger d_M (no sweep there): every instance of every family, d_M up to 20. */
  @Test
  void certifiesAtLargerDimensions() {
    SplittableRandom rng = new SplittableRandom(31);
    for (int dimM : new int[] {4, 5, 8, 12, 20}) {
      ExactL2Oro solver = new ExactL2Oro(dimM);
      double[] delta = new double[dimM];
      for (int i = 0; i < 300; i++) {
        Family family = Family.values()[i % Family.values().length];
        Case c = random(rng, dimM, family);
        OroProblem p = c.load();
        double value = solver.solve(p, delta);
        assertCertified(solver, p, c, value, delta, family + " d_M " + dimM + " instance " + i);
      }
    }
  }

  private static void assertCertified(ExactL2Oro solver, OroProblem p, Case c, double value, double[] delta,
                                      String where) {
    double upper = solver.lastUpperBound();
    double scale = Math.max(1.0, Math.abs(upper));
    assertEquals(ExactL2Oro.Outcome.CERTIFIED, solver.lastOutcome(), where + ": gap " + solver.lastGap());
    assertTrue(upper - value <= ExactL2Oro.CERTIFICATE_TOLERANCE * scale, where + ": gap " + (upper - value));
    // The bound is an upper bound: above the value up to the round-off of computing both in floating
    // point (measured ≤ 2e-14 relative over every family; 1e-13 is the spec's accuracy claim).
    assertTrue(upper >= value - 1e-13 * scale, where + ": upper " + upper + " < value " + value);
    // The returned value is g at the returned point, which is in the ball.
    assertEquals(p.objective(delta), value, 1e-15 * Math.max(1.0, Math.abs(value)), where);
    double norm = p.feasibleSet().ball().norm(delta);
    assertTrue(norm <= p.feasibleSet().gamma() * (1 + 1e-14), where + ": ‖Δ‖ " + norm);
    double lambda = solver.lastLambda();
    if (!Double.isNaN(lambda)) {
      double residual = certificateResidual(p, c.sigma, upper, lambda);
      assertTrue(residual >= -1e-12, where + ": W(r, λ) has eigenvalue " + residual + "·max|W|");
    }
  }

  /** Exact is never below coordinate descent, and CD stops short somewhere (else the test proves nothing). */
  @Test
  void neverBelowCoordinateDescent() {
    SplittableRandom rng = new SplittableRandom(5);
    int shortCount = 0;
    for (int dimM : new int[] {2, 3, 5, 10}) {
      ExactL2Oro exact = new ExactL2Oro(dimM);
      CoordinateDescentOro cd = new CoordinateDescentOro(dimM);
      double[] a = new double[dimM];
      double[] b = new double[dimM];
      for (int i = 0; i < 2000; i++) {
        Case c = random(rng, dimM, i % 2 == 0 ? Family.RANDOM : Family.MAHALANOBIS);
        OroProblem p = c.load();
        double e = exact.solve(p, a);
        double d = cd.solve(p, b);
        double scale = Math.max(1.0, Math.abs(e));
        assertTrue(e >= d - 1e-12 * scale, "d_M " + dimM + " instance " + i + ": exact " + e + " < cd " + d);
        if (e - d > 1e-6 * scale) {
          shortCount++;
        }
      }
    }
    assertTrue(shortCount > 0, "coordinate descent never stopped short: instances too easy");
  }

  /** d_M = 1, γ = 0 and ρ = 0 have closed forms: certified with a zero gap. */
  @Test
  void closedFormCases() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 200; i++) {
      Case c = random(rng, 1, i % 2 == 0 ? Family.RANDOM : Family.MAHALANOBIS);
      OroProblem p = c.load();
      ExactL2Oro solver = new ExactL2Oro(1);
      double[] delta = new double[1];
      double value = solver.solve(p, delta);
      double gamma = c.set.gamma();
      double end = c.sigma == null ? gamma : gamma / Math.sqrt(c.sigma[0]);
      double[] plus = {end};
      double[] minus = {-end};
      assertEquals(Math.max(p.objective(plus), p.objective(minus)), value, 0.0);
      assertEquals(0.0, solver.lastGap(), 0.0);
    }
    Case c = random(rng, 3, Family.RANDOM);
    ExactL2Oro solver = new ExactL2Oro(3);
    double[] delta = new double[3];
    c.set.prepare(c.x);
    OroProblem p = new OroProblem(c.set, Kernels.get());
    p.load(c.x, c.theta, 0, c.vInv, 0, 0.0); // ρ = 0: linear
    double value = solver.solve(p, delta);
    double tNorm = 0;
    for (double t : p.thetaHatM()) {
      tNorm += t * t;
    }
    assertEquals(p.base() + c.set.gamma() * Math.sqrt(tNorm), value, 1e-12 * Math.abs(value));
    FeasibleSet still = new FeasibleSet(c.dim, c.set.mutableIndices(), new L2Ball(3, 0.0));
    still.prepare(c.x);
    OroProblem q = new OroProblem(still, Kernels.get());
    q.load(c.x, c.theta, 0, c.vInv, 0, 1.5);
    assertEquals(q.objectiveAtZero(), solver.solve(q, delta), 0.0);
  }

  /**
   * Per-feature bounds: if the ball's maximiser lies inside them it is returned (same value as without
   * bounds, BALL_OPTIMUM_FEASIBLE); otherwise coordinate descent's answer (FALLBACK_CD), feasible, at
   * least CD's value, and never above the ball's certified bound.
   */
  @Test
  void boundedSetsFallBackToCoordinateDescentWhenTheBallOptimumIsCutOff() {
    SplittableRandom rng = new SplittableRandom(11);
    int inside = 0;
    int cut = 0;
    for (int i = 0; i < 3000; i++) {
      int dimM = 2 + i % 3;
      Case free = random(rng, dimM, i % 4 == 0 ? Family.MAHALANOBIS : Family.RANDOM);
      double gamma = free.set.gamma();
      double[] lower = new double[dimM];
      double[] upper = new double[dimM];
      double width = i % 2 == 0 ? 0.2 * gamma : 5 * gamma; // tight bounds cut, loose ones rarely
      for (int k = 0; k < dimM; k++) {
        double xk = free.x[free.set.mutableIndex(k)];
        lower[k] = xk - rng.nextDouble(0, width);
        upper[k] = xk + rng.nextDouble(0, width);
      }
      FeasibleSet boundedSet = new FeasibleSet(free.dim, free.set.mutableIndices(), free.set.ball(), lower, upper);
      Case bounded = new Case(free.dim, free.x, free.theta, free.vInv, free.rho, boundedSet, free.sigma);
      ExactL2Oro exact = new ExactL2Oro(dimM);
      double[] d0 = new double[dimM];
      double ballValue = exact.solve(free.load(), d0);
      double ballUpper = exact.lastUpperBound();
      OroProblem p = bounded.load();
      double[] d1 = new double[dimM];
      double value = exact.solve(p, d1);
      double cdValue = new CoordinateDescentOro(dimM).solve(p, new double[dimM]);
      double scale = Math.max(1.0, Math.abs(ballValue));
      boolean respects = true;
      for (int k = 0; k < dimM; k++) {
        respects &= d0[k] >= boundedSet.lowerDisplacement()[k] && d0[k] <= boundedSet.upperDisplacement()[k];
      }
      String where = "instance " + i;
      if (respects) {
        inside++;
        assertEquals(ExactL2Oro.Outcome.BALL_OPTIMUM_FEASIBLE, exact.lastOutcome(), where);
        assertEquals(ballValue, value, 0.0, where);
      } else {
        cut++;
        assertEquals(ExactL2Oro.Outcome.FALLBACK_CD, exact.lastOutcome(), where);
        assertTrue(value >= cdValue, where + ": " + value + " < cd " + cdValue);
        assertTrue(value <= ballUpper + 1e-12 * scale, where);
      }
      assertTrue(boundedSet.ball().contains(d1, boundedSet.lowerDisplacement(), boundedSet.upperDisplacement(), 1e-9),
          where + ": infeasible");
      assertEquals(p.objective(d1), value, 1e-12 * scale, where);
    }
    assertTrue(inside > 100 && cut > 100, "both branches exercised: inside " + inside + ", cut " + cut);
  }

  /**
   * The preparation is cached per arm: solving the same arm again (new contexts) reuses it; an update
   * of that arm, a change of ρ, or another model's V⁻¹ redoes it; another arm's update does not;
   * problems loaded without an arm identity prepare every time.
   */
  @Test
  void preparationIsRedoneOnlyWhenTheArmStateOrRhoChanges() {
    int dim = 6;
    int dimM = 3;
    dev.recourse.core.model.RidgeArms model = new dev.recourse.core.model.RidgeArms(2, dim, 1.0);
    SplittableRandom rng = new SplittableRandom(3);
    for (int s = 0; s < 20; s++) {
      model.update(s % 2, gaussian(rng, dim), 0, rng.nextGaussian());
    }
    FeasibleSet set = new FeasibleSet(dim, new int[] {1, 3, 4}, new L2Ball(dimM, 1.0));
    OroProblem p = new OroProblem(set, Kernels.get());
    ExactL2Oro solver = new ExactL2Oro(dimM);
    double[] delta = new double[dimM];
    Runnable solveArm0 = () -> {
      double[] x = gaussian(rng, dim);
      set.prepare(x);
      p.load(x, model.thetaHat(), 0, model.vInv(), 0, 2.0, 0, model.stateVersion(0));
      solver.solve(p, delta);
    };
    solveArm0.run();
    assertEquals(1, solver.preparations());
    solveArm0.run();
    solveArm0.run();
    assertEquals(1, solver.preparations(), "same arm state and rho, other contexts: cached");
    model.update(1, gaussian(rng, dim), 0, 1.0);
    solveArm0.run();
    assertEquals(1, solver.preparations(), "another arm's update leaves arm 0's preparation valid");
    model.update(0, gaussian(rng, dim), 0, 1.0);
    solveArm0.run();
    assertEquals(2, solver.preparations(), "arm 0 learnt: redone");
    solveArm0.run();
    assertEquals(2, solver.preparations());
    model.refresh(0);
    solveArm0.run();
    assertEquals(3, solver.preparations(), "a refresh recomputes V⁻¹: redone");
    double[] x = gaussian(rng, dim);
    set.prepare(x);
    p.load(x, model.thetaHat(), 0, model.vInv(), 0, 2.5, 0, model.stateVersion(0));
    solver.solve(p, delta);
    assertEquals(4, solver.preparations(), "rho changed: redone");
    double[] copy = model.vInv().clone();
    p.load(x, model.thetaHat(), 0, copy, 0, 2.5, 0, model.stateVersion(0));
    solver.solve(p, delta);
    assertEquals(5, solver.preparations(), "another V⁻¹ array (another model): redone");
    p.load(x, model.thetaHat(), 0, model.vInv(), 0, 2.5);
    solver.solve(p, delta);
    solver.solve(p, delta);
    assertEquals(7, solver.preparations(), "no arm identity: prepared every time");
    // And the cached answer is the one a fresh preparation gives, bit for bit.
    p.load(x, model.thetaHat(), 0, model.vInv(), 0, 2.5, 0, model.stateVersion(0));
    double cached = solver.solve(p, delta);
    double fresh = new ExactL2Oro(dimM).solve(p, new double[dimM]);
    assertEquals(Double.doubleToLongBits(fresh), Double.doubleToLongBits(cached));
  }

  /**
   * A copy of the set (same metric) keeps the arm caches; a Mahalanobis ball with another Σ drops them
   * and gives the answer a fresh solver gives.
   */
  @Test
  void setCopiesKeepTheCacheAnotherSigmaDropsIt() {
    SplittableRandom rng = new SplittableRandom(21);
    Case c = random(rng, 3, Family.MAHALANOBIS);
    ExactL2Oro solver = new ExactL2Oro(3);
    double[] delta = new double[3];
    for (int copy = 0; copy < 3; copy++) {
      FeasibleSet set = c.set.copy();
      set.prepare(c.x);
      OroProblem p = new OroProblem(set, Kernels.get());
      p.load(c.x, c.theta, 0, c.vInv, 0, c.rho, 0, 1);
      solver.solve(p, delta);
    }
    assertEquals(1, solver.preparations(), "copies of one set share the preparation");
    double[] otherSigma = randomSpd(rng, 3);
    FeasibleSet other = new FeasibleSet(c.dim, c.set.mutableIndices(), new MahalanobisBall(3, c.set.gamma(), otherSigma));
    other.prepare(c.x);
    OroProblem p = new OroProblem(other, Kernels.get());
    p.load(c.x, c.theta, 0, c.vInv, 0, c.rho, 0, 1);
    double value = solver.solve(p, delta);
    assertEquals(2, solver.preparations(), "another sigma: prepared again");
    double fresh = new ExactL2Oro(3).solve(p, new double[3]);
    assertEquals(Double.doubleToLongBits(fresh), Double.doubleToLongBits(value));
    // Same metric, other mutable features: B and t change, so the cache must too.
    int[] others = c.set.mutableIndices();
    int swap = others[0];
    others[0] = others[1];
    others[1] = swap;
    FeasibleSet reordered = new FeasibleSet(c.dim, others, new MahalanobisBall(3, c.set.gamma(), otherSigma));
    reordered.prepare(c.x);
    OroProblem r = new OroProblem(reordered, Kernels.get());
    r.load(c.x, c.theta, 0, c.vInv, 0, c.rho, 0, 1);
    double reorderedValue = solver.solve(r, delta);
    assertEquals(3, solver.preparations(), "other mutable features: prepared again");
    assertEquals(Double.doubleToLongBits(new ExactL2Oro(3).solve(r, new double[3])), Double.doubleToLongBits(reorderedValue));
  }

  /** Glrb with the exact solver: the model's versions reach the cache; one preparation per update. */
  @Test
  void glrbPreparesOncePerUpdatedArm() {
    int dim = 5;
    int arms = 4;
    dev.recourse.core.model.RidgeArms model = new dev.recourse.core.model.RidgeArms(arms, dim, 1.0);
    FeasibleSet set = new FeasibleSet(dim, new int[] {0, 2}, new L2Ball(2, 1.0));
    ExactL2Oro solver = new ExactL2Oro(2);
    dev.recourse.core.policy.Glrb glrb = new dev.recourse.core.policy.Glrb(model, set,
        dev.recourse.core.policy.ConfidenceRadius.constant(2.0), solver);
    dev.recourse.core.policy.Decision decision = new dev.recourse.core.policy.Decision(dim);
    SplittableRandom rng = new SplittableRandom(4);
    int rounds = 200;
    for (int round = 0; round < rounds; round++) {
      glrb.decide(gaussian(rng, dim), decision);
      glrb.update(decision.arm(), decision.context(), rng.nextGaussian());
    }
    // Each arm is prepared when first solved and again only after it learnt: at most K + one per update,
    // while a solver without the arm identity would prepare on each of the (≥ rounds) solves.
    assertTrue(solver.preparations() <= arms + rounds, "preparations " + solver.preparations());
    long before = solver.preparations();
    for (int round = 0; round < 20; round++) {
      glrb.decide(gaussian(rng, dim), decision);
    }
    // Without updates each arm is prepared at most once more (if its last update came after its last
    // solve, pruning having skipped it), however many decisions follow.
    assertTrue(solver.preparations() - before <= arms, "20 decisions without updates prepared "
        + (solver.preparations() - before) + " times");
  }

  /**
   * Once every arm is prepared, a solve allocates nothing (the bounded CD fallback included): at most a
   * one-off kilobyte over 10,000 solves, where one allocation per solve would be ≥ 160 kB. JMH's
   * {@code -prof gc} (BENCHMARKS.md) is the other check.
   */
  @Test
  void solveAllocatesNothing() {
    java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
    SplittableRandom rng = new SplittableRandom(8);
    Case c = random(rng, 4, Family.MAHALANOBIS);
    OroProblem p = c.load();
    double[] x = c.x;
    ExactL2Oro solver = new ExactL2Oro(4);
    double[] delta = new double[4];
    p.load(x, c.theta, 0, c.vInv, 0, c.rho, 0, 1);
    for (int i = 0; i < 20_000; i++) {
      solver.solve(p, delta);
    }
    long id = Thread.currentThread().threadId();
    double[] sink = {0};
    // Any allocation per solve would be ≥ 16 B × 10,000; a one-off (a JIT deoptimisation
    // rematerialising a frame, a late compilation in a fresh JVM on busy cores) is not the solver's, so
    // windows are measured until one is clean, for at most a minute.
    long allocated = cleanestWindow(mx, id, () -> sink[0] += solver.solve(p, delta));
    assertTrue(sink[0] != 0);
    assertTrue(allocated <= 1024, allocated + " bytes allocated by 10,000 solves");

    // The bounded path where the ball's optimum is cut off (CD from x and from the retraction).
    Case free = random(rng, 3, Family.RANDOM);
    double[] lower = new double[3];
    double[] upper = new double[3];
    for (int k = 0; k < 3; k++) {
      lower[k] = free.x[free.set.mutableIndex(k)] - 0.05;
      upper[k] = free.x[free.set.mutableIndex(k)] + 0.05;
    }
    FeasibleSet tight = new FeasibleSet(free.dim, free.set.mutableIndices(), free.set.ball(), lower, upper);
    Case bounded = new Case(free.dim, free.x, free.theta, free.vInv, free.rho, tight, null);
    OroProblem q = bounded.load();
    ExactL2Oro boundedSolver = new ExactL2Oro(3);
    double[] d3 = new double[3];
    q.load(bounded.x, bounded.theta, 0, bounded.vInv, 0, bounded.rho, 0, 1);
    for (int i = 0; i < 20_000; i++) {
      boundedSolver.solve(q, d3);
    }
    assertEquals(ExactL2Oro.Outcome.FALLBACK_CD, boundedSolver.lastOutcome());
    allocated = cleanestWindow(mx, id, () -> sink[0] += boundedSolver.solve(q, d3));
    assertTrue(allocated <= 1024, allocated + " bytes allocated by 10,000 bounded solves");
  }

  /** Bytes allocated by 10,000 calls of {@code call}, window after window until one is ≤ 1 kB (≤ 60 s). */
  private static long cleanestWindow(com.sun.management.ThreadMXBean mx, long id, Runnable call) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    long allocated;
    do {
      long before = mx.getThreadAllocatedBytes(id);
      for (int i = 0; i < 10_000; i++) {
        call.run();
      }
      allocated = mx.getThreadAllocatedBytes(id) - before;
    } while (allocated > 1024 && System.nanoTime() < deadline);
    return allocated;
  }

  @Test
  void rejectsOtherBallsAndBadRho() {
    SplittableRandom rng = new SplittableRandom(2);
    Case c = random(rng, 2, Family.RANDOM);
    FeasibleSet l1 = new FeasibleSet(c.dim, c.set.mutableIndices(), new L1Ball(2, 1.0));
    l1.prepare(c.x);
    OroProblem p = new OroProblem(l1, Kernels.get());
    p.load(c.x, c.theta, 0, c.vInv, 0, 1.0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExactL2Oro(2).solve(p, new double[2]));
    assertTrue(e.getMessage().contains("l1"), e.getMessage());
    c.set.prepare(c.x);
    OroProblem q = new OroProblem(c.set, Kernels.get());
    q.load(c.x, c.theta, 0, c.vInv, 0, -1.0);
    e = assertThrows(IllegalArgumentException.class, () -> new ExactL2Oro(2).solve(q, new double[2]));
    assertTrue(e.getMessage().contains("rho") && e.getMessage().contains("-1.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ExactL2Oro(0));
    assertTrue(e.getMessage().contains("dimM"), e.getMessage());
  }
}
