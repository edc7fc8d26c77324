package dev.recourse.sim.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.LinUcb;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.KernelProvider;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.AtomicFileWriter;
import dev.recourse.sim.io.ReplayCsv;
import dev.recourse.sim.policy.BuildContext;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.PolicyType;
import dev.recourse.sim.run.LoggedStream;
import dev.recourse.sim.run.Replay;
import dev.recourse.sim.run.ReplayData;
import dev.recourse.sim.run.ReplayResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recourse replay}: any policy (LinUCB by default) on a logged full-information stream. Both input files are parsed and
 * validated completely before the policy runs, and the rounds file appears only once complete, so bad
 * input or a failed run never leaves a partial {@code --out}.
 */
@Command(
    name = "replay",
    sortOptions = false,
    description = {
        "Replays a policy (LinUCB by default) on a logged stream.",
        "For each stream row: decide on x, receive r{arm}, update with (arm, x, r{arm}).",
        "Stream CSV header: x0..x{d-1},r0..r{K-1} (every arm's reward per row).",
        "Warm-up CSV header: arm,reward,x0..x{d-1} (one observation per row).",
        "Writes t,arm,reward per round to --out and prints a summary",
        "(rounds/s times decide+update only)."
    })
public final class ReplayCommand implements Callable<Integer> {

  private static final JsonFactory JSON = new JsonFactory();

  @Spec
  private CommandSpec spec;

  @Option(names = "--warmup", paramLabel = "FILE",
      description = "Warm-up observations (arm,reward,x0..), applied in order; without it, start from the prior.")
  private Path warmup;

  @Option(names = "--stream", paramLabel = "FILE", required = true,
      description = "The stream to replay (x0..,r0..).")
  private Path stream;

  @Option(names = "--out", paramLabel = "FILE", required = true,
      description = "Where to write t,arm,reward per round (replaced atomically).")
  private Path out;

  @Option(names = "--policy", paramLabel = "TYPE|FILE", defaultValue = "linucb",
      description = "A policy type (linucb, glrb, glrb-robust, glrb-nc, noop) or a YAML/JSON file holding one policy "
          + "mapping with the keys of a study file's policies entries; libra and llm-only need such a file, with an "
          + "http advisor (a log has no true parameters for a simulated one) (default: ${DEFAULT-VALUE}).")
  private String policyName;

  @Option(names = "--mutable", paramLabel = "I,J", split = ",",
      description = "Required by a policy that recommends recourse (glrb, glrb-robust, glrb-nc, libra, llm-only), "
          + "rejected with any other: indices of the features it may change (an l2 ball of radius --gamma).")
  private int[] mutable;

