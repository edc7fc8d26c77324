package dev.recourse.spark;

import dev.recourse.sim.cli.Main;
import dev.recourse.sim.config.InputException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The job jar's main class for {@code spark-submit}: {@code recourse run} with {@code --engine spark}
 * on the master spark-submit configured. Arguments are those of {@code recourse run} (a study file,
 * {@code --out DIR}, {@code --blocks N}, ...; not {@code --threads}, the local engine's); outputs are written
 * on the driver.
 *
 * <pre>
 * spark-submit --class dev.recourse.spark.SparkStudyJob recourse-spark-job.jar study.yaml --out results/x
 * </pre>
 */
public final class SparkStudyJob {

  /** The refusal of {@code --threads}, which only the local engine reads. */
  static final String THREADS_REFUSAL = "--threads applies to the local engine; with --engine spark the executors' "
      + "cores set the parallelism";

  private SparkStudyJob() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(out, err, args));
  }

  /** Runs the job's command; its exit code ({@link Main#execute}'s, or 2 for arguments refused here). */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    List<String> command;
    try {
      command = command(args);
    } catch (InputException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return Main.EXIT_USAGE;
    }
    return Main.execute(out, err, command.toArray(String[]::new));
  }

  /**
   * {@code recourse run} with the job's arguments, {@code --engine spark} and {@code --quiet} unless given.
   *
   * @throws InputException for {@code --threads} with the Spark engine: it would be accepted and not used
   */
  static List<String> command(String[] args) {
    List<String> command = new ArrayList<>(List.of("run"));
    command.addAll(Arrays.asList(args));
    String engine = null;
    for (int i = 0; i < args.length; i++) {
      // Both spellings the CLI accepts: adding a second --engine would be refused as a repeated option.
      if (args[i].equals("--engine")) {
        engine = i + 1 < args.length ? args[i + 1] : "";
      } else if (args[i].startsWith("--engine=")) {
        engine = args[i].substring("--engine=".length());
      }
    }
    if (engine == null) {
      command.addAll(List.of("--engine", "spark"));
    }
    if ((engine == null || engine.equals("spark"))
        && command.stream().anyMatch(a -> a.equals("--threads") || a.startsWith("--threads="))) {
      throw new InputException(THREADS_REFUSAL);
    }
    if (!command.contains("--quiet")) {
      command.add("--quiet");
    }
    return command;
  }
}
