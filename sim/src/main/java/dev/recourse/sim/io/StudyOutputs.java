package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a finished study writes into its output directory, each file atomically, the summary
 * last: {@code <name>-checkpoints.csv}, {@code <name>-recourse.csv} (or, for a generator-mediated study,
 * {@code <name>-prompts.csv}: the share of rounds per prompt), {@code <name>-regret.png},
 * {@code <name>-regret-zoom.png} (when some policies dwarf the others),
 * {@code <name>-queries.png} (when a LIBRA policy ran) and {@code <name>-summary.json}. An interrupted
 * run leaves each of these complete or absent.
 */
public final class StudyOutputs {

  private StudyOutputs() {}

  /**
   * Checks, before any work is done, that {@code dir} is a writable directory or can be created; it is
   * created only by {@link #write}, so a run stopped or failed before then leaves no empty folder.
   */
  public static void prepare(Path dir) {
    AtomicFileWriter.checkDirectory(dir, "--out");
  }

  /**
   * Writes all outputs, creating {@code dir} first if needed; returns what was written, by kind
   * (checkpoints, recourse, regret_plot, ...).
   */
  public static Map<String, Path> write(Path dir, StudyResult result, String projectVersion) throws IOException {
    AtomicFileWriter.createDirectories(dir);
    String name = result.study().name();
    Map<String, Path> files = new LinkedHashMap<>();
    Path checkpoints = dir.resolve(name + "-checkpoints.csv");
    CheckpointCsv.write(checkpoints, result);
    files.put("checkpoints", checkpoints);
    if (result.study().scenario().treatmentWorld().isPresent()) {
      Path prompts = dir.resolve(name + "-prompts.csv");
      PromptShareCsv.write(prompts, result);
      files.put("prompt_shares", prompts);
    } else {
      Path recourse = dir.resolve(name + "-recourse.csv");
      RecourseCsv.write(recourse, result);
      files.put("recourse", recourse);
    }
    Path regret = dir.resolve(name + "-regret.png");
    StudyPlots.writeRegret(regret, result);
    files.put("regret_plot", regret);
    Path zoom = dir.resolve(name + "-regret-zoom.png");
    if (StudyPlots.writeRegretZoom(zoom, result)) {
      files.put("regret_zoom_plot", zoom);
    }
    List<PolicyAggregate> advised = new ArrayList<>();
    for (int i = 0; i < result.policies().size(); i++) {
      if (result.study().policies().get(i).decidesWhenToAsk()) {
        advised.add(result.policies().get(i));
      }
    }
    Path queries = dir.resolve(name + "-queries.png");
    if (StudyPlots.writeQueries(queries, result, advised)) {
      files.put("queries_plot", queries);
    }
    Path summary = dir.resolve(name + "-summary.json");
    Map<String, String> names = new LinkedHashMap<>();
    files.forEach((k, v) -> names.put(k, v.getFileName().toString()));
    names.put("summary", summary.getFileName().toString());
    SummaryJson.write(summary, result, projectVersion, names);
    files.put("summary", summary);
    return files;
  }
}
