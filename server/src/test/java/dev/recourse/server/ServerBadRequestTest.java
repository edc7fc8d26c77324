package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad request against one running server: the status, the error kind, the field (and
 * value) named in the JSON error, no stack trace in the body, the model version and the pending
 * decisions unchanged, the refusal counted by kind, and the server still serving afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerBadRequestTest {

  static final String CONFIG = """
      dim: 3
      arms: 2
      max_arms: 3
      feasible: {mutable: [2], ball: l2, radius: 0.5}
      pending: {capacity: 1024, expiry_seconds: 10}
      policy: {type: glrb, radius: 0.5, lambda: 1.0}
      """;
  static final int MAX_BODY = 1024;

  final AtomicLong clockNs = new AtomicLong();
  RecourseServer server;
  Http http;
  long answered;
  long expired;

  @BeforeAll
  void start() throws Exception {
    PolicyService service = PolicyService.builder(ServiceConfig.parse(CONFIG)).clock(clockNs::get).build();
    server = RecourseServer.inMemory(service, new RecourseServer.Options("127.0.0.1", 0, MAX_BODY, 2)).start();
    http = new Http(server.port());
    // A decision already answered, and one whose outcome will come too late.
    answered = http.post("/v1/decide", "{\"context\": [1, 2, 3]}").json().get("decision_id").asLong();
    assertEquals(200, http.post("/v1/outcome", "{\"decision_id\": " + answered + ", \"reward\": 1}").status());
    expired = http.post("/v1/decide", "{\"context\": [1, 2, 3]}").json().get("decision_id").asLong();
    clockNs.addAndGet(11_000_000_000L);
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  Stream<Arguments> badRequests() {
    String big = "{\"context\": [" + "1, ".repeat(MAX_BODY / 3) + "1]}";
    return Stream.of(
        // method, path, body, status, kind, field, value
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2", 400, "malformed_json", null, null),
        Arguments.of("POST", "/v1/decide", "", 400, "malformed_json", null, null),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, 3]} trailing", 400, "malformed_json", null, null),
        Arguments.of("POST", "/v1/decide", "[1, 2, 3]", 400, "wrong_type", null, "[1,2,3]"),
        Arguments.of("POST", "/v1/decide", "{}", 400, "missing_field", "context", null),
        Arguments.of("POST", "/v1/decide", "{\"context\": \"1,2,3\"}", 400, "wrong_type", "context", "\"1,2,3\""),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, \"2\", 3]}", 400, "wrong_type", "context[1]", "\"2\""),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, NaN, 3]}", 400, "not_finite", "context[1]", "NaN"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, 1e999]}", 400, "not_finite", "context[2]", "Infinity"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2]}", 400, "wrong_length", "context", "2"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, 3], \"allowed_arms\": []}", 400,
            "empty_allowed_set", "allowed_arms", "[]"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, 3], \"allowed_arms\": [7]}", 400,
            "unknown_arm", "allowed_arms[0]", "7"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, 3], \"allowed_arms\": [0.5]}", 400,
            "wrong_type", "allowed_arms[0]", "0.5"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, 3], \"alowed_arms\": [0]}", 400,
            "unknown_field", "alowed_arms", "[0]"),
        Arguments.of("POST", "/v1/decide", big, 413, "body_too_large", "body", null),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": 123456, \"reward\": 1}", 404, "unknown_decision",
            "decision_id", "123456"),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": \"7\", \"reward\": 1}", 400, "wrong_type",
            "decision_id", "\"7\""),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": 1.5, \"reward\": 1}", 400, "wrong_type",
            "decision_id", "1.5"),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": 0}", 400, "missing_field", "reward", null),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": 0, \"reward\": NaN}", 400, "not_finite", "reward", "NaN"),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": 0, \"reward\": true}", 400, "wrong_type", "reward", "true"),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": 0, \"reward\": 1, \"realised_context\": [1]}", 400,
            "wrong_length", "realised_context", "1"),
        Arguments.of("DELETE", "/v1/arms/9", null, 404, "unknown_arm", "k", "9"),
        Arguments.of("DELETE", "/v1/arms/one", null, 400, "wrong_type", "k", "one"),
        Arguments.of("DELETE", "/v1/arms/1/extra", null, 404, "not_found", "path", "/v1/arms/1/extra"),
        Arguments.of("DELETE", "/v1/arms/", null, 404, "not_found", "path", "/v1/arms/"),
        Arguments.of("POST", "/v1/arms", "{\"arm\": 5}", 400, "unknown_field", "arm", "5"),
        Arguments.of("POST", "/v1/outcome", "{\"decision_id\": 0, \"reward\": 1, \"treatment\": [1, 2]}", 400,
            "invalid_value", "treatment", "[1,2]"),
        // the core refuses magnitudes above 1e150 (products would overflow): named by field and value
        Arguments.of("POST", "/v1/decide", "{\"context\": [1e300, 1e300, 1e300]}", 400, "invalid_value",
            "context[0]", "1.0E300"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, -1e151]}", 400, "invalid_value", "context[2]",
            "-1.0E151"),
        Arguments.of("POST", "/v1/decide", "{\"context\": [1, 2, 3], \"context\": [1, 2, 3]}", 400,
            "malformed_json", "context", null),
        Arguments.of("GET", "/v1/decide", null, 405, "method_not_allowed", "method", "GET"),
        Arguments.of("GET", "/v2/whatever", null, 404, "not_found", "path", "/v2/whatever"));
  }

  @ParameterizedTest(name = "{0} {1} {2} -> {3} {4}")
  @MethodSource("badRequests")
  void refusedNamingTheFieldAndLeavingTheModelAlone(String method, String path, String body, int status, String kind,
                                                    String field, String value) {
    long version = server.service().version();
    long pending = server.service().stats().pending();
    double before = errors(kind);
    Http.Response r = http.send(method, path, body);
    assertEquals(status, r.status(), r.body());
    assertEquals("application/json", r.contentType());
    assertEquals(kind, r.text("error"), r.body());
    assertEquals(field, r.text("field"), r.body());
    if (value != null) {
      assertEquals(value, r.text("value"), r.body());
    }
    assertNotNull(r.text("message"));
    assertFalse(r.body().contains("\tat ") || r.body().contains("Exception"), "no stack trace: " + r.body());
    assertEquals(version, server.service().version(), "model untouched");
    assertEquals(pending, server.service().stats().pending(), "no decision issued");
    assertEquals(before + 1, errors(kind), "counted as " + kind);
    assertEquals(200, http.post("/v1/decide", "{\"context\": [0.1, 0.2, 0.3]}").status(), "still serving");
  }

  @Test
  void malformedJsonIsOneLineNamingLineAndColumn() {
    Http.Response r = http.post("/v1/decide", "{\"context\":\n  [1, 2");
    assertEquals(400, r.status(), r.body());
    assertEquals("malformed_json", r.text("error"));
    String message = r.text("message");
    assertFalse(message.contains("[Source") || message.contains("REDACTED") || message.contains("\n"), message);
    assertTrue(message.startsWith("the body is not valid JSON (line 2, column "), message);
    assertTrue(message.contains("(opened at line 2, column 3)"), message);
  }

  @Test
  void messagesNameWhatIsWrongInTheClientsTerms() {
    Http.Response r = http.post("/v1/arms", "{\"foo\": 1}");
    assertEquals("unknown field 'foo' (this request takes no fields: send {} or no body)", r.text("message"), r.body());
    r = http.post("/v1/decide", "{\"context\": [1, 2, 3], \"context\": [1, 2, 3]}");
    assertTrue(r.text("message").matches("the body is not valid JSON \\(line 1, column \\d+\\): duplicate key 'context'"),
        r.body());
    r = http.post("/v1/decide", "{\"context\": [1, 2, 3e300]}");
    assertEquals("context[2] must be at most 1.0E150 in magnitude (x xᵀ would overflow), got 3.0E300", r.text("message"),
        r.body());
    // Jackson's hints name its own switches, which a client cannot set: none of them gets through
    for (String body : new String[] {"{\"context\": [1, 2, 3]} {}", "{\"context\": [1, 2, +3]}",
        "{\"context\": [1, 2, .3]}", "{\"context\": [1, 2, 3] /* c */}", "{'context': [1, 2, 3]}",
        "{context: [1, 2, 3]}", "{\"context\": [1, 2, 3],}", "{\"context\": [01, 2, 3]}"}) {
      r = http.post("/v1/decide", body);
      assertEquals(400, r.status(), body + " -> " + r.body());
      assertEquals("malformed_json", r.text("error"), r.body());
      String m = r.text("message");
      assertFalse(m.contains("Feature") || m.contains("`") || m.contains("ALLOW_") || m.contains("FAIL_ON"),
          body + " -> " + m);
    }
  }

  @Test
  void aBodyMustBeJsonAsItIs() {
    long version = server.service().version();
    String body = "{\"context\": [1, 2, 3]}";
    for (String[] refused : new String[][] {
        {"Content-Type", "text/plain"},
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Content-Type", "application/xml"},
        {"Content-Type", "application/json; charset=iso-8859-1"},
        {"Content-Encoding", "gzip"},
        {"Content-Encoding", "deflate"}}) {
      double before = errors(refused[0].equals("Content-Type") ? "unsupported_media_type" : "unsupported_encoding");
      Http.Response r = http.send("POST", "/v1/decide", body, refused);
      assertEquals(415, r.status(), refused[1] + ": " + r.body());
      assertEquals("application/json", r.contentType());
      assertEquals(refused[0].equals("Content-Type") ? "unsupported_media_type" : "unsupported_encoding",
          r.text("error"), r.body());
      assertEquals(refused[0], r.text("field"), r.body());
      assertEquals(refused[1], r.text("value"), r.body());
      assertEquals(before + 1, errors(r.text("error")), "counted");
    }
    Http.Response form = http.send("POST", "/v1/outcome", "{\"decision_id\": 1, \"reward\": 1}", "Content-Type",
        "application/x-www-form-urlencoded");
    assertEquals(415, form.status(), form.body());
    assertTrue(form.text("message").contains("curl -d"), "says what sends that: " + form.body());
    assertEquals(415, http.send("POST", "/v1/arms", "{}", "Content-Type", "text/plain").status());
    assertEquals(version, server.service().version(), "nothing changed");
    for (String[] taken : new String[][] {
        {"Content-Type", "application/json"},
        {"Content-Type", "Application/JSON; charset=UTF-8"},
        {"Content-Type", "application/json;charset=\"utf-8\""},
        {"Content-Encoding", "identity"}}) {
      Http.Response r = http.send("POST", "/v1/decide", body, taken);
      assertEquals(200, r.status(), taken[1] + ": " + r.body());
    }
    assertEquals(200, http.send("POST", "/v1/decide", body).status(), "no Content-Type: read as JSON");
    Http.Response empty = http.send("POST", "/v1/decide", "", "Content-Type", "text/plain");
    assertEquals("malformed_json", empty.text("error"), "no body: no type to check, " + empty.body());
  }

  @Test
  void aChunkedBodyIsCappedAsItIsRead() {
    long version = server.service().version();
    String big = "{\"context\": [" + "1, ".repeat(MAX_BODY) + "1]}";
    Http.Response r = http.postChunked("/v1/decide", big);
    assertEquals(413, r.status(), r.body());
    assertEquals("body_too_large", r.text("error"));
    assertEquals(version, server.service().version());
    Http.Response small = http.postChunked("/v1/decide", "{\"context\": [1, 2, 3]}");
    assertEquals(200, small.status(), "a chunked body under the cap is read: " + small.body());
  }

  @Test
  void anAnsweredDecisionCannotBeAnsweredTwice() {
    long version = server.service().version();
    Http.Response r = http.post("/v1/outcome", "{\"decision_id\": " + answered + ", \"reward\": 1}");
    assertEquals(404, r.status(), r.body());
    assertEquals("unknown_decision", r.text("error"));
    assertEquals(Long.toString(answered), r.text("value"));
    assertEquals(version, server.service().version());
  }

  @Test
  void aLateOutcomeIsRefusedAsExpired() {
    long version = server.service().version();
    Http.Response r = http.post("/v1/outcome", "{\"decision_id\": " + expired + ", \"reward\": 1}");
    assertEquals(410, r.status(), r.body());
    assertEquals("expired_decision", r.text("error"));
    assertEquals("decision_id", r.text("field"));
    assertEquals(version, server.service().version());
  }

  @Test
  void armsBeyondMaxArmsAndTheLastArmAreConflicts() {
    Http.Response added = http.post("/v1/arms", "");
    assertEquals(201, added.status(), added.body());
    Http.Response full = http.post("/v1/arms", "{}");
    assertEquals(409, full.status(), full.body());
    assertEquals("no_arm_slots", full.text("error"));
    assertEquals(200, http.delete("/v1/arms/0").status());
    Http.Response again = http.delete("/v1/arms/0");
    assertEquals(409, again.status(), again.body());
    assertEquals("arm_conflict", again.text("error"));
    Http.Response retiredAllowed = http.post("/v1/decide", "{\"context\": [1, 2, 3], \"allowed_arms\": [0]}");
    assertEquals(400, retiredAllowed.status(), retiredAllowed.body());
    assertEquals("allowed_arms[0]", retiredAllowed.text("field"));
    assertEquals(200, http.delete("/v1/arms/1").status());
    Http.Response last = http.delete("/v1/arms/2");
    assertEquals(409, last.status(), last.body());
  }

  private double errors(String kind) {
    double v = Http.metric(http.get("/metrics").body(), "recourse_errors_total{kind=\"" + kind + "\"}");
    return Double.isNaN(v) ? 0 : v;
  }
}
