package dev.recourse.core.policy;

import static dev.recourse.core.policy.LinUcbTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recourse.core.advisor.QualityAdvisor;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.reference.StateWords;
import dev.recourse.core.rng.Lxm64x128;
import org.junit.jupiter.api.Test;

/** LLM-only checks its input like every policy, before the advisor is asked (which moves its generator). */
class AdvisorOnlyTest {

  private static AdvisorOnly policy() {
    FeasibleSet set = new FeasibleSet(3, new int[] {2}, new L2Ball(1, 1.0));
    return new AdvisorOnly(new QualityAdvisor(new double[] {1, 0, 1, 0, 1, -1}, 2, set, 0.5, new Lxm64x128(5)), set, 2);
  }

  @Test
  void badDecideInputIsRejectedBeforeTheAdvisorIsAsked() {
    AdvisorOnly p = policy();
    p.decide(new double[] {0, 0, 0}, new Decision(3));
    long[] before = StateWords.of(p); // counters and the advisor's generator
    assertMessage(() -> p.decide(new double[] {Double.NaN, 0, 0}, new Decision(3)), "context x0 must be finite, got NaN");
    assertMessage(() -> p.decide(new double[] {0, Double.POSITIVE_INFINITY, 0}, new Decision(3)),
        "context x1 must be finite, got Infinity");
    assertMessage(() -> p.decide(null, new Decision(3)), "context must not be null");
    assertMessage(() -> p.decide(new double[] {0, 0, 0, 0}, new Decision(3)), "context length must be 3, got 4");
    assertMessage(() -> p.decide(new double[] {0, 0, 0}, new Decision(2)), "decision dim must be 3, got 2");
    assertMessage(() -> p.decide(new double[] {0, 0, 0}, null), "decision must not be null");
    assertMessage(() -> p.decide(new double[] {0, 0, 0}, new boolean[] {true, true}, new Decision(3, 5)),
        "decision scores length must be numArms = 2, got 5");
    assertEquals(1, p.queries());
    assertArrayEquals(before, StateWords.of(p), "state unchanged");
  }

  @Test
  void badOutcomesAreRejected() {
    AdvisorOnly p = policy();
    assertMessage(() -> p.update(-7, new double[] {0, 0, 0}, 1.0), "arm must be in [0, 2), got -7");
    assertMessage(() -> p.update(0, null, 1.0), "context must not be null");
    assertMessage(() -> p.update(0, new double[] {0, 0}, 1.0), "context length must be 3, got 2");
    assertMessage(() -> p.update(0, new double[] {0, Double.NaN, 0}, 1.0), "context x1 must be finite");
    assertMessage(() -> p.update(0, new double[] {0, 0, 0}, Double.NaN), "reward must be finite, got NaN");
    assertMessage(() -> p.update(new Outcome(3).set(99, 1.0)), "arm must be in [0, 2), got 99");
    assertMessage(() -> p.update(new Outcome(4).set(0, 1.0)), "outcome dim must be 3, got 4");
    p.update(new Outcome(3).set(1, 0.5));
  }
}
