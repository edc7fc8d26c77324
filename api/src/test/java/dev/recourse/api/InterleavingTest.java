package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Races between decisions, outcomes, snapshots and restores, made deterministic: the service's clock
 * runs a callback at its next reading, which puts another call at a chosen point inside the one under
 * test (a snapshot's first reading is its copy of the pending decisions; a decision's is when it records
 * itself as pending, after its id is drawn).
 */
class InterleavingTest {

  /** A clock standing at 0 that runs {@link #hook} once, at its next reading. */
  private static final class HookClock implements LongSupplier {
    volatile Runnable hook;

    @Override
    public long getAsLong() {
      Runnable h = hook;
      hook = null;
      if (h != null) {
        h.run();
      }
      return 0L;
    }
  }

  private static PolicyService service(ServiceConfig config, LongSupplier clock) {
    return PolicyService.builder(config).clock(clock).build();
  }

  /** Runs {@code body} on another thread to its end, rethrowing what it threw. */
  private static void onAnotherThread(Runnable body) {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    t.start();
    try {
      t.join(30_000);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    assertTrue(!t.isAlive(), "the other thread finished");
    assertNull(thrown.get(), () -> "the other thread threw " + thrown.get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "glrb"})
  void aDecisionMadeDuringASnapshotKeepsItsIdAfterARestore(String type) {
    ServiceConfig c = Configs.config(type, 3, 2, 2);
    HookClock clock = new HookClock();
    PolicyService s = service(c, clock);
    SplittableRandom rng = new SplittableRandom(1);
    ServiceDecision first = s.decide(Configs.context(rng, 3));
    ServiceDecision[] during = new ServiceDecision[1];
    clock.hook = () -> during[0] = s.decide(Configs.context(rng, 3), 0);
    byte[] snap = s.snapshotBytes();
    assertNotNull(during[0], "decided inside the snapshot");
    long next = SnapshotFormat.decode(snap, "mem", c.policyType(), c.hash()).nextDecisionId();
    assertTrue(next > during[0].id(), "the snapshot's next id " + next + " is above its pending ids");

    PolicyService r = service(c, new HookClock());
    r.restore(snap);
    assertEquals(2, r.stats().pending());
    ServiceDecision after = r.decide(Configs.context(rng, 3), 1);
    assertTrue(after.id() > during[0].id(), "id " + after.id() + " issued again");
    r.update(first.id(), 1.0);
    r.update(during[0].id(), 1.0);
    r.update(after.id(), 0.0);
  }

  /** A snapshot whose next id is not above its pending ones (as one taken before that was fixed). */
  @Test
  void aRestoreIssuesNoRestoredIdAgain() {
    ServiceConfig c = Configs.config("linucb", 3, 2, 2);
    PolicyService s = PolicyService.of(c);
    SplittableRandom rng = new SplittableRandom(2);
    long last = -1;
    for (int i = 0; i < 3; i++) {
      last = s.decide(Configs.context(rng, 3)).id();
    }
    SnapshotFormat.Contents k = SnapshotFormat.decode(s.snapshotBytes(), "mem", c.policyType(), c.hash());
    byte[] stale = SnapshotFormat.encode(k.policyType(), k.configHash(), k.modelVersion(), k.activeArms(),
        k.retired(), 0, k.shared(), k.arms(), k.pendingDim(), k.pending());

    PolicyService r = PolicyService.of(c);
    r.restore(stale);
    ServiceDecision next = r.decide(Configs.context(rng, 3));
    assertTrue(next.id() > last, "id " + next.id() + " issued again");
    assertEquals(4, r.stats().pending());
  }

  /**
   * An outcome arriving while a snapshot copies the pending decisions: the snapshot must hold its decision
   * pending or its outcome learnt. The outcome's thread runs until it finishes or waits for the lock.
   */
  @ParameterizedTest
  @ValueSource(strings = {"linucb", "std-ts"})
  void anOutcomeDuringASnapshotIsInItLearntOrPending(String type) throws InterruptedException {
    ServiceConfig c = Configs.config(type, 3, 2, 2);
    HookClock clock = new HookClock();
    PolicyService s = service(c, clock);
    SplittableRandom rng = new SplittableRandom(3);
    ServiceDecision d = s.decide(Configs.context(rng, c));
    double[] z = Configs.treatment(rng, c, d.arm());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread[] updater = new Thread[1];
    clock.hook = () -> {
      updater[0] = new Thread(() -> {
        try {
          s.update(d.id(), 1.0, null, z, null);
        } catch (Throwable e) {
          thrown.set(e);
        }
      });
      updater[0].start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      Thread.State st;
      while ((st = updater[0].getState()) != Thread.State.WAITING && st != Thread.State.TERMINATED) {
        if (System.nanoTime() > deadline) {
          fail("the updater neither finished nor waited: " + st);
        }
        Thread.onSpinWait();
      }
    };
    byte[] snap = s.snapshotBytes();
    updater[0].join();
    assertNull(thrown.get(), () -> "the outcome was refused: " + thrown.get());

    PolicyService r = service(c, new HookClock());
    r.restore(snap);
    if (r.stats().pending() == 1) {
      r.update(d.id(), 1.0, null, z, null);
    }
    assertArrayEquals(SnapshotTest.stateOf(s), SnapshotTest.stateOf(r), "the outcome was lost");
  }

  /** Capacity 1: a decider delayed between its id and its slot while a newer one records itself. */
  @Test
  void aDeciderDelayedPastTheRingDropsItsOwnDecisionNotANewerOne() {
    ServiceConfig c = ServiceConfig.parse(Configs.yaml("linucb", 3, 2, 2).replace("capacity: 4096", "capacity: 1"));
    HookClock clock = new HookClock();
    PolicyService s = service(c, clock);
    double[] x = {0.1, 0.2, 0.3};
    ServiceDecision[] newer = new ServiceDecision[1];
    clock.hook = () -> onAnotherThread(() -> newer[0] = s.decide(x, 1));
    ServiceDecision older = s.decide(x, 0);
    assertTrue(newer[0].id() > older.id());
    assertEquals(1, s.stats().pending());
    assertEquals(1, s.stats().evicted(), "the older is dropped, and counted");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.update(older.id(), 1.0));
    assertTrue(e.getMessage().contains("decisionId " + older.id() + " is unknown"), e.getMessage());
    s.update(newer[0].id(), 1.0);
  }

