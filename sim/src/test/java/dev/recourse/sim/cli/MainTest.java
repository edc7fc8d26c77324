package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.config.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {

  @Test
  void helpListsTheSubcommandsOnStdout() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().startsWith("Usage: recourse"), run::toString);
    assertTrue(run.out().contains("replay"), run::toString);
    assertTrue(run.out().contains("generate-stream"), run::toString);
    assertEquals("", run.err());
  }

  @Test
  void subcommandsInheritHelpAndVersion() {
    CliRun help = CliRun.of("replay", "--help");
    assertEquals(0, help.exitCode(), help::toString);
    assertTrue(help.out().startsWith("Usage: recourse replay"), help::toString);
    assertEquals(CliRun.of("--version").out(), CliRun.of("generate-stream", "--version").out());
  }

  @Test
  void versionComesFromTheBuild() {
    CliRun run = CliRun.of("--version");
    assertEquals(0, run.exitCode(), run::toString);
    String first = run.out().lines().findFirst().orElseThrow();
    assertTrue(first.matches("recourse \\d+\\.\\d+\\.\\d+\\S*"), first);
  }

  /**
   * A command line naming a subcommand gets a tree with only that subcommand (issue #17: building every
   * subcommand's model took a few hundred ms of each short run); its help, version, usage errors and
   * exit codes are those of the whole tree.
   */
  @Test
  void theOneSubcommandTreeAnswersAsTheWholeTree() {
    List<String> names = List.copyOf(Main.commandLine().getSubcommands().keySet());
    assertEquals(7, names.size(), names::toString);
    for (String name : names) {
      assertEquals(1, Main.commandLine(name).getSubcommands().size(), name);
      for (String[] rest : new String[][] {{"--help"}, {"--version"}, {"--no-such-option"}, {}, {"-h", "extra"}}) {
        String[] args = new String[rest.length + 1];
        args[0] = name;
        System.arraycopy(rest, 0, args, 1, rest.length);
        CliRun lazy = CliRun.of(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine whole = Main.commandLine();
        whole.setOut(new PrintWriter(out));
        whole.setErr(new PrintWriter(err));
        int code = whole.execute(args);
        assertEquals(new CliRun(code, out.toString(), err.toString()), lazy, String.join(" ", args));
      }
    }
  }

  @Test
  void missingOrUnknownSubcommandIsAUsageError() {
    for (String[] args : new String[][] {{}, {"nope"}, {"replay", "--nope"}}) {
      CliRun run = CliRun.of(args);
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertEquals("", run.out(), run::toString);
      assertTrue(run.err().startsWith("error: "), run::toString);
      assertTrue(run.err().contains("--help' for more information"), run::toString);
    }
  }

  /** A subcommand that fails the way a real one might. */
  @Command(name = "fail")
  static final class Failing implements Callable<Integer> {
    private final Exception failure;

    Failing(Exception failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      throw failure;
    }
  }

  /** A subcommand that runs out of memory. */
  @Command(name = "oom")
  static final class OutOfMemory implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Test
  void outOfMemoryIsOneLineAndExitTwo() {
    CommandLine cli = Main.commandLine();
    cli.addSubcommand(new OutOfMemory());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("oom");
    assertEquals(Main.EXIT_USAGE, code, err::toString);
    assertEquals(1, err.toString().lines().count(), err::toString);
    assertTrue(err.toString().startsWith("error: out of memory in 'recourse oom' (Java heap at most "), err::toString);
    assertTrue(err.toString().contains("-Xmx"), err::toString);
  }

  private static CliRun runFailing(Exception failure) {
    CommandLine cli = Main.commandLine();
    cli.addSubcommand(new Failing(failure));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("fail");
    return new CliRun(code, out.toString(), err.toString());
  }

  @Test
  void userErrorsExitWithTwoAndJustTheMessage() {
    for (Exception e : new Exception[] {new InputException("bad.csv: line 3: broken"),
        new IllegalArgumentException("lambda must be finite and > 0, got 0.0")}) {
      CliRun run = runFailing(e);
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertEquals("error: " + e.getMessage() + System.lineSeparator(), run.err());
      assertEquals("", run.out());
    }
  }

  @Test
  void ioFailuresExitWithOneWithoutAStackTrace() {
    CliRun run = runFailing(new UncheckedIOException(new NoSuchFileException("/some/file")));
    assertEquals(Main.EXIT_FAILURE, run.exitCode(), run::toString);
    assertEquals("error: /some/file: No such file or directory" + System.lineSeparator(), run.err());
    run = runFailing(new IOException("No space left on device"));
    assertEquals(Main.EXIT_FAILURE, run.exitCode(), run::toString);
    assertFalse(run.err().contains("\tat "), run::toString);
  }

  /**
   * Every command that writes files checks, before any work, that it can (Files.isWritable is true for
   * root on /proc, where nothing can be created): exit 2, one line, nothing on stdout.
   */
  @Test
  void everyWritingCommandChecksItsOutputBeforeAnyWork() {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self")),
        "needs Linux /proc");
    String[][] commands = {
        {"run", "--scenario", "synthetic", "-T", "20", "-n", "1", "--quiet", "--out", "/proc/x"},
        {"reproduce", "synthetic", "-T", "20", "-n", "1", "--quiet", "--out", "/proc/x"},
        {"replay", "--stream", "no-such-stream.csv", "--out", "/proc/r.csv"},
        {"oro", "--instances", "examples/oro-instances.json", "--out", "/proc/o.json"},
        {"generate-stream", "--dim", "2", "--arms", "2", "--rounds", "5", "--out-dir", "/proc/g"},
        {"generate-response-db", "--out", "/proc/db.csv"},
    };
    for (String[] args : commands) {
      CliRun run = CliRun.of(args);
      String line = String.join(" ", args);
      assertEquals(Main.EXIT_USAGE, run.exitCode(), line + "\n" + run);
      assertEquals("", run.out(), line + "\n" + run);
      assertEquals(1, run.err().lines().count(), line + "\n" + run);
      assertTrue(run.err().startsWith("error: ") && run.err().contains("cannot create ")
          && run.err().contains(" in /proc (") && !run.err().contains("Exception"), line + "\n" + run);
    }
  }

  /**
   * A misspelt required option is reported as unknown, with picocli's suggestions, before the option it
   * leaves missing (picocli itself reports only the missing one).
   */
  @Test
  void aMisspeltRequiredOptionIsNamedWithSuggestions() {
    CliRun run = CliRun.of("generate-stream", "--dim", "2", "--arms", "2", "--rounds", "3", "--outdir", "X");
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertEquals("", run.out(), run::toString);
    List<String> lines = run.err().lines().toList();
    assertTrue(lines.get(0).startsWith("error: Unknown option") && lines.get(0).contains("'--outdir'"), run::toString);
    assertTrue(lines.get(1).startsWith("Possible solutions: ") && lines.get(1).contains("--out-dir"), run::toString);
    assertEquals("error: Missing required option: '--out-dir=DIR'", lines.get(2), run::toString);
    assertTrue(lines.get(lines.size() - 1).startsWith("Try 'recourse generate-stream --help'"), run::toString);
    CliRun missing = CliRun.of("generate-stream", "--dim", "2", "--arms", "2", "--rounds", "3");
    assertTrue(missing.err().startsWith("error: Missing required option: '--out-dir=DIR'"), missing::toString);
  }

  @Test
  void bugsExitWithOneAndAStackTrace() {
    CliRun run = runFailing(new NullPointerException("oops"));
    assertEquals(Main.EXIT_FAILURE, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("internal error in 'recourse fail'"), run::toString);
    assertTrue(run.err().contains("\tat "), run::toString);
  }
}
