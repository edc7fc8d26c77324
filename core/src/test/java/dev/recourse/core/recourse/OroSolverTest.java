package dev.recourse.core.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.reference.NaiveLinalg;
import dev.recourse.core.simd.Kernels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OroSolverTest {

  /** A random ORO-Arm instance: x, θ̂, V⁻¹ of a random design, ρ, and a feasible set. */
  static final class Instance {
    final int dim;
    final double[] x;
    final double[] theta;
    final double[] vInv;
    final double rho;
    final FeasibleSet set;

    Instance(SplittableRandom rng, int dim, int[] mutable, Ball ball, boolean bounded) {
      this.dim = dim;
      x = new double[dim];
      theta = new double[dim];
      for (int i = 0; i < dim; i++) {
        x[i] = rng.nextGaussian();
        theta[i] = rng.nextGaussian();
      }
      double[] v = new double[dim * dim];
      for (int i = 0; i < dim; i++) {
        v[i * dim + i] = 1.0;
      }
      int n = rng.nextInt(0, 3 * dim);
      for (int s = 0; s < n; s++) {
        double[] z = new double[dim];
        for (int i = 0; i < dim; i++) {
          z[i] = rng.nextGaussian();
        }
        for (int i = 0; i < dim; i++) {
          for (int j = 0; j < dim; j++) {
            v[i * dim + j] += z[i] * z[j];
          }
        }
      }
      vInv = NaiveLinalg.inverse(v, dim);
      rho = rng.nextDouble(0.1, 3);
      double[] lower = null;
      double[] upper = null;
      if (bounded) {
        double[][] b = BallTest.randomBounds(rng, mutable.length, ball.gamma());
        lower = new double[mutable.length];
        upper = new double[mutable.length];
        for (int k = 0; k < mutable.length; k++) {
          lower[k] = x[mutable[k]] + b[0][k];
          upper[k] = x[mutable[k]] + b[1][k];
        }
      }
      set = new FeasibleSet(dim, mutable, ball, lower, upper);
    }

    OroProblem load() {
      set.prepare(x);
      OroProblem p = new OroProblem(set, Kernels.get());
      p.load(x, theta, 0, vInv, 0, rho);
      return p;
    }

    /** g(Δ) the slow way, on the full context. */
    double naiveObjective(double[] delta) {
      double[] xt = new double[dim];
      set.apply(x, delta, xt);
      double q = NaiveLinalg.dot(xt, 0, NaiveLinalg.multiply(vInv, dim, xt), 0, dim);
      return NaiveLinalg.dot(theta, 0, xt, 0, dim) + rho * Math.sqrt(q);
    }
  }

  static int[] scatteredMutable(SplittableRandom rng, int dim, int dimM) {
    int[] all = new int[dim];
    for (int i = 0; i < dim; i++) {
      all[i] = i;
    }
    for (int i = dim - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    return java.util.Arrays.copyOf(all, dimM);
  }

  @Test
  void problemObjectiveEqualsTheNaiveFullContextFormula() {
    SplittableRandom rng = new SplittableRandom(1);
    for (int trial = 0; trial < 50; trial++) {
      int dim = rng.nextInt(2, 12);
      int dimM = rng.nextInt(1, dim + 1);
      int[] mutable = trial % 5 == 0 ? identity(dim) : scatteredMutable(rng, dim, dimM);
      Instance inst = new Instance(rng, dim, mutable, new L2Ball(mutable.length, 2.0), false);
      OroProblem p = inst.load();
      double[] delta = new double[mutable.length];
      for (int k = 0; k < delta.length; k++) {
        delta[k] = rng.nextGaussian();
      }
      double naive = inst.naiveObjective(delta);
      assertEquals(naive, p.objective(delta), 1e-10 * (1 + Math.abs(naive)));
      assertEquals(inst.naiveObjective(new double[mutable.length]), p.objectiveAtZero(), 1e-10 * (1 + Math.abs(naive)));
    }
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** The plain 2·d_M enumeration ExactL1Oro must reproduce bit for bit (value and vertex). */
  private static double plainL1Enumeration(OroProblem p, double gamma, double[] delta) {
    int dimM = p.mutableDim();
    double best = p.objectiveAtZero();
    int bestK = -1;
    double bestSign = 0;
    for (int k = 0; k < dimM; k++) {
      double quadTerm = gamma * gamma * p.aMM(k, k);
      double lin = gamma * p.thetaHatM()[k];
      double cross = 2.0 * gamma * p.uM()[k];
      double plus = p.base() + lin + p.rho() * Math.sqrt(Math.max(0.0, p.normSqAtZero() + cross + quadTerm));
      if (plus > best) {
        best = plus;
        bestK = k;
        bestSign = 1;
      }
      double minus = p.base() - lin + p.rho() * Math.sqrt(Math.max(0.0, p.normSqAtZero() - cross + quadTerm));
      if (minus > best) {
        best = minus;
        bestK = k;
        bestSign = -1;
      }
    }
    java.util.Arrays.fill(delta, 0.0);
    if (bestK >= 0) {
      delta[bestK] = bestSign * gamma;
    }
    return best;
  }

  @Test
  void exactL1PrunedEnumerationIsThePlainOneBitForBit() {
    SplittableRandom rng = new SplittableRandom(12);
    ExactL1Oro solver = new ExactL1Oro();
    for (int trial = 0; trial < 3000; trial++) {
      int dim = rng.nextInt(1, 16);
      int[] mutable = scatteredMutable(rng, dim, rng.nextInt(1, dim + 1));
      int dimM = mutable.length;
      double gamma = rng.nextDouble(0.01, 5);
      Instance inst = new Instance(rng, dim, mutable, new L1Ball(dimM, gamma), false);
      switch (trial % 5) {
        case 1 -> java.util.Arrays.fill(inst.theta, 0.0); // symmetric vertices: ties everywhere
        case 2 -> java.util.Arrays.fill(inst.x, 0.0); // xᵀV⁻¹x = 0: no tangent bound
        case 3 -> { // repeated θ entries: ties between features
          for (int i = 0; i < dim; i++) {
            inst.theta[i] = i % 2 == 0 ? 1.0 : -1.0;
          }
        }
        case 4 -> { // θ = 0, V⁻¹ = I, x_M = 0: every vertex has the same value (exact ties)
          java.util.Arrays.fill(inst.theta, 0.0);
          java.util.Arrays.fill(inst.vInv, 0.0);
          for (int i = 0; i < dim; i++) {
            inst.vInv[i * dim + i] = 1.0;
          }
          for (int m : mutable) {
            inst.x[m] = 0.0;
          }
        }
        default -> { }
      }
      OroProblem p = inst.load();
      double[] fast = new double[dimM];
      double[] plain = new double[dimM];
      double value = solver.solve(p, fast);
      double expected = plainL1Enumeration(p, gamma, plain);
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(value), "value, trial " + trial);
      for (int k = 0; k < dimM; k++) {
        assertEquals(plain[k], fast[k], 0.0, "vertex, trial " + trial);
      }
    }
  }

  /**
   * Review findings: a large |θ̂ᵀx| with a tiny ρ√q, where an unmargined filter rejected a vertex the
   * direct comparison accepts (first case: Δ = 0 instead of +1; second: the other vertex). d = 2,
   * feature 1 mutable, x = (1, 0), so θ̂ᵀx = θ̂₀, xᵀV⁻¹x = V⁻¹₀₀, u_M = V⁻¹₁₀, A_MM = V⁻¹₁₁.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
      "-524288.0000000386, 1.2684082059394948e-13, -5.318518316937905e-11, 8.849079586103351e-18, 3.8345915753758776e-17",
      "-33554432.00000882, 1.3743555543118002e-09, -2.443360270441286e-09, -1.1214775447460505e-16, 3.139215059731444e-13"})
  void exactL1MatchesThePlainEnumerationAtLargeBaseAndTinyWidth(double base, double xAx, double thetaM, double u,
                                                                 double a) {
    FeasibleSet set = new FeasibleSet(2, new int[] {1}, new L1Ball(1, 1.0));
    double[] x = {1, 0};
    set.prepare(x);
    OroProblem p = new OroProblem(set, Kernels.get());
    p.load(x, new double[] {base, thetaM}, 0, new double[] {xAx, u, u, a}, 0, 1.0);
    double[] fast = new double[1];
    double[] plain = new double[1];
    double value = new ExactL1Oro().solve(p, fast);
    double expected = plainL1Enumeration(p, 1.0, plain);
    assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(value), "value");
    assertEquals(plain[0], fast[0], 0.0, "vertex");
  }

  @Test
  void exactL1MatchesThePlainEnumerationOverManyScales() {
    SplittableRandom rng = new SplittableRandom(77);
    ExactL1Oro solver = new ExactL1Oro();
    for (int trial = 0; trial < 20_000; trial++) {
      int dimM = rng.nextInt(1, 4);
      int dim = dimM + 1;
      int[] mutable = new int[dimM];
      for (int k = 0; k < dimM; k++) {
        mutable[k] = k + 1;
      }
      FeasibleSet set = new FeasibleSet(dim, mutable, new L1Ball(dimM, Math.pow(10, rng.nextInt(-3, 3))));
      double[] x = new double[dim];
      x[0] = 1;
      set.prepare(x);
      double[] theta = new double[dim];
      theta[0] = rng.nextDouble(-1, 1) * Math.pow(2, rng.nextInt(0, 40)); // θ̂ᵀx up to 2⁴⁰
      double scale = Math.pow(10, rng.nextInt(-18, 1));
      double[] vInv = new double[dim * dim];
      for (int i = 0; i < dim; i++) {
        vInv[i * dim + i] = scale * rng.nextDouble(0.1, 1);
        for (int j = 0; j < i; j++) {
          double v = scale * rng.nextDouble(-0.05, 0.05);
          vInv[i * dim + j] = v;
          vInv[j * dim + i] = v;
        }
      }
      for (int k = 0; k < dimM; k++) {
        theta[k + 1] = rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-12, 1));
      }
      OroProblem p = new OroProblem(set, Kernels.get());
      p.load(x, theta, 0, vInv, 0, Math.pow(10, rng.nextInt(-4, 2)));
      double[] fast = new double[dimM];
      double[] plain = new double[dimM];
      double value = solver.solve(p, fast);
      double expected = plainL1Enumeration(p, set.gamma(), plain);
      assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(value), "value, trial " + trial);
      for (int k = 0; k < dimM; k++) {
        assertEquals(plain[k], fast[k], 0.0, "vertex, trial " + trial);
      }
    }
  }

  @Test
  void exactL1BreaksAnExactTieByTheEnumerationOrderEvenWhenTheBoundsDisagree() {
    // V⁻¹ = diag(3, 8, 1), x = (0, 0, 1), θ̂ = (1, 0, 0), ρ = γ = 1: +e₀ has value 1 + √4 = 3 and
    // +e₁, −e₁ have 0 + √9 = 3; the tangent bounds (3.5 vs 5) put +e₁ first, the enumeration says +e₀.
    FeasibleSet set = new FeasibleSet(3, new int[] {0, 1}, new L1Ball(2, 1.0));
    double[] x = {0, 0, 1};
    set.prepare(x);
    OroProblem p = new OroProblem(set, Kernels.get());
    p.load(x, new double[] {1, 0, 0}, 0, new double[] {3, 0, 0, 0, 8, 0, 0, 0, 1}, 0, 1.0);
    double[] delta = new double[2];
    assertEquals(3.0, new ExactL1Oro().solve(p, delta), 0.0);
    assertEquals(1.0, delta[0], 0.0);
    assertEquals(0.0, delta[1], 0.0);
    double[] plain = new double[2];
    assertEquals(3.0, plainL1Enumeration(p, 1.0, plain), 0.0);
    assertEquals(1.0, plain[0], 0.0);
  }

  @Test
  void exactL1EqualsBruteForceOverAllVerticesAndCdNeverBeatsIt() {
    SplittableRandom rng = new SplittableRandom(2);
    for (int trial = 0; trial < 300; trial++) {
      int dim = rng.nextInt(1, 9);
      int[] mutable = scatteredMutable(rng, dim, rng.nextInt(1, dim + 1));
      int dimM = mutable.length;
      double gamma = rng.nextDouble(0.2, 3);
      Instance inst = new Instance(rng, dim, mutable, new L1Ball(dimM, gamma), false);
      OroProblem p = inst.load();
      double[] delta = new double[dimM];
      double exact = new ExactL1Oro().solve(p, delta);
      assertEquals(inst.naiveObjective(delta), exact, 1e-9 * (1 + Math.abs(exact)));

      double brute = inst.naiveObjective(new double[dimM]);
      for (int k = 0; k < dimM; k++) {
        for (double s : new double[] {gamma, -gamma}) {
          double[] v = new double[dimM];
          v[k] = s;
          brute = Math.max(brute, inst.naiveObjective(v));
        }
      }
      assertEquals(brute, exact, 1e-9 * (1 + Math.abs(brute)), "trial " + trial);

      double cd = new CoordinateDescentOro(dimM).solve(p, new double[dimM]);
      assertTrue(cd <= exact + 1e-9 * (1 + Math.abs(exact)), "CD " + cd + " beat exact " + exact);
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void exactBoxEqualsBruteForceEnumerationAndCdNeverBeatsIt(boolean bounded) {
    SplittableRandom rng = new SplittableRandom(bounded ? 3 : 4);
    for (int trial = 0; trial < 150; trial++) {
      int dim = rng.nextInt(1, 10);
      int[] mutable = scatteredMutable(rng, dim, rng.nextInt(1, Math.min(dim, 8) + 1));
      int dimM = mutable.length;
      double gamma = rng.nextDouble(0.2, 2);
      Ball ball = trial % 2 == 0 ? new LInfBall(dimM, gamma) : BallTest.ball("wlinf", dimM, gamma, rng);
      Instance inst = new Instance(rng, dim, mutable, ball, bounded);
      OroProblem p = inst.load();
      double[] delta = new double[dimM];
      double exact = new ExactBoxOro(dimM).solve(p, delta);
      assertEquals(inst.naiveObjective(delta), exact, 1e-9 * (1 + Math.abs(exact)));

      // Brute force: every vertex of the box, in plain binary order, evaluated from scratch.
      double[] lo = inst.set.lowerDisplacement();
      double[] hi = inst.set.upperDisplacement();
      double brute = Double.NEGATIVE_INFINITY;
      double[] v = new double[dimM];
      for (int mask = 0; mask < (1 << dimM); mask++) {
        for (int k = 0; k < dimM; k++) {
          double w = ((LInfBall) ball).halfWidth(k);
          double l = lo == null ? -w : Math.max(-w, lo[k]);
          double u = hi == null ? w : Math.min(w, hi[k]);
          v[k] = ((mask >> k) & 1) != 0 ? u : l;
        }
        brute = Math.max(brute, inst.naiveObjective(v));
      }
      assertEquals(brute, exact, 1e-9 * (1 + Math.abs(brute)), "trial " + trial);

      double cd = new CoordinateDescentOro(dimM).solve(p, new double[dimM]);
      assertTrue(cd <= exact + 1e-9 * (1 + Math.abs(exact)), "CD " + cd + " beat exact " + exact);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"l2", "l1", "linf", "wlinf", "mahalanobis"})
  void cdObjectiveNeverDecreasesAndNeverBeatsTheReference(String kind) {
    SplittableRandom rng = new SplittableRandom(kind.hashCode() + 5L);
    for (int trial = 0; trial < 40; trial++) {
      int dim = rng.nextInt(2, 8);
      int[] mutable = scatteredMutable(rng, dim, rng.nextInt(1, Math.min(dim, 3) + 1));
      int dimM = mutable.length;
      Ball ball = BallTest.ball(kind, dimM, rng.nextDouble(0.3, 3), rng);
      Instance inst = new Instance(rng, dim, mutable, ball, trial % 2 == 1);
      OroProblem p = inst.load();
      double previous = p.objectiveAtZero();
      double[] delta = new double[dimM];
      // Capping the iterations at k shows the k-th iterate: the sequence must not decrease.
      for (int k = 1; k <= 12; k++) {
        double value = new CoordinateDescentOro(dimM, 0.0, k).solve(p, delta);
        assertTrue(value >= previous - 1e-12 * (1 + Math.abs(previous)),
            kind + ": iterate " + k + " fell from " + previous + " to " + value);
        assertEquals(inst.naiveObjective(delta), value, 1e-9 * (1 + Math.abs(value)));
        assertTrue(inst.set.ball().contains(delta, inst.set.lowerDisplacement(), inst.set.upperDisplacement(), 1e-9));
        previous = value;
      }
      double reference = new ReferenceOro(dimM).solve(p, new double[dimM]);
      assertTrue(previous <= reference + 1e-9 * (1 + Math.abs(reference)),
          kind + ": CD " + previous + " above the reference " + reference);
    }
  }

  @Test
  void referenceFindsTheGlobalOptimumOfL2InTwoDimensionsByAFineSweep() {
    SplittableRandom rng = new SplittableRandom(6);
    for (int trial = 0; trial < 30; trial++) {
      Instance inst = new Instance(rng, 4, new int[] {3, 1}, new L2Ball(2, rng.nextDouble(0.5, 3)), false);
      OroProblem p = inst.load();
      double reference = new ReferenceOro(2).solve(p, new double[2]);
      double gamma = inst.set.gamma();
      double sweep = Double.NEGATIVE_INFINITY;
      int n = 400_000;
      for (int i = 0; i < n; i++) {
        double phi = 2 * Math.PI * i / n;
        sweep = Math.max(sweep, inst.naiveObjective(new double[] {gamma * Math.cos(phi), gamma * Math.sin(phi)}));
      }
      assertEquals(sweep, reference, 1e-6 * (1 + Math.abs(sweep)));
    }
  }

  @Test
  void solversRefuseSetsTheyCannotSolve() {
    SplittableRandom rng = new SplittableRandom(7);
    Instance inst = new Instance(rng, 3, new int[] {0, 1}, new L2Ball(2, 1), false);
    OroProblem p = inst.load();
    assertThrows(IllegalArgumentException.class, () -> new ExactL1Oro().solve(p, new double[2]));
    assertThrows(IllegalArgumentException.class, () -> new ExactBoxOro(2).solve(p, new double[2]));
    Instance big = new Instance(rng, 20, identity(20), new LInfBall(20, 1), false);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExactBoxOro(20).solve(big.load(), new double[20]));
    assertTrue(e.getMessage().contains("20"), e.getMessage());
  }

  @Test
  void feasibleSetRejectsBadConfigurationAndContexts() {
    assertThrows(IllegalArgumentException.class, () -> new FeasibleSet(3, new int[] {0, 3}, new L2Ball(2, 1)));
    assertThrows(IllegalArgumentException.class, () -> new FeasibleSet(3, new int[] {1, 1}, new L2Ball(2, 1)));
    assertThrows(IllegalArgumentException.class, () -> new FeasibleSet(3, new int[] {1}, new L2Ball(2, 1)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeasibleSet(3, new int[] {1}, new L2Ball(1, 1), new double[] {2}, new double[] {1}));
    assertTrue(e.getMessage().contains("feature 1"), e.getMessage());
    FeasibleSet set = new FeasibleSet(3, new int[] {2}, new L2Ball(1, 1), new double[] {0}, new double[] {5});
    e = assertThrows(IllegalArgumentException.class, () -> set.prepare(new double[] {0, 0, 7}));
    assertTrue(e.getMessage().contains("x2") && e.getMessage().contains("7.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> set.prepare(new double[] {0, 0, Double.NaN}));
    assertTrue(e.getMessage().contains("x2"), e.getMessage());
  }
}
