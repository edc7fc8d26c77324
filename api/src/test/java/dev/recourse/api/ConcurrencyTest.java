package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.ServablePolicy;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Four deciding threads and one updater on one service, 10⁶ decisions in all: every decision is
 * recomputed afterwards on the exact model version it reports having read (the updater records each
 * version's state as it publishes it), and must match bit for bit. A torn read, a lost publication or a
 * replica that missed a refresh would show as a mismatch.
 */
class ConcurrencyTest {

  private static final int DECIDERS = 4;
  /**
   * Updates the deciders wait for, spread over their run: a decider at decision i waits until
   * i·PACED_UPDATES/perThread updates were applied. Unpaced, deciders that got faster finished before
   * the updater (one snapshot per update) had made 100, and the run no longer interleaved enough.
   */
  private static final long PACED_UPDATES = 200;

  @ParameterizedTest
  @CsvSource({"linucb, 250000", "glrb, 100000"})
  void everyDecisionMatchesTheVersionItRead(String type, int perThread) throws Exception {
    int dim = 4;
    int arms = 3;
    PolicyService service = Configs.service(type, dim, arms, arms);
    Map<Long, byte[]> states = new ConcurrentHashMap<>();
    states.put(service.version(), service.snapshotBytes());
    long[][] versions = new long[DECIDERS][perThread];
    int[][] chosen = new int[DECIDERS][perThread];
    long[][] scoreBits = new long[DECIDERS][perThread];
    ConcurrentLinkedQueue<long[]> answered = new ConcurrentLinkedQueue<>();
    AtomicLong applied = new AtomicLong();
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    Thread[] deciders = new Thread[DECIDERS];
    for (int t = 0; t < DECIDERS; t++) {
      int thread = t;
      deciders[t] = new Thread(() -> {
        try {
          start.await();
          SplittableRandom rng = new SplittableRandom(1000 + thread);
          ServiceDecision d = new ServiceDecision(dim, arms);
          for (int i = 0; i < perThread; i++) {
            if ((i & 1023) == 0) {
              long need = i * PACED_UPDATES / perThread;
              while (applied.get() < need && failure.get() == null) {
                Thread.yield();
              }
            }
            service.decide(Configs.context(rng, dim), null, d);
            versions[thread][i] = d.version();
            chosen[thread][i] = d.arm();
            scoreBits[thread][i] = Double.doubleToRawLongBits(d.score());
            if (i % 64 == 0) {
              answered.add(new long[] {d.id(), d.arm()});
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      deciders[t].start();
    }
    long[] updates = new long[1];
    long[] dropped = new long[1];
    Thread updater = new Thread(() -> {
      try {
        start.await();
        SplittableRandom rng = new SplittableRandom(99);
        while (!done.get()) {
          long[] delayed = answered.poll();
          if (delayed != null) {
            try {
              service.update(delayed[0], Configs.reward(rng, (int) delayed[1], Configs.context(rng, dim)));
            } catch (IllegalArgumentException e) {
              // The deciders outrun the updater: ids older than the 4,096 pending slots were dropped.
              assertTrue(e.getMessage().contains("unknown"), e.getMessage());
              dropped[0]++;
              continue;
            }
          } else {
            int arm = rng.nextInt(arms);
            double[] x = Configs.context(rng, dim);
            service.update(arm, x, Configs.reward(rng, arm, x));
          }
          states.put(service.version(), service.snapshotBytes()); // the only writer: this is its version
          updates[0]++;
          applied.set(updates[0]);
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    });
    updater.start();
    start.countDown();
    for (Thread t : deciders) {
      t.join();
    }
    done.set(true);
    updater.join();
    if (failure.get() != null) {
      throw new AssertionError("a worker failed", failure.get());
    }
    assertTrue(updates[0] > 100, "the updater ran concurrently: " + updates[0] + " updates");

    ServiceConfig config = service.config();
    Map<Long, ServablePolicy> byVersion = new HashMap<>();
    Decision check = new Decision(dim, arms);
    boolean[] all = {true, true, true};
    long distinct = 0;
    for (int t = 0; t < DECIDERS; t++) {
      SplittableRandom rng = new SplittableRandom(1000 + t);
      long previous = -1;
      for (int i = 0; i < perThread; i++) {
        double[] x = Configs.context(rng, dim);
        long v = versions[t][i];
        assertTrue(v >= previous, "versions a thread reads never go back");
        distinct += v != previous ? 1 : 0;
        previous = v;
        ServablePolicy p = byVersion.computeIfAbsent(v, version -> {
          byte[] bytes = states.get(version);
          assertNotNull(bytes, "version " + version + " was published by the updater");
          ServablePolicy fresh = config.newPolicy(null);
          SnapshotFormat.Contents c = SnapshotFormat.decode(bytes, "v" + version, config.policyType(), config.hash());
          fresh.importState(new StateBuffer.Cursor().reset(c.state()));
          return fresh;
        });
        p.decide(x, all, check);
        assertEquals(check.arm(), chosen[t][i], "thread " + t + " decision " + i + " at version " + v);
        assertEquals(Double.doubleToRawLongBits(check.score()), scoreBits[t][i],
            "thread " + t + " decision " + i + " score at version " + v);
      }
    }
    System.out.printf("%s: %d decisions, %d updates (%d answers to dropped ids), %d version changes seen%n",
        type, DECIDERS * (long) perThread, updates[0], dropped[0], distinct);
    assertTrue(distinct >= 50, "decisions read many versions: " + distinct);
    assertEquals(0, service.stats().expired());
    assertTrue(service.stats().evicted() >= dropped[0], "every dropped id was counted when evicted");
  }
}
