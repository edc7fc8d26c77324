package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state directory that fails under a running server: deleted, replaced, or a snapshot that cannot be
 * written. The store breaks for good: health is 503 with the reason, every change (outcome, arm added,
 * arm retired) is refused with 503 state_unavailable instead of being acknowledged, the log names the
 * cause once, and decisions are still served. What was acknowledged before is recovered by a restart.
 */
class ServerStateFailureTest {

  @TempDir
  Path dir;

  final List<String> log = new ArrayList<>();

  RecourseServer open(Path stateDir, StateStore.Options options) throws IOException {
    PolicyService service = PolicyService.of(ServiceConfig.parse(ServerStateTest.CONFIG));
    StateStore state = StateStore.open(service, stateDir, options, line -> {
      synchronized (log) {
        log.add(line);
      }
    });
    return new RecourseServer(service, state, RecourseServer.Options.loopback()).start();
  }

  private List<String> logged(String part) {
    synchronized (log) {
      return log.stream().filter(l -> l.contains(part)).toList();
    }
  }

  /** Every kind of change is refused with 503 naming {@code reason}, the model untouched; decisions go on. */
  private static void changesAreRefused(RecourseServer s, Http http, long pendingId, String reason) {
    long version = s.service().version();
    Http.Response outcome = http.post("/v1/outcome", "{\"decision_id\": " + pendingId + ", \"reward\": 1}");
    Http.Response add = http.post("/v1/arms", "");
    Http.Response retire = http.delete("/v1/arms/0");
    for (Http.Response r : List.of(outcome, add, retire)) {
      assertEquals(503, r.status(), r.body());
      assertEquals("application/json", r.contentType());
      assertEquals("state_unavailable", r.text("error"), r.body());
      assertTrue(r.text("message").contains(reason), r.body());
    }
    assertEquals(version, s.service().version(), "nothing applied");
    assertEquals(200, http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").status(), "decisions are still served");
    Http.Response health = http.get("/v1/health");
    assertEquals(503, health.status(), health.body());
    assertEquals("degraded", health.text("status"));
    assertTrue(health.text("reason").contains(reason), health.body());
  }

  @Test
  void aDeletedStateDirectoryIsNoticedAndChangesAreRefused() throws Exception {
    Path state = dir.resolve("state");
    try (RecourseServer s = open(state, ServerStateTest.OPTIONS)) {
      Http http = new Http(s.port());
      new Traffic(PolicyService.of(ServiceConfig.parse(ServerStateTest.CONFIG)), 1).run(http, 10);
      long pending = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      deleteTree(state); // rm -rf under the running server
      changesAreRefused(s, http, pending, state.toAbsolutePath() + " no longer exists");
      assertEquals(1, logged("no longer exists").size(), "logged once: " + log);
    }
    assertEquals(1, logged("no last snapshot").size(), log.toString());
    assertFalse(Files.exists(state), "nothing recreated");
  }

  @Test
  void aReplacedStateDirectoryIsNoticed() throws Exception {
    Path state = dir.resolve("state");
    try (RecourseServer s = open(state, ServerStateTest.OPTIONS)) {
      Http http = new Http(s.port());
      long pending = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      Files.move(state, dir.resolve("moved"));
      Files.createDirectories(state);
      changesAreRefused(s, http, pending, "is no longer the directory the server opened");
    }
  }

  @Test
  void aFailedSnapshotBreaksTheStoreNamingItsCauseAndLosesNothingAcknowledged() throws Exception {
    Path state = dir.resolve("state");
    Traffic t = new Traffic(PolicyService.of(ServiceConfig.parse(ServerStateTest.CONFIG)), 7);
    Path blocker;
    try (RecourseServer s = open(state, ServerStateTest.OPTIONS)) {
      Http http = new Http(s.port());
      t.run(http, 20);
      // The next snapshot's name taken by a directory: the rename onto it fails.
      blocker = StateFiles.snapshot(state, StateFiles.sequences(state, StateFiles.WAL).getLast() + 1);
      Files.createDirectories(blocker.resolve("x"));
      IOException e = assertThrows(IOException.class, () -> s.state().snapshotNow());
      List<String> errors = logged("error: snapshot failed: ");
      assertEquals(1, errors.size(), log.toString());
      assertTrue(errors.getFirst().contains(blocker.getFileName() + ": "), "the cause, not just the path: " + errors);
      assertTrue(errors.getFirst().endsWith("changes are refused (503) until the server is restarted"), errors.toString());
      assertTrue(e.getMessage() != null);
      long pending = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      t.open.clear();
      changesAreRefused(s, http, pending, "snapshot failed: ");
      s.state().snapshotNow(); // broken: a no-op, no second line
      assertEquals(1, logged("snapshot failed").size(), log.toString());
    }
    deleteTree(blocker);
    try (RecourseServer s = open(state, ServerStateTest.OPTIONS)) {
      t.assertSameDecisions(new Http(s.port()), 10, "every acknowledged change recovered");
    }
  }

  @Test
  void aFailingPeriodicSnapshotIsLoggedOnceWithItsCause() throws Exception {
    Path state = dir.resolve("state");
    StateStore.Options everySecond = new StateStore.Options(WriteAheadLog.FsyncPolicy.ALWAYS, Duration.ofMillis(100),
        1_000_000, Duration.ofSeconds(1));
    try (RecourseServer s = open(state, everySecond)) {
      Http http = new Http(s.port());
      Path blocker = StateFiles.snapshot(state, StateFiles.sequences(state, StateFiles.WAL).getLast() + 1);
      Files.createDirectories(blocker.resolve("x"));
      new Traffic(PolicyService.of(ServiceConfig.parse(ServerStateTest.CONFIG)), 3).run(http, 3);
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (http.get("/v1/health").status() == 200 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Http.Response health = http.get("/v1/health");
      assertEquals(503, health.status(), health.body());
      assertTrue(health.text("reason").startsWith("snapshot failed: "), health.body());
      Thread.sleep(2500); // two more ticks of the state thread
      assertEquals(1, logged("snapshot failed").size(), "once, not once a second: " + log);
      deleteTree(blocker);
    }
  }

  @Test
  void theDirectoryIsCheckedEverySecondWithoutTraffic() throws Exception {
    Path state = dir.resolve("state");
    try (RecourseServer s = open(state, ServerStateTest.OPTIONS)) {
      deleteTree(state);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (logged("no longer exists").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals(1, logged("no longer exists").size(), "the state thread noticed: " + log);
      assertFalse(s.state().healthy());
    }
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
