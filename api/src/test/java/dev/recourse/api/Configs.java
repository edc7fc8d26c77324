package dev.recourse.api;

import dev.recourse.core.advisor.Advisor;
import java.util.SplittableRandom;

/** Service configurations the tests share, one per embeddable policy type. */
final class Configs {

  static final String[] TYPES = {"linucb", "glrb", "glrb-robust", "glrb-nc", "libra"};

  /** The GAMBITTS agents and baselines, and LLM-only. */
  static final String[] SAMPLERS = {"po-gambitts", "fo-gambitts", "std-ts", "std-ts-contextual", "ens-po-gambitts",
      "llm-only"};

  /** Every embeddable type. */
  static final String[] ALL = java.util.stream.Stream.concat(java.util.Arrays.stream(TYPES),
      java.util.Arrays.stream(SAMPLERS)).toArray(String[]::new);

  /** d_z of the GAMBITTS configurations. */
  static final int TREATMENT_DIM = 3;

  static boolean gambitts(String type) {
    return type.contains("gambitts") || type.startsWith("std-ts");
  }

  /** Context levels of a GAMBITTS configuration of dimension {@code dim}: 3, then 2 per further column. */
  static int[] levels(int dim) {
    int[] l = new int[dim];
    java.util.Arrays.fill(l, 2);
    l[0] = 3;
    return l;
  }

  /** The {@code gambitts} section: two offline rows per (cell, prompt) for po-GAMBITTS, drawn from a fixed stream. */
  static String gambittsSection(String type, int dim, int maxArms) {
    int[] levels = levels(dim);
    StringBuilder b = new StringBuilder("gambitts:\n  levels: " + java.util.Arrays.toString(levels)
        + "\n  treatment_dim: " + TREATMENT_DIM + "\n  seed: 17\n");
    if (type.equals("po-gambitts") || type.equals("ens-po-gambitts")) {
      SplittableRandom rng = new SplittableRandom(99);
      int cells = 1;
      for (int l : levels) {
        cells *= l;
      }
      b.append("  offline: [");
      String sep = "";
      for (int c = 0; c < cells; c++) {
        for (int p = 0; p < maxArms; p++) {
          for (int rep = 0; rep < 2; rep++) {
            StringBuilder row = new StringBuilder();
            int rest = c;
            int[] lv = new int[dim];
            for (int j = dim - 1; j >= 0; j--) {
              lv[j] = rest % levels[j];
              rest /= levels[j];
            }
            for (int l : lv) {
              row.append(l).append(", ");
            }
            row.append(p);
            for (int i = 0; i < TREATMENT_DIM; i++) {
              row.append(", ").append(0.3 * p - 0.2 * i + 0.1 * c + 0.2 * rng.nextGaussian());
            }
            b.append(sep).append('[').append(row).append(']');
            sep = ", ";
          }
        }
      }
      b.append("]\n");
    }
    return b.toString();
  }

  private Configs() {}

  static String yaml(String type, int dim, int arms, int maxArms) {
    if (gambitts(type)) {
      String policy = switch (type) {
        case "po-gambitts" -> "{type: po-gambitts, offline_samples: all, v2: 0.5}";
        case "fo-gambitts" -> "{type: fo-gambitts, v2: 0.5}";
        case "ens-po-gambitts" -> "{type: ens-po-gambitts, offline_samples: all, members: 3, hidden: 4, buffer: 16, "
            + "warmup_rounds: 5, batch_size: 4, mc_draws: 3, perturbation_sd: 0.5}";
        default -> "{type: " + type + ", prior: {mean: 0, count: 1, shape: 1, scale: 1}}";
      };
      return "dim: " + dim + "\narms: " + arms + "\nmax_arms: " + maxArms + "\n" + gambittsSection(type, dim, maxArms)
          + "pending: {capacity: 4096, expiry_seconds: 3600}\npolicy: " + policy + "\n";
    }
    String policy = switch (type) {
      case "linucb" -> "{type: linucb, radius: 0.7, lambda: 1.0}";
      case "glrb", "glrb-robust" -> "{type: " + type + ", radius: 0.6, lambda: 1.0}";
      case "glrb-nc" -> "{type: glrb-nc, radius: 0.6, lambda: 1.0, epsilon: 0.1}";
      case "libra" -> "{type: libra, radius: 0.6, lambda: 1.0, threshold: 0.8, advisor: {type: embedded}}";
      case "llm-only" -> "{type: llm-only, advisor: {type: embedded}}";
      default -> throw new IllegalArgumentException(type);
    };
    String feasible = type.equals("linucb") ? "" : "feasible: {mutable: [" + (dim - 2) + ", " + (dim - 1)
        + "], ball: l2, radius: 1.0}\n";
    return "dim: " + dim + "\narms: " + arms + "\nmax_arms: " + maxArms + "\n" + feasible
        + "pending: {capacity: 4096, expiry_seconds: 3600}\npolicy: " + policy + "\n";
  }

  static ServiceConfig config(String type, int dim, int arms, int maxArms) {
    return ServiceConfig.parse(yaml(type, dim, arms, maxArms));
  }

  static PolicyService service(String type, int dim, int arms, int maxArms) {
    PolicyService.Builder b = PolicyService.builder(config(type, dim, arms, maxArms));
    if (type.equals("libra") || type.equals("llm-only")) {
      b.advisor(new HashAdvisor());
    }
    return b.build();
  }

  /**
   * A deterministic, stateless, thread-safe advisor: its answer is a function of the context alone, so
   * that replicas, restored services and reference replays all hear the same advice.
   */
  static final class HashAdvisor implements Advisor {
    @Override
    public boolean advise(double[] x, int[] arm, double[] context) {
      long h = Double.doubleToLongBits(x[0]) * 0x9E3779B97F4A7C15L;
      if ((h >>> 60) == 0) {
        return false; // fails now and then
      }
      arm[0] = (int) ((h >>> 33) % 2);
      System.arraycopy(x, 0, context, 0, x.length);
      context[x.length - 1] += 0.25;
      return true;
    }

    @Override
    public String describe() {
      return "hash";
    }
  }

  static double[] context(SplittableRandom rng, int dim) {
    double[] x = new double[dim];
    for (int i = 0; i < dim; i++) {
      x[i] = rng.nextDouble(-1, 1);
    }
    return x;
  }

  /** A context for {@code config}: level indices for a GAMBITTS agent, else as {@link #context(SplittableRandom, int)}. */
  static double[] context(SplittableRandom rng, ServiceConfig config) {
    if (!config.gambitts()) {
      return context(rng, config.dim());
    }
    int[] levels = levels(config.dim());
    double[] x = new double[config.dim()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextInt(levels[i]);
    }
    return x;
  }

  /** An observed embedding Z for a GAMBITTS agent's outcome (null for the others). */
  static double[] treatment(SplittableRandom rng, ServiceConfig config, int arm) {
    if (!config.gambitts()) {
      return null;
    }
    double[] z = new double[config.treatmentDim()];
    for (int i = 0; i < z.length; i++) {
      z[i] = 0.3 * arm - 0.2 * i + 0.3 * rng.nextGaussian();
    }
    return z;
  }

  /** A linear reward with noise, in [0, 1] after clipping for the logistic link. */
  static double reward(SplittableRandom rng, int arm, double[] x) {
    double r = 0.3 * arm;
    for (int i = 0; i < x.length; i++) {
      r += ((i + arm) % 3 - 1) * 0.5 * x[i];
    }
    return r + 0.1 * rng.nextGaussian();
  }
}
