package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproduceCommandTest {

  @TempDir
  Path dir;

  @Test
  void hypertensionPrintsTableTwo() {
    CliRun run = CliRun.of("reproduce", "hypertension", "-T", "60", "-n", "3", "--out", dir.toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("mean SBP drop from 170") && run.out().contains("51.14 ± 0.50"), run::toString);
    assertTrue(run.out().contains("Δ DietScore"), run::toString);
    assertTrue(Files.isRegularFile(dir.resolve("hypertension-queries.png")));
    assertTrue(Files.isRegularFile(dir.resolve("hypertension-guideline-summary.json")));
    assertTrue(run.out().contains("type=guideline") && run.out().contains("type=quality"), run::toString);
    assertEquals(3, run.out().lines().filter(l -> l.startsWith("== ")).count(), "the default runs three studies");
    assertTrue(Files.isRegularFile(dir.resolve("hypertension-guideline-best-summary.json")));
  }

  @Test
  void hypertensionWithTheQualityAdvisor() {
    CliRun run = CliRun.of("reproduce", "hypertension", "--advisor", "quality", "--q", "0.6", "-T", "30", "-n", "2",
        "--out", dir.toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("q=0.6"), run::toString);
  }

  /** --advisor's help lists what runs; best runs the best-arm guideline alone; a wrong value lists the right ones. */
  @Test
  void hypertensionAdvisorChoices() {
    String help = CliRun.of("reproduce", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("all (default: the three below)") && help.contains("best (the best-arm guideline alone)"),
        help);
    CliRun best = CliRun.of("reproduce", "hypertension", "--advisor", "best", "-T", "30", "-n", "2", "--out",
        dir.toString(), "--quiet");
    assertEquals(0, best.exitCode(), best::toString);
    assertEquals(1, best.out().lines().filter(l -> l.startsWith("== ")).count(), best::toString);
    assertTrue(Files.isRegularFile(dir.resolve("hypertension-guideline-best-summary.json")), best::toString);
    assertTrue(!Files.exists(dir.resolve("hypertension-summary.json"))
        && !Files.exists(dir.resolve("hypertension-guideline-summary.json")), best::toString);
    CliRun wrong = CliRun.of("reproduce", "hypertension", "--advisor", "both-ways");
    assertEquals(Main.EXIT_USAGE, wrong.exitCode(), wrong::toString);
    assertEquals("error: --advisor must be all, quality, guideline or best, got 'both-ways'" + System.lineSeparator(),
        wrong.err());
  }

  @Test
  void syntheticAndAblationRunAtReducedSize() {
    CliRun syn = CliRun.of("reproduce", "synthetic", "-T", "200", "-n", "2", "--out", dir.toString(), "--quiet");
    assertEquals(0, syn.exitCode(), syn::toString);
    assertTrue(syn.out().contains("LLM-only") && syn.out().contains("synthetic-regret.png"), syn::toString);
    CliRun abl = CliRun.of("reproduce", "ablation", "-T", "100", "-n", "2", "--out", dir.toString(), "--quiet");
    assertEquals(0, abl.exitCode(), abl::toString);
    assertTrue(abl.out().contains("LIBRA Delta=0.1") && abl.out().contains("LIBRA q=0.4"), abl::toString);
    assertTrue(Files.isRegularFile(dir.resolve("ablation-q-checkpoints.csv")));
  }

  @Test
  void fertilityNeedsItsData() {
    CliRun none = CliRun.of("reproduce", "fertility", "--out", dir.toString());
    assertEquals(Main.EXIT_USAGE, none.exitCode(), none::toString);
    assertTrue(none.err().contains("--data"), none::toString);
    CliRun run = CliRun.of("reproduce", "fertility", "--data", SharedData.fertility().toString(), "-T", "100", "-n", "2",
        "--out", dir.toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("rounds after 70") && run.out().contains("Δ alcohol"), run::toString);
  }

  @Test
  void noncomplianceRunsBothModelsWithTheirRobustRules(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    CliRun run = CliRun.of("reproduce", "noncompliance", "-T", "60", "-n", "3", "--out", dir.toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("random non-compliance") && run.out().contains("GLRB robust"), run::toString);
    assertTrue(run.out().contains("adversarial non-compliance") && run.out().contains("GLRB ORO-NC"), run::toString);
    for (String study : new String[] {"noncompliance-random", "noncompliance-adversarial"}) {
      assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(study + "-checkpoints.csv")), study);
      assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(study + "-regret.png")), study);
    }
  }

  @Test
  void unknownExperiment() {
    CliRun run = CliRun.of("reproduce", "mnist");
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("unknown experiment 'mnist'"), run::toString);
  }

  /** Issue 16: the paper's studies with the exact ORO solver, under their own names. */
  @Test
  void solverExactRunsUnderItsOwnName(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out) {
    CliRun run = CliRun.of("reproduce", "hypertension", "--advisor", "quality", "--solver", "exact", "-T", "40", "-n", "2",
        "--quiet", "--out", out.toString());
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(java.nio.file.Files.exists(out.resolve("hypertension-exact-checkpoints.csv")), run::toString);
    assertTrue(run.out().contains("Table 2 and Figure 3"), run::toString);
    CliRun bad = CliRun.of("reproduce", "hypertension", "--solver", "newton", "--quiet", "--out", out.toString());
    assertEquals(2, bad.exitCode(), bad::toString);
    assertTrue(bad.err().contains("--solver"), bad::toString);
  }
}
