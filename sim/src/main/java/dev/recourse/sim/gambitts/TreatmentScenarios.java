package dev.recourse.sim.gambitts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.sim.config.ConfigNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the generator-mediated scenarios of a study file.
 *
 * <pre>
 * scenario:
 *   type: response-db
 *   db: responses.csv            # relative to the study file; or 'synthetic' (StyleModel, no file)
 *   prompt_column: prompt        # default prompt
 *   context_columns: [curr_loc, prev_steps]   # the cell; [] for none (default)
 *   embedding: [optimism, formality, severity] # the agent's working Z (required)
 *   reward: {intercept: 82.84, coefficients: {optimism: 0.352, formality: -0.499, severity: -0.158}}
 *   noise_sd: 0.71               # default 0
 *   prompts: [1, 2, 3, 4, 5]     # optional subset, in arm order; default all, sorted
 *   responses_per_cell: 200      # db: synthetic only (default 200)
 *   db_seed: 1                   # db: synthetic only (default 1)
 *
 * scenario:
 *   type: generator              # Gaussian treatments, no database
 *   prompts: 5
 *   embedding_dim: 10
 *   context_levels: []           # levels of each context column (default none: one cell)
 *   prompt_sd: 1                 # sd of the prompt means
 *   cell_sd: 0.1                 # sd of the cells' shifts
 *   treatment_sd: 0.5            # sd of Z around its mean
 *   intercept: 80
 *   coefficient_sd: 1            # β ~ N(0, coefficient_sd² / embedding_dim)
 *   noise_sd: 0.71
 *   world_seed: 1                # the prompt means and β
 * </pre>
 */
public final class TreatmentScenarios {

  public static final String RESPONSE_DB = "response-db";
  public static final String GENERATOR = "generator";
  public static final String SYNTHETIC_DB = "synthetic";

  private TreatmentScenarios() {}

  /** The scenario of type {@link #RESPONSE_DB} or {@link #GENERATOR} from its mapping. */
  public static TreatmentScenario parse(ConfigNode node, Path baseDir) {
    String type = node.requiredText("type");
    return type.equals(GENERATOR) ? generator(node) : responseDb(node, baseDir);
  }

