package dev.recourse.core.advisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.recourse.LInfBall;
import dev.recourse.core.rng.Lxm64x128;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The simulated advisors' configuration checks and edge cases. */
class AdvisorsTest {

  private static final double[] THETA = {1, 0, 1, 0, 1, -1};

  private static void rejected(Executable call, String words) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(words), e.getMessage());
  }

  /** γ = 0: the ℓ∞ box is a point, so a random recourse is "no change" (nextDouble(-0.0, 0.0) used to throw). */
  @Test
  void aQualityAdvisorOnAZeroRadiusBoxRecommendsNoChange() {
    FeasibleSet set = new FeasibleSet(3, new int[] {2}, new LInfBall(1, 0.0));
    QualityAdvisor advisor = new QualityAdvisor(THETA, 2, set, 0.0, new Lxm64x128(5));
    int[] arm = new int[1];
    double[] context = new double[3];
    for (int i = 0; i < 20; i++) {
      assertTrue(advisor.advise(new double[] {0.5, -1, 2}, arm, context));
      assertArrayEquals(new double[] {0.5, -1, 2}, context, 0.0);
      assertTrue(arm[0] == 0 || arm[0] == 1);
    }
  }

  @Test
  void aGuidelineWithANegativeFeatureIsRejectedAtConstruction() {
    rejected(() -> new GuidelineAdvisor(0, new int[] {2, -1}, new double[] {0.5, 0.5}), "features[1] must be >= 0, got -1");
    rejected(() -> GuidelineAdvisor.bestArm(THETA, 2, new int[] {-3}, new double[] {0.5}), "features[0] must be >= 0, got -3");
    rejected(() -> new GuidelineAdvisor(0, new int[] {2}, new double[] {Double.NaN}), "shifts[0] must be finite, got NaN");
    int[] arm = new int[1];
    double[] context = new double[3];
    assertTrue(new GuidelineAdvisor(1, new int[] {2}, new double[] {0.5}).advise(new double[] {0, 0, 1}, arm, context));
    assertArrayEquals(new double[] {0, 0, 1.5}, context, 0.0);
    assertEquals(1, arm[0]);
  }

  @Test
  void aSuboptimalAdvisorNeedsNumArmsTimesDParameters() {
    FeasibleSet set = new FeasibleSet(3, new int[] {2}, new L2Ball(1, 1.0));
    rejected(() -> new SuboptimalAdvisor(new double[4], 2, set, 0.1, new Lxm64x128(1)),
        "theta must hold numArms·d = 6 values, got 4");
    rejected(() -> new SuboptimalAdvisor(new double[7], 2, set, 0.1, new Lxm64x128(1)), "got 7");
    rejected(() -> new SuboptimalAdvisor(new double[0], 0, set, 0.1, new Lxm64x128(1)), "numArms must be >= 1, got 0");
    new SuboptimalAdvisor(THETA, 2, set, 0.1, new Lxm64x128(1));
  }
}
