package dev.recourse.sim.io;

import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.metrics.RunningStats;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;

/**
 * The per-checkpoint results: one row per policy × checkpoint with, for cumulative regret, mean
 * observed reward and cumulative advisor queries, the mean over replications, the standard deviation
 * and the 95% Student-t interval of the mean. Numbers are written with {@link Double#toString}, the
 * shortest text that reads back to the same double, so equal aggregates give equal bytes. Written
 * atomically: a reader sees the complete file or none.
 */
public final class CheckpointCsv {

  public static final String HEADER = "policy,t,replications,"
      + "regret_mean,regret_sd,regret_ci95_low,regret_ci95_high,"
      + "reward_mean,reward_sd,reward_ci95_low,reward_ci95_high,"
      + "queries_mean,queries_sd,queries_ci95_low,queries_ci95_high";

  private CheckpointCsv() {}

  public static void write(Path target, StudyResult result) throws IOException {
    AtomicFileWriter.write(target, false, out -> writeTo(out, result));
  }

  static void writeTo(Writer out, StudyResult result) throws IOException {
    out.write(HEADER);
    out.write('\n');
    int[] checkpoints = result.study().checkpoints();
    for (PolicyAggregate p : result.policies()) {
      for (int i = 0; i < checkpoints.length; i++) {
        out.write(p.label());
        out.write(',');
        out.write(Integer.toString(checkpoints[i]));
        out.write(',');
        out.write(Long.toString(p.regret().count(i)));
        cells(out, p.regret(), i);
        cells(out, p.reward(), i);
        cells(out, p.queries(), i);
        out.write('\n');
      }
    }
  }

  private static void cells(Writer out, RunningStats s, int i) throws IOException {
    double mean = s.mean(i);
    double half = s.halfWidth95(i);
    out.write(',');
    out.write(Double.toString(mean));
    out.write(',');
    out.write(Double.toString(Math.sqrt(s.variance(i))));
    out.write(',');
    out.write(Double.toString(mean - half));
    out.write(',');
    out.write(Double.toString(mean + half));
  }
}