  /** A decision made on three arms that records itself after a restore to two: its arm is not active. */
  @Test
  void anOutcomeForAnArmNoLongerActiveIsRefusedWithNothingChanged() {
    ServiceConfig c = Configs.config("linucb", 3, 2, 3);
    HookClock clock = new HookClock();
    PolicyService s = service(c, clock);
    byte[] twoArms = s.snapshotBytes();
    assertEquals(2, s.addArm());
    clock.hook = () -> s.restore(twoArms);
    ServiceDecision d = s.decide(new double[] {0.1, 0.2, 0.3}, 2);
    assertEquals(2, s.activeArms(), "restored inside the decision");
    assertEquals(1, s.stats().pending());

    long version = s.version();
    long[] state = SnapshotTest.stateOf(s);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.update(d.id(), 7.0));
    assertTrue(e.getMessage().contains("decisionId " + d.id()) && e.getMessage().contains("arm 2")
        && e.getMessage().contains("not active"), e.getMessage());
    assertEquals(version, s.version());
    assertEquals(1, s.stats().pending(), "the decision is not consumed");
    assertArrayEquals(state, SnapshotTest.stateOf(s));
  }

  /**
   * As above, then {@code addArm} takes slot 2 again with a fresh prior: the decision was made on the
   * slot's earlier model, so its outcome is still refused (not consumed, nothing learnt), and a snapshot
   * leaves it out, so that no restore revives it.
   */
  @Test
  void anOutcomeForAnArmSlotTakenAgainByAddArmIsRefusedWithNothingChanged() {
    ServiceConfig c = Configs.config("linucb", 3, 2, 3);
    HookClock clock = new HookClock();
    PolicyService s = service(c, clock);
    double[] x = {0.1, 0.2, 0.3};
    byte[] twoArms = s.snapshotBytes();
    assertEquals(2, s.addArm());
    clock.hook = () -> s.restore(twoArms);
    ServiceDecision d = s.decide(x, 2);
    assertThrows(IllegalArgumentException.class, () -> s.update(d.id(), 7.0), "arm 2 is not active");
    assertEquals(2, s.addArm(), "slot 2 taken again");

    long version = s.version();
    long[] state = SnapshotTest.stateOf(s);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.update(d.id(), 7.0));
    assertTrue(e.getMessage().contains("decisionId " + d.id()) && e.getMessage().contains("arm 2")
        && e.getMessage().contains("replaced"), e.getMessage());
    assertEquals(version, s.version());
    assertEquals(1, s.stats().pending(), "the decision is not consumed");
    assertArrayEquals(state, SnapshotTest.stateOf(s));
    PolicyService fresh = PolicyService.of(c);
    fresh.addArm();
    assertEquals(fresh.decide(x, 2).score(), s.decide(x, 2).score(), "the re-added arm is still at its prior");

    PolicyService r = PolicyService.of(c);
    r.restore(s.snapshotBytes());
    assertEquals(1, r.stats().pending(), "only the decision made above, on the re-added arm");
    IllegalArgumentException gone = assertThrows(IllegalArgumentException.class, () -> r.update(d.id(), 7.0));
    assertTrue(gone.getMessage().contains("unknown"), gone.getMessage());
  }

  /** A decision that records itself after a restore to the same arms was made on the replaced model. */
  @ParameterizedTest
  @ValueSource(strings = {"linucb", "glrb"})
  void anOutcomeOfADecisionInFlightAcrossARestoreIsRefused(String type) {
    ServiceConfig c = Configs.config(type, 3, 2, 2);
    HookClock clock = new HookClock();
    PolicyService s = service(c, clock);
    double[] x = {0.1, 0.2, 0.3};
    byte[] before = s.snapshotBytes();
    s.update(s.decide(x, 1).id(), 1.0);
    clock.hook = () -> s.restore(before);
    ServiceDecision d = s.decide(x, 1);
    long[] state = SnapshotTest.stateOf(s);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.update(d.id(), 7.0));
    assertTrue(e.getMessage().contains("decisionId " + d.id()) && e.getMessage().contains("replaced"),
        e.getMessage());
    assertArrayEquals(state, SnapshotTest.stateOf(s));
    s.update(s.decide(x, 1).id(), 1.0); // a decision made since is learnt
  }

  /**
   * A snapshot written before epochs, holding a decision for a slot it does not activate: it loads, the
   * decision is refused while the slot is inactive, and still once {@code addArm} takes the slot.
   */
  @Test
  void anOldSnapshotsDecisionForAnInactiveSlotIsNeverLearnt() {
    ServiceConfig c = Configs.config("linucb", 3, 2, 3);
    PolicyService s = PolicyService.of(c);
    double[] x = {0.1, 0.2, 0.3};
    s.addArm();
    ServiceDecision d = s.decide(x, 2);
    SnapshotFormat.Contents k = SnapshotFormat.decode(s.snapshotBytes(), "mem", c.policyType(), c.hash());
    assertEquals(1, k.pending().length / (PendingDecisions.SAVED_HEADER + 3));
    // Arm 2's part is still its prior (nothing learnt): with activeArms 2 it is a two-arm state.
    byte[] old = SnapshotFormat.encode(k.policyType(), k.configHash(), k.modelVersion(), 2, k.retired(),
        k.nextDecisionId(), k.shared(), k.arms(), k.pendingDim(), k.pending());

    PolicyService r = PolicyService.of(c);
    r.restore(old);
    assertEquals(1, r.stats().pending());
    IllegalArgumentException inactive = assertThrows(IllegalArgumentException.class, () -> r.update(d.id(), 7.0));
    assertTrue(inactive.getMessage().contains("not active"), inactive.getMessage());
    assertEquals(2, r.addArm());
    long[] state = SnapshotTest.stateOf(r);
    IllegalArgumentException replaced = assertThrows(IllegalArgumentException.class, () -> r.update(d.id(), 7.0));
    assertTrue(replaced.getMessage().contains("replaced"), replaced.getMessage());
    assertArrayEquals(state, SnapshotTest.stateOf(r));
  }

  /** A restore into a live service replaces its pending decisions: an added arm then starts from its prior. */
  @Test
  void aRestoreReplacesThePendingDecisions() {
    ServiceConfig c = Configs.config("linucb", 3, 2, 3);
    PolicyService s = PolicyService.of(c);
    double[] x = {0.1, 0.2, 0.3};
    ServiceDecision kept = s.decide(x, 0);
    byte[] snap = s.snapshotBytes();
    s.update(kept.id(), 1.0);
    int added = s.addArm();
    ServiceDecision onAdded = s.decide(x, added);
    ServiceDecision other = s.decide(x, 1);

    s.restore(snap);
    assertEquals(2, s.activeArms());
    assertEquals(1, s.stats().pending(), "the snapshot's pending decisions, not merged");
    for (ServiceDecision gone : new ServiceDecision[] {onAdded, other}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.update(gone.id(), 7.0));
      assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    }
    s.update(kept.id(), 1.0);
    assertEquals(added, s.addArm());
    PolicyService fresh = PolicyService.of(c);
    fresh.addArm();
    assertEquals(fresh.decide(x, added).score(), s.decide(x, added).score(), "the re-added arm starts from its prior");
  }
}
