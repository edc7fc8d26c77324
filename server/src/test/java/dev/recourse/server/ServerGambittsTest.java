package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import dev.recourse.api.ServiceDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GAMBITTS agent over HTTP: {@code /v1/outcome} takes the treatment embedding ({@code treatment}),
 * refuses a missing, short or non-finite one with a 400 naming it, and the write-ahead log keeps it, so
 * that a crash image recovers exactly the model a reference service learnt from the same outcomes.
 */
class ServerGambittsTest {

  static final String CONFIG = """
      dim: 1
      arms: 2
      gambitts:
        levels: [2]
        treatment_dim: 2
        seed: 5
        offline: [[0, 0, 0.1, 0.0], [0, 1, 0.9, 0.2], [1, 0, 0.4, 0.1], [1, 1, 0.3, 0.8], [0, 0, 0.2, 0.1]]
      pending: {capacity: 1024, expiry_seconds: 3600}
      policy: {type: po-gambitts, offline_samples: all, v2: 0.5}
      """;

  @TempDir
  Path dir;

  RecourseServer open(Path stateDir) throws IOException {
    PolicyService service = PolicyService.of(ServiceConfig.parse(CONFIG));
    StateStore state = StateStore.open(service, stateDir, ServerStateTest.OPTIONS, line -> {});
    return new RecourseServer(service, state, RecourseServer.Options.loopback()).start();
  }

  private static String outcome(long id, double reward, double[] z) {
    return "{\"decision_id\": " + id + ", \"reward\": " + reward + ", \"treatment\": [" + z[0] + ", " + z[1] + "]}";
  }

