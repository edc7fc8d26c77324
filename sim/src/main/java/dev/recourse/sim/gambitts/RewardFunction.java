package dev.recourse.sim.gambitts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.sim.config.ConfigNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The true mean reward {@code f(Z*, context)} of a response (spec gambitts.md §7): linear in named
 * response columns with optional context terms, or a small ReLU network read from a JSON file. The
 * world uses it; no agent reads it.
 */
public sealed interface RewardFunction {

  /** The response columns it reads, in the order {@link #value} takes them. */
  List<String> inputs();

  /** The context columns it reads (linear context terms). */
  List<String> contextInputs();

  /**
   * {@code f} for a response with column values {@code inputs} (in {@link #inputs()} order) in a context
   * whose {@link #contextInputs()} columns have level labels {@code labels}.
   */
  double value(double[] inputs, String[] labels);

  /** Configuration as the study file spells it. */
  Map<String, Object> parameters();

  /**
   * {@code reward: {intercept: c, coefficients: {col: b, ...}, context: {col: slope | {level: effect, ...}}}}
   * or {@code reward: {mlp: FILE.json}} (relative to {@code baseDir}).
   */
  static RewardFunction parse(ConfigNode node, Path baseDir) {
    if (node.has("mlp")) {
      String file = node.requiredText("mlp");
      Path path = baseDir == null ? Path.of(file) : baseDir.resolve(file);
      node.finish();
      return Mlp.read(path, node);
    }
    double intercept = node.finite("intercept", 0.0);
    ConfigNode coefficients = node.requiredObject("coefficients");
    List<String> columns = coefficients.keys();
    if (columns.isEmpty()) {
      throw node.error("coefficients", "must name at least one response column");
    }
    double[] b = new double[columns.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = coefficients.finite(columns.get(i), Double.NaN);
    }
    coefficients.finish();
    Map<String, Double> slopes = new LinkedHashMap<>();
    Map<String, Map<String, Double>> effects = new LinkedHashMap<>();
    ConfigNode context = node.object("context");
    if (context != null) {
      for (String col : context.keys()) {
        JsonNode raw = context.raw(col);
        if (raw.isNumber()) {
          slopes.put(col, context.finite(col, Double.NaN));
        } else {
          ConfigNode levels = context.requiredObject(col);
          Map<String, Double> m = new LinkedHashMap<>();
          for (String level : levels.keys()) {
            m.put(level, levels.finite(level, Double.NaN));
          }
          levels.finish();
          effects.put(col, m);
        }
      }
      context.finish();
    }
    node.finish();
    return new Linear(intercept, List.copyOf(columns), b, slopes, effects);
  }

  /**
   * {@code c + Σ b_j z_j + Σ slope_k·value(context_k) + Σ effect_k(level_k)}; {@code contextInputs} is
   * derived once from the two context maps (slopes first, in their order).
   */
  record Linear(double intercept, List<String> inputs, double[] coefficients, Map<String, Double> contextSlopes,
                Map<String, Map<String, Double>> contextEffects, List<String> contextInputs) implements RewardFunction {

    public Linear(double intercept, List<String> inputs, double[] coefficients, Map<String, Double> contextSlopes,
                  Map<String, Map<String, Double>> contextEffects) {
      this(intercept, inputs, coefficients, contextSlopes, contextEffects, contextColumns(contextSlopes, contextEffects));
    }

    private static List<String> contextColumns(Map<String, Double> slopes, Map<String, Map<String, Double>> effects) {
      List<String> c = new ArrayList<>(slopes.keySet());
      for (String k : effects.keySet()) {
        if (!c.contains(k)) {
          c.add(k);
        }
      }
      return List.copyOf(c);
    }

    @Override
    public double value(double[] z, String[] labels) {
      double s = intercept;
      for (int i = 0; i < coefficients.length; i++) {
        s += coefficients[i] * z[i];
      }
      for (int k = 0; k < contextInputs.size(); k++) {
        String col = contextInputs.get(k);
        Double slope = contextSlopes.get(col);
        if (slope != null) {
          s += slope * Double.parseDouble(labels[k]); // numeric labels are checked when the DB is read
        }
        Map<String, Double> e = contextEffects.get(col);
        if (e != null) {
          s += e.getOrDefault(labels[k], 0.0);
        }
      }
      return s;
    }

    @Override
    public Map<String, Object> parameters() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("intercept", intercept);
      Map<String, Object> c = new LinkedHashMap<>();
      for (int i = 0; i < coefficients.length; i++) {
        c.put(inputs.get(i), coefficients[i]);
      }
      p.put("coefficients", c);
      if (!contextSlopes.isEmpty() || !contextEffects.isEmpty()) {
        Map<String, Object> ctx = new LinkedHashMap<>(contextSlopes);
        ctx.putAll(contextEffects);
        p.put("context", ctx);
      }
      return p;
    }
  }

  /**
   * {@code f(z) = b2 + Σ_h w2_h·relu(b1_h + Σ_j W1_hj z_j)}, read from JSON
   * {@code {"inputs": [...], "hidden_weights": [[...], ...], "hidden_bias": [...], "output_weights": [...],
   * "output_bias": b2}} (one row of {@code hidden_weights} per hidden unit).
   */
  record Mlp(Path file, List<String> inputs, double[] w1, double[] b1, double[] w2, double b2) implements RewardFunction {

    static Mlp read(Path path, ConfigNode at) {
      JsonNode tree = ConfigNode.readTree(path, "reward network file");
      ConfigNode n = ConfigNode.root(path.toString(), tree);
      List<String> inputs = List.of(n.texts("inputs"));
      double[] b1 = n.numbers("hidden_bias");
      double[] w2 = n.numbers("output_weights");
      double b2 = n.finite("output_bias", 0.0);
      JsonNode rows = n.raw("hidden_weights");
      if (rows == null || !rows.isArray() || rows.size() != b1.length) {
        throw n.error("hidden_weights", "expected " + b1.length + " rows (one per hidden_bias value)");
      }
      if (w2.length != b1.length) {
        throw n.error("output_weights", "expected " + b1.length + " values (one per hidden unit), got " + w2.length);
      }
      double[] w1 = new double[b1.length * inputs.size()];
      for (int h = 0; h < b1.length; h++) {
        JsonNode row = rows.get(h);
        if (!row.isArray() || row.size() != inputs.size()) {
          throw n.error("hidden_weights", "row " + h + ": expected " + inputs.size() + " numbers (one per input)");
        }
        for (int j = 0; j < inputs.size(); j++) {
          if (!row.get(j).isNumber() || !Double.isFinite(row.get(j).doubleValue())) {
            throw n.error("hidden_weights", "row " + h + ", element " + j + ": expected a finite number");
          }
          w1[h * inputs.size() + j] = row.get(j).doubleValue();
        }
      }
      n.finish();
      return new Mlp(path, inputs, w1, b1, w2, b2);
    }

    @Override
    public List<String> contextInputs() {
      return List.of();
    }

    @Override
    public double value(double[] z, String[] labels) {
      int in = inputs.size();
      double s = b2;
      for (int h = 0; h < b1.length; h++) {
        double a = b1[h];
        for (int j = 0; j < in; j++) {
          a += w1[h * in + j] * z[j];
        }
        s += w2[h] * Math.max(0.0, a);
      }
      return s;
    }

    @Override
    public Map<String, Object> parameters() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("mlp", file.toString());
      p.put("hidden", b1.length);
      return p;
    }
  }
}
