package dev.recourse.sim.gambitts;

import dev.recourse.core.gambitts.EnsembleOptions;
import dev.recourse.core.gambitts.LinearRewardPrior;
import dev.recourse.core.gambitts.NigPrior;
import dev.recourse.sim.policy.EnsPoGambittsSpec;
import dev.recourse.sim.policy.FoGambittsSpec;
import dev.recourse.sim.policy.PoGambittsSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.StdTsSpec;
import dev.recourse.sim.run.Study;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GAMBITTS paper's simulation studies (spec gambitts.md §7) on the synthetic response database
 * ({@link StyleModel}; the authors' is unpublished) or the Gaussian generator: each experiment is a list
 * of studies, one per grid value. Defaults are the repo's: T = 1,000, 250 replications, seed 323,
 * M_off = 500, K = 5 prompts at evenly spaced quantiles of the prompt-mean reward, the lowest σ.
 * The ensemble (slow: 60 networks trained every round) runs only when asked for.
 */
public final class GambittsStudies {

  public static final long DEFAULT_SEED = 323;
  public static final int DEFAULT_HORIZON = 1000;
  public static final int DEFAULT_REPLICATIONS = 250;
  /** Responses per (prompt, cell) of the synthetic database: enough for M_off = 500 and "all". */
  public static final int RESPONSES_PER_CELL = 1000;
  public static final long DB_SEED = 1;
  public static final List<String> EXPERIMENTS = List.of("gambitts-arms", "gambitts-noise", "gambitts-misspecified",
      "gambitts-offline", "gambitts-dims");

  /** The 1-D reward (spec §7): the IHS fit on optimism alone. */
  static final RewardFunction ONE_D = linear(82.79, Map.of("optimism", -0.1396));
  /** The 3-D reward (spec §7). */
  static final RewardFunction THREE_D = linear(82.84, orderedMap("optimism", 0.352, "formality", -0.499,
      "severity", -0.158));
  static final List<String> THREE_D_EMBEDDING = List.of("optimism", "formality", "severity");
  /** σ grid of the 3-D environment (spec §7). */
  static final double[] NOISE_GRID = {0.71, 6.68, 12.64, 18.61, 24.57};
  /** σ of the 1-D environment: the total variance of Z there. */
  static final double ONE_D_NOISE = 0.376;
  static final int[] ARMS_GRID = {3, 5, 15, 40};
  static final int[] OFFLINE_GRID = {15, 50, 100, 500, 0};
  static final int[] DIMS_GRID = {3, 10, 20};
  static final List<String> MISSPECIFIED = List.of("optimism", "severity", "encouragement", "formality", "clarity");

  private final int horizon;
  private final int replications;
  private final long seed;
  private final boolean ensemble;
  private final StyleModel model = new StyleModel(DB_SEED);

  public GambittsStudies(int horizon, int replications, long seed, boolean ensemble) {
    this.horizon = horizon;
    this.replications = replications;
    this.seed = seed;
    this.ensemble = ensemble;
  }

  /** The studies of {@code experiment} (one of {@link #EXPERIMENTS}), with the grid value of each as its key. */
  public Map<String, Study> studies(String experiment) {
    Map<String, Study> out = new LinkedHashMap<>();
    switch (experiment) {
      case "gambitts-arms" -> {
        for (int k : ARMS_GRID) {
          out.put("K=" + k, study("gambitts-arms-k" + k, db(prompts(THREE_D, k), THREE_D_EMBEDDING, THREE_D,
              NOISE_GRID[0]), standard(NOISE_GRID[0], false)));
        }
      }
      case "gambitts-noise" -> {
        List<Integer> five = prompts(THREE_D, 5);
        for (double sigma : NOISE_GRID) {
          List<PolicySpec> p = standard(sigma, true);
          out.put("sigma=" + sigma, study("gambitts-noise-" + sigma, db(five, THREE_D_EMBEDDING, THREE_D, sigma), p));
        }
      }
      case "gambitts-misspecified" -> {
        List<Integer> five = prompts(ONE_D, 5);
        for (String z : MISSPECIFIED) {
          List<PolicySpec> p = new ArrayList<>();
          p.add(po("poGAMBITTS", 500, false, 1.0));
          p.add(fo("foGAMBITTS", false));
          p.add(po("poGAMBITTS hedging", 500, true, 1.0));
          p.add(fo("foGAMBITTS hedging", true));
          p.add(new StdTsSpec(false, "StdTS", NigPrior.DEFAULT));
          out.put("Z=" + z, study("gambitts-misspecified-" + z, db(five, List.of(z), ONE_D, ONE_D_NOISE), p));
        }
      }
      case "gambitts-offline" -> {
        List<Integer> five = prompts(THREE_D, 5);
        for (int m : OFFLINE_GRID) {
          String label = m == 0 ? "all" : Integer.toString(m);
          List<PolicySpec> p = new ArrayList<>();
          p.add(po("poGAMBITTS", m, false, 1.0));
          if (ensemble) {
            p.add(ens(m, NOISE_GRID[0]));
          }
          p.add(new StdTsSpec(false, "StdTS", NigPrior.DEFAULT));
          out.put("M_off=" + label, study("gambitts-offline-" + label, db(five, THREE_D_EMBEDDING, THREE_D, NOISE_GRID[0]),
              p));
        }
      }
      case "gambitts-dims" -> {
        for (int dz : DIMS_GRID) {
          GaussianGenerator g = new GaussianGenerator(5, dz, new int[0], 1.0, 0.0, 0.5, 80.0, 1.0, NOISE_GRID[0], DB_SEED);
          Map<String, Object> params = new LinkedHashMap<>();
          params.put("type", TreatmentScenarios.GENERATOR);
          params.put("prompts", 5);
          params.put("embedding_dim", dz);
          params.put("noise_sd", NOISE_GRID[0]);
          out.put("d_z=" + dz, study("gambitts-dims-" + dz, new TreatmentScenario(TreatmentScenarios.GENERATOR, g, params),
              standard(NOISE_GRID[0], false)));
        }
      }
      default -> throw new IllegalArgumentException("unknown experiment '" + experiment + "' (known: " + EXPERIMENTS + ")");
    }
    return out;
  }

  /** po, fo, (ens-po), StdTS; with {@code v2Noise} also poGAMBITTS told the noise variance. */
  private List<PolicySpec> standard(double sigma, boolean v2Noise) {
    List<PolicySpec> p = new ArrayList<>();
    p.add(po("poGAMBITTS", 500, false, 1.0));
    if (v2Noise) {
      p.add(po("poGAMBITTS v2=noise", 500, false, Double.NaN));
    }
    p.add(fo("foGAMBITTS", false));
    if (ensemble) {
      p.add(ens(500, sigma));
    }
    p.add(new StdTsSpec(false, "StdTS", NigPrior.DEFAULT));
    return p;
  }

  private static PolicySpec po(String label, int samples, boolean hedging, double v2) {
    return new PoGambittsSpec(label, samples, hedging, v2, LinearRewardPrior.DEFAULT, Map.of());
  }

  private static PolicySpec fo(String label, boolean hedging) {
    return new FoGambittsSpec(label, hedging, 1.0, LinearRewardPrior.DEFAULT, Map.of(), 1.0, Double.NaN, 1.0);
  }

  private static PolicySpec ens(int samples, double sigma) {
    return new EnsPoGambittsSpec("ens-poGAMBITTS", samples, EnsembleOptions.repo(sigma), sigma);
  }

  /** The 3-D or 1-D synthetic database over {@code prompts}, with its 12 cells. */
  private TreatmentScenario db(List<Integer> prompts, List<String> embedding, RewardFunction reward, double sigma) {
    ResponseDb responses = model.database(prompts, embedding, reward, sigma, RESPONSES_PER_CELL, true, DB_SEED);
    return TreatmentScenarios.responseDb(responses, TreatmentScenarios.syntheticSource(RESPONSES_PER_CELL, DB_SEED),
        List.of("curr_loc", "prev_steps"), reward, sigma);
  }

  /**
   * {@code k} of the 40 prompts at evenly spaced quantiles of their mean reward under {@code reward} (spec
   * §7), lowest first; estimated on a pooled database of 200 responses per prompt.
   */
  List<Integer> prompts(RewardFunction reward, int k) {
    List<Integer> all = new ArrayList<>();
    for (int p = 1; p <= model.numPrompts(); p++) {
      all.add(p);
    }
    ResponseDb pooled = model.database(all, reward.inputs(), reward, 0.0, 200, false, DB_SEED + 1);
    List<Integer> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingDouble(p -> pooled.slotMean(0, p - 1)));
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      int at = k == 1 ? sorted.size() - 1 : (int) Math.round(i * (sorted.size() - 1) / (double) (k - 1));
      chosen.add(sorted.get(at));
    }
    return chosen;
  }

  private Study study(String name, TreatmentScenario scenario, List<PolicySpec> policies) {
    return new Study(name, scenario, policies, horizon, replications, seed, Study.evenCheckpoints(horizon, 100), 0);
  }

  private static RewardFunction linear(double intercept, Map<String, Double> coefficients) {
    List<String> cols = new ArrayList<>(coefficients.keySet());
    double[] b = new double[cols.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = coefficients.get(cols.get(i));
    }
    return new RewardFunction.Linear(intercept, cols, b, Map.of(), Map.of());
  }

  private static Map<String, Double> orderedMap(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return m;
  }
}
