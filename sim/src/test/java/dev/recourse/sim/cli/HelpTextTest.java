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
import picocli.CommandLine;

/** Help a new user can read (issue 15): whole sentences, no broken numbers, no pointers into the code. */
class HelpTextTest {

  private static final List<String> COMMANDS = List.of("replay", "generate-stream", "generate-response-db", "oro",
      "oro-gap", "run",
      "reproduce");

  @Test
  void everySummaryIsOneWholeSentenceOnOneLine() {
    CliRun help = CliRun.of("--help");
    List<String> lines = help.out().lines().toList();
    int start = lines.indexOf("Commands:");
    assertTrue(start > 0, help::toString);
    int end = lines.indexOf("");
    assertTrue(end > start, "a blank line before the footer:\n" + help.out());
    List<String> commands = lines.subList(start + 1, end);
    assertEquals(COMMANDS.size(), commands.size(), "a summary wraps onto a second line:\n" + help.out());
    for (String line : commands) {
      assertTrue(line.endsWith("."), "summary stops mid-sentence: " + line);
    }
    CommandLine cli = Main.commandLine();
    for (String name : COMMANDS) {
      String[] description = cli.getSubcommands().get(name).getCommandSpec().usageMessage().description();
      assertTrue(description[0].endsWith("."), name + ": " + description[0]);
    }
  }

  /** serve is run by the launcher from the server's jar: the top-level help says so, the subcommands' do not. */
  @Test
  void topLevelHelpMentionsServe() {
    String help = CliRun.of("--help").out();
    assertTrue(help.contains("Also serve: ") && help.contains("'./recourse serve --help'"), help);
    for (String line : help.lines().toList()) {
      assertTrue(line.length() <= 80, line);
    }
    for (String name : COMMANDS) {
      assertFalse(CliRun.of(name, "--help").out().contains("recourse serve"), name);
    }
  }

  @Test
  void noHelpLineIsWrappedByPicocli() {
    for (String name : COMMANDS) {
      CliRun help = CliRun.of(name, "--help");
      assertEquals(0, help.exitCode(), help::toString);
      String previous = "";
      for (String line : help.out().lines().toList()) {
        assertTrue(line.codePointCount(0, line.length()) <= 80, name + ": longer than 80 columns: " + line);
        assertFalse(previous.matches(".*\\d,$") && line.matches("^\\s*\\d{3}.*"),
            name + ": a number is split across lines:\n" + previous + "\n" + line);
        previous = line;
      }
    }
    assertTrue(CliRun.of("reproduce", "--help").out().contains("T=10,000, 10 replications"));
  }

  @Test
  void runHelpDescribesTheStudyFileInsteadOfPointingAtAClass() {
    String help = CliRun.of("run", "--help").out();
    assertFalse(help.contains("StudyParser"), help);
    for (String key : List.of("horizon", "replications", "checkpoints", "recourse_from", "scenario", "policies",
        "glrb-robust", "glrb-nc", "epsilon", "compliance", "advisor", "lemma2", "threshold")) {
      assertTrue(help.contains(key), "run --help does not mention " + key);
    }
  }

  /** run --help lists every scenario, policy and advisor type the code knows (generated from the registries). */
  @Test
  void runHelpListsEveryTypeTheCodeKnows() {
    String help = CliRun.of("run", "--help").out();
    String flat = help.replaceAll("\\s+", " ");
    for (String type : dev.recourse.sim.io.StudyParser.SCENARIO_TYPES) {
      assertTrue(help.contains("{type: " + type + ","), "scenario " + type + " missing from run --help:\n" + help);
    }
    for (var type : dev.recourse.sim.policy.PolicySpec.types()) {
      assertTrue(flat.contains(" " + type.key() + ",") || flat.contains(" " + type.key() + "."), "policy " + type.key() + " missing from run --help:\n" + help);
    }
    for (String type : dev.recourse.sim.policy.AdvisorSpec.TYPES) {
      assertTrue(flat.contains("{type: " + type + ", ") && !flat.contains("{type: " + type + ", ...}"),
          "advisor " + type + " missing or without its keys in run --help:\n" + help);
    }
    assertTrue(flat.contains("arm (an index or best)"), help);
    assertTrue(flat.contains("--scenario=NAME A study without a file: its scenario, one of synthetic, hypertension, "
        + "fertility, response-db, generator"), help);
    assertTrue(flat.contains("10,000 without a file") && flat.contains("10 without a file"), help);
    assertFalse(help.contains("@"), "a placeholder was not filled in:\n" + help);
  }

  /** Recourse policies are what replay's --mutable help names. */
  @Test
  void replayHelpNamesTheRecoursePolicies() {
    String flat = CliRun.of("replay", "--help").out().replaceAll("\\s+", " ");
    String names = String.join(", ", dev.recourse.sim.policy.PolicySpec.types().stream()
        .filter(dev.recourse.sim.policy.PolicyType::recourse).map(dev.recourse.sim.policy.PolicyType::key).toList());
    assertTrue(flat.contains("(" + names + ")"), flat);
  }

  /**
   * libra and llm-only cannot run from their type alone (no advisor, and a log has no true parameters
   * for a simulated one): replay's help offers them only through a policy file with an http advisor,
   * as README's replay row does, and every advised type is named there.
   */
  @Test
  void replayHelpSaysTheAdvisedPoliciesNeedAFileWithAnHttpAdvisor() {
    String flat = CliRun.of("replay", "--help").out().replaceAll("\\s+", " ");
    assertTrue(flat.contains("A policy type (linucb, glrb, glrb-robust, glrb-nc, noop) or a YAML/JSON file"), flat);
    String advised = String.join(" and ", dev.recourse.sim.policy.PolicySpec.types().stream()
        .filter(dev.recourse.sim.policy.PolicyType::advised).map(dev.recourse.sim.policy.PolicyType::key).toList());
    assertTrue(flat.contains(advised + " need such a file, with an http advisor"), flat);
  }

  @Test
  void oroHelpDocumentsTheInputFormat() {
    String help = CliRun.of("oro", "--help").out();
    for (String key : List.of("x", "mutable", "theta_hat", "V", "rho", "gamma", "norm", "weights", "sigma", "lower",
        "upper", "tol", "max_iter", "name", "sim/examples/oro-instances.json")) {
      assertTrue(help.contains("  " + key + " ") || help.contains(key + ",") || help.contains(key),
          "oro --help does not document " + key);
    }
    assertTrue(help.contains("symmetric") && help.contains("not its inverse"), help);
  }

  /** The example the help and the README point to exists and solves with every solver. */
  @Test
  void theOroExampleFileSolves() throws IOException {
    Path example = Path.of("examples", "oro-instances.json");
    assertTrue(Files.isRegularFile(example), example.toAbsolutePath().toString());
    CliRun run = CliRun.of("oro", "--instances", example.toString(), "--solver", "all", "--repeat", "1",
        "--warmup", "0");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().endsWith("]" + System.lineSeparator()), run::toString);
  }

  @Test
  void oneReplicationOnOneThreadIsSingular(@TempDir Path dir) {
    CliRun run = CliRun.of("run", "--scenario", "synthetic", "--policies", "glrb", "-T", "20", "-n", "1", "--threads",
        "1", "--out", dir.resolve("o").toString(), "--quiet");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains(", 1 replication, seed"), run::toString);
    assertTrue(run.out().contains(" on 1 thread ("), run::toString);
  }
}
