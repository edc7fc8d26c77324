package dev.recourse.sim.cli;

import dev.recourse.sim.io.StudyOutputs;
import dev.recourse.sim.io.TextTable;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.LocalStudyRunner;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import dev.recourse.sim.run.StudyRunner;
import dev.recourse.core.simd.Kernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs a study on a runner (by default the local one) with a progress bar, writes its outputs and reports them. */
final class StudyExecution {

  private StudyExecution() {}

  static StudyResult run(Study study, int threads, boolean quiet) {
    return run(study, new LocalStudyRunner(threads, Kernels.get()), quiet);
  }

  /** Runs the study on {@code runner} (the local thread pool or an engine's) with a progress bar. */
  static StudyResult run(Study study, StudyRunner runner, boolean quiet) {
    try (ProgressBars progress = ProgressBars.open(study.name(), (long) study.units() * study.horizon(), quiet)) {
      return runner.run(study, progress);
    }
  }

  /** Writes the outputs and prints where they went. */
  static Map<String, Path> write(PrintWriter out, Path dir, StudyResult result) throws IOException {
    Map<String, Path> files = StudyOutputs.write(dir, result, VersionProvider.projectVersion());
    out.println("outputs (" + dir.toAbsolutePath().normalize() + "):");
    files.forEach((kind, path) -> out.println("  " + path.getFileName()));
    return files;
  }

  /** The generic table: final regret, mean reward and queries per policy. */
  static String table(StudyResult result) {
    int last = result.study().checkpoints().length - 1;
    int half = Math.max(0, (last + 1) / 2 - 1);
    int tHalf = result.study().checkpoints()[half];
    boolean asks = false; // query columns only where some policy consults an advisor
    for (PolicyAggregate p : result.policies()) {
      asks |= p.queries().mean(last) > 0;
    }
    String regretT = "regret(T=" + result.study().horizon() + ") ± 95% CI";
    TextTable table = asks
        ? new TextTable("policy", "regret(t=" + tHalf + ")", regretT, "mean reward ± 95% CI", "queries(t=" + tHalf + ")",
            "queries(T)")
        : new TextTable("policy", "regret(t=" + tHalf + ")", regretT, "mean reward ± 95% CI");
    for (PolicyAggregate p : result.policies()) {
      String regretHalf = TextTable.num(p.regret().mean(half), 1);
      String regretLast = TextTable.pm(p.regret().mean(last), p.regret().halfWidth95(last), 1);
      String reward = TextTable.pm(p.reward().mean(last), p.reward().halfWidth95(last), 2);
      if (asks) {
        table.row(p.label(), regretHalf, regretLast, reward, TextTable.num(p.queries().mean(half), 0),
            TextTable.num(p.queries().mean(last), 0));
      } else {
        table.row(p.label(), regretHalf, regretLast, reward);
      }
    }
    return table.render();
  }

  /**
   * The recourse each policy recommended (Figures 4 and 11): per policy that recommends any and arm,
   * the share of rounds and the mean displacement of each mutable feature.
   */
  static String recourseTable(StudyResult result) {
    var scenario = result.study().scenario();
    int[] mutable = scenario.mutableIndices();
    String[] header = new String[3 + mutable.length];
    header[0] = "policy";
    header[1] = "arm";
    header[2] = "share";
    for (int k = 0; k < mutable.length; k++) {
      header[3 + k] = "Δ " + scenario.featureNames().get(mutable[k]);
    }
    TextTable table = new TextTable(header);
    for (PolicyAggregate p : result.policies()) {
      boolean any = false;
      for (int c = 0; c < p.recourse().size(); c++) {
        any |= p.recourse().count(c) > 0 && p.recourse().mean(c) != 0;
      }
      if (!any) {
        continue;
      }
      for (int a = 0; a < scenario.numArms(); a++) {
        String[] row = new String[header.length];
        row[0] = p.label();
        row[1] = scenario.armNames().get(a);
        row[2] = TextTable.num(p.armShare().mean(a), 3);
        for (int k = 0; k < mutable.length; k++) {
          int cell = a * mutable.length + k;
          row[3 + k] = TextTable.pm(p.recourse().mean(cell), p.recourse().halfWidth95(cell), 2);
        }
        table.row(row);
      }
    }
    return table.render();
  }

  /** One line on how the study ran. */
  static String footer(StudyResult r) {
    return String.format(java.util.Locale.ROOT,
        "%s: %s, T=%d, %d replication%s, seed %d; %,d rounds in %.1f s on %d thread%s (%,.0f rounds/s; "
            + "CPU %.1f s, %.3f µs/round; kernels %s)",
        r.study().name(), r.study().scenario().name(), r.study().horizon(), r.study().replications(),
        r.study().replications() == 1 ? "" : "s", r.study().seed(),
        r.rounds(), r.wallSeconds(), r.threads(), r.threads() == 1 ? "" : "s", r.rounds() / r.wallSeconds(),
        r.cpuSeconds(),
        1e6 * r.cpuSeconds() / r.rounds(), r.kernels());
  }
}
