package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code recourse} JVM stopped by SIGTERM ({@link Process#destroy()}) in the middle of its work
 * leaves no temporary file and no empty output folder (issue 15).
 */
class KilledRunTest {

  private static final long TIMEOUT_SECONDS = 60;

  @TempDir
  Path dir;

  /** {@code recourse args} in a child JVM with the test's class path; stdout discarded, stderr kept. */
  private static Process start(Path stderr, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules");
    command.add("jdk.incubator.vector");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(stderr.toFile()).start();
  }

  private static List<Path> temporaries(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  /** Waits until {@code condition} holds or the process ends; false if it ended first. */
  private static boolean await(Process process, IoCondition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return true;
      }
      if (!process.isAlive()) {
        return false;
      }
      Thread.sleep(20);
    }
    return false;
  }

  @FunctionalInterface
  private interface IoCondition {
    boolean holds() throws IOException;
  }

  private static void terminate(Process process) throws InterruptedException {
    process.destroy(); // SIGTERM on Unix: shutdown hooks run
    assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the child did not stop");
  }

  @Test
  void generateStreamStoppedMidWriteLeavesNothing() throws Exception {
    Path out = dir.resolve("new").resolve("streams");
    Process child = start(dir.resolve("err.txt"), "generate-stream", "--dim", "20", "--arms", "10",
        "--rounds", "50000000", "--out-dir", out.toString());
    try {
      // Mid-write: the stream's temporary exists and has data in it.
      boolean writing = await(child, () -> {
        for (Path t : Files.exists(out) ? temporaries(out) : List.<Path>of()) {
          if (t.getFileName().toString().startsWith(".stream.csv.") && Files.size(t) > 1 << 20) {
            return true;
          }
        }
        return false;
      });
      assertTrue(writing, () -> "no temporary appeared: " + read(dir.resolve("err.txt")));
      terminate(child);
    } finally {
      child.destroyForcibly();
    }
    assertEquals(List.of(), temporaries(dir));
    assertFalse(Files.exists(out), "empty --out-dir left behind");
    assertFalse(Files.exists(out.getParent()), "empty parent of --out-dir left behind");
  }

  @Test
  void runStoppedMidStudyLeavesNoOutputFolder() throws Exception {
    Path out = dir.resolve("results");
    Path err = dir.resolve("err.txt");
    // Long enough to be stopped while the runner works: 2 x 10^7 rounds of GLRB at d = 20.
    Process child = start(err, "run", "--scenario", "synthetic", "--policies", "glrb", "-T", "10000000", "-n", "2",
        "--threads", "1", "--out", out.toString(), "--quiet");
    try {
      // The kernels are logged when the first policy is built, i.e. once the study has started.
      assertTrue(await(child, () -> read(err).contains("kernels")), () -> "the study did not start: " + read(err));
      Thread.sleep(300);
      assertTrue(child.isAlive(), () -> "the study ended too soon: " + read(err));
      terminate(child);
    } finally {
      child.destroyForcibly();
    }
    assertEquals(List.of(), temporaries(dir));
    assertFalse(Files.exists(out), "empty --out folder left behind");
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
