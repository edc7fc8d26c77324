package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate-response-db, then run and reproduce on generator-mediated worlds, as a user would. */
class GambittsCommandsTest {

  @TempDir
  Path dir;

  private static final String STUDY = """
      name: g
      horizon: 100
      replications: 4
      checkpoints: 5
      scenario:
        type: response-db
        db: db.csv
        context_columns: [curr_loc, prev_steps]
        embedding: [optimism]
        reward: {intercept: 82.79, coefficients: {optimism: -0.1396}}
        noise_sd: 0.376
        prompts: [1, 2, 3]
      policies:
        - {type: po-gambitts, offline_samples: 5}
        - {type: fo-gambitts}
        - {type: std-ts}
      """;

  @Test
  void aGeneratedDatabaseRunsAndWritesPromptShares() throws IOException {
    CliRun gen = CliRun.of("generate-response-db", "--out", dir.resolve("db.csv").toString(), "--responses-per-cell", "6");
    assertEquals(0, gen.exitCode(), gen::toString);
    List<String> lines = Files.readAllLines(dir.resolve("db.csv"));
    assertEquals(1 + 40 * 12 * 6, lines.size());
    assertTrue(lines.get(0).startsWith("prompt,prompt_id,prev_steps,curr_loc,optimism,formality,severity"), lines.get(0));
    Path study = dir.resolve("g.yaml");
    Files.writeString(study, STUDY);
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("run", study.toString(), "--out", out.toString(), "--quiet", "--threads", "2");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("poGAMBITTS") && run.out().contains("StdTS"), run::toString);
    List<String> shares = Files.readAllLines(out.resolve("g-prompts.csv"));
    assertEquals("policy,arm,arm_name,share_mean,share_ci95_low,share_ci95_high", shares.get(0));
    assertEquals(1 + 3 * 3, shares.size());
    assertTrue(Files.exists(out.resolve("g-regret.png")) && Files.exists(out.resolve("g-summary.json")));
  }

  @Test
  void badInputIsExitTwoNamingTheFileAndLineAndNothingIsWritten() throws IOException {
    Files.writeString(dir.resolve("db.csv"), "prompt,curr_loc,prev_steps,optimism\n1,home,0,0.5\n1,home,0,abc\n");
    Path study = dir.resolve("g.yaml");
    Files.writeString(study, STUDY.replace("prompts: [1, 2, 3]", "prompts: [1]"));
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("run", study.toString(), "--out", out.toString(), "--quiet");
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("db.csv: line 3, column 4 (optimism): expected a finite number, got 'abc'"),
        run::toString);
    assertFalse(run.err().contains("Exception"), run::toString);
    assertFalse(Files.exists(out));
  }

  /**
   * One embedding entry beyond the agents' limit (1e4 with the default priors): refused before any
   * replication runs, in one line naming the data file, line, column, value, policy and limit, rather
   * than by the agent part-way through the run; the same entry at the limit runs.
   */
  @Test
  void aDatabaseEntryBeyondTheAgentsLimitIsRefusedBeforeTheRunAndOneAtItRuns() throws IOException {
    StringBuilder db = new StringBuilder("prompt,optimism\n");
    for (int q = 1; q <= 3; q++) {
      for (int i = 0; i < 4; i++) {
        db.append(q).append(',').append(q == 3 && i == 2 ? "OUTLIER" : Double.toString(0.1 * i - 0.2 * q)).append('\n');
      }
    }
    Path study = dir.resolve("g.yaml");
    Files.writeString(study, STUDY.replace("context_columns: [curr_loc, prev_steps]", "context_columns: []"));
    Path out = dir.resolve("out");
    Files.writeString(dir.resolve("db.csv"), db.toString().replace("OUTLIER", "10000.25"));
    CliRun run = CliRun.of("run", study.toString(), "--out", out.toString());
    assertEquals(2, run.exitCode(), run::toString);
    List<String> err = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(List.of("error: " + dir.resolve("db.csv") + ": line 12, column 2 (optimism): 10000.25 is beyond "
        + "10000.0, the embedding limit of policy 'poGAMBITTS' (" + study + ": policies[0]), which would refuse it "
        + "part-way through the run; rescale Z or that policy's prior (README \"GAMBITTS\", Limits)"), err,
        run::toString);
    assertFalse(run.err().contains("offline embedding") || run.err().contains("outcome treatment"), run::toString);
    assertFalse(Files.exists(out), "nothing written");

    Files.writeString(dir.resolve("db.csv"), db.toString().replace("OUTLIER", "-10000.0"));
    run = CliRun.of("run", study.toString(), "--out", out.toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(Files.exists(out.resolve("g-checkpoints.csv")), run::toString);
  }

  @Test
  void reproduceRunsAGambittsGridWithItsTable() {
    Path out = dir.resolve("rep");
    CliRun run = CliRun.of("reproduce", "gambitts-offline", "-T", "60", "-n", "3", "--quiet", "--out", out.toString());
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("== gambitts-offline: cumulative regret at T = 60"), run::toString);
    assertTrue(run.out().contains("M_off=15") && run.out().contains("M_off=all"), run::toString);
    assertTrue(Files.exists(out.resolve("gambitts-offline-15-checkpoints.csv")), run::toString);
  }
}
