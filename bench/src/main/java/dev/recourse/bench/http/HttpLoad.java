package dev.recourse.bench.http;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import dev.recourse.api.ServiceDecision;
import dev.recourse.server.Endpoints;
import dev.recourse.server.RecourseServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP load comparison: the server module's endpoints on the JDK's server ({@link RecourseServer})
 * and on Helidon SE's ({@link HelidonServer}), both in this JVM, driven over loopback by one closed-loop
 * load generator (C keep-alive HTTP/1.1 connections, each on its own platform thread, sending the next
 * request when the previous answer is read). Per cell: the model is first taught 2,000 outcomes, then
 * {@code warmup} seconds of load, then {@code measure} seconds recorded. Mode {@code decide}: decisions
 * only; {@code decide+outcome}: every decision's outcome is sent at once on the same connection (half
 * the requests are outcomes, applied under the write lock while other connections decide). Beside it,
 * the in-process decide latency of the same configuration, one thread, measured in this run.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.recourse.bench.http.HttpLoad \
 *   [warmupSeconds measureSeconds concurrency,concurrency,...]
 * </pre>
 */
public final class HttpLoad {

  static final int DIM = 20;
  static final int ARMS = 10;

  static String config(String type) {
    String feasible = type.equals("linucb") ? "" : "feasible: {mutable: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], "
        + "ball: l2, radius: 1.0}\n";
    return "dim: " + DIM + "\narms: " + ARMS + "\n" + feasible + "pending: {capacity: 65536, expiry_seconds: 3600}\n"
        + "policy: {type: " + type + ", radius: 0.6, lambda: 1.0}\n";
  }

  /** Helidon logs its start and stop at INFO, several lines per cell: keep the table readable. */
  private static final java.util.logging.Logger HELIDON_LOG = java.util.logging.Logger.getLogger("io.helidon");

