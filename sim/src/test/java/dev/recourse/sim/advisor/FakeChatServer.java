package dev.recourse.sim.advisor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An in-process chat-completions server on 127.0.0.1 (an ephemeral port) for the advisor tests.
 * What it does with the n-th request (counted from 0) is a {@link Behaviour}: reply with content,
 * answer with a status, reply after a delay, or drop the connection without a response. Records the
 * requests it saw and the most requests it had in flight at once.
 */
final class FakeChatServer implements AutoCloseable {

  /** What to do with one request. */
  sealed interface Behaviour {}

  /** 200 with a chat-completions body whose message content is {@code content}. */
  record Reply(String content) implements Behaviour {}

  /** 200 with exactly this body. */
  record RawBody(String body) implements Behaviour {}

  /** An error status with a short body. */
  record Status(int code) implements Behaviour {}

  /** Waits, then does {@code then}. */
  record Delay(long millis, Behaviour then) implements Behaviour {}

  /** 200 and the headers at once, then the start of the body, then nothing for {@code millis}. */
  record Trickle(long millis) implements Behaviour {}

  /** Closes the connection without sending a response. */
  record Drop() implements Behaviour {}

  /** One request as received. */
  record Received(String path, String authorization, JsonNode body) {

    String userMessage() {
      return body.path("messages").path(1).path("content").asText();
    }

    String systemMessage() {
      return body.path("messages").path(0).path("content").asText();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final IntFunction<Behaviour> behaviour;
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  FakeChatServer(IntFunction<Behaviour> behaviour) throws IOException {
    this.behaviour = behaviour;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-chat-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The server root, e.g. {@code http://127.0.0.1:41234}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int requests() {
    return count.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  List<Received> received() {
    return received;
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = JSON.readTree(in);
      }
      Received r = new Received(exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().getFirst("Authorization"), body);
      int n;
      synchronized (received) { // request n is received().get(n), also under concurrency
        received.add(r);
        n = count.getAndIncrement();
      }
      act(exchange, behaviour.apply(n));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static void act(HttpExchange exchange, Behaviour b) throws IOException {
    switch (b) {
      case Reply r -> send(exchange, 200, completion(r.content()));
      case RawBody r -> send(exchange, 200, r.body());
      case Status s -> send(exchange, s.code(), "{\"error\":{\"message\":\"status " + s.code() + "\"}}");
      case Delay d -> {
        try {
          Thread.sleep(d.millis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          exchange.close();
          return;
        }
        act(exchange, d.then());
      }
      case Trickle t -> {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0); // chunked: the client cannot know the body is short
        OutputStream out = exchange.getResponseBody();
        out.write("{\"choices\": [".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
          Thread.sleep(t.millis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.close();
      }
      case Drop d -> {
        // An exception out of the handler makes the JDK server close the connection with no response.
        throw new IOException("dropping the connection on purpose");
      }
    }
  }

  static String completion(String content) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-test");
    root.put("object", "chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", "stop");
    return root.toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(status, bytes.length);
      out.write(bytes);
    } catch (IOException e) {
      // The client gave up (a timeout test): nothing to answer.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
