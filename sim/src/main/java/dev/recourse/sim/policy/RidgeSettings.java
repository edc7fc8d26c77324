package dev.recourse.sim.policy;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.config.ConfigNode;

/** The ridge model every linear policy of a study shares: λ from the file, refresh by Cholesky. */
final class RidgeSettings {

  static final double DEFAULT_LAMBDA = 1.0;

  private RidgeSettings() {}

  /** {@code lambda}: ridge λ, finite and > 0 (default 1). */
  static double lambda(ConfigNode node) {
    return node.positive("lambda", DEFAULT_LAMBDA);
  }

  static RidgeArms arms(int numArms, int dim, double lambda, DoubleKernels kernels) {
    return new RidgeArms(numArms, dim, lambda, RidgeArms.DEFAULT_REFRESH_EVERY, RidgeArms.RefreshMethod.CHOLESKY,
        kernels);
  }
}
