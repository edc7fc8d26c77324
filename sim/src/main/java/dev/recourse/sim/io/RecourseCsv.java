package dev.recourse.sim.io;

import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * The recourse each policy recommended (paper Figure 4, Figure 11): per policy, arm and mutable
 * feature, the mean over replications of the replication's mean recommended displacement
 * {@code x̃_i − x_i} over the rounds (after {@code recourse_from}) in which the arm was played, with its
 * 95% interval, and the share of rounds the arm was played. Replications that never played the arm
 * do not count for it ({@code replications} says how many did). Written atomically.
 */
public final class RecourseCsv {

  public static final String HEADER =
      "policy,arm,arm_name,arm_share,feature,replications,displacement_mean,displacement_ci95_low,displacement_ci95_high";

  private RecourseCsv() {}

  public static void write(Path target, StudyResult result) throws IOException {
    AtomicFileWriter.write(target, false, out -> writeTo(out, result));
  }

  static void writeTo(Writer out, StudyResult result) throws IOException {
    out.write(HEADER);
    out.write('\n');
    List<String> arms = result.study().scenario().armNames();
    List<String> features = result.study().scenario().featureNames();
    int[] mutable = result.study().scenario().mutableIndices();
    for (PolicyAggregate p : result.policies()) {
      for (int a = 0; a < arms.size(); a++) {
        for (int k = 0; k < mutable.length; k++) {
          int cell = a * mutable.length + k;
          double mean = p.recourse().mean(cell);
          double half = p.recourse().halfWidth95(cell);
          out.write(p.label() + ',' + a + ',' + arms.get(a) + ',' + p.armShare().mean(a) + ','
              + features.get(mutable[k]) + ',' + p.recourse().count(cell) + ',' + mean + ',' + (mean - half) + ','
              + (mean + half) + '\n');
        }
      }
    }
  }
}
