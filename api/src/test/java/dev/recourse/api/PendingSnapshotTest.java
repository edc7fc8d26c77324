package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format 2 keeps the pending decisions: after a restart, outcomes of decisions made before the snapshot
 * are accepted and learnt as the original would have, and each expires when it would have. Stale
 * temporaries of writers that died are swept on the next write or read, a live writer's are kept.
 */
class PendingSnapshotTest {

  @TempDir
  Path dir;

  @Test
  void outstandingDecisionsSurviveARestart() {
    PolicyService original = Configs.service("glrb", 4, 3, 3);
    SnapshotTest.play(original, new SplittableRandom(1), 50, null);
    SplittableRandom rng = new SplittableRandom(2);
    List<ServiceDecision> open = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      open.add(original.decide(Configs.context(rng, 4)));
    }
    Path file = dir.resolve("glrb.snap");
    original.snapshot(file);
    assertEquals(2, java.nio.ByteBuffer.wrap(readAll(file), 8, 4).getInt(), "written as format 2");

    PolicyService restarted = Configs.service("glrb", 4, 3, 3);
    restarted.restore(file);
    assertEquals(20, restarted.stats().pending());
    for (ServiceDecision d : open) {
      double r = Configs.reward(rng, d.arm(), d.recourse());
      original.update(d.id(), r);
      restarted.update(d.id(), r);
    }
    assertArrayEquals(SnapshotTest.stateOf(original), SnapshotTest.stateOf(restarted));
    assertThrows(IllegalArgumentException.class, () -> restarted.update(open.get(0).id(), 1.0), "answered once");
    ServiceDecision next = restarted.decide(Configs.context(rng, 4));
    assertTrue(next.id() > open.get(19).id(), "new ids follow the restored ones");
  }

  @Test
  void aRestoredDecisionKeepsItsAge() {
    String yaml = Configs.yaml("linucb", 3, 2, 2).replace("expiry_seconds: 3600", "expiry_seconds: 20");
    AtomicLong clockA = new AtomicLong();
    PolicyService a = PolicyService.builder(ServiceConfig.parse(yaml)).clock(clockA::get).build();
    ServiceDecision old = a.decide(new double[] {0.1, 0.2, 0.3});
    clockA.addAndGet(12_000_000_000L);
    ServiceDecision young = a.decide(new double[] {0.3, 0.2, 0.1});
    byte[] bytes = a.snapshotBytes();

    AtomicLong clockB = new AtomicLong(5_000_000_000_000L); // another process: another origin
    PolicyService b = PolicyService.builder(ServiceConfig.parse(yaml)).clock(clockB::get).build();
    b.restore(bytes);
    clockB.addAndGet(10_000_000_000L); // old is now 22 s old, young 10 s
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.update(old.id(), 1.0));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
    b.update(young.id(), 1.0);
  }

  @Test
  void versionOneSnapshotsLoadWithoutPendingDecisions() throws IOException {
    byte[] v1;
    try (InputStream in = SnapshotTest.class.getResourceAsStream(SnapshotTest.FIXTURE)) {
      v1 = in.readAllBytes();
    }
    PolicyService s = SnapshotTest.fixtureService();
    ServiceDecision before = s.decide(Configs.context(new SplittableRandom(3), 5));
    s.restore(v1);
    assertEquals(0, s.stats().pending(), "a v1 file saved none, and a restore replaces the live ones");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.update(before.id(), 0.5));
    assertTrue(e.getMessage().contains("unknown"), e.getMessage());
    assertTrue(s.decide(Configs.context(new SplittableRandom(4), 5)).id() > before.id(), "ids keep growing");
  }

  @Test
  void corruptPendingSectionsAreRefused() {
    PolicyService s = Configs.service("linucb", 3, 2, 2);
    s.decide(new double[] {0.1, 0.2, 0.3});
    ServiceConfig c = s.config();
    SnapshotFormat.Contents ok = SnapshotFormat.decode(s.snapshotBytes(), "mem", c.policyType(), c.hash());
    byte[] wrongDim = SnapshotFormat.encode(c.policyType(), c.hash(), ok.modelVersion(), ok.activeArms(), ok.retired(),
        ok.nextDecisionId(), ok.shared(), ok.arms(), 1, new long[] {0, 0, 0, 0, 0});
    SnapshotException e = assertThrows(SnapshotException.class, () -> s.restore(wrongDim));
    assertTrue(e.getMessage().contains("pending decisions of dim 1, this service 3"), e.getMessage());
    assertEquals(1, s.stats().pending());
  }

  // ------------------------------------------------------------------ stale temporaries

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long pid = p.pid();
    for (int i = 0; i < 100 && ProcessHandle.of(pid).isPresent(); i++) {
      Thread.sleep(10); // reaped shortly after exit
    }
    assertFalse(ProcessHandle.of(pid).isPresent(), "pid " + pid + " should be gone");
    return pid;
  }

  @Test
  void temporariesOfDeadWritersAreSweptOnWriteAndRead() throws Exception {
    PolicyService s = Configs.service("linucb", 3, 2, 2);
    Path file = dir.resolve("model.snap");
    long dead = deadPid();
    long live = ProcessHandle.current().pid();
    Path stale = Files.writeString(dir.resolve("model.snap.tmp-" + dead + "-1"), "half");
    Path ours = Files.writeString(dir.resolve("model.snap.tmp-" + live + "-77"), "in progress");
    Path otherFile = Files.writeString(dir.resolve("other.snap.tmp-" + dead + "-1"), "not this file's");
    Path notOurs = Files.writeString(dir.resolve("model.snap.tmp-notapid"), "kept");
    s.snapshot(file);
    assertFalse(Files.exists(stale), "a dead writer's temporary is swept on write");
    assertTrue(Files.exists(ours), "a live writer's temporary is kept");
    assertTrue(Files.exists(otherFile), "another file's temporaries are its own business");
    assertTrue(Files.exists(notOurs));

    Path stale2 = Files.writeString(dir.resolve("model.snap.tmp-" + dead + "-9"), "half");
    s.restore(file);
    assertFalse(Files.exists(stale2), "and on read");
    assertEquals(0, SnapshotFormat.sweepStaleTemporaries(file));
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
