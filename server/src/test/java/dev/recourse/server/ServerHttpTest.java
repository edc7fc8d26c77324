package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import dev.recourse.api.ServiceDecision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoints' happy paths against a running server: a decision's fields equal an in-process
 * service's decision after the same outcomes; outcomes, arms added and retired change the model;
 * health and the Prometheus exposition report them.
 */
class ServerHttpTest {

  static final String CONFIG = """
      dim: 3
      arms: 2
      max_arms: 4
      feasible: {mutable: [2], ball: l2, radius: 0.5}
      pending: {capacity: 1024, expiry_seconds: 3600}
      policy: {type: glrb, radius: 0.5, lambda: 1.0}
      """;

  RecourseServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    server = RecourseServer.inMemory(PolicyService.of(ServiceConfig.parse(CONFIG)), RecourseServer.Options.loopback())
        .start();
    http = new Http(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  static double[] doubles(JsonNode a) {
    double[] x = new double[a.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = a.get(i).isNull() ? Double.NaN : a.get(i).doubleValue();
    }
    return x;
  }

  @Test
  void decisionsAndOutcomesMatchAnInProcessService() {
    PolicyService reference = PolicyService.of(ServiceConfig.parse(CONFIG));
    double[][] contexts = {{0.4, -1.2, 0.8}, {1.0, 0.5, -0.3}, {-0.7, 0.2, 0.1}, {0.3, 0.3, 0.3}};
    for (int round = 0; round < 12; round++) {
      double[] x = contexts[round % contexts.length];
      Http.Response r = http.post("/v1/decide", "{\"context\": [" + x[0] + ", " + x[1] + ", " + x[2] + "]}");
      assertEquals(200, r.status(), r.body());
      ServiceDecision d = reference.decide(x);
      assertEquals(d.arm(), r.json().get("arm").asInt(), "round " + round);
      assertArrayEquals(d.recourse(), doubles(r.json().get("recourse")), "round " + round);
      assertArrayEquals(d.scores(), doubles(r.json().get("scores")), "round " + round);
      assertArrayEquals(d.widths(), doubles(r.json().get("widths")), "round " + round);
      assertEquals(4, r.json().get("scores").size(), "one score per arm slot");
      assertTrue(r.json().get("scores").get(3).isNull(), "a slot not yet added has no score");
      double reward = 0.1 * round - 0.3;
      Http.Response o = http.post("/v1/outcome", "{\"decision_id\": " + r.json().get("decision_id").asLong()
          + ", \"reward\": " + reward + "}");
      assertEquals(200, o.status(), o.body());
      reference.update(d.id(), reward);
      assertEquals(reference.version(), o.json().get("version").asLong());
    }
  }

  @Test
  void realisedContextIsWhatIsLearnt() {
    PolicyService reference = PolicyService.of(ServiceConfig.parse(CONFIG));
    Http.Response r = http.post("/v1/decide", "{\"context\": [1, 2, 3], \"allowed_arms\": [1]}");
    assertEquals(1, r.json().get("arm").asInt(), "only arm 1 allowed");
    assertTrue(r.json().get("scores").get(0).isNull(), "arm 0 was not allowed: no score");
    ServiceDecision d = reference.decide(new double[] {1, 2, 3}, 1);
    assertEquals(200, http.post("/v1/outcome", "{\"decision_id\": " + r.text("decision_id")
        + ", \"reward\": 2.5, \"realised_context\": [1, 2, 2.75]}").status());
    reference.update(d.id(), 2.5, new double[] {1, 2, 2.75});
    Http.Response next = http.post("/v1/decide", "{\"context\": [0.5, 0.5, 0.5]}");
    ServiceDecision e = reference.decide(new double[] {0.5, 0.5, 0.5});
    assertArrayEquals(e.scores(), doubles(next.json().get("scores")));
  }

  @Test
  void armsAreAddedAndRetired() {
    Http.Response added = http.post("/v1/arms", "");
    assertEquals(201, added.status(), added.body());
    assertEquals(2, added.json().get("arm").asInt());
    assertEquals(3, server.service().activeArms());
    Http.Response r = http.post("/v1/decide", "{\"context\": [0, 0, 0], \"allowed_arms\": [2]}");
    assertEquals(2, r.json().get("arm").asInt(), r.body());
    Http.Response retired = http.delete("/v1/arms/0");
    assertEquals(200, retired.status(), retired.body());
    assertTrue(server.service().isRetired(0));
    for (int i = 0; i < 5; i++) {
      Http.Response any = http.post("/v1/decide", "{\"context\": [" + i + ", 1, -1]}");
      assertFalse(any.json().get("arm").asInt() == 0, "a retired arm is never chosen: " + any.body());
    }
    Http.Response health = http.get("/v1/health");
    assertEquals(200, health.status());
    assertEquals("ok", health.text("status"));
    assertEquals("glrb", health.text("policy"));
    assertEquals(2, health.json().get("active_arms").asInt(), "the arms offered: 3 slots, 1 retired: " + health.body());
    assertEquals(3, health.json().get("arm_slots_used").asInt(), health.body());
    assertEquals("[0]", health.json().get("retired_arms").toString());
    assertEquals(2, Http.metric(http.get("/metrics").body(), "recourse_active_arms"), "the gauge agrees");
  }

  @Test
  void metricsCountDecisionsOutcomesPendingAndLatency() {
    for (int i = 0; i < 3; i++) {
      Http.Response r = http.post("/v1/decide", "{\"context\": [" + i + ", 0.5, 0.5]}");
      if (i < 2) {
        http.post("/v1/outcome", "{\"decision_id\": " + r.text("decision_id") + ", \"reward\": 1}");
      }
    }
    http.post("/v1/decide", "{\"context\": [1]}"); // refused: wrong length
    Http.Response m = http.get("/metrics");
    assertEquals(200, m.status());
    assertTrue(m.contentType().startsWith("text/plain"), m.contentType());
    String text = m.body();
    assertEquals(3, Http.metric(text, "recourse_decisions_total"), text);
    assertEquals(2, Http.metric(text, "recourse_outcomes_total"), text);
    assertEquals(1, Http.metric(text, "recourse_pending_decisions"), text);
    assertEquals(0, Http.metric(text, "recourse_expired_decisions_total"), text);
    assertEquals(1, Http.metric(text, "recourse_errors_total{kind=\"wrong_length\"}"), text);
    assertEquals(4, Http.metric(text, "recourse_request_duration_seconds_count{endpoint=\"decide\"}"), text);
    assertTrue(Http.metric(text, "recourse_snapshot_age_seconds") >= 0, text);
  }
}
