package dev.recourse.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.AtomicFileWriter;
import dev.recourse.sim.io.StudyOutputs;
import dev.recourse.sim.io.StudyParser;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.run.MemoryEstimate;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code recourse run}: a study from a YAML/JSON file, or from flags. Flags given with a file override
 * its keys (the result is validated as one study). Everything is validated before any work starts.
 */
@Command(
    name = "run",
    sortOptions = false,
    description = {
        "Runs a Monte Carlo study from a study file or flags.",
        "Replications x policies; writes per-checkpoint and recourse CSVs, a JSON",
        "summary and PNG plots to --out. A study file (YAML or JSON) has the keys",
        "  name, seed, horizon (T, required), replications (required),",
        "  checkpoints (default 100), recourse_from (default 0),",
        "  scenario: {type: synthetic, dim, arms, gamma, noise_sd}",
        "          | {type: hypertension, gamma, intercept, baseline, noise_sd,",
        "             cohort_size, constant, prevalence: {female, cvd_history, race},",
        "             compliance: full | {type: random, bias: [..], spread, epsilon}",
        "                              | {type: adversarial, epsilon}}",
        "          | {type: fertility, data (path), gamma, noise_sd, normal_mean}",
        "  policies: a list of {type, label, lambda, ...}: linucb, glrb, glrb-robust",
        "    and glrb-nc (radius; glrb-nc also epsilon, required), libra (radius,",
        "    threshold, advisor), llm-only (advisor), noop. radius: a number or",
        "    {type: lemma2, scale, delta}. advisor: {type: quality, q},",
        "    {type: suboptimal, eta} or {type: guideline, arm, shifts: {feature: ..}}.",
        "Examples: sim/studies/*.yaml; the README's \"Study files\" explains each key."
    })
