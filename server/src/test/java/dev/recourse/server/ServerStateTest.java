package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots and the write-ahead log in process: a server restarted from its state directory decides
 * exactly as a reference fed the acknowledged traffic, after a clean stop and from a copy of the
 * directory taken while it ran (what a crash leaves), also when that copy's newest snapshot is
 * corrupt or its log ends in a torn record; old files are deleted; unrecoverable state is refused,
 * and so is a log damaged before its last record; an outcome the model refuses leaves no record.
 */
class ServerStateTest {

  static final String CONFIG = """
      dim: 4
      arms: 3
      max_arms: 5
      feasible: {mutable: [2, 3], ball: l2, radius: 0.75}
      pending: {capacity: 1024, expiry_seconds: 3600}
      policy: {type: glrb-robust, radius: 0.6, lambda: 1.0}
      """;
  static final StateStore.Options OPTIONS = new StateStore.Options(WriteAheadLog.FsyncPolicy.ALWAYS,
      Duration.ofMillis(100), 25, Duration.ofSeconds(3600));

  @TempDir
  Path dir;

  final List<String> log = new ArrayList<>();

  RecourseServer open(Path stateDir) throws IOException {
    PolicyService service = PolicyService.of(ServiceConfig.parse(CONFIG));
    StateStore state = StateStore.open(service, stateDir, OPTIONS, line -> {
      synchronized (log) {
        log.add(line);
      }
    });
    return new RecourseServer(service, state, RecourseServer.Options.loopback()).start();
  }

  Traffic traffic(long seed) {
    return new Traffic(PolicyService.of(ServiceConfig.parse(CONFIG)), seed);
  }