  @Option(names = "--gamma", paramLabel = "G", defaultValue = "1",
      description = "Recourse policies: radius of the l2 ball of feasible changes (default: ${DEFAULT-VALUE}).")
  private double gamma;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "Seed of the policy's own random draws, if it makes any (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--alpha", paramLabel = "A", defaultValue = "1",
      description = "Confidence radius (LinUCB's exploration weight α) >= 0 for a policy given by type "
          + "(default: ${DEFAULT-VALUE}).")
  private double alpha;

  @Option(names = "--lambda", paramLabel = "L", defaultValue = "1",
      description = "Ridge regularisation λ > 0 (default: ${DEFAULT-VALUE}).")
  private double lambda;

  @Option(names = "--refresh-every", paramLabel = "N", defaultValue = "" + RidgeArms.DEFAULT_REFRESH_EVERY,
      description = "Recompute an arm's V⁻¹ from a Cholesky factorisation every N updates; 0 never "
          + "(default: ${DEFAULT-VALUE}).")
  private int refreshEvery;

  @Option(names = "--json", description = "Print the summary as one JSON line.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    checkOptions();
    AtomicFileWriter.checkTarget(out);
    ConfigNode policyConfig = policyNode();
    checkRecourseOptions(policyConfig);
    ReplayData data = ReplayCsv.load(warmup, stream);
    LoggedStream scenario;
    try {
      scenario = mutable == null ? new LoggedStream(data) : new LoggedStream(data, mutable, gamma);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--mutable/--gamma: " + e.getMessage());
    }
    PolicySpec policySpec = PolicySpec.parse(policyConfig, scenario);
    String name = LoggedStream.NAME;
    DoubleKernels kernels = kernelsFor(policyConfig, data);
    Policy policy = policySpec.build(new BuildContext(scenario.create(seed, 0, kernels), seed, name, 0,
        kernels)).policy();
    ReplayResult result = Replay.run(scenario, data, policy);
    ReplayCsv.writeRounds(out, result);
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      stdout.println(jsonSummary(data, result, policy, kernels.name()));
    } else {
      printSummary(stdout, data, result, policy, kernels.name());
    }
    return 0;
  }

  /**
   * Work (rounds × K × d²) up to which a LinUCB replay runs on the Panama kernels' scalar twin: until C2
   * has compiled the vector kernels they run boxed (a 20,000-round replay at 20×10: loop 0.45 s against
   * 0.10 s in scalar code), and the break-even lies near 3·10⁵ rounds at 20×10 (BENCHMARKS.md).
   */
  static final double TWIN_MAX_WORK = 1e9;

  /**
   * The kernels of this replay: the active ones, except for LinUCB from d = {@value
   * LinUcb#PACKED_SCORING_MIN_DIM} on with the kernels left to their default choice and at most {@link
   * #TWIN_MAX_WORK} of work, which runs on the active kernels' scalar twin in their own order
   * ({@link DoubleKernels#laneOrderTwin}): the same bits, so the same output, from the first round at the
   * speed of compiled scalar code.
   */
  static DoubleKernels kernelsFor(ConfigNode policy, ReplayData data) {
    DoubleKernels active = Kernels.get();
    JsonNode type = policy.raw("type");
    boolean linUcb = type != null && type.isTextual() && type.textValue().equals("linucb");
    boolean defaultChoice = System.getProperty(KernelProvider.MODE_PROPERTY, "auto").trim().equalsIgnoreCase("auto");
    double work = (double) data.rounds() * data.numArms() * data.dim() * data.dim();
    if (!linUcb || !defaultChoice || data.dim() < LinUcb.PACKED_SCORING_MIN_DIM || work > TWIN_MAX_WORK) {
      return active;
    }
    return active.laneOrderTwin().orElse(active);
  }

  /** The policy mapping: a file's, or {type, radius: --alpha, lambda, refresh_every} for a type name. */
  private ConfigNode policyNode() {
    Path file = Path.of(policyName);
    String lower = policyName.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
      JsonNode tree = ConfigNode.readTree(file, "policy file");
      if (!tree.isObject()) {
        throw new InputException(file + ": expected one policy mapping {type: ..., ...}, got " + ConfigNode.kind(tree));
      }
      return ConfigNode.root(file.toString(), tree);
    }
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", policyName);
    try {
      PolicySpec.type(policyName);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--policy: " + e.getMessage()
          + ", or a .yaml/.json policy file");
    }
    if (!policyName.equals("noop") && !policyName.equals("llm-only")) {
      node.put("radius", alpha);
      node.put("lambda", lambda);
      node.put("refresh_every", refreshEvery);
    }
    return ConfigNode.root("--policy", node);
  }

  /**
   * A log has no feasible set of its own: a policy that recommends recourse needs {@code --mutable}
   * (and {@code --gamma}), and any other policy would silently ignore them, so they are rejected.
   * A type that is missing or unknown is left to the policy's parser to report.
   */
  private void checkRecourseOptions(ConfigNode policy) {
    JsonNode typeNode = policy.raw("type");
    if (typeNode == null || !typeNode.isTextual()) {
      return;
    }
    PolicyType type;
    try {
      type = PolicySpec.type(typeNode.textValue());
    } catch (IllegalArgumentException e) {
      return;
    }
    if (type.recourse() && mutable == null) {
      throw new ParameterException(spec.commandLine(), "policy '" + type.key() + "' recommends recourse, and a logged "
          + "stream has no feasible set of its own: pass --mutable I,J, the indices of the features it may change "
          + "(and --gamma G, the radius of their l2 ball; default 1)");
    }
    boolean gammaGiven = spec.commandLine().getParseResult().hasMatchedOption("--gamma");
    if (!type.recourse() && (mutable != null || gammaGiven)) {
      List<String> recourse = PolicySpec.types().stream().filter(PolicyType::recourse).map(PolicyType::key).toList();
      throw new ParameterException(spec.commandLine(), (mutable != null ? "--mutable" : "--gamma")
          + " applies to policies that recommend recourse (" + String.join(", ", recourse) + "); policy '"
          + type.key() + "' recommends none");
    }
  }

  private void checkOptions() {
    if (!(alpha >= 0) || !Double.isFinite(alpha)) {
      throw new ParameterException(spec.commandLine(), "--alpha must be finite and >= 0, got " + alpha);
    }
    if (!(lambda > 0) || !Double.isFinite(lambda)) {
      throw new ParameterException(spec.commandLine(), "--lambda must be finite and > 0, got " + lambda);
    }
    if (refreshEvery < 0) {
      throw new ParameterException(spec.commandLine(),
          "--refresh-every must be >= 0 (0 disables refreshes), got " + refreshEvery);
    }
  }

  private static void printSummary(PrintWriter stdout, ReplayData data, ReplayResult result, Policy policy,
                                   String kernels) {
    stdout.println("rounds: " + result.rounds());
    stdout.println("cum_reward: " + result.cumReward());
    stdout.println("seconds: " + result.loopSeconds());
    stdout.println("rounds_per_s: " + Math.round(result.roundsPerSecond()));
    stdout.println("dim: " + data.dim());
    stdout.println("arms: " + data.numArms());
    stdout.println("warmup_rows: " + data.warmupRows());
    stdout.println("kernels: " + kernels);
    stdout.println("policy: " + policy.describe());
  }

  static String jsonSummary(ReplayData data, ReplayResult result, Policy policy, String kernels) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      g.writeNumberField("rounds", result.rounds());
      g.writeNumberField("cum_reward", result.cumReward());
      g.writeNumberField("seconds", result.loopSeconds());
      g.writeNumberField("rounds_per_s", result.roundsPerSecond());
      g.writeStringField("kernels", kernels);
      g.writeStringField("policy", policy.describe());
      g.writeNumberField("dim", data.dim());
      g.writeNumberField("arms", data.numArms());
      g.writeNumberField("warmup_rows", data.warmupRows());
      g.writeEndObject();
    }
    return text.toString();
  }
}
