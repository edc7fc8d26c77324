package dev.recourse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceDecision;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP/JSON endpoints of a {@link PolicyService}, independent of the HTTP server that carries them
 * ({@link RecourseServer} runs them on the JDK's; the load comparison in bench on Helidon's).
 *
 * <pre>
 * POST   /v1/decide     {"context": [d numbers], "allowed_arms": [arms]?}
 *                       → {"decision_id", "version", "arm", "recourse", "score", "width", "scores", "widths"}
 *                         (LIBRA and LLM-only add "advisor_queried" and "advised"; scores and widths of arms not
 *                         allowed are null)
 * POST   /v1/outcome    {"decision_id", "reward", "realised_context"?, "treatment"?} → {"version"}
 *                        (treatment: the observed embedding Z, d_z numbers; required by po-, fo- and
 *                        ens-po-GAMBITTS, refused by the recourse policies)
 * POST   /v1/arms       → 201 {"arm", "version"}
 * DELETE /v1/arms/{k}   → {"arm", "retired": true, "version"}
 * GET    /v1/health     → {"status", "reason"?, "policy", "dim", "max_arms", "version", "active_arms",
 *                          "arm_slots_used", "retired_arms", "pending", ...} (503 once the state directory failed)
 * GET    /metrics       Prometheus text format
 * </pre>
 *
 * {@code HEAD} on a GET endpoint answers as GET would, headers only ({@link Exchange#respond}).
 *
 * A refused request gets a 4xx and {@code {"error": kind, "field", "value", "message"}}, never a stack
 * trace, and leaves the model as it was; every refusal is counted by kind in {@code recourse_errors}. A
 * request body must be JSON: a Content-Type other than {@code application/json} (parameters allowed, a
 * charset only UTF-8) or a Content-Encoding other than {@code identity} gets 415; a body without a
 * Content-Type is read as JSON. A body that cannot be read as its headers frame it (a bad chunk size, fewer
 * bytes than its Content-Length before the client closed its side) gets 400 {@code malformed_body}. Once
 * the state directory failed, changes get 503 {@code state_unavailable}.
 *
 * <p>Decisions run on a small pool of platform threads rather than on the exchange's (virtual) thread:
 * the service keeps one policy replica per deciding thread (a thread-local), which a fresh virtual
 * thread per request would rebuild every time.
 */
public final class Endpoints implements AutoCloseable {

  /** One request and its response, as the carrying HTTP server presents them. */
  public interface Exchange {
    String method();

    /** The path, not decoded. */
    String rawPath();

    /** A request header's first value, or null. */
    String requestHeader(String name);

    InputStream requestBody();

    void responseHeader(String name, String value);

    /**
     * Sends the status, headers and body; called once. For a {@code HEAD} request, sends the headers a
     * {@code GET} would get (a Content-Length of {@code body}'s) and no body.
     */
    void respond(int status, String contentType, byte[] body) throws IOException;
  }

  private static final System.Logger LOG = System.getLogger(Endpoints.class.getName());
  private static final Set<String> DECIDE_FIELDS = Set.of("context", "allowed_arms");
  private static final Set<String> OUTCOME_FIELDS = Set.of("decision_id", "reward", "realised_context", "treatment");
  private static final String DIM = "the policy's dim";

  private final PolicyService service;
  private final StateStore state;
  private final int maxBodyBytes;
  private final ServerMetrics metrics;
  private final ExecutorService deciders;
  private final int dim;
  private final int maxArms;
  private final boolean libra;

  Endpoints(PolicyService service, StateStore state, int maxBodyBytes, int deciders) {
    if (maxBodyBytes < 64) {
      throw new IllegalArgumentException("max-body-bytes must be >= 64, got " + maxBodyBytes);
    }
    if (deciders < 1) {
      throw new IllegalArgumentException("deciders must be >= 1, got " + deciders);
    }
    this.service = service;
    this.state = state;
    this.maxBodyBytes = maxBodyBytes;
    this.dim = service.config().dim();
    this.maxArms = service.config().maxArms();
    this.libra = service.config().policyType().equals("libra") || service.config().policyType().equals("llm-only");
    this.metrics = new ServerMetrics(service, state::snapshotAgeSeconds);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory platform = r -> {
      Thread t = new Thread(r, "recourse-decider-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.deciders = Executors.newFixedThreadPool(deciders, platform);
  }

  /** Endpoints of {@code service} that keep no state across restarts, {@code deciders} deciding threads. */
  public static Endpoints inMemory(PolicyService service, int maxBodyBytes, int deciders) {
    return new Endpoints(service, StateStore.inMemory(service), maxBodyBytes, deciders);
  }

  public PolicyService service() {
    return service;
  }

  StateStore state() {
    return state;
  }

  /** Stops the deciding threads (after the HTTP server stopped), then closes the state (a last snapshot). */
  @Override
  public void close() throws IOException {
    deciders.shutdown();
    try {
      deciders.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    state.close();
  }

  // ---------------------------------------------------------------- routing

  /** Answers one request; never throws. */
  public void handle(Exchange ex) {
    long startNs = System.nanoTime();
    String endpoint = "other";
    try {
      String path = ex.rawPath();
      String method = ex.method();
      try {
        if (path.equals("/v1/decide")) {
          endpoint = "decide";
          allow(ex, method, "POST");
          decide(ex, Requests.object(body(ex), false));
        } else if (path.equals("/v1/outcome")) {
          endpoint = "outcome";
          allow(ex, method, "POST");
          outcome(ex, Requests.object(body(ex), false));
        } else if (path.equals("/v1/arms")) {
          endpoint = "arms";
          allow(ex, method, "POST");
          Requests.onlyFields(Requests.object(body(ex), true), Set.of());
          addArm(ex);
        } else if (path.startsWith("/v1/arms/") && path.indexOf('/', "/v1/arms/".length()) < 0
            && path.length() > "/v1/arms/".length()) {
          endpoint = "arms";
          allow(ex, method, "DELETE");
          retireArm(ex, path.substring("/v1/arms/".length()));
        } else if (path.equals("/v1/health")) {
          endpoint = "health";
          allow(ex, method, "GET");
          health(ex);
        } else if (path.equals("/metrics")) {
          endpoint = "metrics";
          allow(ex, method, "GET");
          send(ex, 200, metrics.contentType(), metrics.scrape());
        } else {
          throw new BadRequest(404, "not_found", "path", path, "no endpoint " + path
              + " (POST /v1/decide, POST /v1/outcome, POST /v1/arms, DELETE /v1/arms/{k}, GET /v1/health, GET /metrics)");
        }
      } catch (BadRequest e) {
        refuse(ex, e);
      } catch (StateStore.UnavailableException e) {
        refuse(ex, new BadRequest(503, "state_unavailable", null, null, e.getMessage()));
      } catch (IOException e) {
        // The client went away mid-request; nothing to answer.
        metrics.error("io");
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "internal error on " + method + " " + path, e);
        refuse(ex, new BadRequest(500, "internal", null, null, "internal error: " + e.getClass().getSimpleName()
            + " (the server log has the details)"));
      }
    } finally {
      metrics.latency.labelValues(endpoint).observe((System.nanoTime() - startNs) / 1e9);
    }
  }

  /** Refuses a method other than {@code allowed} with 405 and an Allow header; a GET endpoint takes HEAD too. */
  private static void allow(Exchange ex, String method, String allowed) {
    boolean get = allowed.equals("GET");
    if (!method.equals(allowed) && !(get && method.equals("HEAD"))) {
      ex.responseHeader("Allow", get ? "GET, HEAD" : allowed);
      throw new BadRequest(405, "method_not_allowed", "method", method, "use " + (get ? "GET or HEAD" : allowed)
          + ", not " + method);
    }
  }

  /**
   * The body, refused with 413 beyond {@code maxBodyBytes} (by its Content-Length, or as it is read),
   * and with 400 when it cannot be read as framed.
   */
  private byte[] body(Exchange ex) {
    int cap = maxBodyBytes;
    String declared = ex.requestHeader("Content-Length");
    if (declared != null) {
      long n;
      try {
        n = Long.parseLong(declared.strip());
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "bad_header", "Content-Length", declared, "Content-Length must be a number");
      }
      if (n < 0) { // the JDK's server refuses it before any handler runs; another carrier may not
        throw new BadRequest(400, "bad_header", "Content-Length", declared, "Content-Length must not be negative");
      }
      if (n > cap) {
        throw tooLarge(ex, Long.toString(n));
      }
    }
    byte[] b;
    try (InputStream in = ex.requestBody()) {
      b = in.readNBytes(cap + 1);
      if (b.length > cap) {
        throw tooLarge(ex, "more than " + cap);
      }
    } catch (IOException e) {
      // The HTTP layer's framing failed (a bad chunk size, the client's side closed before Content-Length
      // bytes came): the client may still read an answer, but not reuse the connection.
      ex.responseHeader("Connection", "close");
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new BadRequest(400, "malformed_body", "body", why, "the body could not be read as its headers frame it ("
          + why + "): send Content-Length bytes, or well-formed chunks");
    }
    if (b.length > 0) {
      checkMediaType(ex);
    }
    return b;
  }

  /**
   * A body must be JSON as it is: 415 for a Content-Encoding other than identity, and for a Content-Type
   * other than application/json (parameters allowed; a charset only UTF-8, JSON's). A body without a
   * Content-Type is read as JSON (tools that send none).
   */
  private static void checkMediaType(Exchange ex) {
    String encoding = ex.requestHeader("Content-Encoding");
    if (encoding != null && !encoding.strip().equalsIgnoreCase("identity")) {
      throw new BadRequest(415, "unsupported_encoding", "Content-Encoding", encoding, "Content-Encoding '"
          + encoding + "' is not supported: send the body uncompressed (identity)");
    }
    String type = ex.requestHeader("Content-Type");
    if (type == null) {
      return;
    }
    String[] parts = type.split(";");
    String media = parts[0].strip().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json")) {
      throw new BadRequest(415, "unsupported_media_type", "Content-Type", type, "Content-Type must be "
          + "application/json, got '" + type + "'" + (media.equals("application/x-www-form-urlencoded")
          ? " (what curl -d sends: add -H 'Content-Type: application/json', or use curl --json)" : ""));
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].strip();
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
        String charset = param.substring(eq + 1).strip().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw new BadRequest(415, "unsupported_media_type", "Content-Type", type, "the body must be UTF-8 "
              + "JSON, got charset=" + param.substring(eq + 1).strip());
        }
      }
    }
  }

  private BadRequest tooLarge(Exchange ex, String size) {
    // The rest of the body is not read: close the connection after the answer rather than drain it.
    ex.responseHeader("Connection", "close");
    return new BadRequest(413, "body_too_large", "body", size + " bytes", "the body exceeds the limit of "
        + maxBodyBytes + " bytes (--max-body-bytes)");
  }

  // ---------------------------------------------------------------- endpoints

  private void decide(Exchange ex, ObjectNode req) throws IOException {
    Requests.onlyFields(req, DECIDE_FIELDS);
    double[] context = Requests.vector(Requests.required(req, "context"), "context", dim, DIM);
    JsonNode allowedNode = req.get("allowed_arms");
    int[] allowed = allowedNode == null || allowedNode.isNull() ? null : Requests.arms(allowedNode, "allowed_arms");
    Future<ServiceDecision> f = deciders.submit(() -> {
      ServiceDecision out = new ServiceDecision(dim, maxArms);
      service.decide(context, allowed, out);
      return out;
    });
    ServiceDecision d;
    try {
      d = f.get();
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new BadRequest(503, "interrupted", null, null, "the server is stopping");
    } catch (ExecutionException e) {
      throw serviceError(e.getCause(), req, "context");
    }
    metrics.decisions.inc();
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("decision_id", d.id());
    out.put("version", d.version());
    out.put("arm", d.arm());
    numbers(out.putArray("recourse"), d.recourse());
    putFinite(out, "score", d.score());
    putFinite(out, "width", d.width());
    numbers(out.putArray("scores"), d.scores());
    numbers(out.putArray("widths"), d.widths());
    if (libra) {
      out.put("advisor_queried", d.advisorQueried());
      out.put("advised", d.advised());
    }
    sendJson(ex, 200, out);
  }

  private void outcome(Exchange ex, ObjectNode req) throws IOException {
    Requests.onlyFields(req, OUTCOME_FIELDS);
    long id = Requests.integer(Requests.required(req, "decision_id"), "decision_id");
    double reward = Requests.number(Requests.required(req, "reward"), "reward");
    JsonNode realisedNode = req.get("realised_context");
    double[] realised = realisedNode == null || realisedNode.isNull() ? null
        : Requests.vector(realisedNode, "realised_context", dim, DIM);
    JsonNode treatmentNode = req.get("treatment");
    int dz = service.config().treatmentDim();
    if (treatmentNode != null && !treatmentNode.isNull() && dz == 0) {
      throw new BadRequest(400, "invalid_value", "treatment", Requests.shown(treatmentNode), "treatment: policy '"
          + service.config().policyType() + "' takes no treatment embedding");
    }
    double[] treatment = treatmentNode == null || treatmentNode.isNull() ? null
        : Requests.vector(treatmentNode, "treatment", dz, "d_z, the policy's treatment dimension");
    long version;
    try {
      version = state.outcome(id, reward, realised, treatment);
    } catch (IllegalArgumentException e) {
      throw serviceError(e, req, "realised_context");
    }
    metrics.outcomes.inc();
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("version", version);
    sendJson(ex, 200, out);
  }

  private void addArm(Exchange ex) throws IOException {
    int arm;
    try {
      arm = state.addArm();
    } catch (IllegalStateException e) {
      throw new BadRequest(409, "no_arm_slots", "max_arms", Integer.toString(maxArms), e.getMessage());
    }
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("arm", arm);
    out.put("version", service.version());
    sendJson(ex, 201, out);
  }

  private void retireArm(Exchange ex, String k) throws IOException {
    int arm;
    try {
      arm = Integer.parseInt(k);
    } catch (NumberFormatException e) {
      throw new BadRequest(400, "wrong_type", "k", k, "the arm in /v1/arms/{k} must be an integer, got '" + k + "'");
    }
    try {
      state.retireArm(arm);
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      boolean unknown = m.startsWith("arm must be in");
      throw new BadRequest(unknown ? 404 : 409, unknown ? "unknown_arm" : "arm_conflict", "k", k, m);
    }
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("arm", arm);
    out.put("retired", true);
    out.put("version", service.version());
    sendJson(ex, 200, out);
  }

  private void health(Exchange ex) throws IOException {
    PolicyService.Stats s = service.stats();
    boolean healthy = state.healthy();
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("status", healthy ? "ok" : "degraded");
    if (!healthy) {
      out.put("reason", state.brokenReason());
    }
    out.put("policy", service.config().policyType());
    out.put("dim", dim);
    out.put("max_arms", maxArms);
    out.put("version", s.version());
    ArrayNode retired = Requests.JSON.createArrayNode();
    for (int a = 0; a < s.activeArms(); a++) {
      if (service.isRetired(a)) {
        retired.add(a);
      }
    }
    out.put("active_arms", s.activeArms() - retired.size());
    out.put("arm_slots_used", s.activeArms());
    out.set("retired_arms", retired);
    out.put("pending", s.pending());
    out.put("expired", s.expired());
    out.put("evicted", s.evicted());
    out.put("snapshot_age_seconds", state.snapshotAgeSeconds());
    sendJson(ex, healthy ? 200 : 503, out);
  }

  /** The arms offered: the slots in use less the retired ones. */
  static int offeredArms(PolicyService service) {
    int slots = service.activeArms();
    int offered = 0;
    for (int a = 0; a < slots; a++) {
      offered += service.isRetired(a) ? 0 : 1;
    }
    return offered;
  }

  /** A GAMBITTS cell check: {@code <param>: context column '<name>' (x[<i>]) <what>}. */
  private static final Pattern CELL = Pattern.compile("(context|realisedContext): context column '([^']*)' "
      + "\\(x\\[(\\d+)\\]\\) (.*)", Pattern.DOTALL);
  /** The service's check of a context entry: {@code context[<i>] <what>} or {@code realisedContext[<i>] <what>}. */
  private static final Pattern SERVICE_ENTRY = Pattern.compile("(context|realisedContext)\\[(\\d+)\\] (.*)",
      Pattern.DOTALL);
  /** The core's check of a context entry: {@code context x<i> <what>}. */
  private static final Pattern ENTRY = Pattern.compile("context x(\\d+) (.*)", Pattern.DOTALL);

  /**
   * A refusal by the service (its messages name the Java parameter and the value) as a request error
   * naming the JSON field and the value the request had there; {@code contextField} is the request's
   * field a model's check of "the context" refers to (a decision's context; an outcome's realised
   * context). Anything else is a bug, rethrown.
   */
  private RuntimeException serviceError(Throwable t, ObjectNode req, String contextField) {
    if (!(t instanceof IllegalArgumentException e)) {
      return t instanceof RuntimeException r ? r : new IllegalStateException(t);
    }
    String m = e.getMessage() == null ? "" : e.getMessage();
    if (m.startsWith("decisionId")) {
      boolean expired = m.contains(" expired");
      String value = m.split(" ", 3)[1];
      return new BadRequest(expired ? 410 : 404, expired ? "expired_decision" : "unknown_decision", "decision_id",
          value, "decision_id" + m.substring("decisionId".length()));
    }
    if (m.startsWith("allowedArms[")) {
      String field = "allowed_arms" + m.substring("allowedArms".length(), m.indexOf(']') + 1);
      return new BadRequest(400, "unknown_arm", field, lastWord(m), "allowed_arms" + m.substring("allowedArms".length()));
    }
    if (m.startsWith("reward")) {
      return new BadRequest(400, "invalid_value", "reward", shownField(req, "reward", -1), m);
    }
    if (m.startsWith("treatment") || m.startsWith("outcome treatment Z")) {
      return new BadRequest(400, "invalid_value", "treatment", shownField(req, "treatment", -1),
          m.startsWith("outcome treatment Z") ? "treatment" + m.substring("outcome treatment Z".length()) : m);
    }
    Matcher cell = CELL.matcher(m);
    if (cell.matches()) {
      String base = cell.group(1).equals("context") ? "context" : "realised_context";
      int i = Integer.parseInt(cell.group(3));
      String field = base + "[" + i + "]";
      return new BadRequest(400, "invalid_value", field, shownField(req, base, i), field + " (column '"
          + cell.group(2) + "') " + cell.group(4));
    }
    Matcher entry = ENTRY.matcher(m);
    if (entry.matches() && Integer.parseInt(entry.group(1)) < dim) {
      int i = Integer.parseInt(entry.group(1));
      String field = contextField + "[" + i + "]";
      return new BadRequest(400, "invalid_value", field, shownField(req, contextField, i), field + " "
          + entry.group(2));
    }
    Matcher serviceEntry = SERVICE_ENTRY.matcher(m);
    if (serviceEntry.matches()) {
      String base = serviceEntry.group(1).equals("context") ? "context" : "realised_context";
      int i = Integer.parseInt(serviceEntry.group(2));
      String field = base + "[" + i + "]";
      return new BadRequest(400, "invalid_value", field, shownField(req, base, i), field + " " + serviceEntry.group(3));
    }
    if (m.startsWith("context: ")) {
      return new BadRequest(400, "invalid_value", "context", shownField(req, "context", -1), m);
    }
    if (m.startsWith("realisedContext")) {
      return new BadRequest(400, "invalid_value", "realised_context", shownField(req, "realised_context", -1),
          "realised_context" + m.substring("realisedContext".length()));
    }
    return new BadRequest(400, "invalid_value", null, null, m);
  }

  /** The request's value of {@code field} (its element {@code index} when that is >= 0) as shown in errors, or null. */
  private static String shownField(ObjectNode req, String field, int index) {
    JsonNode n = req == null ? null : req.get(field);
    if (n != null && index >= 0) {
      n = n.get(index);
    }
    return n == null ? null : Requests.shown(n);
  }

  private static String lastWord(String m) {
    return m.substring(m.lastIndexOf(' ') + 1);
  }

  // ---------------------------------------------------------------- responses

  private void refuse(Exchange ex, BadRequest e) {
    metrics.error(e.kind);
    ObjectNode out = Requests.JSON.createObjectNode();
    out.put("error", e.kind);
    out.put("field", e.field);
    out.put("value", e.value);
    out.put("message", e.getMessage());
    try {
      sendJson(ex, e.status, out);
    } catch (IOException ignored) {
      // The client is gone; the refusal is counted.
    }
  }

  private static void putFinite(ObjectNode o, String field, double v) {
    if (Double.isFinite(v)) {
      o.put(field, v);
    } else {
      o.putNull(field);
    }
  }

  /** JSON has no NaN: an arm's score that is NaN (not allowed, retired, not added) is written as null. */
  private static void numbers(ArrayNode a, double[] values) {
    if (values == null) {
      return;
    }
    for (double v : values) {
      if (Double.isFinite(v)) {
        a.add(v);
      } else {
        a.addNull();
      }
    }
  }

  private static void sendJson(Exchange ex, int status, ObjectNode body) throws IOException {
    // A final newline, so that answers read well in a terminal (curl).
    byte[] json = Requests.JSON.writeValueAsBytes(body);
    byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
    line[json.length] = '\n';
    send(ex, status, "application/json", line);
  }

  private static void send(Exchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.respond(status, contentType, body);
  }
}