  @Test
  void aCleanRestartLosesNothingAndKeepsFewFiles() throws Exception {
    Path state = dir.resolve("state");
    Traffic t = traffic(1);
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      t.run(http, 60);
      t.addArm(http);
      t.run(http, 60);
      t.retireArm(http, 1);
      t.run(http, 20);
    }
    try (RecourseServer s = open(state)) {
      assertEquals(0, s.state().recovery().records(), "a clean stop snapshots: nothing to replay");
      t.assertSameDecisions(new Http(s.port()), 10, "after a clean restart");
    }
    assertTrue(count(state, StateFiles.SNAPSHOT.pattern()) <= 2, files(state));
    assertTrue(count(state, StateFiles.WAL.pattern()) <= 2, files(state));
  }

  @Test
  void aCopyTakenWhileRunningRecoversEveryAcknowledgedChange() throws Exception {
    Path state = dir.resolve("state");
    Traffic t = traffic(2);
    Path image = dir.resolve("image");
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      t.run(http, 70);
      t.addArm(http);
      t.run(http, 17);
      copy(state, image); // the files as a SIGKILL would leave them: no last snapshot
    }
    try (RecourseServer s = open(image)) {
      assertTrue(s.state().recovery().records() > 0, "the log was replayed");
      t.assertSameDecisions(new Http(s.port()), 10, "from a crash image");
    }
  }

  @Test
  void aCorruptNewestSnapshotFallsBackToThePreviousAndItsLogs() throws Exception {
    Path state = dir.resolve("state");
    Traffic t = traffic(3);
    Path image = dir.resolve("image");
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      t.run(http, 90);
      s.state().snapshotNow(); // two snapshots with logs after each
      t.run(http, 9);
      copy(state, image);
    }
    List<Long> snaps = StateFiles.sequences(image, StateFiles.SNAPSHOT);
    assertTrue(snaps.size() >= 2, files(image));
    Path newest = StateFiles.snapshot(image, snaps.getLast());
    byte[] b = Files.readAllBytes(newest);
    b[b.length / 2] ^= 1;
    Files.write(newest, b);
    try (RecourseServer s = open(image)) {
      assertEquals(snaps.get(snaps.size() - 2), s.state().recovery().snapshotSeq());
      t.assertSameDecisions(new Http(s.port()), 10, "after falling back a snapshot");
    }
    assertTrue(log.stream().anyMatch(l -> l.contains("skipping unreadable snapshot")), log.toString());
  }

  @Test
  void aTornLastRecordIsDropped() throws Exception {
    Path state = dir.resolve("state");
    Traffic t = traffic(4);
    Path image = dir.resolve("image");
    try (RecourseServer s = open(state)) {
      t.run(new Http(s.port()), 30);
      copy(state, image);
    }
    Path wal = StateFiles.wal(image, StateFiles.sequences(image, StateFiles.WAL).getLast());
    // half a record: a length and CRC announcing more than follows
    Files.write(wal, new byte[] {0, 0, 0, 77, 1, 2, 3, 4, 1, 9, 9}, StandardOpenOption.APPEND);
    try (RecourseServer s = open(image)) {
      assertEquals(11, s.state().recovery().droppedBytes());
      t.assertSameDecisions(new Http(s.port()), 10, "after a torn record");
    }
  }

  @Test
  void aCorruptRecordBeforeTheLastIsRefusedNamingFileOffsetAndBytes() throws Exception {
    Path state = dir.resolve("state");
    Traffic t = traffic(8);
    Path image = dir.resolve("image");
    try (RecourseServer s = open(state)) {
      t.run(new Http(s.port()), 12); // fewer changes than a snapshot takes: one log holds them all
      copy(state, image);
    }
    Path wal = StateFiles.wal(image, StateFiles.sequences(image, StateFiles.WAL).getLast());
    byte[] b = Files.readAllBytes(wal);
    int first = WriteAheadLog.HEADER_BYTES;
    b[first + 8 + 20] ^= 0x04; // inside the first record's payload
    Files.write(wal, b);
    String epoch = Files.readString(image.resolve("epoch"));
    IOException e = assertThrows(IOException.class, () -> open(image));
    String m = e.getMessage();
    assertTrue(m.startsWith(wal + ": corrupt record at byte " + first + " ("), m);
    assertTrue(m.contains((b.length - first) + " bytes from there to the end of the file"), m);
    assertTrue(m.contains("with an intact record at byte "), m);
    assertTrue(m.contains("not a torn last write"), m);
    assertTrue(m.contains("truncate -s " + first + " " + wal), m);
    assertTrue(log.stream().noneMatch(l -> l.contains("dropped")), "nothing dropped: " + log);
    assertEquals(epoch, Files.readString(image.resolve("epoch")), "a refused start uses up no start number");
    assertArrayEquals(b, Files.readAllBytes(wal), "the log is left for the operator");
  }

  @Test
  void anOutcomeTheModelRefusesLeavesNoRecordInTheLog() throws Exception {
    Path state = dir.resolve("state");
    Traffic t = traffic(9);
    Path image = dir.resolve("image");
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      t.run(http, 5);
      // magnitudes above 1e150 (the model's products would overflow): refused before the log, with the field
      long a = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      Http.Response r = http.post("/v1/outcome", "{\"decision_id\": " + a + ", \"reward\": 1e300}");
      assertEquals(400, r.status(), r.body());
      assertEquals("invalid_value", r.text("error"));
      assertEquals("reward", r.text("field"));
      assertEquals("1.0E300", r.text("value"));
      long b = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      r = http.post("/v1/outcome", "{\"decision_id\": " + b + ", \"reward\": 1, \"realised_context\": [1, 2, 3, 1e300]}");
      assertEquals(400, r.status(), r.body());
      assertEquals("invalid_value", r.text("error"));
      assertEquals("realised_context[3]", r.text("field"), r.body());
      assertEquals("1.0E300", r.text("value"));
      r = http.post("/v1/decide", "{\"context\": [1e300, 1e300, 1e300, 1e300]}");
      assertEquals(400, r.status(), r.body());
      assertEquals("invalid_value", r.text("error"));
      assertEquals("context[0]", r.text("field"), r.body());
      t.run(http, 5);
      copy(state, image); // as a SIGKILL leaves it: the refused outcomes must not be in the log
    }
    try (RecourseServer s = open(image)) {
      t.assertSameDecisions(new Http(s.port()), 10, "after refused outcomes and a crash");
    }
  }

  @Test
  void aSnapshotIsTakenEverySoManySecondsWhenSomethingChanged() throws Exception {
    Path state = dir.resolve("state");
    PolicyService service = PolicyService.of(ServiceConfig.parse(CONFIG));
    StateStore.Options everySecond = new StateStore.Options(WriteAheadLog.FsyncPolicy.INTERVAL, Duration.ofMillis(20),
        1_000_000, Duration.ofSeconds(1));
    StateStore store = StateStore.open(service, state, everySecond, line -> {
      synchronized (log) {
        log.add(line);
      }
    });
    try (RecourseServer s = new RecourseServer(service, store, RecourseServer.Options.loopback()).start()) {
      long first = StateFiles.sequences(state, StateFiles.SNAPSHOT).getLast();
      Thread.sleep(1500);
      assertEquals(first, StateFiles.sequences(state, StateFiles.SNAPSHOT).getLast(), "nothing changed: no snapshot");
      traffic(6).run(new Http(s.port()), 3);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (StateFiles.sequences(state, StateFiles.SNAPSHOT).getLast() == first && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(StateFiles.sequences(state, StateFiles.SNAPSHOT).getLast() > first, files(state));
      assertTrue(s.state().snapshotAgeSeconds() < 2, "the age restarts at the snapshot");
    }
  }

  /**
   * Closing while a snapshot is being written lets it finish: an interrupt used to close its channel
   * (ClosedByInterruptException), which read as a failed directory and skipped the last snapshot.
   */
  @Test
  void closingDuringASnapshotIsNotAFailure() throws Exception {
    for (int run = 0; run < 3; run++) {
      Path state = dir.resolve("close-" + run);
      PolicyService service = PolicyService.of(ServiceConfig.parse(
          "dim: 200\narms: 40\nmax_arms: 40\npending: {capacity: 4096, expiry_seconds: 3600}\n"
          + "policy: {type: linucb, radius: 0.7, lambda: 1.0}\n"));
      StateStore.Options everyOutcome = new StateStore.Options(WriteAheadLog.FsyncPolicy.ALWAYS,
          Duration.ofMillis(100), 1, Duration.ofSeconds(3600));
      StateStore store = StateStore.open(service, state, everyOutcome, line -> {
        synchronized (log) {
          log.add(line);
        }
      });
      dev.recourse.api.ServiceDecision d = service.decide(new double[200]);
      store.outcome(d.id(), 1.0, null); // queues a snapshot of ~40 × 200² doubles on the state thread
      store.close();
      synchronized (log) {
        for (String line : log) {
          assertTrue(!line.contains("snapshot failed") && !line.contains("no last snapshot"), line);
        }
      }
    }
  }

  @Test
  void logsWithoutAReadableSnapshotAreRefused() throws Exception {
    Path state = dir.resolve("state");
    try (RecourseServer s = open(state)) {
      traffic(5).run(new Http(s.port()), 5);
    }
    for (long seq : StateFiles.sequences(state, StateFiles.SNAPSHOT)) {
      Files.write(StateFiles.snapshot(state, seq), new byte[] {1, 2, 3});
    }
    IOException e = assertThrows(IOException.class, () -> open(state));
    assertTrue(e.getMessage().contains("no readable snapshot"), e.getMessage());
  }

  @Test
  void outcomesOfDecisionsFromBeforeARestartAreUnknownNotMisapplied() throws Exception {
    Path state = dir.resolve("state");
    long oldId;
    try (RecourseServer s = open(state)) {
      oldId = new Http(s.port()).post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
    }
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      long newId = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      assertTrue(newId > oldId, newId + " > " + oldId);
      Http.Response r = http.post("/v1/outcome", "{\"decision_id\": " + oldId + ", \"reward\": 1}");
      assertEquals(404, r.status(), r.body());
    }
  }

  @Test
  void pendingDecisionsSurviveACrashAndAreAnsweredOnlyOnce() throws Exception {
    Path state = dir.resolve("state");
    Path image = dir.resolve("image");
    long kept;
    long answered;
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      kept = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      answered = http.post("/v1/decide", "{\"context\": [4, 3, 2, 1]}").json().get("decision_id").asLong();
      s.state().snapshotNow(); // both pending in the snapshot
      assertEquals(200, http.post("/v1/outcome", "{\"decision_id\": " + answered + ", \"reward\": 1}").status());
      copy(state, image); // a SIGKILL now: the outcome is only in the log
    }
    try (RecourseServer s = open(image)) {
      Http http = new Http(s.port());
      Http.Response twice = http.post("/v1/outcome", "{\"decision_id\": " + answered + ", \"reward\": 1}");
      assertEquals(404, twice.status(), "the replayed outcome answered it: " + twice.body());
      Http.Response late = http.post("/v1/outcome", "{\"decision_id\": " + kept + ", \"reward\": 0.5}");
      assertEquals(200, late.status(), "a decision pending at the snapshot is still answerable: " + late.body());
    }
  }

  @Test
  void temporariesOfADeadWriterAreSweptOnStart() throws Exception {
    Path state = dir.resolve("state");
    try (RecourseServer s = open(state)) {
      new Http(s.port()).post("/v1/decide", "{\"context\": [1, 2, 3, 4]}");
    }
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long dead = p.pid();
    for (int i = 0; i < 100 && ProcessHandle.of(dead).isPresent(); i++) {
      Thread.sleep(10);
    }
    Path stale = Files.writeString(state.resolve(".snapshot-000000000009.snap." + dead + ".tmp"), "half a snapshot");
    Path live = Files.writeString(state.resolve(".some-file." + ProcessHandle.current().pid() + ".tmp"), "in progress");
    try (RecourseServer s = open(state)) {
      assertTrue(s.port() > 0);
    }
    assertTrue(!Files.exists(stale), "a dead writer's temporary is swept");
    assertTrue(Files.exists(live), "a live writer's is kept");
    assertTrue(log.stream().anyMatch(l -> l.contains("removed 1 temporary")), log.toString());
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.equals("lock") && !name.startsWith(".")) {
          try {
            Files.copy(f, to.resolve(name));
          } catch (java.nio.file.NoSuchFileException e) {
            // deleted since the listing by a snapshot on the state thread: superseded by a newer snapshot
          }
        }
      }
    }
  }

  private static long count(Path dir, String regex) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches(regex)).count();
    }
  }

  private static String files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList().toString();
    }
  }
}
