package dev.recourse.sim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.gambitts.TreatmentScenarios;
import dev.recourse.sim.io.AtomicFileWriter;
import dev.recourse.sim.io.StudyOutputs;
import dev.recourse.sim.io.StudyParser;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.PolicyType;
import dev.recourse.sim.run.MemoryEstimate;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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
    modelTransformer = RunCommand.Help.class,
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
        "          | {type: response-db, db (path or synthetic), embedding, reward, ...}",
        "          | {type: generator, prompts, embedding_dim, ...}",
        "            (these two: README \"GAMBITTS\"; prompt shares replace recourse)",
        // Wrapped by Help, with the lists filled in from the registries.
        "  policies: a list of {type, label, ...}; type is one of " + RunCommand.Help.POLICY_TYPES + ".",
        "    radius (a number or {type: lemma2, scale, delta}; linucb: a number) and lambda "
            + "for linucb, glrb, glrb-robust, glrb-nc and libra; glrb-nc also epsilon (required), libra threshold; "
            + RunCommand.Help.ADVISED_TYPES + " need an advisor: "
            + RunCommand.Help.ADVISOR_TYPES + " (http: docs/http-advisor.md). The GAMBITTS agents' keys: README "
            + "\"GAMBITTS\".",
        "Examples: sim/studies/*.yaml; the README's \"Study files\" explains each key."
    })
public final class RunCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "STUDY", description = "Study file (.yaml, .yml or .json).")
  private Path file;

  @Option(names = "--scenario", paramLabel = "NAME", completionCandidates = Help.ScenarioTypes.class,
      description = "A study without a file: its scenario, one of ${COMPLETION-CANDIDATES} (fertility needs --data; "
          + "response-db needs a study file).")
  private String scenario;

  @Option(names = "--policies", paramLabel = "LIST", split = ",", completionCandidates = Help.PolicyTypes.class,
      description = "Policies without a file (default: linucb,glrb,libra,llm-only), of ${COMPLETION-CANDIDATES}.")
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

  @Option(names = {"-T", "--horizon"}, paramLabel = "T",
      description = "Rounds per replication (default: the file's horizon; " + DEFAULT_HORIZON + " without a file).")
  private Integer horizon;

  @Option(names = {"-n", "--replications"}, paramLabel = "N",
      description = "Replications (default: the file's; " + DEFAULT_REPLICATIONS + " without a file).")
  private Integer replications;

  @Option(names = "--seed", paramLabel = "S", description = "Study seed (default: the file's; 1 without one).")
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
  /** -T and -n of a study given by flags alone (the help spells the horizon out: "10,000"). */
  private static final String DEFAULT_HORIZON = "10,000";
  private static final String DEFAULT_REPLICATIONS = "10";

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
    if (remote == null) {
      // The thread pool's models live in this JVM; an engine's live in its executors and checks its own.
      MemoryEstimate.check(study, workers, Runtime.getRuntime().maxMemory(), file != null ? file.toString() : "command line");
    }
    Path dir = out != null ? out : Path.of("results", study.name());
    StudyOutputs.prepare(dir, List.of(study));
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
    if (execution.threadsGiven()) {
      throw new InputException("--threads applies to the local engine; with --engine " + engine
          + " the executors' cores set the parallelism");
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
      throw new InputException("give a study file or --scenario (" + String.join(", ", StudyParser.SCENARIO_TYPES)
          + ")");
    }
    if (scenario.equals(TreatmentScenarios.RESPONSE_DB)) {
      throw new InputException("--scenario " + scenario + " needs a study file: its database, embedding and reward "
          + "(README \"GAMBITTS\")");
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("horizon", horizon == null ? Integer.parseInt(DEFAULT_HORIZON.replace(",", "")) : horizon);
    root.put("replications", replications == null ? Integer.parseInt(DEFAULT_REPLICATIONS) : replications);
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

  /**
   * Fills the lists of {@code run --help} in from the registries (policy, scenario and advisor types),
   * so that they cannot drift from the code, and wraps the lines that hold them at 80 columns.
   */
  public static final class Help implements CommandLine.IModelTransformer {

    static final String POLICY_TYPES = "@policy-types@";
    static final String ADVISED_TYPES = "@advised-types@";
    static final String ADVISOR_TYPES = "@advisor-types@";
    private static final int WIDTH = 80;

    @Override
    public CommandSpec transform(CommandSpec spec) {
      List<String> lines = new ArrayList<>();
      for (String line : spec.usageMessage().description()) {
        String filled = line
            .replace(POLICY_TYPES, String.join(", ", PolicyTypes.keys()))
            .replace(ADVISED_TYPES, and(PolicySpec.types().stream().filter(PolicyType::advised).map(PolicyType::key)
                .toList()))
            .replace(ADVISOR_TYPES, or(AdvisorSpec.TYPES.stream()
                .map(t -> "{type: " + t + ", " + ADVISOR_KEYS.getOrDefault(t, "...") + "}").toList()));
        lines.addAll(filled.equals(line) ? List.of(line) : wrap(filled));
      }
      spec.usageMessage().description(lines.toArray(String[]::new));
      return spec;
    }

    /** The keys of each advisor type (AdvisorSpec.TYPES), as the help shows them; a type missing here shows "...". */
    private static final java.util.Map<String, String> ADVISOR_KEYS = java.util.Map.of(
        "quality", "q",
        "suboptimal", "eta",
        "guideline", "arm (an index or best), shifts: {feature: ..}",
        "http", "base_url, model, ...");

    /** "a, b and c". */
    private static String and(List<String> items) {
      return join(items, " and ");
    }

    /** "a, b or c". */
    private static String or(List<String> items) {
      return join(items, " or ");
    }

    private static String join(List<String> items, String last) {
      return items.size() < 2 ? String.join("", items)
          : String.join(", ", items.subList(0, items.size() - 1)) + last + items.get(items.size() - 1);
    }

    /** Words onto lines of at most {@link #WIDTH}, continuation lines indented 2 more than the first. */
    static List<String> wrap(String text) {
      int lead = 0;
      while (lead < text.length() && text.charAt(lead) == ' ') {
        lead++;
      }
      String indent = " ".repeat(lead + (text.startsWith("  policies:") ? 2 : 0));
      List<String> out = new ArrayList<>();
      StringBuilder line = new StringBuilder(text.substring(0, lead));
      for (String word : text.substring(lead).split(" ")) {
        boolean fresh = line.toString().isBlank();
        if (!fresh && line.length() + 1 + word.length() > WIDTH) {
          out.add(line.toString());
          line = new StringBuilder(indent);
          fresh = true;
        }
        line.append(fresh ? "" : " ").append(word);
      }
      out.add(line.toString());
      return out;
    }

    /** The scenario types, for --scenario's help. */
    public static final class ScenarioTypes implements Iterable<String> {
      @Override
      public Iterator<String> iterator() {
        return StudyParser.SCENARIO_TYPES.iterator();
      }
    }

    /** The policy types, for --policies' help. */
    public static final class PolicyTypes implements Iterable<String> {
      static List<String> keys() {
        return PolicySpec.types().stream().map(PolicyType::key).toList();
      }

      @Override
      public Iterator<String> iterator() {
        return keys().iterator();
      }
    }
  }
}
