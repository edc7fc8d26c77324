package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  @TempDir
  Path dir;

  private Path study(String text) throws IOException {
    Path f = dir.resolve("study.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static final String STUDY = """
      name: cli
      horizon: 60
      replications: 2
      checkpoints: 6
      scenario: {type: synthetic, dim: 4, arms: 2}
      policies:
        - {type: glrb}
        - {type: libra, advisor: {type: quality, q: 0.9}}
      """;

  @Test
  void runsAStudyFileAndReportsTheOutputs() throws IOException {
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("run", study(STUDY).toString(), "--out", out.toString(), "--threads", "2", "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("GLRB") && run.out().contains("LIBRA") && run.out().contains("regret(T=60)"), run::toString);
    assertTrue(run.out().contains("cli-checkpoints.csv") && run.out().contains("cli-summary.json"), run::toString);
    assertTrue(Files.isRegularFile(out.resolve("cli-regret.png")));
    assertEquals(1 + 2 * 6, Files.readAllLines(out.resolve("cli-checkpoints.csv")).size());
  }

  @Test
  void flagsOverrideTheFile() throws IOException {
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("run", study(STUDY).toString(), "--out", out.toString(), "-T", "30", "--seed", "5", "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("T=30") && run.out().contains("seed 5"), run::toString);
  }

  @Test
  void runsFromFlagsAlone() {
    Path out = dir.resolve("flags");
    CliRun run = CliRun.of("run", "--scenario", "hypertension", "--policies", "linucb,glrb,noop", "-T", "40", "-n", "2",
        "--out", out.toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(Files.isRegularFile(out.resolve("study-hypertension-checkpoints.csv")), run::toString);
  }

  /** Bad study files stop before any work: exit 2, the key in the message, nothing written. */
  @Test
  void badStudiesExitTwoNamingTheKey() throws IOException {
    String[][] cases = {
        {STUDY.replace("type: glrb", "type: ucb2"), "policies[0].type"},
        {STUDY.replace("horizon: 60", "horizon: -1"), "horizon: must be >= 1"},
        {STUDY.replace("checkpoints: 6", "checkpoints: 6\nwarmup: 3"), "warmup: unknown key"},
        {STUDY.replace("scenario: {type: synthetic, dim: 4, arms: 2}", "scenario: {type: fertility, data: no/such.txt}"),
            "scenario.data: no such file"},
        {STUDY.replace("policies:", "policies: [oops"), "malformed YAML"},
    };
    for (String[] c : cases) {
      Path out = dir.resolve("never");
      CliRun run = CliRun.of("run", study(c[0]).toString(), "--out", out.toString(), "--quiet");
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().startsWith("error: ") && run.err().contains(c[1]), run::toString);
      assertEquals("", run.out(), run::toString);
      assertTrue(!Files.exists(out), "nothing may be written for " + c[1]);
    }
    CliRun missing = CliRun.of("run", dir.resolve("absent.yaml").toString());
    assertEquals(Main.EXIT_USAGE, missing.exitCode(), missing::toString);
    assertTrue(missing.err().contains("no such study file"), missing::toString);
  }

  /**
   * Outputs that cannot be written stop the run before any work (exit 2, nothing on stdout, nothing
   * written): --out is a file, or one of the study's output names is a folder.
   */
  @Test
  void unwritableOutputsStopBeforeAnyWork() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "");
    CliRun run = CliRun.of("run", study(STUDY).toString(), "--out", file.toString(), "--quiet");
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertEquals("error: --out " + file + ": " + file + " is a file, not a folder" + System.lineSeparator(), run.err(),
        run::toString);
    assertEquals("", run.out(), run::toString);

    Path out = Files.createDirectory(dir.resolve("out"));
    Files.createDirectory(out.resolve("cli-recourse.csv"));
    run = CliRun.of("run", study(STUDY).toString(), "--out", out.toString(), "--quiet");
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("error: --out " + out + ": " + out.resolve("cli-recourse.csv") + " is a folder"),
        run::toString);
    assertEquals(1, run.err().lines().count(), run::toString);
    assertEquals("", run.out(), run::toString);
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(1, files.count(), "only the folder that was there");
    }
  }

  @Test
  void aResponseDatabaseNeedsAStudyFile() {
    CliRun run = CliRun.of("run", "--scenario", "response-db", "--policies", "std-ts", "--out", dir.resolve("o").toString());
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("error: --scenario response-db needs a study file"), run::toString);
  }

  @Test
  void aStudyFileAndStudyFlagsDoNotMix() throws IOException {
    CliRun run = CliRun.of("run", study(STUDY).toString(), "--scenario", "synthetic");
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
  }

  @Test
  void quietRunsPrintNothingOnStderrButErrors() throws IOException {
    CliRun run = CliRun.of("run", study(STUDY).toString(), "--out", dir.resolve("q").toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals("", run.err(), run::toString);
    try (Stream<Path> files = Files.list(dir.resolve("q"))) {
      assertEquals(5, files.count());
    }
  }

  /** Studies too large for the heap stop before any work, naming the key and the estimate (issue 15). */
  @Test
  void aStudyTooLargeForTheHeapExitsTwoNamingTheKey() throws IOException {
    for (String size : new String[] {"dim: 3000, arms: 100", "dim: 100000, arms: 1000"}) {
      Path out = dir.resolve("big");
      long start = System.nanoTime();
      CliRun run = CliRun.of("run", study(STUDY.replace("dim: 4, arms: 2", size)).toString(), "--out", out.toString(),
          "--quiet");
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().startsWith("error: " + dir.resolve("study.yaml") + ": scenario.dim: "), run::toString);
      assertTrue(run.err().contains("needs about") && run.err().contains("GiB") && run.err().contains("heap"),
          run::toString);
      assertEquals(1, run.err().lines().count(), run::toString);
      assertTrue(seconds < 5, "took " + seconds + " s");
      assertTrue(Files.notExists(out));
    }
  }

  @Test
  void threadsAreCappedAtTheWorkUnitsAndTheUserIsTold() throws IOException {
    CliRun run = CliRun.of("run", study(STUDY).toString(), "--out", dir.resolve("t").toString(), "--quiet",
        "--threads", "500000000");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.err().contains("--threads 500000000 is more than the study's 4 work units"), run::toString);
    assertTrue(run.out().contains(" on 4 threads "), run::toString);
  }

  @Test
  void moreCheckpointsThanRoundsAreClampedAndTheUserIsTold() throws IOException {
    CliRun run = CliRun.of("run", study(STUDY).toString(), "--out", dir.resolve("c").toString(), "--quiet",
        "-T", "10", "--checkpoints", "1000");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.err().contains("checkpoints 1000 is more than the horizon T=10: results are recorded at all 10 "
        + "rounds"), run::toString);
    CliRun fromFile = CliRun.of("run", study(STUDY.replace("checkpoints: 6", "checkpoints: 500")).toString(),
        "--out", dir.resolve("c").toString(), "--quiet");
    assertTrue(fromFile.err().contains("checkpoints 500 is more than the horizon T=60"), fromFile::toString);
  }
}
