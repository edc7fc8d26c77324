package dev.recourse.sim.advisor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.core.advisor.Advisor;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * An advisor behind an OpenAI-compatible chat-completions endpoint (a hosted model, or a local one
 * served by Ollama, vLLM or llama.cpp): the patient is rendered into the prompt of the paper's Figure 2,
 * {@code POST {baseUrl}/v1/chat/completions} is sent, and the answer is read by a {@link ReplyParser}.
 *
 * <p>Never throws for an advisor-side failure (the {@link Advisor} contract): a timeout, a non-2xx
 * status, a dropped or refused connection, a reply that is not chat-completions JSON or not in the
 * answer format, no free permit within the read timeout, or an interrupt each make {@code advise}
 * return false and are counted by {@link Failure} kind, so the policy plays its own pair and the
 * round goes on. Timeouts, 5xx statuses and connection errors are retried (at most
 * {@code maxRetries} times, backoff doubling from {@code retryBackoff}); 4xx statuses and bad replies
 * are not, because asking again would get the same answer. The time one call can take is bounded:
 * see {@link HttpAdvisorConfig}.
 *
 * <p>Thread-safe: one instance may serve policies on several threads; {@code maxConcurrent} permits
 * (a fair semaphore) cap the requests in flight. A caller that finds none free within the read timeout
 * fails with {@link Failure#CAPACITY} instead of queueing without bound. {@link #close()} releases the
 * HTTP client.
 */
public final class HttpAdvisor implements Advisor, AutoCloseable {

  /** Why a call failed. */
  public enum Failure {
    /** No complete reply within the read timeout (or no connection within the connect timeout). */
    TIMEOUT,
    /** The server answered with a non-2xx status. */
    HTTP_STATUS,
    /** The connection was refused, reset or closed before a complete reply. */
    CONNECTION,
    /** The reply was not chat-completions JSON, or its content not a valid answer. */
    PARSE,
    /** Every permit stayed taken for the whole read timeout. */
    CAPACITY,
    /** The calling thread was interrupted (its interrupt flag is kept set). */
    INTERRUPTED
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SNIPPET = 200;

  private final HttpAdvisorConfig config;
  private final PromptTemplate prompt;
  private final ReplyParser parser;
  private final HttpClient client;
  private final Semaphore permits;
  private final long readTimeoutNanos;
  private final LongAdder requests = new LongAdder();
  private final LongAdder successes = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder[] failures = new LongAdder[Failure.values().length];
  private volatile String lastFailure = "none";

  public HttpAdvisor(HttpAdvisorConfig config) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.prompt = config.promptTemplate();
    this.parser = config.replyParser();
    this.client = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        // Local model servers speak HTTP/1.1; an h2c upgrade attempt only adds a failure mode.
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.permits = new Semaphore(config.maxConcurrent(), true);
    this.readTimeoutNanos = config.readTimeout().toNanos();
    for (int i = 0; i < failures.length; i++) {
      failures[i] = new LongAdder();
    }
  }

  @Override
  public boolean advise(double[] x, int[] arm, double[] context) {
    if (x.length != config.dim() || context.length != config.dim()) {
      throw new IllegalArgumentException("x and context must have " + config.dim() + " features, got " + x.length
          + " and " + context.length); // a caller's bug, not an advisor failure
    }
    requests.increment();
    boolean acquired;
    try {
      acquired = permits.tryAcquire(readTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail(Failure.INTERRUPTED, "interrupted while waiting for a permit");
    }
    if (!acquired) {
      return fail(Failure.CAPACITY, "all " + config.maxConcurrent() + " permits stayed busy for "
          + config.readTimeout().toMillis() + " ms");
    }
    try {
      return call(x, arm, context);
    } finally {
      permits.release();
    }
  }

  private boolean call(double[] x, int[] arm, double[] context) {
    HttpRequest request = request(x);
    long backoffMillis = config.retryBackoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      Attempt a = send(request);
      if (a.body != null) {
        return read(a.body, x, arm, context);
      }
      if (!a.retryable || attempt >= config.maxRetries()) {
        return fail(a.kind, a.message);
      }
      retries.increment();
      try {
        Thread.sleep(backoffMillis << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail(Failure.INTERRUPTED, "interrupted during retry backoff after: " + a.message);
      }
    }
  }

  private HttpRequest request(double[] x) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.model());
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", prompt.system(x));
    messages.addObject().put("role", "user").put("content", prompt.user(x));
    body.put("temperature", config.temperature());
    if (config.maxTokens() > 0) {
      body.put("max_tokens", config.maxTokens());
    }
    body.put("stream", false);
    HttpRequest.Builder b = HttpRequest.newBuilder(config.endpoint())
        .timeout(config.readTimeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    String key = config.apiKey();
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return b.build();
  }

  /** One exchange, bounded by the read timeout from send to the reply's last byte. */
  private Attempt send(HttpRequest request) {
    attempts.increment();
    CompletableFuture<HttpResponse<String>> future;
    try {
      future = client.sendAsync(request, HttpResponse.BodyHandlers.limiting(
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), config.maxResponseBytes()));
    } catch (RuntimeException e) { // e.g. the client was closed
      return Attempt.failed(Failure.CONNECTION, false, "could not send: " + e);
    }
    HttpResponse<String> response;
    try {
      // The request's own timeout stops at the response headers; this deadline also covers the body.
      response = future.get(readTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true); // aborts the exchange and closes its connection
      return Attempt.failed(Failure.TIMEOUT, true, "no complete reply within " + config.readTimeout().toMillis()
          + " ms");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return Attempt.failed(Failure.INTERRUPTED, false, "interrupted while waiting for the reply");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) { // also the connect timeout
        return Attempt.failed(Failure.TIMEOUT, true, cause.toString());
      }
      if (cause instanceof IOException && String.valueOf(cause.getMessage()).contains("exceeds capacity")) {
        return Attempt.failed(Failure.PARSE, false, "reply longer than " + config.maxResponseBytes() + " bytes");
      }
      return Attempt.failed(Failure.CONNECTION, cause instanceof IOException, cause.toString());
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return Attempt.ok(response.body());
    }
    return Attempt.failed(Failure.HTTP_STATUS, status >= 500, "HTTP " + status + ": " + snippet(response.body()));
  }

  /** Reads a chat-completions reply and its answer. */
  private boolean read(String body, double[] x, int[] arm, double[] context) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return fail(Failure.PARSE, "reply is not JSON: " + snippet(body));
    }
    JsonNode message = root == null ? null : root.path("choices").path(0).path("message");
    String text = message == null ? null : content(message.path("content"));
    if (text == null) {
      JsonNode refusal = message == null ? null : message.path("refusal");
      return fail(Failure.PARSE, refusal != null && refusal.isTextual()
          ? "the model refused: " + snippet(refusal.asText())
          : "reply has no choices[0].message.content: " + snippet(body));
    }
    ReplyParser.Result r = parser.parse(text, x, arm, context);
    if (!r.ok()) {
      return fail(Failure.PARSE, r.error() + "; answer: " + snippet(text));
    }
    successes.increment();
    return true;
  }

  /** The message text: a string, or the text parts of a content array. */
  private static String content(JsonNode c) {
    if (c.isTextual()) {
      return c.asText();
    }
    if (c.isArray()) {
      StringBuilder s = new StringBuilder();
      for (JsonNode part : c) {
        if (part.path("text").isTextual()) {
          s.append(part.path("text").asText()).append('\n');
        }
      }
      return s.isEmpty() ? null : s.toString();
    }
    return null;
  }

  private boolean fail(Failure kind, String message) {
    failures[kind.ordinal()].increment();
    lastFailure = kind + ": " + message;
    return false;
  }

  private static String snippet(String s) {
    if (s == null) {
      return "";
    }
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() <= SNIPPET ? t : t.substring(0, SNIPPET) + "…";
  }

  /** Calls to {@link #advise}. */
  public long requests() {
    return requests.sum();
  }

  /** Calls that produced advice. */
  public long successes() {
    return successes.sum();
  }

  /** Calls that failed, of every kind. */
  public long failures() {
    long sum = 0;
    for (LongAdder f : failures) {
      sum += f.sum();
    }
    return sum;
  }

  /** Calls that failed, of one kind. */
  public long failures(Failure kind) {
    return failures[kind.ordinal()].sum();
  }

  /** Failed calls by kind, every kind listed. */
  public java.util.Map<Failure, Long> failuresByKind() {
    java.util.Map<Failure, Long> m = new java.util.EnumMap<>(Failure.class);
    for (Failure f : Failure.values()) {
      m.put(f, failures[f.ordinal()].sum());
    }
    return m;
  }

  /** HTTP exchanges started (first attempts and retries). */
  public long attempts() {
    return attempts.sum();
  }

  /** Exchanges repeated after a retryable failure. */
  public long retries() {
    return retries.sum();
  }

  /** The kind and message of the most recent failure, or {@code none}: for logs, not for logic. */
  public String lastFailure() {
    return lastFailure;
  }

  public HttpAdvisorConfig config() {
    return config;
  }

  @Override
  public String describe() {
    return "http-llm(endpoint=" + config.endpoint() + ", model=" + config.model() + ", temperature="
        + config.temperature() + ", replyValues=" + config.replyValues().name().toLowerCase(java.util.Locale.ROOT)
        + ", readTimeoutMs=" + config.readTimeout().toMillis() + ", maxRetries=" + config.maxRetries()
        + ", maxConcurrent=" + config.maxConcurrent() + ")";
  }

  /** Shuts the HTTP client down, waiting at most the read timeout for calls in flight. */
  @Override
  public void close() {
    client.shutdown();
    try {
      if (!client.awaitTermination(config.readTimeout())) {
        client.shutdownNow();
      }
    } catch (InterruptedException e) {
      client.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return describe() + " requests=" + requests() + " successes=" + successes() + " failures=" + failuresByKind()
        + " retries=" + retries();
  }

  /** The outcome of one exchange: a 2xx body, or a failure that may be worth retrying. */
  private record Attempt(String body, Failure kind, boolean retryable, String message) {

    static Attempt ok(String body) {
      return new Attempt(body, null, false, null);
    }

    static Attempt failed(Failure kind, boolean retryable, String message) {
      return new Attempt(null, kind, retryable, message);
    }
  }
}