  public static void main(String[] args) throws Exception {
    HELIDON_LOG.setLevel(java.util.logging.Level.WARNING);
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    int[] concurrency = args.length > 2 ? Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 4, 16};
    System.out.printf(Locale.ROOT, "# d = %d, K = %d; warm-up %.0f s, measured %.0f s per cell; %d cores%n", DIM, ARMS,
        warmup, measure, Runtime.getRuntime().availableProcessors());
    System.out.println("| policy | in-process decide p50 / p99 (µs) | server | mode | connections | requests/s | decide p50 (µs) | decide p99 (µs) | outcome p50 (µs) | outcome p99 (µs) |");
    System.out.println("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
    for (String type : List.of("linucb", "glrb")) {
      String inProcess = inProcess(type);
      for (String server : List.of("jdk", "helidon")) {
        for (boolean outcomes : new boolean[] {false, true}) {
          for (int c : concurrency) {
            PolicyService service = PolicyService.of(ServiceConfig.parse(config(type)));
            Endpoints endpoints = Endpoints.inMemory(service, 64 * 1024, Runtime.getRuntime().availableProcessors());
            AutoCloseable running;
            int port;
            if (server.equals("jdk")) {
              RecourseServer s = RecourseServer.inMemory(service, new RecourseServer.Options("127.0.0.1", 0, 64 * 1024,
                  Runtime.getRuntime().availableProcessors())).start();
              endpoints.close(); // the JDK server has its own
              running = s;
              port = s.port();
            } else {
              HelidonServer s = new HelidonServer(endpoints);
              running = () -> {
                s.close();
                endpoints.close();
              };
              port = s.port();
            }
            try (running) {
              teach(port);
              Result r = load(port, c, outcomes, warmup, measure);
              System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d | %.0f | %.0f | %.0f | %s | %s |%n", type, inProcess,
                  server, outcomes ? "decide+outcome" : "decide", c, r.requestsPerSecond, r.decideP50Us, r.decideP99Us,
                  outcomes ? String.format(Locale.ROOT, "%.0f", r.outcomeP50Us) : "–",
                  outcomes ? String.format(Locale.ROOT, "%.0f", r.outcomeP99Us) : "–");
            }
          }
        }
      }
    }
  }

  /** One thread's decide latency on the service itself (with every arm's scores, as the endpoint asks). */
  static String inProcess(String type) {
    PolicyService service = PolicyService.of(ServiceConfig.parse(config(type)));
    SplittableRandom rng = new SplittableRandom(7);
    double[][] theta = theta();
    double[] x = new double[DIM];
    ServiceDecision out = new ServiceDecision(DIM, ARMS);
    for (int i = 0; i < 2000; i++) {
      fill(rng, x);
      service.decide(x, null, out);
      service.update(out.id(), reward(rng, theta[out.arm()], out.recourse()));
    }
    int n = 20_000;
    long[] ns = new long[n];
    for (int i = 0; i < n; i++) {
      fill(rng, x);
      long t0 = System.nanoTime();
      service.decide(x, null, out);
      ns[i] = System.nanoTime() - t0;
    }
    Arrays.sort(ns);
    return String.format(Locale.ROOT, "%.1f / %.1f", ns[n / 2] / 1e3, ns[(int) (n * 0.99)] / 1e3);
  }

  static double[][] theta() {
    SplittableRandom rng = new SplittableRandom(11);
    double[][] t = new double[ARMS][DIM];
    for (double[] row : t) {
      for (int i = 0; i < DIM; i++) {
        row[i] = rng.nextGaussian() / Math.sqrt(DIM);
      }
    }
    return t;
  }

  static void fill(SplittableRandom rng, double[] x) {
    for (int i = 0; i < DIM; i++) {
      x[i] = Math.round(rng.nextGaussian() * 1e4) / 1e4;
    }
  }

  static double reward(SplittableRandom rng, double[] theta, double[] x) {
    double r = 0;
    for (int i = 0; i < DIM; i++) {
      r += theta[i] * x[i];
    }
    return Math.round((r + 0.1 * rng.nextGaussian()) * 1e4) / 1e4;
  }

  /** 2,000 decide+outcome rounds over HTTP, so that the measured model has learnt (GLRB then prunes). */
  static void teach(int port) throws IOException {
    try (Connection c = new Connection(port, new SplittableRandom(3))) {
      for (int i = 0; i < 2000; i++) {
        c.decideAndMaybeAnswer(true, null);
      }
    }
  }

  record Result(double requestsPerSecond, double decideP50Us, double decideP99Us, double outcomeP50Us,
                double outcomeP99Us) {}

  static Result load(int port, int connections, boolean outcomes, double warmupSeconds, double measureSeconds)
      throws Exception {
    AtomicBoolean recording = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Connection> conns = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      Connection c = new Connection(port, new SplittableRandom(100 + i));
      conns.add(c);
      Thread t = Thread.ofPlatform().daemon().start(() -> {
        try {
          while (!stop.get()) {
            c.decideAndMaybeAnswer(outcomes, recording.get() ? c : null);
          }
        } catch (IOException e) {
          c.failure = e;
        } finally {
          done.countDown();
        }
      });
      threads.add(t);
    }
    Thread.sleep((long) (warmupSeconds * 1000));
    recording.set(true);
    long t0 = System.nanoTime();
    Thread.sleep((long) (measureSeconds * 1000));
    recording.set(false);
    long elapsed = System.nanoTime() - t0;
    stop.set(true);
    done.await();
    long[] decide = merge(conns, true);
    long[] outcome = merge(conns, false);
    for (Connection c : conns) {
      if (c.failure != null) {
        throw c.failure;
      }
      c.close();
    }
    double seconds = elapsed / 1e9;
    return new Result((decide.length + outcome.length) / seconds, pct(decide, 0.5), pct(decide, 0.99),
        pct(outcome, 0.5), pct(outcome, 0.99));
  }

  static long[] merge(List<Connection> conns, boolean decide) {
    int n = 0;
    for (Connection c : conns) {
      n += decide ? c.decides : c.outcomes;
    }
    long[] all = new long[n];
    int at = 0;
    for (Connection c : conns) {
      int k = decide ? c.decides : c.outcomes;
      System.arraycopy(decide ? c.decideNs : c.outcomeNs, 0, all, at, k);
      at += k;
    }
    Arrays.sort(all);
    return all;
  }

  static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e3;
  }

  /** One keep-alive HTTP/1.1 connection and the latencies it recorded. */
  static final class Connection implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;
    final SplittableRandom rng;
    final double[][] theta = theta();
    final double[] x = new double[DIM];
    long[] decideNs = new long[1 << 16];
    long[] outcomeNs = new long[1 << 16];
    int decides;
    int outcomes;
    volatile IOException failure;
    final StringBuilder body = new StringBuilder(512);

    Connection(int port, SplittableRandom rng) throws IOException {
      this.socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
      this.out = socket.getOutputStream();
      this.in = new BufferedInputStream(socket.getInputStream(), 8192);
      this.rng = rng;
    }

    /** A decision, then (when {@code answer}) its outcome; latencies into {@code record} when it is non-null. */
    void decideAndMaybeAnswer(boolean answer, Connection record) throws IOException {
      fill(rng, x);
      body.setLength(0);
      body.append("{\"context\": [");
      for (int i = 0; i < DIM; i++) {
        body.append(i == 0 ? "" : ",").append(x[i]);
      }
      body.append("]}");
      long t0 = System.nanoTime();
      String response = exchange("/v1/decide", body);
      long t1 = System.nanoTime();
      if (record != null) {
        decideNs = add(decideNs, decides++, t1 - t0);
      }
      if (!answer) {
        return;
      }
      String id = field(response, "\"decision_id\":");
      int arm = Integer.parseInt(field(response, "\"arm\":"));
      body.setLength(0);
      body.append("{\"decision_id\": ").append(id).append(", \"reward\": ").append(reward(rng, theta[arm], x)).append('}');
      long t2 = System.nanoTime();
      exchange("/v1/outcome", body);
      long t3 = System.nanoTime();
      if (record != null) {
        outcomeNs = add(outcomeNs, outcomes++, t3 - t2);
      }
    }

    private static long[] add(long[] a, int at, long v) {
      if (at == a.length) {
        a = Arrays.copyOf(a, a.length * 2);
      }
      a[at] = v;
      return a;
    }

    private static String field(String json, String key) {
      int i = json.indexOf(key) + key.length();
      int j = i;
      while (j < json.length() && (Character.isDigit(json.charAt(j)) || json.charAt(j) == '-')) {
        j++;
      }
      return json.substring(i, j);
    }

    private String exchange(String path, CharSequence json) throws IOException {
      byte[] b = json.toString().getBytes(StandardCharsets.US_ASCII);
      String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
          + b.length + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(b);
      out.flush();
      String status = line();
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IOException("unexpected answer to " + path + ": " + status);
      }
      int length = -1;
      for (String h = line(); !h.isEmpty(); h = line()) {
        if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(h.substring(15).strip());
        }
      }
      if (length < 0) {
        throw new IOException("no Content-Length in the answer to " + path);
      }
      return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private String line() throws IOException {
      StringBuilder s = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          s.append((char) c);
        }
      }
      return s.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
