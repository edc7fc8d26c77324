package dev.recourse.sim.io;

import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.config.InputException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.sim.env.FertilityScenario;
import dev.recourse.sim.env.ComplianceSpec;
import dev.recourse.sim.env.HypertensionScenario;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.SyntheticScenario;
import dev.recourse.sim.gambitts.TreatmentLimits;
import dev.recourse.sim.gambitts.TreatmentScenarios;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.run.Study;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a study from a YAML or JSON file (JSON when the name ends in {@code .json}) and validates all
 * of it before any work starts: every problem is an {@link InputException} naming the file and the
 * key ({@code policies[1].type}), including unknown keys, a missing data file and malformed syntax, and
 * a GAMBITTS world's data beyond its agents' limits ({@link TreatmentLimits}, naming the data's line).
 *
 * <pre>
 * name: my-study            # output file prefix (default: the file name)
 * seed: 1                   # study seed (default 1)
 * horizon: 10000            # rounds T (required)
 * replications: 10          # (required)
 * checkpoints: 100          # number of evenly spaced checkpoints (default 100)
 * recourse_from: 0          # average the recommended recourse over rounds t > this (default 0)
 * scenario:
 *   type: synthetic         # synthetic | hypertension | fertility | response-db | generator
 *   dim: 20                 # ... the scenario's own keys (see the scenario classes)
 * policies:
 *   - type: glrb            # any of PolicySpec.types(): linucb, glrb, libra, llm-only, noop, ...
 *     label: GLRB           # default: the policy's display name
 *     radius: 3             # a constant, or {type: constant, alpha: 3}, or {type: lemma2, scale: 0.1, delta: 0.05}
 *     lambda: 1             # ridge λ (default 1)
 *   - type: libra
 *     threshold: 1          # Δ (default 1, the paper's)
 *     advisor: {type: quality, q: 0.8}   # or {type: guideline, arm: 1 (or best), shifts: {DietScore: 0.8}},
 *                                        # {type: suboptimal, eta: 1}, {type: http, base_url: ..., model: ...}
 *   - type: glrb-nc
 *     epsilon: 0.5          # the deviation size ORO-NC guards against (required)
 * </pre>
 * Relative paths in the file (the fertility {@code data}) are resolved against the file's directory.
 */
public final class StudyParser {

  /** The scenario types a study file can name, in the order help texts list them. */
  public static final List<String> SCENARIO_TYPES = List.of(SyntheticScenario.NAME, HypertensionScenario.NAME,
      FertilityScenario.NAME, TreatmentScenarios.RESPONSE_DB, TreatmentScenarios.GENERATOR);

  public static final int DEFAULT_CHECKPOINTS = 100;
  public static final long DEFAULT_SEED = 1;

  private StudyParser() {}

  /** Reads and validates {@code file}. */
  public static Study read(Path file) {
    JsonNode root = ConfigNode.readTree(file, "study file");
    String fallbackName = file.getFileName().toString().replaceFirst("\\.(ya?ml|json)$", "");
    Path base = file.toAbsolutePath().getParent();
    return parse(root, file.toString(), base, fallbackName);
  }

  /** Parses YAML (or JSON) text into a tree; syntax errors name the line and column. */
  public static JsonNode parseTree(String text, boolean json, String source) {
    return ConfigNode.parseTree(text, json, source);
  }

  /**
   * Builds the study from a tree (a file's, or one the CLI assembled from flags).
   *
   * @param source       how errors name the input
   * @param baseDir      where relative paths are resolved
   * @param fallbackName the study name when the tree has none
   */
  public static Study parse(JsonNode tree, String source, Path baseDir, String fallbackName) {
    ConfigNode root = ConfigNode.root(source, tree);
    String name = root.text("name", fallbackName);
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw root.error("name", "must be letters, digits, '.', '_' or '-' (it names output files), got '" + name + "'");
    }
    long seed = root.longInteger("seed", DEFAULT_SEED);
    if (!root.has("horizon")) {
      throw root.error("horizon", "missing (required): the number of rounds T");
    }
    int horizon = root.integer("horizon", 0);
    if (horizon < 1) {
      throw root.error("horizon", "must be >= 1, got " + horizon);
    }
    if (!root.has("replications")) {
      throw root.error("replications", "missing (required)");
    }
    int replications = root.integer("replications", 0);
    if (replications < 1) {
      throw root.error("replications", "must be >= 1, got " + replications);
    }
    int checkpointCount = root.integer("checkpoints", DEFAULT_CHECKPOINTS);
    if (checkpointCount < 1) {
      throw root.error("checkpoints", "must be >= 1, got " + checkpointCount);
    }
    int recourseFrom = root.integer("recourse_from", 0);
    if (recourseFrom < 0 || recourseFrom >= horizon) {
      throw root.error("recourse_from", "must be in [0, horizon) = [0, " + horizon + "), got " + recourseFrom);
    }
    Scenario scenario = scenario(root.requiredObject("scenario"), baseDir);
    List<PolicySpec> policies = policies(root, scenario);
    root.finish();
    Study study;
    try {
      study = new Study(name, scenario, policies, horizon, replications, seed,
          Study.evenCheckpoints(horizon, checkpointCount), recourseFrom);
    } catch (IllegalArgumentException e) {
      throw root.error(e.getMessage());
    }
    // Data a GAMBITTS agent would refuse part-way through the run is refused now, naming where it is.
    TreatmentLimits.check(study, source);
    return study;
  }

  private static Scenario scenario(ConfigNode node, Path baseDir) {
    String type = node.requiredText("type");
    Scenario scenario;
    try {
      scenario = switch (type) {
        case SyntheticScenario.NAME -> new SyntheticScenario(node.integer("dim", 20), node.integer("arms", 10),
            node.number("gamma", 3.0), node.number("noise_sd", 1.0));
        case HypertensionScenario.NAME -> hypertension(node);
        case FertilityScenario.NAME -> {
          String data = node.text("data", null);
          if (data == null) {
            throw node.error("data", "missing (required): the path of the UCI fertility_Diagnosis.txt");
          }
          Path path = baseDir == null ? Path.of(data) : baseDir.resolve(data);
          if (!Files.isRegularFile(path)) {
            throw node.error("data", "no such file: " + path);
          }
          try {
            yield new FertilityScenario(path, node.number("gamma", 1.0), node.number("noise_sd", 1.0),
                node.number("normal_mean", 5.0));
          } catch (InputException e) {
            throw node.error("data", e.getMessage());
          }
        }
        case TreatmentScenarios.RESPONSE_DB, TreatmentScenarios.GENERATOR -> TreatmentScenarios.parse(node, baseDir);
        default -> throw node.error("type", "unknown scenario '" + type
            + "' (known: " + String.join(", ", SCENARIO_TYPES) + ")");
      };
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
    node.finish();
    return scenario;
  }

  private static Scenario hypertension(ConfigNode node) {
    double female = HypertensionScenario.DEFAULT_FEMALE;
    double cvd = HypertensionScenario.DEFAULT_CVD_HISTORY;
    double race = HypertensionScenario.DEFAULT_RACE;
    ConfigNode prevalence = node.object("prevalence");
    if (prevalence != null) {
      female = prevalence.number("female", female);
      cvd = prevalence.number("cvd_history", cvd);
      race = prevalence.number("race", race);
      prevalence.finish();
    }
    return new HypertensionScenario(node.number("gamma", HypertensionScenario.DEFAULT_GAMMA),
        node.number("intercept", HypertensionScenario.DEFAULT_INTERCEPT),
        node.number("baseline", HypertensionScenario.DEFAULT_BASELINE),
        node.number("noise_sd", HypertensionScenario.DEFAULT_NOISE_SD),
        node.integer("cohort_size", HypertensionScenario.DEFAULT_COHORT_SIZE),
        node.bool("constant", true), female, cvd, race, compliance(node, new HypertensionScenario().mutableIndices().length));
  }

  /** {@code compliance: full}, or {random, bias: [..], spread, epsilon}, or {adversarial, epsilon}. */
  private static ComplianceSpec compliance(ConfigNode node, int mutableCount) {
    if (!node.has("compliance")) {
      return ComplianceSpec.FULL;
    }
    if (node.raw("compliance").isTextual()) {
      String t = node.requiredText("compliance");
      if (!t.equals("full")) {
        throw node.error("compliance", "expected 'full' or an object {type: random|adversarial, ...}, got '" + t + "'");
      }
      return ComplianceSpec.FULL;
    }
    ConfigNode c = node.requiredObject("compliance");
    String type = c.requiredText("type");
    ComplianceSpec spec;
    try {
      spec = switch (type) {
        case "full" -> ComplianceSpec.FULL;
        case "random" -> {
          double[] bias = c.numbers("bias");
          if (bias.length != mutableCount) {
            throw c.error("bias", "needs one value per mutable feature (" + mutableCount + "), got " + bias.length);
          }
          yield new ComplianceSpec(ComplianceSpec.Type.RANDOM, bias, c.number("spread", 0.0), c.number("epsilon", Double.NaN));
        }
        case "adversarial" -> new ComplianceSpec(ComplianceSpec.Type.ADVERSARIAL, new double[0], 0.0,
            c.number("epsilon", Double.NaN));
        default -> throw c.error("type", "unknown compliance '" + type + "' (full, random, adversarial)");
      };
    } catch (IllegalArgumentException e) {
      throw c.error(e.getMessage());
    }
    c.finish();
    return spec;
  }

  private static List<PolicySpec> policies(ConfigNode root, Scenario scenario) {
    List<ConfigNode> nodes = root.objects("policies");
    if (nodes.isEmpty()) {
      throw root.error("policies", "must name at least one policy");
    }
    List<PolicySpec> out = new ArrayList<>();
    Set<String> labels = new HashSet<>();
    for (ConfigNode node : nodes) {
      PolicySpec spec = PolicySpec.parse(node, scenario);
      if (!labels.add(spec.label())) {
        throw node.error("label", "'" + spec.label() + "' is already used by another policy: give each a distinct label");
      }
      out.add(spec);
    }
    return out;
  }
}
