package dev.recourse.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recourse.api.PolicyService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@link Endpoints} on the JDK's built-in HTTP server ({@code com.sun.net.httpserver}), one virtual
 * thread per exchange. Before the JDK's server is first created in the JVM, {@link HttpLimits} sets its
 * request time limit (30 s) unless the user set one.
 */
public final class RecourseServer implements AutoCloseable {

  /** Where and how to listen. */
  public record Options(String bind, int port, int maxBodyBytes, int deciders) {
    public Options {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
      }
      if (maxBodyBytes < 64) {
        throw new IllegalArgumentException("max-body-bytes must be >= 64, got " + maxBodyBytes);
      }
      if (deciders < 1) {
        throw new IllegalArgumentException("deciders must be >= 1, got " + deciders);
      }
    }

    /** Loopback, an ephemeral port, 64 KiB bodies, one decider per core. */
    public static Options loopback() {
      return new Options("127.0.0.1", 0, 64 * 1024, Runtime.getRuntime().availableProcessors());
    }
  }

  private final Endpoints endpoints;
  private final HttpServer http;
  private final ExecutorService exchanges = Executors.newVirtualThreadPerTaskExecutor();

  RecourseServer(PolicyService service, StateStore state, Options options) throws IOException {
    this(service, state, options, bind(options));
  }

  /** Serves on {@code http}, bound by {@link #bind} and not started. */
  RecourseServer(PolicyService service, StateStore state, Options options, HttpServer http) {
    this.endpoints = new Endpoints(service, state, options.maxBodyBytes(), options.deciders());
    this.http = http;
    http.setExecutor(exchanges);
    http.createContext("/", ex -> {
      try (ex) {
        endpoints.handle(new JdkExchange(ex));
      }
    });
  }

  /**
   * Binds the listening socket (not yet accepting), so that a start fails on a port in use before it
   * touches anything else. Sets the JDK server's time limits first ({@link HttpLimits}).
   */
  static HttpServer bind(Options options) throws IOException {
    HttpLimits.applyDefaults(System.getProperties());
    return HttpServer.create(new InetSocketAddress(options.bind(), options.port()), 0);
  }

  /**
   * Closes a server from {@link #bind} that will not be used. The JDK's server closes its listening
   * socket only once its dispatcher thread runs (a channel registered with a selector is released at
   * the next selection): one never started would keep the port, so it is started and stopped at once
   * (with no handler yet, a connection in between gets 404).
   */
  static void release(HttpServer http) {
    http.start();
    http.stop(0);
  }

  /** Serves {@code service} (without a state directory: nothing is kept across restarts). */
  public static RecourseServer inMemory(PolicyService service, Options options) throws IOException {
    return new RecourseServer(service, StateStore.inMemory(service), options);
  }

  public RecourseServer start() {
    http.start();
    return this;
  }

  /** The port listened on (the ephemeral one chosen when {@link Options#port()} is 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  public PolicyService service() {
    return endpoints.service();
  }

  StateStore state() {
    return endpoints.state();
  }

  /** Stops accepting, lets exchanges in flight finish (up to a second), then closes the endpoints (last snapshot). */
  @Override
  public void close() throws IOException {
    http.stop(1);
    exchanges.shutdown();
    try {
      exchanges.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endpoints.close();
  }

  private record JdkExchange(HttpExchange ex) implements Endpoints.Exchange {
    @Override
    public String method() {
      return ex.getRequestMethod();
    }

    @Override
    public String rawPath() {
      return ex.getRequestURI().getRawPath();
    }

    @Override
    public String requestHeader(String name) {
      return ex.getRequestHeaders().getFirst(name);
    }

    @Override
    public InputStream requestBody() {
      return ex.getRequestBody();
    }

    @Override
    public void responseHeader(String name, String value) {
      ex.getResponseHeaders().set(name, value);
    }

    @Override
    public void respond(int status, String contentType, byte[] body) throws IOException {
      ex.getResponseHeaders().set("Content-Type", contentType);
      if (ex.getRequestMethod().equals("HEAD")) {
        // The JDK sends no body for HEAD and wants its length as a header, not through sendResponseHeaders.
        ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        ex.sendResponseHeaders(status, -1);
        return;
      }
      ex.sendResponseHeaders(status, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
