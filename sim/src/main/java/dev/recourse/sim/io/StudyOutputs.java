package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.nio.file.Files;
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
 * {@code <name>-queries.png} (when a LIBRA policy ran) and {@code <name>-summary.json}. Each file is
 * complete or absent, never partial; they are written one after another, the summary last, so a write
 * that fails part-way (a full disk) leaves this run's earlier files next to the previous versions of
 * the later ones. {@link #prepare} rules out the failures that can be seen before the run.
 */
public final class StudyOutputs {

  private StudyOutputs() {}

  /**
   * Checks, before any work is done, that {@code dir} is a writable directory or can be created (it is
   * created only by {@link #write}, so a run stopped or failed before then leaves no empty folder), and
   * that no file any of {@code studies} may write there is an existing folder, so that a study's
   * outputs do not fail half-way.
   */
  public static void prepare(Path dir, List<Study> studies) {
    AtomicFileWriter.checkDirectory(dir, "--out");
    for (Study study : studies) {
      for (String file : fileNames(study)) {
        Path path = dir.resolve(file);
        if (Files.isDirectory(path)) {
          throw new InputException("--out " + dir + ": " + path + " is a folder; study '" + study.name()
              + "' writes a file of that name: move the folder or choose another --out");
        }
      }
    }
  }

  /** Every file {@link #write} may write for {@code study} (some only when there is something to plot). */
  static List<String> fileNames(Study study) {
    String name = study.name();
    boolean prompts = study.scenario().treatmentWorld().isPresent();
    return List.of(name + CHECKPOINTS, name + (prompts ? PROMPTS : RECOURSE), name + REGRET, name + REGRET_ZOOM,
        name + QUERIES, name + SUMMARY);
  }

  private static final String CHECKPOINTS = "-checkpoints.csv";
  private static final String RECOURSE = "-recourse.csv";
  private static final String PROMPTS = "-prompts.csv";
  private static final String REGRET = "-regret.png";
  private static final String REGRET_ZOOM = "-regret-zoom.png";
  private static final String QUERIES = "-queries.png";
  private static final String SUMMARY = "-summary.json";

  /**
   * Writes all outputs, creating {@code dir} first if needed; returns what was written, by kind
   * (checkpoints, recourse, regret_plot, ...).
   */
  public static Map<String, Path> write(Path dir, StudyResult result, String projectVersion) throws IOException {
    AtomicFileWriter.createDirectories(dir);
    String name = result.study().name();
    Map<String, Path> files = new LinkedHashMap<>();
    Path checkpoints = dir.resolve(name + CHECKPOINTS);
    CheckpointCsv.write(checkpoints, result);
    files.put("checkpoints", checkpoints);
    if (result.study().scenario().treatmentWorld().isPresent()) {
      Path prompts = dir.resolve(name + PROMPTS);
      PromptShareCsv.write(prompts, result);
      files.put("prompt_shares", prompts);
    } else {
      Path recourse = dir.resolve(name + RECOURSE);
      RecourseCsv.write(recourse, result);
      files.put("recourse", recourse);
    }
    Path regret = dir.resolve(name + REGRET);
    StudyPlots.writeRegret(regret, result);
    files.put("regret_plot", regret);
    Path zoom = dir.resolve(name + REGRET_ZOOM);
    if (StudyPlots.writeRegretZoom(zoom, result)) {
      files.put("regret_zoom_plot", zoom);
    }
    List<PolicyAggregate> advised = new ArrayList<>();
    for (int i = 0; i < result.policies().size(); i++) {
      if (result.study().policies().get(i).decidesWhenToAsk()) {
        advised.add(result.policies().get(i));
      }
    }
    Path queries = dir.resolve(name + QUERIES);
    if (StudyPlots.writeQueries(queries, result, advised)) {
      files.put("queries_plot", queries);
    }
    Path summary = dir.resolve(name + SUMMARY);
    Map<String, String> names = new LinkedHashMap<>();
    files.forEach((k, v) -> names.put(k, v.getFileName().toString()));
    names.put("summary", summary.getFileName().toString());
    SummaryJson.write(summary, result, projectVersion, names);
    files.put("summary", summary);
    return files;
  }
}
