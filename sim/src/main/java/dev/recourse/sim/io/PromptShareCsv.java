package dev.recourse.sim.io;

import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * The share of rounds each policy played each prompt (arm) of a generator-mediated study: the mean over
 * replications with its 95% interval. Written atomically.
 */
public final class PromptShareCsv {

  public static final String HEADER = "policy,arm,arm_name,share_mean,share_ci95_low,share_ci95_high";

  private PromptShareCsv() {}

  public static void write(Path target, StudyResult result) throws IOException {
    AtomicFileWriter.write(target, false, out -> writeTo(out, result));
  }

  static void writeTo(Writer out, StudyResult result) throws IOException {
    out.write(HEADER);
    out.write('\n');
    List<String> arms = result.study().scenario().armNames();
    for (PolicyAggregate p : result.policies()) {
      for (int a = 0; a < arms.size(); a++) {
        double mean = p.armShare().mean(a);
        double half = p.armShare().halfWidth95(a);
        out.write(p.label() + ',' + a + ',' + arms.get(a) + ',' + mean + ',' + (mean - half) + ',' + (mean + half) + '\n');
      }
    }
  }
}
