package dev.recourse.api;

import dev.recourse.core.advisor.Advisor;
import java.util.SplittableRandom;

/** Service configurations the tests share, one per embeddable policy type. */
final class Configs {

  static final String[] TYPES = {"linucb", "glrb", "glrb-robust", "glrb-nc", "libra"};

  private Configs() {}

  static String yaml(String type, int dim, int arms, int maxArms) {
    String policy = switch (type) {
      case "linucb" -> "{type: linucb, radius: 0.7, lambda: 1.0}";
      case "glrb", "glrb-robust" -> "{type: " + type + ", radius: 0.6, lambda: 1.0}";
      case "glrb-nc" -> "{type: glrb-nc, radius: 0.6, lambda: 1.0, epsilon: 0.1}";
      case "libra" -> "{type: libra, radius: 0.6, lambda: 1.0, threshold: 0.8, advisor: {type: embedded}}";
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
    if (type.equals("libra")) {
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

  /** A linear reward with noise, in [0, 1] after clipping for the logistic link. */
  static double reward(SplittableRandom rng, int arm, double[] x) {
    double r = 0.3 * arm;
    for (int i = 0; i < x.length; i++) {
      r += ((i + arm) % 3 - 1) * 0.5 * x[i];
    }
    return r + 0.1 * rng.nextGaussian();
  }
}
