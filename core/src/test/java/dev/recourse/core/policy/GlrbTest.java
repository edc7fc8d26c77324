package dev.recourse.core.policy;

import static dev.recourse.core.policy.LinUcbTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recourse.core.model.ArmModel;
import dev.recourse.core.model.LogisticArms;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.reference.StateWords;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GLRB's argument checks: bad input throws naming the field and leaves the policy as it was. */
class GlrbTest {

  private static Glrb glrb(boolean logistic, boolean robust) {
    ArmModel model = logistic ? new LogisticArms(2, 3, 1.0) : new RidgeArms(2, 3, 1.0);
    return new Glrb(model, new FeasibleSet(3, new int[] {2}, new L2Ball(1, 1.0)), ConfidenceRadius.constant(1.0),
        new CoordinateDescentOro(1), robust);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aContextOutcomeOrDecisionOfAnotherDimensionIsRejectedBeforeAnyChange(boolean logistic) {
    Glrb g = glrb(logistic, true);
    Decision d = new Decision(3);
    g.decide(new double[] {1, 0, 0}, d);
    g.update(d.arm(), d.context(), 1.0);
    long[] before = StateWords.of(g);
    assertMessage(() -> g.decide(new double[] {1, 0, 0, Double.NaN}, new Decision(3)), "context length must be 3, got 4");
    assertMessage(() -> g.decide(new double[] {1, 0, 0, 0}, new boolean[] {true, true}, new Decision(3, 2)),
        "context length must be 3");
    assertMessage(() -> g.update(0, new double[] {1, 1, 1, Double.NaN, 0, 0, 0}, 1.0), "context length must be 3, got 7");
    Outcome other = new Outcome(4);
    assertMessage(() -> g.update(other.set(0, 1.0)), "outcome dim must be 3, got 4");
    assertMessage(() -> g.decide(new double[] {1, 0, 0}, new Decision(2)), "decision dim must be 3, got 2");
    assertMessage(() -> g.decide(new double[] {1, 0, 0}, null), "decision must not be null");
    assertArrayEquals(before, StateWords.of(g), "state unchanged");
  }

  /** A solver sized for fewer mutable features than the set has failed only at the first decision (AIOOBE). */
  @org.junit.jupiter.api.Test
  void aSolverTooSmallForTheFeasibleSetIsRefusedAtConstruction() {
    FeasibleSet two = new FeasibleSet(3, new int[] {1, 2}, new L2Ball(2, 1.0));
    assertMessage(() -> new Glrb(new RidgeArms(2, 3, 1.0), two, ConfidenceRadius.constant(1.0),
        new CoordinateDescentOro(1)), "solver cd is sized for 1 mutable features, but the feasible set has 2");
    assertMessage(() -> new Glrb(new RidgeArms(2, 3, 1.0), two, ConfidenceRadius.constant(1.0),
        new dev.recourse.core.recourse.ExactL2Oro(1)), "sized for 1 mutable features");
    Glrb ok = new Glrb(new RidgeArms(2, 3, 1.0), two, ConfidenceRadius.constant(1.0), new CoordinateDescentOro(2));
    Decision d = new Decision(3);
    ok.decide(new double[] {1, 0, 0}, d);
    assertEquals(3, d.context().length);
  }

  /** A non-finite played context would make the robust variant's deviation sum NaN for good. */
  @ParameterizedTest
  @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
  void aNonFinitePlayedContextIsRejected(double bad) {
    Glrb g = glrb(false, true);
    long[] before = StateWords.of(g);
    assertMessage(() -> g.recordPlayed(0, new double[] {0, 0, bad}), "played context x2 must be finite, got " + bad);
    assertMessage(() -> g.recordPlayed(0, null), "played context must not be null");
    assertArrayEquals(before, StateWords.of(g), "state unchanged");
    g.recordPlayed(0, new double[] {0, 0, 0.5});
    g.update(0, new double[] {1, 1, 1}, 5.0);
    assertEquals(0.5, g.meanDeviation(0, 0), 0.0);
  }
}