  private static TreatmentScenario responseDb(ConfigNode node, Path baseDir) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", RESPONSE_DB);
    String db = node.requiredText("db");
    boolean synthetic = db.equals(SYNTHETIC_DB);
    List<String> embedding = List.of(node.texts("embedding"));
    if (embedding.isEmpty()) {
      throw node.error("embedding", "must name at least one column");
    }
    if (embedding.stream().distinct().count() != embedding.size()) {
      throw node.error("embedding", "names a column twice: " + embedding);
    }
    List<String> context = node.has("context_columns") ? List.of(node.texts("context_columns")) : List.of();
    String promptColumn = node.text("prompt_column", "prompt");
    double noiseSd = node.nonNegative("noise_sd", 0.0);
    List<String> prompts = prompts(node);
    RewardFunction reward = RewardFunction.parse(node.requiredObject("reward"), baseDir);
    ResponseDb.KeyErrors keys = node::error;
    ResponseDb responses;
    if (synthetic) {
      int perCell = node.integerAtLeast("responses_per_cell", 200, 1);
      long dbSeed = node.longInteger("db_seed", 1);
      if (!context.isEmpty() && !context.equals(List.of("curr_loc", "prev_steps"))) {
        throw node.error("context_columns", "the synthetic database has context columns [curr_loc, prev_steps]"
            + " (both, or [] to pool them), got " + context);
      }
      for (String c : concat(embedding, reward.inputs())) {
        if (!StyleModel.STYLES.contains(c)) {
          throw node.error(embedding.contains(c) ? "embedding" : "reward", "unknown style '" + c
              + "' (the synthetic database has " + StyleModel.STYLES + ")");
        }
      }
      if (!reward.contextInputs().isEmpty() && context.isEmpty()) {
        throw node.error("reward", "context terms need context_columns [curr_loc, prev_steps]");
      }
      StyleModel model = new StyleModel(dbSeed);
      List<Integer> ids = new ArrayList<>();
      if (prompts.isEmpty()) {
        for (int q = 1; q <= model.numPrompts(); q++) {
          ids.add(q);
        }
      } else {
        for (String q : prompts) {
          int id;
          try {
            id = Integer.parseInt(q);
          } catch (NumberFormatException e) {
            id = -1;
          }
          if (id < 1 || id > model.numPrompts()) {
            throw node.error("prompts", "unknown prompt '" + q + "': the synthetic database has prompts 1.."
                + model.numPrompts());
          }
          ids.add(id);
        }
      }
      responses = model.database(ids, embedding, reward, noiseSd, perCell, !context.isEmpty(), dbSeed);
      p = syntheticSource(perCell, dbSeed);
    } else {
      Path path = baseDir == null ? Path.of(db) : baseDir.resolve(db);
      if (!Files.isRegularFile(path)) {
        throw node.error("db", "no such file: " + path);
      }
      responses = ResponseDb.load(path, new ResponseDb.Layout(promptColumn, context, embedding, prompts, reward,
          noiseSd), keys);
      p.put("db", path.toString());
      p.put("prompt_column", promptColumn);
      p.put("responses", responses.responses());
    }
    node.finish();
    return responseDb(responses, p, context, reward, noiseSd);
  }

  /**
   * The response-db scenario over {@code responses}; {@code source} holds the keys that say where the
   * responses came from (type, db, …), the rest of its parameters are added here.
   */
  static TreatmentScenario responseDb(ResponseDb responses, Map<String, Object> source, List<String> context,
                                      RewardFunction reward, double noiseSd) {
    Map<String, Object> p = new LinkedHashMap<>(source);
    p.put("context_columns", context);
    p.put("embedding", responses.treatmentNames());
    p.put("reward", reward.parameters());
    p.put("noise_sd", noiseSd);
    p.put("prompts", responses.promptNames());
    return new TreatmentScenario(RESPONSE_DB, responses, p);
  }

  /** The source keys of the synthetic database. */
  static Map<String, Object> syntheticSource(int perCell, long dbSeed) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", RESPONSE_DB);
    p.put("db", SYNTHETIC_DB);
    p.put("responses_per_cell", perCell);
    p.put("db_seed", dbSeed);
    return p;
  }

  private static List<String> prompts(ConfigNode node) {
    if (!node.has("prompts")) {
      return List.of();
    }
    JsonNode raw = node.raw("prompts");
    if (!raw.isArray() || raw.isEmpty()) {
      throw node.error("prompts", "expected a non-empty list of prompt names or numbers");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      JsonNode e = raw.get(i);
      String label;
      if (e.isIntegralNumber()) {
        label = Long.toString(e.longValue());
      } else if (e.isTextual()) {
        label = e.textValue().strip();
      } else {
        throw node.error("prompts", "element " + i + ": expected a prompt name or an integer, got " + ConfigNode.kind(e));
      }
      if (out.contains(label)) {
        throw node.error("prompts", "names prompt '" + label + "' twice");
      }
      out.add(label);
    }
    return out;
  }

  private static TreatmentScenario generator(ConfigNode node) {
    int prompts = node.integerAtLeast("prompts", 5, 1);
    int dz = node.integerAtLeast("embedding_dim", 3, 1);
    int[] levels = node.has("context_levels") ? node.integers("context_levels") : new int[0];
    long cells = 1;
    for (int l : levels) {
      if (l < 1) {
        throw node.error("context_levels", "every column needs >= 1 level, got " + l);
      }
      cells *= l;
    }
    if (cells * prompts * dz > 50_000_000L) {
      throw node.error("context_levels", "cells x prompts x embedding_dim = " + cells * prompts * dz + " is too large");
    }
    double promptSd = node.nonNegative("prompt_sd", 1.0);
    double cellSd = node.nonNegative("cell_sd", 0.1);
    double treatmentSd = node.nonNegative("treatment_sd", 0.5);
    double intercept = node.finite("intercept", 80.0);
    double coefficientSd = node.nonNegative("coefficient_sd", 1.0);
    double noiseSd = node.nonNegative("noise_sd", 0.71);
    long worldSeed = node.longInteger("world_seed", 1);
    node.finish();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", GENERATOR);
    p.put("prompts", prompts);
    p.put("embedding_dim", dz);
    p.put("context_levels", levels);
    p.put("prompt_sd", promptSd);
    p.put("cell_sd", cellSd);
    p.put("treatment_sd", treatmentSd);
    p.put("intercept", intercept);
    p.put("coefficient_sd", coefficientSd);
    p.put("noise_sd", noiseSd);
    p.put("world_seed", worldSeed);
    return new TreatmentScenario(GENERATOR, new GaussianGenerator(prompts, dz, levels, promptSd, cellSd, treatmentSd,
        intercept, coefficientSd, noiseSd, worldSeed), p);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
