package dev.recourse.sim.policy;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.config.ConfigNode;
import java.util.Map;

/**
 * The ridge model of a linear policy: {@code lambda} (λ > 0, default 1) and {@code refresh_every}
 * (recompute an arm's V⁻¹ from a Cholesky factorisation every N updates, 0 never; default
 * {@value RidgeArms#DEFAULT_REFRESH_EVERY}).
 */
public record RidgeSettings(double lambda, int refreshEvery) {

  public static final double DEFAULT_LAMBDA = 1.0;

  /** λ with the default refresh period. */
  public RidgeSettings(double lambda) {
    this(lambda, RidgeArms.DEFAULT_REFRESH_EVERY);
  }

  static RidgeSettings parse(ConfigNode node) {
    return new RidgeSettings(node.positive("lambda", DEFAULT_LAMBDA),
        node.integerAtLeast("refresh_every", RidgeArms.DEFAULT_REFRESH_EVERY, 0));
  }

  /** Doubles of a ridge model (V⁻¹ and V per arm) and its decision workspace on {@code scenario}. */
  static double stateDoubles(dev.recourse.sim.env.Scenario scenario) {
    double d = scenario.dim();
    double dimM = scenario.mutableIndices().length;
    return 2 * scenario.numArms() * d * d + 2 * d * d + dimM * dimM;
  }

  RidgeArms arms(int numArms, int dim, DoubleKernels kernels) {
    return new RidgeArms(numArms, dim, lambda, refreshEvery, RidgeArms.RefreshMethod.CHOLESKY, kernels);
  }

  /** Adds the keys to a policy's parameters; {@code refresh_every} only when it is not the default. */
  void describeInto(Map<String, Object> parameters) {
    parameters.put("lambda", lambda);
    if (refreshEvery != RidgeArms.DEFAULT_REFRESH_EVERY) {
      parameters.put("refresh_every", refreshEvery);
    }
  }
}
