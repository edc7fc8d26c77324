package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.ServablePolicy;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A service driven one decision at a time (decide, then the outcome by decision id with a realised
 * context that deviates from the recommendation) learns exactly what the core policy learns in the
 * simulator's round loop (decide, update with the realised context): same decisions, same state bit for
 * bit, the robust variant's deviation estimates included. And once warm, the service's decide into a
 * reused result allocates nothing.
 */
class RoundLoopEquivalenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "glrb", "glrb-robust", "glrb-nc", "libra"})
  void delayedUpdatesLearnWhatTheRoundLoopLearns(String type) {
    int dim = 5;
    int arms = 3;
    PolicyService service = Configs.service(type, dim, arms, arms);
    ServablePolicy core = service.config().newPolicy(new Configs.HashAdvisor());
    Decision d = new Decision(dim);
    Outcome o = new Outcome(dim);
    ServiceDecision s = new ServiceDecision(dim, arms, false);
    SplittableRandom rng = new SplittableRandom(3);
    for (int t = 0; t < 300; t++) {
      double[] x = Configs.context(rng, dim);
      core.decide(x, d);
      service.decide(x, null, s);
      assertEquals(d.arm(), s.arm(), "round " + t);
      assertArrayEquals(d.context(), s.recourse(), 0.0, "round " + t);
      double[] realised = d.context().clone();
      realised[dim - 1] += 0.3 * rng.nextDouble(); // non-compliance on a mutable feature
      double reward = Configs.reward(rng, d.arm(), realised);
      System.arraycopy(realised, 0, o.context(), 0, dim);
      core.update(o.set(d.arm(), reward));
      service.update(s.id(), reward, realised);
    }
    // The learnt state, compared through the models' accessors: the exported state also holds
    // bookkeeping only a deciding instance updates (GLRB's cached spectral bounds, LIBRA's advice
    // counters), which the service's master, which never decides, leaves at their start values.
    ServablePolicy learnt = service.config().newPolicy(new Configs.HashAdvisor());
    learnt.importState(new StateBuffer.Cursor().reset(SnapshotTest.stateOf(service)));
    assertLearntEqual(core, learnt, arms);
  }

  private static dev.recourse.core.model.ArmModel model(ServablePolicy p) {
    return switch (p) {
      case dev.recourse.core.policy.LinUcb l -> l.arms();
      case dev.recourse.core.policy.Glrb g -> g.model();
      case dev.recourse.core.policy.Libra l -> l.glrb().model();
      default -> throw new AssertionError(p);
    };
  }

  private static void assertLearntEqual(ServablePolicy a, ServablePolicy b, int arms) {
    dev.recourse.core.model.ArmModel ma = model(a);
    dev.recourse.core.model.ArmModel mb = model(b);
    assertArrayEquals(ma.vInv(), mb.vInv(), 0.0, "V⁻¹");
    assertArrayEquals(ma.thetaHat(), mb.thetaHat(), 0.0, "θ̂");
    for (int arm = 0; arm < arms; arm++) {
      assertEquals(ma.count(arm), mb.count(arm), "count of arm " + arm);
    }
    dev.recourse.core.policy.Glrb ga = a instanceof dev.recourse.core.policy.Libra l ? l.glrb()
        : a instanceof dev.recourse.core.policy.Glrb g ? g : null;
    dev.recourse.core.policy.Glrb gb = b instanceof dev.recourse.core.policy.Libra l ? l.glrb()
        : b instanceof dev.recourse.core.policy.Glrb g ? g : null;
    if (ga != null) {
      for (int arm = 0; arm < arms; arm++) {
        for (int k = 0; k < 2; k++) {
          assertEquals(ga.meanDeviation(arm, k), gb.meanDeviation(arm, k), 0.0, "deviation " + arm + "," + k);
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "glrb"})
  void decideAllocatesNothingOnceWarm(String type) {
    PolicyService service = Configs.service(type, 6, 4, 4);
    SnapshotTest.play(service, new SplittableRandom(1), 200, null);
    double[] x = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6};
    ServiceDecision out = new ServiceDecision(6, 4);
    int[] allowed = {0, 2, 3};
    for (int i = 0; i < 20_000; i++) { // warm: replica built, code compiled
      service.decide(x, allowed, out);
    }
    com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    // Windows of 10,000 decides until one allocates (almost) nothing: alone in a fresh JVM on busy
    // cores, C2 may still be compiling after the warm-up (C1 boxes vectors) or a late compilation may
    // allocate once. A decide that allocates would fill every window (≥ 16 B × 10,000).
    long deadline = System.nanoTime() + 60_000_000_000L;
    long bytes;
    java.util.List<Long> windows = new java.util.ArrayList<>();
    do {
      long before = bean.getThreadAllocatedBytes(id);
      for (int i = 0; i < 10_000; i++) {
        service.decide(x, allowed, out);
      }
      bytes = bean.getThreadAllocatedBytes(id) - before;
      windows.add(bytes);
    } while (bytes >= 2_048 && System.nanoTime() < deadline);
    assertTrue(bytes < 2_048, "bytes allocated per window of 10,000 decides: " + windows);
  }
}
