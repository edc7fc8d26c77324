package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A discarded service is garbage even while a thread that decided on it lives: the thread's per-service
 * state (its replica, in a ThreadLocal) must not refer back to the service, or the ThreadLocal, the
 * map's weak key, stays reachable through its own value.
 */
class ServiceLifetimeTest {

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "libra", "std-ts"})
  void aDroppedServiceIsFreedWhileTheThreadThatDecidedOnItLives(String type) throws InterruptedException {
    WeakReference<PolicyService> ref = decidedAndDropped(type); // on this thread, which lives on
    for (int i = 0; i < 100 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(ref.get(), "the service is still reachable");
  }

  private static WeakReference<PolicyService> decidedAndDropped(String type) {
    PolicyService s = Configs.service(type, 3, 2, 2);
    SplittableRandom rng = new SplittableRandom(1);
    ServiceDecision d = s.decide(Configs.context(rng, s.config()));
    s.update(d.id(), 0.5, null, Configs.treatment(rng, s.config(), d.arm()), null);
    return new WeakReference<>(s);
  }
}
