package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Bad input at the boundary: each call below throws an {@link IllegalArgumentException} whose message
 * names the field and the value, and the model (its state and version) and the pending decisions are
 * untouched.
 */
class ValidationTest {

  private final AtomicLong now = new AtomicLong();

  private PolicyService service(String yaml) {
    return PolicyService.builder(ServiceConfig.parse(yaml)).clock(now::get).build();
  }

  private static void rejected(PolicyService s, Executable call, String... words) {
    long version = s.version();
    long pending = s.stats().pending();
    long[] state = SnapshotTest.stateOf(s);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' names " + w);
    }
    assertEquals(version, s.version(), "no version published");
    assertEquals(pending, s.stats().pending(), "pending decisions unchanged");
    assertArrayEquals(state, SnapshotTest.stateOf(s), "model untouched");
  }

  @Test
  void contextsAllowedSetsAndArms() {
    PolicyService s = service(Configs.yaml("glrb", 3, 3, 4));
    SnapshotTest.play(s, new SplittableRandom(1), 30, null);
    ServiceDecision open = s.decide(new double[] {0.1, 0.2, 0.3});
    rejected(s, () -> s.decide(new double[] {0.1, Double.NaN, 0.3}), "context[1]", "NaN");
    rejected(s, () -> s.decide(new double[] {0.1, 0.2, Double.POSITIVE_INFINITY}), "context[2]", "Infinity");
    rejected(s, () -> s.decide(new double[] {0.1, 0.2}), "context", "length dim = 3", "got 2");
    rejected(s, () -> s.decide(null), "context", "null");
    rejected(s, () -> s.decide(new double[] {0, 0, 0}, new int[0]), "allowedArms", "[]");
    rejected(s, () -> s.decide(new double[] {0, 0, 0}, 0, 3), "allowedArms[1]", "got 3");
    rejected(s, () -> s.decide(new double[] {0, 0, 0}, -1), "allowedArms[0]", "got -1");
    rejected(s, () -> s.update(7, new double[] {0, 0, 0}, 1.0), "arm", "got 7");
    rejected(s, () -> s.update(0, new double[] {0, Double.NaN, 0}, 1.0), "context[1]", "NaN");
    rejected(s, () -> s.update(0, new double[] {0, 0, 0}, Double.NaN), "reward", "NaN");
    rejected(s, () -> s.update(open.id(), Double.POSITIVE_INFINITY), "reward", "Infinity");
    // Beyond the model's limit reward·x overflows: refused while the decision is still pending.
    rejected(s, () -> s.update(open.id(), 1e300), "reward must be at most 1.0E150", "1.0E300");
    rejected(s, () -> s.update(0, new double[] {0, 0, 0}, -1e200), "reward", "-1.0E200");
    rejected(s, () -> s.update(open.id(), 1.0, new double[] {1e200, 0, 0}), "realisedContext[0] must be at most",
        "1.0E200");
    rejected(s, () -> s.update(0, new double[] {0, -1e151, 0}, 1.0), "context[1]", "-1.0E151");
    rejected(s, () -> s.decide(new double[] {0, 0, 1e300}), "context[2] must be at most 1.0E150");
    rejected(s, () -> s.update(open.id(), 1.0, new double[] {1, 2}), "realisedContext", "got 2");
    s.retireArm(2);
    rejected(s, () -> s.decide(new double[] {0, 0, 0}, 2), "allowedArms[0] = 2", "retired");
    rejected(s, () -> s.retireArm(2), "arm 2", "already retired");
    rejected(s, () -> s.retireArm(5), "arm", "got 5");
    s.update(open.id(), 0.5); // the decision survived every rejected outcome
  }

  @Test
  void unknownAnsweredAndExpiredDecisionIds() {
    PolicyService s = service(Configs.yaml("linucb", 3, 2, 2).replace("expiry_seconds: 3600", "expiry_seconds: 10"));
    ServiceDecision d = s.decide(new double[] {1, 0, 0});
    rejected(s, () -> s.update(d.id() + 1000, 1.0), "decisionId " + (d.id() + 1000), "unknown");
    rejected(s, () -> s.update(-5L, 1.0), "decisionId -5", "unknown");
    s.update(d.id(), 1.0);
    rejected(s, () -> s.update(d.id(), 1.0), "decisionId " + d.id(), "already answered");
    ServiceDecision late = s.decide(new double[] {1, 0, 0});
    now.addAndGet(11_000_000_000L);
    // Refused with the pending decisions untouched: the decision is still there, and uncounted, until dropped.
    rejected(s, () -> s.update(late.id(), 1.0), "decisionId " + late.id() + " expired");
    rejected(s, () -> s.update(late.id(), 1.0), "decisionId " + late.id() + " expired");
    assertEquals(0, s.stats().expired());
    assertEquals(1, s.stats().pending());
  }

  @Test
  void anExpiredDecisionIsCountedOnceWhenItsSlotIsReused() {
    PolicyService s = service(Configs.yaml("linucb", 3, 2, 2).replace("capacity: 4096", "capacity: 1")
        .replace("expiry_seconds: 3600", "expiry_seconds: 10"));
    ServiceDecision late = s.decide(new double[] {1, 0, 0});
    now.addAndGet(11_000_000_000L);
    rejected(s, () -> s.update(late.id(), 1.0), "expired");
    ServiceDecision next = s.decide(new double[] {0, 1, 0});
    assertEquals(1, s.stats().expired());
    assertEquals(0, s.stats().evicted());
    assertEquals(1, s.stats().pending());
    s.update(next.id(), 1.0);
  }

  @Test
  void aMissingOutIsNamed() {
    PolicyService s = service(Configs.yaml("linucb", 3, 2, 2));
    rejected(s, () -> s.decide(new double[] {0, 0, 0}, null, null), "out", "null");
  }

  @Test
  void thePendingCapDropsTheOldestAndCountsIt() {
    PolicyService s = service(Configs.yaml("linucb", 3, 2, 2).replace("capacity: 4096", "capacity: 8"));
    ServiceDecision first = s.decide(new double[] {1, 0, 0});
    for (int i = 0; i < 8; i++) {
      s.decide(new double[] {1, 0, i});
    }
    assertEquals(1, s.stats().evicted());
    assertEquals(8, s.stats().pending());
    rejected(s, () -> s.update(first.id(), 1.0), "decisionId " + first.id(), "dropped");
  }

  @Test
  void logisticRewardsMustBeProbabilities() {
    PolicyService s = service(Configs.yaml("glrb", 3, 2, 2).replace("max_arms: 2\n", "max_arms: 2\nlink: logistic\n"));
    ServiceDecision d = s.decide(new double[] {0.1, 0.2, 0.3});
    rejected(s, () -> s.update(d.id(), 1.5), "reward", "[0, 1]", "logistic", "1.5");
    rejected(s, () -> s.update(0, new double[] {0, 0, 0}, -0.1), "reward", "-0.1");
    s.update(d.id(), 1.0);
  }

  @Test
  void configurationErrorsNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.parse(Configs.yaml("glrb", 3, 2, 2).replace("lambda: 1.0", "lambda: -1")));
    assertTrue(e.getMessage().contains("lambda"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.parse(Configs.yaml("glrb", 3, 2, 2).replace("ball: l2", "ball: l7")));
    assertTrue(e.getMessage().contains("ball") && e.getMessage().contains("l7"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.parse("dim: 3\narms: 2\npolicy: {type: glrb, radius: 1}\n"));
    assertTrue(e.getMessage().contains("no feasible set"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.parse("dim: 3\narms: 2\npolicy: {type: linucb, radius: 1, lamda: 2}\n"));
    assertTrue(e.getMessage().contains("lamda"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.parse("dim: 3\narms: 2\npolicy: {type: noop}\n"));
    assertTrue(e.getMessage().contains("cannot be embedded"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ServiceConfig.parse("dim: 3\narms: 2\npolicy: {type: std-ts}\n"));
    assertTrue(e.getMessage().contains("gambitts: missing"), e.getMessage());
  }

  @Test
  void armsAddedAtRunTimeAreOfferedAndTheCapacityHolds() {
    PolicyService s = service(Configs.yaml("linucb", 3, 2, 3));
    assertEquals(2, s.addArm());
    ServiceDecision d = s.decide(new double[] {1, 1, 1}, 2);
    assertEquals(2, d.arm());
    assertThrows(IllegalStateException.class, s::addArm);
    s.retireArm(0);
    s.retireArm(1);
    rejected(s, () -> s.retireArm(2), "last arm");
    assertEquals(2, s.decide(new double[] {0, 0, 1}).arm(), "only arm 2 is offered");
  }
}
