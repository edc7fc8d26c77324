package dev.recourse.bench.recourse;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.OroProblem;
import dev.recourse.core.recourse.OroSolver;
import dev.recourse.core.recourse.OroSolvers;
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.core.simd.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One ORO-Arm solve (after {@code OroProblem.load}, i.e. u = V⁻¹x already computed) per norm and
 * solver, d = 20 with {@code dimM} mutable features. {@code exact} is {@link OroSolvers}' exact solver:
 * exact-l1 for l1, exact-box (Gray code, 2^{d_M} vertices) for linf/wlinf, exact-l2 (certified) for l2
 * and mahalanobis, its per-arm preparation made once (before the issue-16 solver, exact rows for l2
 * and mahalanobis measured CD and were omitted from BENCHMARKS.md). A ring of 64 loaded problems
 * (different contexts) keeps the branch predictor honest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class OroSolveBench {

  @Param({"l2", "l1", "linf", "mahalanobis"})
  public String norm;

  @Param({"2", "5", "12"})
  public int dimM;

  @Param({"cd", "exact"})
  public String solver;

  private static final int DIM = 20;
  private static final int RING = 64;

  private OroProblem[] problems;
  private OroSolver oro;
  private double[] delta;
  private int slot;

  @Setup(Level.Trial)
  public void setUp() {
    java.util.random.RandomGenerator rng = RandomStreams.stream(7);
    RidgeArms arms = new RidgeArms(1, DIM, 1.0);
    Instances.warm(arms, 100, 8);
    double[][] xs = Instances.contexts(RING, DIM, 9);
    problems = new OroProblem[RING];
    FeasibleSet template = new FeasibleSet(DIM, Instances.firstIndices(dimM), Instances.ball(norm, dimM, 1.5, rng));
    for (int i = 0; i < RING; i++) {
      FeasibleSet set = template.copy();
      set.prepare(xs[i]);
      problems[i] = new OroProblem(set, Kernels.get());
      // One arm's state for the whole ring: exact-l2's per-arm preparation is made once (ExactL2Bench
      // measures it); this bench measures the solve.
      problems[i].load(xs[i], arms.thetaHat(), 0, arms.vInv(), 0, 2.0, 0, arms.stateVersion(0));
    }
    oro = OroSolvers.create(template, OroSolvers.Choice.parse(solver));
    delta = new double[dimM];
  }

  @Benchmark
  public double solve() {
    slot = (slot + 1) & (RING - 1);
    return oro.solve(problems[slot], delta);
  }
}
