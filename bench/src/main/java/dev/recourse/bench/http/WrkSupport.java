package dev.recourse.bench.http;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import dev.recourse.api.ServiceDecision;
import dev.recourse.server.Endpoints;
import dev.recourse.server.RecourseServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * The Java side of {@code bench/http/wrk.sh}.
 *
 * <pre>
 * WrkSupport in-process POLICY.yaml         one thread's decide latency on the service itself: "p50 p99" in µs
 * WrkSupport serve jdk|helidon POLICY.yaml   the server module's endpoints on 127.0.0.1, ephemeral port,
 *                                           without a state directory, until killed
 * </pre>
 *
 * {@code serve} exists so that the JDK server and Helidon SE run in the same kind of JVM with the same
 * endpoints and no write-ahead log: the comparison is then of the HTTP layer alone.
 */
public final class WrkSupport {

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("in-process")) {
      System.out.println(inProcess(config(args[1])));
    } else if (args.length == 3 && args[0].equals("serve") && (args[1].equals("jdk") || args[1].equals("helidon"))) {
      serve(args[1], config(args[2]));
    } else {
      System.err.println("usage: WrkSupport in-process POLICY.yaml | serve jdk|helidon POLICY.yaml");
      System.exit(2);
    }
  }

  private static ServiceConfig config(String file) throws Exception {
    return ServiceConfig.parse(Files.readString(Path.of(file)));
  }

  /**
   * Teaches 2,000 outcomes (so that GLRB prunes as it would under load), then times 3 × 20,000 decisions (the last pass reported) with
   * every arm's scores and widths, as {@code /v1/decide} asks for them.
   */
  static String inProcess(ServiceConfig config) {
    PolicyService service = PolicyService.of(config);
    int dim = config.dim();
    SplittableRandom rng = new SplittableRandom(7);
    double[][] theta = new double[config.maxArms()][dim];
    for (double[] row : theta) {
      for (int i = 0; i < dim; i++) {
        row[i] = rng.nextGaussian() / Math.sqrt(dim);
      }
    }
    double[] x = new double[dim];
    ServiceDecision out = new ServiceDecision(dim, config.maxArms());
    for (int i = 0; i < 2000; i++) {
      fill(rng, x);
      service.decide(x, null, out);
      double r = 0;
      for (int j = 0; j < dim; j++) {
        r += theta[out.arm()][j] * out.recourse()[j];
      }
      service.update(out.id(), r + 0.1 * rng.nextGaussian());
    }
    int n = 20_000;
    long[] ns = new long[n];
    // Three passes, the last one reported: the first ones let the JIT finish compiling decide.
    for (int pass = 0; pass < 3; pass++) {
      for (int i = 0; i < n; i++) {
        fill(rng, x);
        long t0 = System.nanoTime();
        service.decide(x, null, out);
        ns[i] = System.nanoTime() - t0;
      }
    }
    Arrays.sort(ns);
    return String.format(Locale.ROOT, "%.1f %.1f", ns[n / 2] / 1e3, ns[(int) (n * 0.99)] / 1e3);
  }

  private static void fill(SplittableRandom rng, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian();
    }
  }

  private static void serve(String server, ServiceConfig config) throws Exception {
    java.util.logging.Logger.getLogger("io.helidon").setLevel(java.util.logging.Level.WARNING);
    PolicyService service = PolicyService.of(config);
    int deciders = Runtime.getRuntime().availableProcessors(); // recourse serve's default
    AutoCloseable running;
    int port;
    if (server.equals("jdk")) {
      RecourseServer s = RecourseServer.inMemory(service,
          new RecourseServer.Options("127.0.0.1", 0, 64 * 1024, deciders)).start();
      running = s;
      port = s.port();
    } else {
      Endpoints endpoints = Endpoints.inMemory(service, 64 * 1024, deciders);
      HelidonServer s = new HelidonServer(endpoints);
      running = () -> {
        s.close();
        endpoints.close();
      };
      port = s.port();
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close();
      } catch (Exception e) {
        System.err.println("WrkSupport: error while stopping: " + e.getMessage());
      }
      stopped.countDown();
    }));
    // The same line as recourse serve's, which wrk.sh reads to learn the port.
    System.out.println("recourse serve: listening on http://127.0.0.1:" + port + " (" + server + ", policy "
        + config.policyType() + ")");
    System.out.flush();
    stopped.await();
  }
}
