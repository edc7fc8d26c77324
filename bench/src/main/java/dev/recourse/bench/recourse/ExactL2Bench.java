package dev.recourse.bench.recourse;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.ExactL2Oro;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.recourse.OroProblem;
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
 * The exact ℓ2 solver (issue #16) against coordinate descent at {@code shape} = d/d_M, the ℓ2 ball
 * (γ = 1.5, ρ = 2) over the first d_M features of one arm warmed by 100 random updates:
 * <ul>
 *   <li>{@code exactPrepare}: the per-arm preparation (eigen-decomposition of G = ρ²B − ttᵀ, and of B
 *       in the small-radius regime), paid once per round for the arm that learnt;
 *   <li>{@code exactSolve}: one solve with the preparation cached (every other solve);
 *   <li>{@code cdSolve}: Algorithm 2 on the same problems.
 * </ul>
 * Every solve starts after {@code OroProblem.load} (u = V⁻¹x known, as in GLRB). A ring of 64 contexts
 * keeps the branch predictor honest.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ExactL2Bench {

  @Param({"4/2", "9/2", "12/3", "22/20", "100/50"})
  public String shape;

  private static final int RING = 64;

  private OroProblem[] problems;
  private OroProblem anonymous;
  private ExactL2Oro exact;
  private CoordinateDescentOro cd;
  private double[] delta;
  private int slot;

  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = shape.split("/");
    int dim = Integer.parseInt(parts[0]);
    int dimM = Integer.parseInt(parts[1]);
    RidgeArms arms = new RidgeArms(1, dim, 1.0);
    Instances.warm(arms, 100, 8);
    double[][] xs = Instances.contexts(RING, dim, 9);
    FeasibleSet set = new FeasibleSet(dim, Instances.firstIndices(dimM), new L2Ball(dimM, 1.5));
    problems = new OroProblem[RING];
    for (int i = 0; i < RING; i++) {
      FeasibleSet own = set.copy();
      own.prepare(xs[i]);
      problems[i] = new OroProblem(own, Kernels.get());
      problems[i].load(xs[i], arms.thetaHat(), 0, arms.vInv(), 0, 2.0, 0, arms.stateVersion(0));
    }
    // Without arm identity: the solver cannot cache, so prepare() always redoes the decomposition.
    anonymous = new OroProblem(problems[0].feasibleSet(), Kernels.get());
    anonymous.load(xs[0], arms.thetaHat(), 0, arms.vInv(), 0, 2.0);
    exact = new ExactL2Oro(dimM);
    cd = new CoordinateDescentOro(dimM);
    delta = new double[dimM];
    exact.solve(problems[0], delta); // prepares arm 0 once for exactSolve
  }

  @Benchmark
  public long exactPrepare() {
    exact.prepare(anonymous);
    return exact.preparations();
  }

  @Benchmark
  public double exactSolve() {
    slot = (slot + 1) & (RING - 1);
    return exact.solve(problems[slot], delta);
  }

  @Benchmark
  public double cdSolve() {
    slot = (slot + 1) & (RING - 1);
    return cd.solve(problems[slot], delta);
  }
}