  @Test
  void outcomesCarryTheTreatmentAndSurviveACrash() throws Exception {
    Path state = dir.resolve("state");
    Path image = dir.resolve("image");
    PolicyService reference = PolicyService.of(ServiceConfig.parse(CONFIG));
    // What the recovered server must be: every outcome learnt, the generator where the snapshot left it
    // (decisions are not logged, so draws after the snapshot are drawn again after a crash).
    PolicyService atSnapshot = PolicyService.of(ServiceConfig.parse(CONFIG));
    SplittableRandom rng = new SplittableRandom(3);
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      JsonNode first = http.post("/v1/decide", "{\"context\": [1]}").json();
      long id = first.get("decision_id").asLong();
      Http.Response r = http.post("/v1/outcome", "{\"decision_id\": " + id + ", \"reward\": 1}");
      assertEquals(400, r.status(), r.body());
      assertTrue(r.body().contains("\"field\":\"treatment\""), r.body());
      r = http.post("/v1/outcome", "{\"decision_id\": " + id + ", \"reward\": 1, \"treatment\": [0.5]}");
      assertEquals(400, r.status(), r.body());
      assertEquals("treatment must have 2 numbers (d_z, the policy's treatment dimension), got 1", r.text("message"),
          r.body());
      r = http.post("/v1/outcome", "{\"decision_id\": " + id + ", \"reward\": 1, \"treatment\": [0.5, \"x\"]}");
      assertEquals(400, r.status(), r.body());
      r = http.post("/v1/decide", "{\"context\": [2]}");
      assertEquals(400, r.status(), r.body());
      assertTrue(r.body().contains("must be a level index in 0..1, got 2.0"), r.body());
      assertEquals("context[0]", r.text("field"), r.body());
      assertEquals("2", r.text("value"), r.body());
      ServiceDecision ref = reference.decide(new double[] {1});
      ServiceDecision snap = atSnapshot.decide(new double[] {1});
      assertEquals(ref.arm(), first.get("arm").asInt());
      double[] z0 = {0.3, -0.1};
      assertEquals(200, http.post("/v1/outcome", outcome(id, 1.0, z0)).status(), "the decision was still pending");
      reference.updateWithTreatment(ref.id(), 1.0, z0);
      atSnapshot.updateWithTreatment(snap.id(), 1.0, z0);
      for (int t = 0; t < 40; t++) {
        if (t == 20) {
          s.state().snapshotNow(); // the last 20 outcomes are only in the log
        }
        double x = rng.nextInt(2);
        JsonNode d = http.post("/v1/decide", "{\"context\": [" + x + "]}").json();
        ServiceDecision e = reference.decide(new double[] {x});
        int arm = d.get("arm").asInt();
        assertEquals(e.arm(), arm, "round " + t);
        double[] z = {rng.nextGaussian(), rng.nextGaussian()};
        double y = Math.round(rng.nextGaussian() * 1000) / 1000.0;
        assertEquals(200, http.post("/v1/outcome", outcome(d.get("decision_id").asLong(), y, z)).status());
        reference.updateWithTreatment(e.id(), y, z);
        if (t < 20) {
          atSnapshot.updateWithTreatment(atSnapshot.decide(new double[] {x}).id(), y, z);
        } else {
          atSnapshot.update(arm, new double[] {x}, y, z); // learnt from the log, no draw
        }
      }
      copy(state, image); // as a SIGKILL leaves it
    }
    try (RecourseServer s = open(image)) {
      assertEquals(20, s.state().recovery().records(), "the outcomes with Z since the snapshot, replayed");
      Http http = new Http(s.port());
      assertEquals(41, http.get("/v1/health").json().get("version").asLong(), "every outcome learnt once");
      for (int t = 0; t < 30; t++) {
        double x = t % 2;
        JsonNode d = http.post("/v1/decide", "{\"context\": [" + x + "]}").json();
        ServiceDecision e = atSnapshot.decide(new double[] {x});
        assertEquals(e.arm(), d.get("arm").asInt(), "after recovery, round " + t);
        assertEquals(e.score(), d.get("score").asDouble(), 0.0, "after recovery, round " + t);
      }
    }
  }

  @Test
  void aRecoursePolicyRefusesATreatment() throws Exception {
    try (RecourseServer s = new ServerStateTest().open(dir.resolve("glrb"))) {
      Http http = new Http(s.port());
      long id = http.post("/v1/decide", "{\"context\": [1, 2, 3, 4]}").json().get("decision_id").asLong();
      Http.Response r = http.post("/v1/outcome", outcome(id, 1.0, new double[] {1, 2}));
      assertEquals(400, r.status(), r.body());
      assertTrue(r.body().contains("takes no treatment embedding"), r.body());
      assertEquals("treatment", r.text("field"), r.body());
      assertEquals("[1.0,2.0]", r.text("value"), r.body());
      assertEquals(200, http.post("/v1/outcome", "{\"decision_id\": " + id + ", \"reward\": 1}").status());
    }
  }

  @Test
  void aTreatmentTooLargeIsRefusedNamingItAndLeavesNoRecordInTheLog() throws Exception {
    Path state = dir.resolve("state");
    Path image = dir.resolve("image");
    try (RecourseServer s = open(state)) {
      Http http = new Http(s.port());
      long version = s.service().version();
      long id = http.post("/v1/decide", "{\"context\": [1]}").json().get("decision_id").asLong();
      // finite, but beyond the agent's limit (1e4·√slope_precision): refused while the decision is pending
      Http.Response r = http.post("/v1/outcome", outcome(id, 1.0, new double[] {2e4, 1}));
      assertEquals(400, r.status(), r.body());
      assertEquals("invalid_value", r.text("error"), r.body());
      assertEquals("treatment", r.text("field"), r.body());
      assertEquals("[20000.0,1.0]", r.text("value"), r.body());
      assertTrue(r.text("message").startsWith("treatment[0] must be at most 10000.0 in magnitude"), r.body());
      assertEquals(version, s.service().version());
      copy(state, image); // as a SIGKILL leaves it
      assertEquals(200, http.post("/v1/outcome", outcome(id, 1.0, new double[] {0.99e4, 1})).status(),
          "a corrected retry is learnt");
    }
    try (RecourseServer s = open(image)) {
      assertEquals(0, s.state().recovery().records(), "the refused outcome is not in the log");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
