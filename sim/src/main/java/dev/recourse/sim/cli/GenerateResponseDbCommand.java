package dev.recourse.sim.cli;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.gambitts.StyleModel;
import dev.recourse.sim.io.AtomicFileWriter;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recourse generate-response-db}: a synthetic response database in the GAMBITTS paper's layout
 * ({@link StyleModel}), so that every generator-mediated study runs without the authors' unpublished one.
 */
@Command(
    name = "generate-response-db",
    sortOptions = false,
    description = {
        "Writes a synthetic GAMBITTS response database.",
        "The layout is the paper's (CSV).",
        "Columns: prompt (1-40), prompt_id, prev_steps (0-3), curr_loc (home, other, work),",
        "20 style scores (optimism, formality, severity, encouragement, clarity, ...), text.",
        "Severity and encouragement are close proxies of optimism, formality a weak one;",
        "clarity's prompt means are U-shaped in optimism's (see README, GAMBITTS)."
    })
public final class GenerateResponseDbCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--out", paramLabel = "FILE", required = true, description = "The CSV to write (replaced atomically).")
  private Path out;

  @Option(names = "--responses-per-cell", paramLabel = "N", defaultValue = "100",
      description = "Responses per (prompt, context cell): 40 prompts x 12 cells x N rows (default: ${DEFAULT-VALUE}).")
  private int perCell;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "Seed of the model and the draws (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Override
  public Integer call() throws IOException {
    if (perCell < 1 || perCell > 100_000) {
      throw new ParameterException(spec.commandLine(), "--responses-per-cell must be in [1, 100000], got " + perCell);
    }
    AtomicFileWriter.checkTarget(out);
    StyleModel model = new StyleModel(seed);
    try (AtomicFileWriter file = AtomicFileWriter.open(out, false)) {
      model.write(file.writer(), perCell, seed);
      file.commit();
    } catch (FileSystemException e) {
      throw new InputException("--out " + out + ": " + e.getReason(), e);
    }
    long rows = (long) model.numPrompts() * model.numCells() * perCell;
    spec.commandLine().getErr().println("wrote " + out + " (" + rows + " responses: " + model.numPrompts()
        + " prompts x " + model.numCells() + " cells x " + perCell + ")");
    return 0;
  }
}
