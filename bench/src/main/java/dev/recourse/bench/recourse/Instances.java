package dev.recourse.bench.recourse;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.recourse.Ball;
import dev.recourse.core.recourse.L1Ball;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.recourse.LInfBall;
import dev.recourse.core.recourse.MahalanobisBall;
import dev.recourse.core.rng.RandomStreams;
import java.util.random.RandomGenerator;

/** Shared set-up for the recourse benchmarks: balls by name, and a model warmed on random data. */
final class Instances {

  private Instances() {}

  static Ball ball(String norm, int dimM, double gamma, RandomGenerator rng) {
    return switch (norm) {
      case "l2" -> new L2Ball(dimM, gamma);
      case "l1" -> new L1Ball(dimM, gamma);
      case "linf" -> new LInfBall(dimM, gamma);
      case "wlinf" -> {
        double[] w = new double[dimM];
        for (int i = 0; i < dimM; i++) {
          w[i] = 0.5 + rng.nextDouble();
        }
        yield new LInfBall(dimM, gamma, w);
      }
      case "mahalanobis" -> {
        double[] s = new double[dimM * dimM];
        for (int i = 0; i < dimM; i++) {
          s[i * dimM + i] = 1.0 + rng.nextDouble();
          if (i > 0) {
            s[i * dimM + i - 1] = 0.3;
            s[(i - 1) * dimM + i] = 0.3;
          }
        }
        yield new MahalanobisBall(dimM, gamma, s);
      }
      default -> throw new IllegalArgumentException("unknown norm " + norm);
    };
  }

  /** The first {@code dimM} indices: mutable features, in order. */
  static int[] firstIndices(int dimM) {
    int[] m = new int[dimM];
    for (int i = 0; i < dimM; i++) {
      m[i] = i;
    }
    return m;
  }

  /** Feeds {@code updates} random observations per arm, so V⁻¹ and θ̂ are not in their prior state. */
  static void warm(RidgeArms arms, int updates, long seed) {
    RandomGenerator rng = RandomStreams.stream(seed, 99);
    double[] x = new double[arms.dim()];
    for (int a = 0; a < arms.numArms(); a++) {
      for (int s = 0; s < updates; s++) {
        RandomStreams.fillGaussian(rng, x, 0, x.length);
        arms.update(a, x, 0, rng.nextGaussian() + x[0]);
      }
    }
  }

  /** A ring of random contexts. */
  static double[][] contexts(int count, int dim, long seed) {
    RandomGenerator rng = RandomStreams.stream(seed, 98);
    double[][] xs = new double[count][dim];
    for (double[] x : xs) {
      RandomStreams.fillGaussian(rng, x, 0, dim);
    }
    return xs;
  }
}
