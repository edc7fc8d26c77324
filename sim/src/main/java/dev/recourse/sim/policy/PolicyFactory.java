package dev.recourse.sim.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.AdvisorOnly;
import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.policy.LinUcb;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.NonComplianceOro;
import dev.recourse.core.recourse.OroSolver;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.env.Environment;
import java.util.random.RandomGenerator;

/**
 * Builds the policy of a {@link PolicySpec} for one replication's environment. Every model runs on
 * the given kernels (a study passes its deterministic ones); ORO-Arm is solved by coordinate descent
 * (Algorithm 2), the solver for the ℓ2 balls of the paper's scenarios.
 */
public final class PolicyFactory {

  private PolicyFactory() {}

  /** @param advisorRng the replication's ADVISOR stream (unused by policies without an advisor) */
  public static BuiltPolicy build(PolicySpec spec, Environment env, RandomGenerator advisorRng, DoubleKernels kernels) {
    int d = env.dim();
    int numArms = env.numArms();
    return switch (spec.kind()) {
      case NOOP -> new BuiltPolicy(new NoopPolicy(d, numArms), () -> 0L);
      case LINUCB -> {
        double alpha = ((RadiusSpec.Constant) spec.radius()).alpha();
        yield new BuiltPolicy(new LinUcb(ridge(numArms, d, spec.lambda(), kernels), alpha), () -> 0L);
      }
      case GLRB, GLRB_ROBUST, GLRB_NC -> new BuiltPolicy(glrb(spec, env, kernels), () -> 0L);
      case LIBRA -> {
        Libra libra = new Libra(glrb(spec, env, kernels), spec.advisor().build(env, advisorRng), spec.threshold());
        yield new BuiltPolicy(libra, libra::queries);
      }
      case LLM_ONLY -> {
        Advisor advisor = spec.advisor().build(env, advisorRng);
        AdvisorOnly only = new AdvisorOnly(advisor, env.newFeasibleSet(), numArms);
        yield new BuiltPolicy(only, only::queries);
      }
    };
  }

  private static Glrb glrb(PolicySpec spec, Environment env, DoubleKernels kernels) {
    FeasibleSet set = env.newFeasibleSet();
    ConfidenceRadius radius = spec.radius().build(env, spec.lambda());
    OroSolver solver = spec.kind() == PolicyKind.GLRB_NC
        ? new NonComplianceOro(set, spec.epsilon(), kernels) : new CoordinateDescentOro(set.mutableDim());
    return new Glrb(ridge(env.numArms(), env.dim(), spec.lambda(), kernels), set, radius, solver,
        spec.kind() == PolicyKind.GLRB_ROBUST);
  }

  private static RidgeArms ridge(int numArms, int d, double lambda, DoubleKernels kernels) {
    return new RidgeArms(numArms, d, lambda, RidgeArms.DEFAULT_REFRESH_EVERY, RidgeArms.RefreshMethod.CHOLESKY, kernels);
  }
}
