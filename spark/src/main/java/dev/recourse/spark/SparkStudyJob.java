package dev.recourse.spark;

import dev.recourse.sim.cli.Main;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The job jar's main class for {@code spark-submit}: {@code recourse run} with {@code --engine spark}
 * on the master spark-submit configured. Arguments are those of {@code recourse run} (a study file,
 * {@code --out DIR}, {@code --blocks N}, ...); outputs are written on the driver.
 *
 * <pre>
 * spark-submit --class dev.recourse.spark.SparkStudyJob recourse-spark-job.jar study.yaml --out results/x
 * </pre>
 */
public final class SparkStudyJob {

  private SparkStudyJob() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(Main.execute(out, err, command(args).toArray(String[]::new)));
  }

  /** {@code recourse run} with the job's arguments, {@code --engine spark} and {@code --quiet} unless given. */
  static List<String> command(String[] args) {
    List<String> command = new ArrayList<>(List.of("run"));
    command.addAll(Arrays.asList(args));
    // Both spellings the CLI accepts: adding a second --engine would be refused as a repeated option.
    if (command.stream().noneMatch(a -> a.equals("--engine") || a.startsWith("--engine="))) {
      command.addAll(List.of("--engine", "spark"));
    }
    if (!command.contains("--quiet")) {
      command.add("--quiet");
    }
    return command;
  }
}
