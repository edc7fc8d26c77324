package dev.recourse.sim.cli;

import dev.recourse.sim.env.LinearGaussianStream;
import dev.recourse.sim.io.AtomicFileWriter;
import dev.recourse.sim.config.InputException;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recourse generate-stream}: a synthetic linear-Gaussian warm-up and stream for
 * {@code recourse replay} (the Java twin of the Python generator; same model, not the same draws).
 * Numbers are written with {@link Double#toString}, which round-trips exactly.
 */
@Command(
    name = "generate-stream",
    sortOptions = false,
    description = {
        "Writes a synthetic warm-up and stream for replay.",
        "warmup.csv: one row per arm, in arm order; stream.csv: one row per round;",
        "both go to --out-dir. Model: θ_a ~ N(0,I), x ~ N(0,I), reward",
        "θ_aᵀx + N(0,1); stream rows carry every arm's reward."
    })
public final class GenerateStreamCommand implements Callable<Integer> {

  public static final String WARMUP_FILE = "warmup.csv";
  public static final String STREAM_FILE = "stream.csv";

  @Spec
  private CommandSpec spec;

  @Option(names = "--dim", paramLabel = "D", required = true, description = "Context dimension d >= 1.")
  private int dim;

  @Option(names = "--arms", paramLabel = "K", required = true, description = "Number of arms K >= 1.")
  private int numArms;

  @Option(names = "--rounds", paramLabel = "T", required = true, description = "Stream rows T >= 1.")
  private int rounds;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Root seed (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--out-dir", paramLabel = "DIR", required = true,
      description = "Directory for warmup.csv and stream.csv (created if missing; files replaced atomically).")
  private Path outDir;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
      throw new InputException(outDir + ": exists and is not a directory (--out-dir)");
    }
    AtomicFileWriter.checkDirectory(outDir, "--out-dir");
    try {
      // Removed again if the run is stopped before both files are in place (and it is still empty).
      AtomicFileWriter.createDirectories(outDir);
    } catch (IOException e) {
      throw new InputException("--out-dir " + outDir + ": cannot create the folder: " + e.getMessage(), e);
    }
    LinearGaussianStream env = new LinearGaussianStream(dim, numArms, seed);
    Path warmupFile = outDir.resolve(WARMUP_FILE);
    Path streamFile = outDir.resolve(STREAM_FILE);
    AtomicFileWriter warmupOut;
    try {
      warmupOut = AtomicFileWriter.open(warmupFile, false);
    } catch (FileSystemException e) {
      throw new InputException("--out-dir " + outDir + ": " + e.getReason(), e);
    }
    // Both files are complete before either is committed, so a failure never leaves a new warm-up
    // next to an old stream.
    try (warmupOut; AtomicFileWriter streamOut = AtomicFileWriter.open(streamFile, false)) {
      writeWarmup(env, warmupOut.writer());
      writeStream(env, rounds, streamOut.writer());
      warmupOut.commit();
      streamOut.commit();
    }
    spec.commandLine().getErr().println("wrote " + warmupFile + " (" + numArms + " rows) and "
        + streamFile + " (" + rounds + " rows)");
    return 0;
  }

  private void checkOptions() {
    if (dim < 1) {
      throw new ParameterException(spec.commandLine(), "--dim must be >= 1, got " + dim);
    }
    if (numArms < 1) {
      throw new ParameterException(spec.commandLine(), "--arms must be >= 1, got " + numArms);
    }
    if (rounds < 1) {
      throw new ParameterException(spec.commandLine(), "--rounds must be >= 1, got " + rounds);
    }
  }

  private static void writeWarmup(LinearGaussianStream env, Writer out) throws IOException {
    int dim = env.dim();
    StringBuilder line = new StringBuilder("arm,reward");
    for (int i = 0; i < dim; i++) {
      line.append(",x").append(i);
    }
    out.append(line).append('\n');
    double[] x = new double[dim];
    for (int arm = 0; arm < env.numArms(); arm++) {
      double reward = env.nextWarmup(arm, x);
      line.setLength(0);
      line.append(arm).append(',').append(Double.toString(reward));
      appendValues(line, x);
      out.append(line).append('\n');
    }
  }

  private static void writeStream(LinearGaussianStream env, int rounds, Writer out) throws IOException {
    int dim = env.dim();
    int numArms = env.numArms();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < dim; i++) {
      line.append(i == 0 ? "x" : ",x").append(i);
    }
    for (int a = 0; a < numArms; a++) {
      line.append(",r").append(a);
    }
    out.append(line).append('\n');
    double[] x = new double[dim];
    double[] rewards = new double[numArms];
    for (int t = 0; t < rounds; t++) {
      env.nextRound(x, rewards);
      line.setLength(0);
      line.append(Double.toString(x[0]));
      for (int i = 1; i < dim; i++) {
        line.append(',').append(Double.toString(x[i]));
      }
      appendValues(line, rewards);
      out.append(line).append('\n');
    }
  }

  private static void appendValues(StringBuilder line, double[] values) {
    for (double v : values) {
      line.append(',').append(Double.toString(v));
    }
  }
}