public final class RunCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "STUDY", description = "Study file (.yaml, .yml or .json).")
  private Path file;

  @Option(names = "--scenario", paramLabel = "NAME", description = "synthetic, hypertension or fertility (without a file).")
  private String scenario;

  @Option(names = "--policies", paramLabel = "LIST", split = ",",
      description = "Policies without a file (default: linucb,glrb,libra,llm-only).")
  private String[] policies;

  @Option(names = "--q", paramLabel = "Q", description = "Advisor quality for libra/llm-only without a file (default 0.8).")
  private Double quality;

  @Option(names = "--delta", paramLabel = "D", description = "LIBRA's threshold without a file (default 1).")
  private Double delta;

  @Option(names = "--data", paramLabel = "FILE",
      description = "Fertility data file (replaces scenario.data of a study file).")
  private Path data;

  @Option(names = "--name", paramLabel = "NAME", description = "Study name (output prefix).")
  private String name;

  @Option(names = {"-T", "--horizon"}, paramLabel = "T", description = "Rounds per replication.")
  private Integer horizon;

  @Option(names = {"-n", "--replications"}, paramLabel = "N", description = "Replications.")
  private Integer replications;

  @Option(names = "--seed", paramLabel = "S", description = "Study seed.")
  private Long seed;

  @Option(names = "--checkpoints", paramLabel = "N", description = "Number of checkpoints (default 100).")
  private Integer checkpoints;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: results/<study name>).")
  private Path out;

  @Option(names = "--engine", paramLabel = "NAME",
      description = "Where the replications run: local (default: this JVM's threads) or spark (the optional spark module; see README \"Spark\").")
  private String engine = LOCAL_ENGINE;

  @Option(names = "--master", paramLabel = "URL",
      description = "With --engine spark: the Spark master (default local[*]; local[2], spark://HOST:7077, ...).")
  private String master;

  @Option(names = "--blocks", paramLabel = "N",
      description = "With --engine spark: tasks (blocks of consecutive replications) per policy (default: the engine's).")
  private Integer blocks;

  @Mixin
  private ExecutionOptions execution;

  private static final String LOCAL_ENGINE = "local";

  /** What the study was parsed from (an engine may parse it again on other machines). */
  private StudySource source;

  @Override
  public Integer call() throws IOException {
    execution.workers(); // rejects --threads 0 before the study file is read
    StudyEngine remote = engine();
    if (out != null) {
      AtomicFileWriter.checkDirectory(out, "--out"); // before a large study file or database is read
    }
    Study study = file != null ? fromFile() : fromFlags();
    int workers = execution.workers(study.units(), spec.commandLine().getErr());
    noteClampedCheckpoints(study);
    MemoryEstimate.check(study, workers, Runtime.getRuntime().maxMemory(), file != null ? file.toString() : "command line");
    Path dir = out != null ? out : Path.of("results", study.name());
    StudyOutputs.prepare(dir, java.util.List.of(study));
    StudyResult result;
    if (remote == null) {
      result = StudyExecution.run(study, workers, execution.quiet());
    } else {
      try (StudyEngine.Session session = remote.open(source, master, blocks == null ? 0 : blocks,
          spec.commandLine().getErr())) {
        spec.commandLine().getErr().println("engine: " + session.describe(study));
        result = StudyExecution.run(study, session, execution.quiet());
      }
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(StudyExecution.table(result));
    stdout.println(StudyExecution.footer(result));
    StudyExecution.write(stdout, dir, result);
    return 0;
  }

  /** The engine {@code --engine} names (null: the local thread pool), checked before the study is read. */
  private StudyEngine engine() {
    if (engine.equals(LOCAL_ENGINE)) {
      if (master != null || blocks != null) {
        throw new InputException("--master and --blocks go with --engine spark");
      }
      return null;
    }
    if (blocks != null && blocks < 1) {
      throw new InputException("--blocks must be >= 1, got " + blocks);
    }
    StudyEngine found = StudyEngine.find(engine);
    if (found != null) {
      return found;
    }
    if (engine.equals("spark")) {
      throw new InputException("--engine spark: the Spark engine is not on the class path. Build it with "
          + "'./mvnw -q -B -DskipTests -pl spark -am package' and run through ./recourse, which adds "
          + "spark/target/recourse-spark.jar and Spark's jars when --engine spark is given");
    }
    throw new InputException("--engine: unknown engine '" + engine + "' (local, spark)");
  }

  private Study fromFile() {
    if (scenario != null || policies != null || quality != null || delta != null) {
      throw new InputException("--scenario, --policies, --q and --delta describe a study without a file; "
          + "with " + file + " put them in the file");
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw InputException.inFile(file, "no such study file");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    JsonNode tree = StudyParser.parseTree(text, json, file.toString());
    if (tree.isObject()) {
      override((ObjectNode) tree);
      if (data != null && tree.get("scenario") instanceof ObjectNode sc) {
        sc.put("data", data.toAbsolutePath().toString());
      }
    }
    String fallback = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    source = StudySource.of(tree, file.toString(), file.toAbsolutePath().getParent(), fallback);
    return StudyParser.parse(tree, file.toString(), file.toAbsolutePath().getParent(), fallback);
  }

  private Study fromFlags() {
    if (scenario == null) {
      throw new InputException("give a study file or --scenario (synthetic, hypertension or fertility)");
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("horizon", horizon == null ? 10_000 : horizon);
    root.put("replications", replications == null ? 10 : replications);
    ObjectNode sc = root.putObject("scenario");
    sc.put("type", scenario);
    if (data != null) {
      sc.put("data", data.toString());
    }
    ArrayNode list = root.putArray("policies");
    String[] kinds = policies != null ? policies : new String[] {"linucb", "glrb", "libra", "llm-only"};
    for (String k : kinds) {
      ObjectNode p = list.addObject();
      p.put("type", k.trim());
      boolean advised;
      try {
        advised = PolicySpec.type(k.trim()).advised();
      } catch (IllegalArgumentException e) {
        throw new InputException("--policies: " + e.getMessage());
      }
      if (advised) {
        p.putObject("advisor").put("type", "quality").put("q", quality == null ? 0.8 : quality);
      }
      if (k.trim().equals("libra") && delta != null) {
        p.put("threshold", delta);
      }
    }
    override(root);
    source = StudySource.of(root, "command line", Path.of("").toAbsolutePath(), "study-" + scenario);
    return StudyParser.parse(root, "command line", Path.of("").toAbsolutePath(), "study-" + scenario);
  }

  /** The checkpoint count the file or flags asked for (null: the default), read before parsing. */
  private Long requestedCheckpoints;

  /** A study keeps at most one checkpoint per round; a larger request is clamped, and the user told. */
  private void noteClampedCheckpoints(Study study) {
    int kept = study.checkpoints().length;
    if (requestedCheckpoints != null && requestedCheckpoints > kept) {
      spec.commandLine().getErr().println("note: checkpoints " + requestedCheckpoints + " is more than the horizon T="
          + study.horizon() + ": results are recorded at all " + kept + " rounds");
    }
  }

  private void override(ObjectNode root) {
    if (name != null) {
      root.put("name", name);
    }
    if (horizon != null) {
      root.put("horizon", horizon);
    }
    if (replications != null) {
      root.put("replications", replications);
    }
    if (seed != null) {
      root.put("seed", seed);
    }
    if (checkpoints != null) {
      root.put("checkpoints", checkpoints);
    }
    JsonNode requested = root.get("checkpoints");
    requestedCheckpoints = requested != null && requested.canConvertToLong() && requested.isIntegralNumber()
        ? requested.asLong() : null;
  }
}
