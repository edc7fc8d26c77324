package dev.recourse.bench.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cost of durability: {@code recourse serve} (the JDK server) as a child JVM with a state directory
 * in a temporary folder, under each {@code --fsync} policy, driven by {@link HttpLoad}'s generator with
 * decide+outcome load (every outcome appended to the write-ahead log before it is acknowledged).
 * GLRB, d = 20, K = 10. The temporary folder is deleted afterwards.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.recourse.bench.http.HttpLoadServe \
 *   [warmupSeconds measureSeconds concurrency,concurrency,...]
 * </pre>
 */
public final class HttpLoadServe {

  private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");

  public static void main(String[] args) throws Exception {
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    int[] concurrency = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt)
        .toArray() : new int[] {1, 4, 16};
    Path tmp = Files.createTempDirectory("recourse-serve-bench");
    try {
      Path policy = tmp.resolve("policy.yaml");
      Files.writeString(policy, HttpLoad.config("glrb"));
      String java = ProcessHandle.current().info().command().orElse("java");
      System.out.println("| --fsync | connections | requests/s | decide p50 (µs) | decide p99 (µs) | outcome p50 (µs) | outcome p99 (µs) |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
      for (String fsync : List.of("always", "interval", "never")) {
        for (int c : concurrency) {
          Path state = tmp.resolve("state-" + fsync + "-" + c);
          Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g",
              "-cp", System.getProperty("java.class.path"), "dev.recourse.server.ServeCommand", "--policy",
              policy.toString(), "--port", "0", "--state-dir", state.toString(), "--fsync", fsync)
              .redirectError(ProcessBuilder.Redirect.DISCARD).start();
          try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = LISTENING.matcher(line == null ? "" : line);
            if (!m.find()) {
              throw new IOException("recourse serve did not start: " + line);
            }
            int port = Integer.parseInt(m.group(1));
            HttpLoad.teach(port);
            HttpLoad.Result r = HttpLoad.load(port, c, true, warmup, measure);
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f |%n", fsync, c,
                r.requestsPerSecond(), r.decideP50Us(), r.decideP99Us(), r.outcomeP50Us(), r.outcomeP99Us());
          } finally {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
              child.destroyForcibly().waitFor();
            }
          }
        }
      }
    } finally {
      try (Stream<Path> all = Files.walk(tmp)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
