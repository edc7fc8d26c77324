package dev.recourse.sim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The training workload of the launcher's ahead-of-time cache (issue #17): {@code ./recourse} runs
 * {@code java -XX:AOTCacheOutput=... -cp recourse.jar dev.recourse.sim.cli.AotTraining} once per jar,
 * with the JVM options of a normal run, and the JVM records the classes this loads and links (JEP 483,
 * 514) into the cache that later runs start from. It drives the real CLI in-process through
 * {@link Main#execute} on a few seconds' worth of the common commands: a synthetic stream, a
 * {@code replay} of it (table and JSON summaries, LinUCB and a recourse policy) and a small
 * {@code reproduce synthetic}. Its outputs go to a temporary directory that is deleted afterwards; it
 * prints nothing. Not a subcommand: users never call it.
 */
public final class AotTraining {

  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path dir = Files.createTempDirectory("recourse-aot-training");
    PrintWriter sink = new PrintWriter(Writer.nullWriter());
    int failures = 0;
    try {
      String stream = dir.resolve("stream").toString();
      String warmup = dir.resolve("stream").resolve("warmup.csv").toString();
      String rows = dir.resolve("stream").resolve("stream.csv").toString();
      String small = dir.resolve("small").toString();
      String[][] commands = {
          {"--version"},
          {"replay", "--help"},
          {"generate-stream", "--dim", "20", "--arms", "10", "--rounds", "2000", "--seed", "7", "--out-dir", stream},
          {"replay", "--warmup", warmup, "--stream", rows, "--out", dir.resolve("rounds.csv").toString()},
          {"replay", "--warmup", warmup, "--stream", rows, "--out", dir.resolve("rounds-json.csv").toString(),
              "--json"},
          {"generate-stream", "--dim", "5", "--arms", "3", "--rounds", "300", "--out-dir", small},
          {"replay", "--stream", dir.resolve("small").resolve("stream.csv").toString(),
              "--out", dir.resolve("rounds-glrb.csv").toString(), "--policy", "glrb", "--mutable", "0,1"},
          {"reproduce", "synthetic", "-T", "100", "-n", "1", "--threads", "1", "--quiet",
              "--out", dir.resolve("synthetic").toString()},
      };
      for (String[] command : commands) {
        if (Main.execute(sink, sink, command) != 0) {
          failures++;
        }
      }
    } finally {
      deleteTree(dir);
    }
    // A failed command still leaves a useful cache, but the launcher should know.
    System.exit(failures == 0 ? 0 : 1);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
