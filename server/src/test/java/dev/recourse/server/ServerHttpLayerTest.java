package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer does under the endpoints: HEAD on the GET endpoints, bodies that the JDK's server
 * cannot read as framed (answered in the server's JSON), and what the JDK refuses before any handler
 * runs (its own text). Raw sockets, so that the request is exactly the bytes written.
 */
class ServerHttpLayerTest {

  RecourseServer server;
  Http http;

  @BeforeEach
  void start() throws Exception {
    server = RecourseServer.inMemory(PolicyService.of(ServiceConfig.parse(ServerHttpTest.CONFIG)),
        new RecourseServer.Options("127.0.0.1", 0, 1024, 1)).start();
    http = new Http(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** A response as read off the wire: status, headers (names lower-cased) and the bytes after them. */
  record Raw(int status, Map<String, String> headers, String body) {
    JsonNode json() throws IOException {
      return Requests.JSON.readTree(body);
    }
  }

  /** Writes {@code request}, closes the writing side if {@code halfClose}, and reads until the server closes. */
  private Raw raw(String request, boolean halfClose) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) > 0; ) {
        all.write(buf, 0, n);
      }
      String text = all.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      assertTrue(end > 0, "a whole response head: " + text);
      String[] lines = text.substring(0, end).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
      return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
  }

  private static String request(String method, String path, String... headers) {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  private double errors(String kind) {
    double v = Http.metric(http.get("/metrics").body(), "recourse_errors_total{kind=\"" + kind + "\"}");
    return Double.isNaN(v) ? 0 : v;
  }

  @Test
  void headOnAGetEndpointIsItsHeadersWithoutTheBody() throws IOException {
    for (String path : new String[] {"/v1/health", "/metrics"}) {
      Raw get = raw(request("GET", path), false);
      Raw head = raw(request("HEAD", path), false);
      assertEquals(200, head.status(), path + ": " + head);
      assertEquals("", head.body(), path + ": no body");
      assertEquals(get.headers().get("content-type"), head.headers().get("content-type"), path);
      long length = Long.parseLong(head.headers().get("content-length"));
      // Metrics grow between the two requests (the GET's latency is a new sample); health differs only in
      // the digits of snapshot_age_seconds, a double.
      assertTrue(path.equals("/metrics") ? length > 0 : Math.abs(length - get.body().length()) <= 20, path
          + ": GET's length: " + length + " vs " + get.body().length());
    }
  }

  @Test
  void headElsewhereIsRefusedWithoutABodyAndAnAllowHeader() throws IOException {
    Raw decide = raw(request("HEAD", "/v1/decide"), false);
    assertEquals(405, decide.status(), decide.toString());
    assertEquals("POST", decide.headers().get("allow"));
    assertEquals("", decide.body());
    Raw nowhere = raw(request("HEAD", "/v2/nothing"), false);
    assertEquals(404, nowhere.status(), nowhere.toString());
    assertEquals("", nowhere.body());

    Raw post = raw(request("POST", "/v1/health", "Content-Length: 0"), false);
    assertEquals(405, post.status(), post.toString());
    assertEquals("GET, HEAD", post.headers().get("allow"));
    assertEquals("method_not_allowed", post.json().get("error").asText());
    assertEquals("use GET or HEAD, not POST", post.json().get("message").asText());
  }

  @Test
  void aBadChunkSizeIsAJsonError() throws IOException {
    long version = server.service().version();
    double before = errors("malformed_body");
    Raw r = raw(request("POST", "/v1/decide", "Content-Type: application/json", "Transfer-Encoding: chunked")
        + "zz\r\n{\"context\": [1, 2, 3]}\r\n0\r\n\r\n", false);
    assertEquals(400, r.status(), r.toString());
    assertTrue(r.headers().get("content-type").startsWith("application/json"), r.toString());
    assertEquals("malformed_body", r.json().get("error").asText(), r.body());
    assertEquals("body", r.json().get("field").asText(), r.body());
    assertTrue(r.json().get("message").asText().contains("chunk"), r.body());
    assertEquals(version, server.service().version());
    assertEquals(before + 1, errors("malformed_body"));
  }

  @Test
  void aBodyShorterThanItsContentLengthIsAJsonError() throws IOException {
    long pending = server.service().stats().pending();
    Raw r = raw(request("POST", "/v1/decide", "Content-Type: application/json", "Content-Length: 100")
        + "{\"context\": [1, 2, 3]}", true);
    assertEquals(400, r.status(), r.toString());
    assertEquals("malformed_body", r.json().get("error").asText(), r.body());
    assertTrue(r.json().get("message").asText().contains("before all data received"), r.body());
    assertEquals(pending, server.service().stats().pending(), "no decision made");
    assertEquals(200, http.post("/v1/decide", "{\"context\": [1, 2, 3]}").status(), "still serving");
  }

  /** The JDK's server answers a negative Content-Length itself, in its own text, before any handler. */
  @Test
  void aNegativeContentLengthIsRefusedByTheHttpLayer() throws IOException {
    Raw r = raw(request("POST", "/v1/decide", "Content-Type: application/json", "Content-Length: -5"), false);
    assertEquals(400, r.status(), r.toString());
    assertFalse(r.headers().getOrDefault("content-type", "").startsWith("application/json"), r.toString());
  }

  /** An exchange in memory, for what the JDK never lets reach a handler. */
  private static final class FakeExchange implements Endpoints.Exchange {
    final Map<String, String> requestHeaders = new LinkedHashMap<>();
    final String body;
    int status;
    String contentType;
    String sent;

    FakeExchange(String body) {
      this.body = body;
    }

    @Override
    public String method() {
      return "POST";
    }

    @Override
    public String rawPath() {
      return "/v1/decide";
    }

    @Override
    public String requestHeader(String name) {
      return requestHeaders.get(name);
    }

    @Override
    public InputStream requestBody() {
      return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void responseHeader(String name, String value) {}

    @Override
    public void respond(int status, String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.sent = new String(body, StandardCharsets.UTF_8);
    }
  }

  @Test
  void aNegativeContentLengthThatReachesTheEndpointsIsAJsonError() throws IOException {
    try (Endpoints endpoints = Endpoints.inMemory(PolicyService.of(ServiceConfig.parse(ServerHttpTest.CONFIG)), 1024,
        1)) {
      FakeExchange ex = new FakeExchange("{\"context\": [1, 2, 3]}");
      ex.requestHeaders.put("Content-Length", "-5");
      endpoints.handle(ex);
      assertEquals(400, ex.status, ex.sent);
      assertEquals("application/json", ex.contentType);
      JsonNode json = Requests.JSON.readTree(ex.sent);
      assertEquals("bad_header", json.get("error").asText(), ex.sent);
      assertEquals("Content-Length", json.get("field").asText(), ex.sent);
      assertEquals("-5", json.get("value").asText(), ex.sent);
      assertEquals(0, endpoints.service().stats().pending(), "no decision made");
    }
  }
}
