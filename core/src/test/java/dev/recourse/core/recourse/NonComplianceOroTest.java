package dev.recourse.core.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * ORO-NC against brute force. For a fixed θ the inner problems have Lemma 4's closed form, so the
 * value of ORO-NC-Arm is {@code max_{θ∈Θ} xᵀθ + (δ − ϵ)‖θ_M‖_*}, which for δ ≥ ϵ is ORO on the ball of
 * radius δ − ϵ: brute force sweeps that ball's boundary (ℓ2: a fine grid; ℓ1: its vertices) with the
 * exact inner maximum over θ.
 */
class NonComplianceOroTest {

  @ParameterizedTest
  @ValueSource(strings = {"l2", "l1"})
  void equalsBruteForceForSmallMutableBlocks(String kind) {
    SplittableRandom rng = new SplittableRandom(kind.hashCode());
    for (int trial = 0; trial < 60; trial++) {
      int dim = rng.nextInt(2, 6);
      int dimM = rng.nextInt(1, Math.min(3, dim) + 1);
      int[] mutable = OroSolverTest.scatteredMutable(rng, dim, dimM);
      double budget = rng.nextDouble(0.5, 3);
      double epsilon = rng.nextDouble(0, 0.9) * budget;
      Ball ball = kind.equals("l2") ? new L2Ball(dimM, budget) : new L1Ball(dimM, budget);
      OroSolverTest.Instance inst = new OroSolverTest.Instance(rng, dim, mutable, ball, false);
      OroProblem p = inst.load();
      NonComplianceOro solver = new NonComplianceOro(inst.set, epsilon, dev.recourse.core.simd.Kernels.get());
      double[] recommended = new double[dimM];
      double value = solver.solve(p, recommended);

      double shrink = budget - epsilon;
      double brute = bruteForce(inst, kind, dimM, shrink);
      // The grid can only fall short of the optimum, by its resolution.
      assertTrue(value >= brute - 1e-9 * (1 + Math.abs(brute)), kind + " trial " + trial + ": " + value + " < " + brute);
      assertEquals(brute, value, 1e-4 * (1 + Math.abs(brute)), kind + " trial " + trial);
      // The value is attained at the worst realisation the solver anticipates, and the recommendation
      // goes the full budget in the same direction (Lemma 4). (Positions are not compared with the
      // grid's argmax: near a flat optimum the grid fixes them only to the square root of its error.)
      double[] worst = solver.worstDisplacement();
      assertEquals(inst.naiveObjective(worst), value, 1e-9 * (1 + Math.abs(value)));
      assertTrue(ball.norm(worst) <= shrink * (1 + 1e-9));
      for (int k = 0; k < dimM; k++) {
        assertEquals(budget / shrink * worst[k], recommended[k], 1e-9 * budget);
      }
      assertTrue(ball.norm(recommended) <= budget * (1 + 1e-12));
    }
  }

  private static double bruteForce(OroSolverTest.Instance inst, String kind, int dimM, double radius) {
    double best = inst.naiveObjective(new double[dimM]);
    double[] d = new double[dimM];
    if (kind.equals("l1")) {
      for (int k = 0; k < dimM; k++) {
        for (double s : new double[] {radius, -radius}) {
          java.util.Arrays.fill(d, 0);
          d[k] = s;
          best = Math.max(best, inst.naiveObjective(d));
        }
      }
      return best;
    }
    int n = dimM == 1 ? 2 : dimM == 2 ? 200_000 : 400_000;
    for (int i = 0; i < n; i++) {
      if (dimM == 1) {
        d[0] = i == 0 ? radius : -radius;
      } else if (dimM == 2) {
        double phi = 2 * Math.PI * i / n;
        d[0] = radius * Math.cos(phi);
        d[1] = radius * Math.sin(phi);
      } else {
        double z = 1 - (2.0 * i + 1) / n;
        double r = Math.sqrt(1 - z * z);
        double phi = i * Math.PI * (3 - Math.sqrt(5));
        d[0] = radius * r * Math.cos(phi);
        d[1] = radius * r * Math.sin(phi);
        d[2] = radius * z;
      }
      best = Math.max(best, inst.naiveObjective(d));
    }
    return best;
  }

  @Test
  void whenThePatientCanUndoEverythingAlgorithmFourStillImprovesOnNoRecourse() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int trial = 0; trial < 30; trial++) {
      OroSolverTest.Instance inst = new OroSolverTest.Instance(rng, 4, new int[] {1, 3}, new L2Ball(2, 1.0), false);
      OroProblem p = inst.load();
      NonComplianceOro solver = new NonComplianceOro(inst.set, 1.5, dev.recourse.core.simd.Kernels.get());
      double[] rec = new double[2];
      double value = solver.solve(p, rec);
      // δ − ϵ = −0.5: the anticipated worst realisation lies 0.5 against the recommendation.
      double[] worst = solver.worstDisplacement();
      assertEquals(0.5, Math.hypot(worst[0], worst[1]), 1e-9);
      assertEquals(1.0, Math.hypot(rec[0], rec[1]), 1e-9);
      assertEquals(inst.naiveObjective(worst), value, 1e-9 * (1 + Math.abs(value)));
    }
  }

  @Test
  void refusesBoundsAndBadEpsilon() {
    SplittableRandom rng = new SplittableRandom(3);
    OroSolverTest.Instance free = new OroSolverTest.Instance(rng, 3, new int[] {0, 1}, new L2Ball(2, 1), false);
    assertThrows(IllegalArgumentException.class,
        () -> new NonComplianceOro(free.set, -0.1, dev.recourse.core.simd.Kernels.get()));
    OroSolverTest.Instance bounded = new OroSolverTest.Instance(rng, 3, new int[] {0, 1}, new L2Ball(2, 1), true);
    assertThrows(IllegalArgumentException.class,
        () -> new NonComplianceOro(bounded.set, 0.1, dev.recourse.core.simd.Kernels.get()));
  }
}
