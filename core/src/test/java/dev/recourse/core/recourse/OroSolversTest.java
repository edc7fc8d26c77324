package dev.recourse.core.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one solver choice: which solver each norm, size and choice gets. */
class OroSolversTest {

  private static FeasibleSet set(Ball ball, boolean bounded) {
    int m = ball.mutableDim();
    int[] mutable = new int[m];
    for (int k = 0; k < m; k++) {
      mutable[k] = k + 1;
    }
    double[] lo = null;
    double[] hi = null;
    if (bounded) {
      lo = new double[m];
      hi = new double[m];
      java.util.Arrays.fill(lo, -1);
      java.util.Arrays.fill(hi, 1);
    }
    return new FeasibleSet(m + 1, mutable, ball, lo, hi);
  }

  private static double[] identity(int m) {
    double[] s = new double[m * m];
    for (int i = 0; i < m; i++) {
      s[i * m + i] = 1;
    }
    return s;
  }

  @Test
  void exactPicksTheExactSolverOfEachNorm() {
    assertEquals("exact-l1", OroSolvers.create(set(new L1Ball(5, 1), false), OroSolvers.Choice.EXACT).name());
    assertEquals("exact-box", OroSolvers.create(set(new LInfBall(5, 1), true), OroSolvers.Choice.EXACT).name());
    assertEquals("exact-l2", OroSolvers.create(set(new L2Ball(30, 1), false), OroSolvers.Choice.EXACT).name());
    assertEquals("exact-l2", OroSolvers.create(set(new L2Ball(3, 1), true), OroSolvers.Choice.EXACT).name());
    assertEquals("exact-l2", OroSolvers.create(set(new MahalanobisBall(3, 1, identity(3)), false),
        OroSolvers.Choice.EXACT).name());
  }

  @Test
  void exactFailsWhereNoneExistsNamingTheSet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OroSolvers.create(set(new L1Ball(3, 1), true), OroSolvers.Choice.EXACT));
    assertTrue(e.getMessage().contains("l1") && e.getMessage().contains("bounds"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> OroSolvers.create(set(new LInfBall(ExactBoxOro.DEFAULT_MAX_MUTABLE + 1, 1), false), OroSolvers.Choice.EXACT));
    assertTrue(e.getMessage().contains("linf"), e.getMessage());
  }

  @Test
  void autoTakesExactUpToTheCutOverAndCdAbove() {
    int cut = OroSolvers.AUTO_EXACT_L2_MAX_MUTABLE;
    assertTrue(cut >= 3, "at least the paper's d_M = 2 and 3");
    for (int m : new int[] {1, 2, 3, cut}) {
      assertEquals("exact-l2", OroSolvers.create(set(new L2Ball(m, 1), false), OroSolvers.Choice.AUTO).name(), "d_M " + m);
      assertEquals("exact-l2", OroSolvers.create(set(new MahalanobisBall(m, 1, identity(m)), false),
          OroSolvers.Choice.AUTO).name(), "d_M " + m);
    }
    assertEquals("cd", OroSolvers.create(set(new L2Ball(cut + 1, 1), false), OroSolvers.Choice.AUTO).name());
    assertEquals("exact-l1", OroSolvers.create(set(new L1Ball(40, 1), false), OroSolvers.Choice.AUTO).name());
    assertEquals("cd", OroSolvers.create(set(new L1Ball(4, 1), true), OroSolvers.Choice.AUTO).name());
    assertEquals("exact-box", OroSolvers.create(set(new LInfBall(ExactBoxOro.DEFAULT_MAX_MUTABLE, 1), false),
        OroSolvers.Choice.AUTO).name());
    assertEquals("cd", OroSolvers.create(set(new LInfBall(ExactBoxOro.DEFAULT_MAX_MUTABLE + 1, 1), false),
        OroSolvers.Choice.AUTO).name());
    assertFalse(OroSolvers.autoPicksExact(set(new L2Ball(cut + 1, 1), false)));
  }

  @Test
  void cdIsCdEverywhereWithItsSettings() {
    OroSolver s = OroSolvers.create(set(new L1Ball(3, 1), false), OroSolvers.Choice.CD, 1e-6, 7);
    assertEquals("cd", s.name());
    assertEquals(7, ((CoordinateDescentOro) s).maxIterations());
    assertEquals(1e-6, ((CoordinateDescentOro) s).tolerance());
  }

  @Test
  void parsesNamesAndRejectsOthers() {
    assertEquals(OroSolvers.Choice.AUTO, OroSolvers.Choice.parse(" Auto "));
    assertEquals(OroSolvers.Choice.EXACT, OroSolvers.Choice.parse("exact"));
    assertEquals("cd", OroSolvers.Choice.CD.label());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OroSolvers.Choice.parse("fast"));
    assertTrue(e.getMessage().contains("'fast'") && e.getMessage().contains("exact, cd, auto"), e.getMessage());
  }
}
