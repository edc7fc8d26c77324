package dev.recourse.sim.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.core.gambitts.ContextCells;
import dev.recourse.core.gambitts.LinearRewardPrior;
import dev.recourse.core.gambitts.OfflineTreatments;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.ReplicationStreams;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys the GAMBITTS agents and their baselines share, read once here:
 * <pre>
 *   covariates: {curr_loc: one_hot, prev_steps: raw}   # ψ(x) of the reward model (default none)
 *   hedging: false            # prompt dummies in φ
 *   v2: 1                     # posterior scale v² (default 1, the repo's); or 'noise': the world's σ², an oracle
 *   prior: {intercept_mean: 77, intercept_precision: 0.01, slope_precision: 1}
 *   offline_samples: 500      # po/ens-po: M_off per (cell, prompt), or 'all'
 * </pre>
 */
final class GambittsSettings {

  /** {@link #v2} of a policy told the world's noise variance. */
  static final double V2_NOISE = Double.NaN;
  /** {@link #offlineSamples} meaning every stored response. */
  static final int ALL = 0;
  static final int DEFAULT_OFFLINE_SAMPLES = 500;

  private GambittsSettings() {}

  static TreatmentWorld requireWorld(ConfigNode node, String type, Scenario scenario) {
    return scenario.treatmentWorld().orElseThrow(() -> node.error("type", type + " acts on a generator-mediated world,"
        + " but scenario '" + scenario.name() + "' is not one (use type: response-db or generator)"));
  }

  static TreatmentWorld world(BuildContext context) {
    return context.env().treatments().orElseThrow(() -> new IllegalArgumentException(
        "a GAMBITTS agent needs a generator-mediated environment"));
  }

  /** {@code covariates}: column → one_hot | raw | none, each column of the world's context. */
  static Map<String, ContextCells.Covariate> covariates(ConfigNode node, TreatmentWorld world) {
    Map<String, ContextCells.Covariate> out = new LinkedHashMap<>();
    ConfigNode c = node.object("covariates");
    if (c == null) {
      return out;
    }
    for (String col : c.keys()) {
      if (!world.contextColumns().contains(col)) {
        throw c.error(col, "not a context column (context_columns: " + world.contextColumns() + ")");
      }
      String kind = c.requiredText(col);
      out.put(col, switch (kind) {
        case "one_hot" -> ContextCells.Covariate.ONE_HOT;
        case "raw" -> ContextCells.Covariate.RAW;
        case "none" -> ContextCells.Covariate.NONE;
        default -> throw c.error(col, "expected one_hot, raw or none, got '" + kind + "'");
      });
    }
    c.finish();
    return out;
  }

  static ContextCells cells(TreatmentWorld world, Map<String, ContextCells.Covariate> covariates) {
    List<ContextCells.Column> columns = new ArrayList<>();
    int[] levels = world.contextLevels();
    for (int j = 0; j < levels.length; j++) {
      String name = world.contextColumns().get(j);
      columns.add(ContextCells.Column.discrete(name, levels[j],
          covariates.getOrDefault(name, ContextCells.Covariate.NONE)));
    }
    return new ContextCells(columns);
  }

  /** {@code v2}: a number > 0, or {@code noise} ({@link #V2_NOISE}). */
  static double v2(ConfigNode node) {
    JsonNode raw = node.raw("v2");
    if (raw != null && raw.isTextual()) {
      String t = node.requiredText("v2");
      if (!t.equals("noise")) {
        throw node.error("v2", "expected a number > 0 or 'noise', got '" + t + "'");
      }
      return V2_NOISE;
    }
    return node.positive("v2", LinearRewardPrior.DEFAULT.v2());
  }

  /** {@code prior} of the linear reward model, with v² set later. */
  static LinearRewardPrior prior(ConfigNode node) {
    LinearRewardPrior d = LinearRewardPrior.DEFAULT;
    ConfigNode p = node.object("prior");
    if (p == null) {
      return d;
    }
    LinearRewardPrior prior = new LinearRewardPrior(p.finite("intercept_mean", d.interceptMean()),
        p.positive("intercept_precision", d.interceptPrecision()), p.positive("slope_precision", d.slopePrecision()),
        d.v2());
    p.finish();
    return prior;
  }

  /** The prior with v² resolved: the configured value, or the world's σ² for {@code v2: noise}. */
  static LinearRewardPrior resolve(LinearRewardPrior prior, double v2, TreatmentWorld world) {
    double v = Double.isNaN(v2) ? world.noiseSd() * world.noiseSd() : v2;
    if (!(v > 0)) {
      throw new IllegalArgumentException("v2: noise needs a world with noise_sd > 0, got " + world.noiseSd());
    }
    return prior.withV2(v);
  }

  /** {@code offline_samples}: an integer >= 1 or {@code all}. */
  static int offlineSamples(ConfigNode node) {
    JsonNode raw = node.raw("offline_samples");
    if (raw != null && raw.isTextual()) {
      String t = node.requiredText("offline_samples");
      if (!t.equals("all")) {
        throw node.error("offline_samples", "expected an integer >= 1 or 'all', got '" + t + "'");
      }
      return ALL;
    }
    return node.integerAtLeast("offline_samples", DEFAULT_OFFLINE_SAMPLES, 1);
  }

  /** The replication's offline pool (its own OFFLINE stream, so po and ens-po with one M_off see the same pool). */
  static OfflineTreatments offline(BuildContext context, TreatmentWorld world, int samples) {
    return world.offline(samples, context.stream(ReplicationStreams.Purpose.OFFLINE));
  }

  static void describeInto(Map<String, Object> p, boolean hedging, double v2, LinearRewardPrior prior,
                           Map<String, ContextCells.Covariate> covariates) {
    if (!covariates.isEmpty()) {
      Map<String, Object> c = new LinkedHashMap<>();
      covariates.forEach((k, v) -> c.put(k, v.name().toLowerCase(java.util.Locale.ROOT)));
      p.put("covariates", c);
    }
    p.put("hedging", hedging);
    p.put("v2", Double.isNaN(v2) ? "noise" : v2);
    if (!prior.equals(LinearRewardPrior.DEFAULT.withV2(prior.v2()))) {
      p.put("prior", Parameters.ordered("linear", "intercept_mean", prior.interceptMean(), "intercept_precision",
          prior.interceptPrecision(), "slope_precision", prior.slopePrecision()));
    }
  }

  /** Doubles of an offline pool of {@code samples} per (cell, prompt) on {@code scenario} (all: 1,000 assumed). */
  static double offlineDoubles(Scenario scenario, int samples) {
    TreatmentWorld w = scenario.treatmentWorld().orElseThrow();
    double cells = 1;
    for (int l : w.contextLevels()) {
      cells *= l;
    }
    return cells * scenario.numArms() * (samples == ALL ? 1000 : samples) * w.treatmentDim();
  }

  static Object samplesValue(int samples) {
    return samples == ALL ? "all" : samples;
  }
}
