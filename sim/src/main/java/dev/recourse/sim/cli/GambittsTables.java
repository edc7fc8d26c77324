package dev.recourse.sim.cli;

import dev.recourse.sim.gambitts.TreatmentScenario;
import dev.recourse.sim.io.TextTable;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.StudyResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The cross-study tables of {@code reproduce gambitts-*}: one row per grid value, one column per policy. */
final class GambittsTables {

  private GambittsTables() {}

  /** Final cumulative regret, mean ± 95% CI. */
  static String regret(List<String> keys, List<StudyResult> results) {
    List<String> labels = labels(results);
    TextTable table = new TextTable(header(labels));
    for (int i = 0; i < results.size(); i++) {
      StudyResult r = results.get(i);
      int last = r.study().checkpoints().length - 1;
      String[] row = new String[labels.size() + 1];
      row[0] = keys.get(i);
      for (int j = 0; j < labels.size(); j++) {
        PolicyAggregate p = find(r, labels.get(j));
        row[j + 1] = p == null ? "-" : TextTable.pm(p.regret().mean(last), p.regret().halfWidth95(last), 1);
      }
      table.row(row);
    }
    return table.render();
  }

  /**
   * The share of rounds spent on a prompt that is not the best one of the round's cell, averaged over
   * cells (the cells are drawn uniformly) and replications.
   */
  static String offBestShare(List<String> keys, List<StudyResult> results) {
    List<String> labels = labels(results);
    TextTable table = new TextTable(header(labels));
    for (int i = 0; i < results.size(); i++) {
      StudyResult r = results.get(i);
      TreatmentScenario s = (TreatmentScenario) r.study().scenario();
      String[] row = new String[labels.size() + 1];
      row[0] = keys.get(i);
      for (int j = 0; j < labels.size(); j++) {
        PolicyAggregate p = find(r, labels.get(j));
        if (p == null) {
          row[j + 1] = "-";
          continue;
        }
        int best = s.bestPrompt(); // shares are pooled over cells
        row[j + 1] = TextTable.num(1 - p.armShare().mean(best), 3);
      }
      table.row(row);
    }
    return table.render();
  }

  private static String[] header(List<String> labels) {
    String[] h = new String[labels.size() + 1];
    h[0] = "setting";
    for (int j = 0; j < labels.size(); j++) {
      h[j + 1] = labels.get(j);
    }
    return h;
  }

  private static List<String> labels(List<StudyResult> results) {
    Set<String> labels = new LinkedHashSet<>();
    for (StudyResult r : results) {
      for (PolicyAggregate p : r.policies()) {
        labels.add(p.label());
      }
    }
    return new ArrayList<>(labels);
  }

  private static PolicyAggregate find(StudyResult r, String label) {
    for (PolicyAggregate p : r.policies()) {
      if (p.label().equals(label)) {
        return p;
      }
    }
    return null;
  }
}
