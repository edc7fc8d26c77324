package dev.recourse.sim.env;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;

/**
 * A recourse scenario of the LIBRA paper: its environments are {@link LinearEnvironment}s, which offer a
 * feasible set and know their true linear parameters (synthetic, hypertension, fertility).
 */
public interface LinearScenario extends Scenario {

  @Override
  default boolean offersRecourse() {
    return true;
  }

  @Override
  default boolean hasLinearTruth() {
    return true;
  }

  @Override
  LinearEnvironment create(long studySeed, int replication, DoubleKernels kernels);

  @Override
  default LinearEnvironment create(long studySeed, int replication) {
    return create(studySeed, replication, Kernels.get());
  }
}
