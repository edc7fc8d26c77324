package dev.recourse.sim.cli;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.run.MemoryEstimate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code recourse} command. Each subcommand is its own class; adding one means adding it to the
 * {@code subcommands} list below. Help and version options are inherited by every subcommand.
 *
 * <p>Conventions every subcommand follows: results go to stdout (parseable, nothing else), everything
 * else to stderr. Exit codes: 0 success; {@value #EXIT_USAGE} bad usage or bad input (an
 * {@link InputException} or {@link IllegalArgumentException}; its message is printed, no stack
 * trace); {@value #EXIT_FAILURE} an I/O failure or an internal error (stack trace printed).
 */
@Command(
    name = "recourse",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Contextual recourse bandits: simulation, replay and reproduction tools.")
public final class Main {

  /**
   * The subcommands, in the order of the help. Not in the {@code @Command} annotation: picocli would
   * then build every one's model by reflection on every run (a few hundred ms of a short run, issue
   * #17); {@link #commandLine(String...)} adds only the one a command line names.
   */
  private static final List<Class<?>> SUBCOMMANDS = List.of(
      ReplayCommand.class,
      GenerateStreamCommand.class,
      GenerateResponseDbCommand.class,
      OroCommand.class,
      OroGapCommand.class,
      RunCommand.class,
      ReproduceCommand.class);

  /**
   * The top-level help's footer: {@code serve} is no subcommand of this jar (the server module depends
   * on this one), the launcher script runs it from the server's jar.
   */
  static final String[] SERVE_NOTE = {"",
      "Also serve: a policy as an HTTP/JSON service, from its own jar, which the",
      "./recourse launcher runs: './recourse serve --help' lists its options."};

  /** Bad usage or bad input: the user can fix it. Picocli's own code for invalid input. */
  public static final int EXIT_USAGE = 2;
  /** The run failed for another reason (I/O, a bug). */
  public static final int EXIT_FAILURE = 1;

  /**
   * netlib logs a WARNING for each native LAPACK/BLAS it does not find before it falls back to its
   * pure Java implementation, the one this project uses: noise to a user. Held here because the
   * logging framework keeps loggers only weakly, which would drop the level. A logging configuration
   * of the user's own (-Djava.util.logging.config.file) is left alone.
   */
  private static final Logger NETLIB = Logger.getLogger("dev.ludovic.netlib");

  private Main() {}

  public static void main(String[] args) {
    // Plots are rendered off-screen; no display is needed.
    System.setProperty("java.awt.headless", "true");
    if (System.getProperty("java.util.logging.config.file") == null) {
      NETLIB.setLevel(Level.SEVERE);
    }
    CommandLine cli = commandLine(args);
    int code = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(code);
  }

  /** Runs {@code recourse args} with the given output streams and returns the exit code (for tests). */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The configured command tree: subcommands and the error-to-exit-code mapping. */
  public static CommandLine commandLine() {
    return tree(null);
  }

  /**
   * The command tree for {@code args}: when the first argument names a subcommand, the tree holds only
   * that one (its parsing, help, errors and exit codes are the same as in the whole tree; HelpTextTest
   * and MainTest compare them); otherwise (no arguments, an option, a misspelt name) the whole tree, so
   * that the top-level help and the suggestions list every subcommand.
   */
  static CommandLine commandLine(String... args) {
    String first = args.length > 0 ? args[0] : null;
    for (Class<?> sub : SUBCOMMANDS) {
      if (sub.getAnnotation(Command.class).name().equals(first)) {
        return tree(sub);
      }
    }
    return tree(null);
  }

  /** The tree with subcommand {@code only}, or with all of them if null. */
  private static CommandLine tree(Class<?> only) {
    CommandLine cli = new CommandLine(Main.class);
    for (Class<?> sub : SUBCOMMANDS) {
      if (only == null || sub == only) {
        cli.addSubcommand(sub);
      }
    }
    for (CommandLine sub : cli.getSubcommands().values()) {
      // Picocli applies a @Command(modelTransformer) only in the constructor of a tree, not to subcommands
      // added later (RunCommand.Help fills its help in this way; it is idempotent).
      CommandLine.IModelTransformer transformer = sub.getCommandSpec().modelTransformer();
      if (transformer != null) {
        transformer.transform(sub.getCommandSpec());
      }
    }
    // Set here, after the subcommands were added, so that they do not inherit it (scope INHERIT).
    cli.getCommandSpec().usageMessage().footer(SERVE_NOTE);
    cli.setParameterExceptionHandler(Main::handleParameterException);
    cli.setExecutionExceptionHandler(Main::handleExecutionException);
    cli.setExecutionStrategy(Main::executeGuarded);
    return cli;
  }

  /**
   * Runs the chosen subcommand; an {@link OutOfMemoryError} (an Error, which picocli lets through)
   * becomes one line and exit {@value #EXIT_USAGE}: the sizes come from the user's configuration and
   * input, and the user can change them or the heap.
   */
  private static int executeGuarded(CommandLine.ParseResult parsed) {
    try {
      return new CommandLine.RunLast().execute(parsed);
    } catch (OutOfMemoryError e) {
      CommandLine cli = parsed.commandSpec().commandLine();
      PrintWriter err = cli.getErr();
      err.println("error: out of memory in '" + (parsed.subcommand() != null
          ? parsed.subcommand().commandSpec().qualifiedName() : cli.getCommandSpec().qualifiedName())
          + "' (Java heap at most " + MemoryEstimate.format(Runtime.getRuntime().maxMemory()) + "): make the input "
          + "smaller (scenario.dim, scenario.arms, checkpoints, --threads, file sizes) or give Java more "
          + "(RECOURSE_JAVA_OPTS=-Xmx…)");
      return EXIT_USAGE;
    }
  }

  private static int handleParameterException(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    PrintWriter err = cli.getErr();
    if (e instanceof MissingParameterException && !cli.getUnmatchedArguments().isEmpty()) {
      // Picocli reports a missing required option before the unknown ones: a misspelt required option
      // (--outdir for --out-dir) would be reported only as missing. The unknown ones, with picocli's
      // suggestions, come first.
      UnmatchedArgumentException unknown = new UnmatchedArgumentException(cli, cli.getUnmatchedArguments());
      err.println("error: " + unknown.getMessage());
      UnmatchedArgumentException.printSuggestions(unknown, err);
    }
    err.println("error: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for more information.");
    return EXIT_USAGE;
  }

  private static int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof InputException || e instanceof IllegalArgumentException) {
      err.println("error: " + e.getMessage());
      return EXIT_USAGE;
    }
    IOException io = e instanceof UncheckedIOException u ? u.getCause() : e instanceof IOException i ? i : null;
    if (io != null) {
      err.println("error: " + describe(io));
      return EXIT_FAILURE;
    }
    err.println("internal error in '" + cli.getCommandSpec().qualifiedName() + "': " + e);
    e.printStackTrace(err);
    return EXIT_FAILURE;
  }

  /** NIO exceptions often carry only a path as their message; name the failure too. */
  private static String describe(IOException e) {
    if (e instanceof FileSystemException fs) {
      String reason = dev.recourse.sim.io.AtomicFileWriter.reason(fs);
      return fs.getFile() + ": " + reason + (fs.getOtherFile() != null ? " (" + fs.getOtherFile() + ")" : "");
    }
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
