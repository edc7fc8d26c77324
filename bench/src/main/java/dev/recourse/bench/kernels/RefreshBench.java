package dev.recourse.bench.kernels;

import dev.recourse.core.linalg.LapackSpd;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.model.RidgeArms.RefreshMethod;
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.core.simd.Kernels;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
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
 * One arm's refresh, {@code RidgeArms.refresh(0)}: {@code V⁻¹} recomputed from the accumulated {@code V}
 * (our Cholesky + triangular inverse, or LAPACK dpotrf + dpotri through dev.ludovic.netlib) and
 * {@code θ̂ = V⁻¹b} by one gemv. A refresh reads {@code V} and {@code b} and overwrites {@code V⁻¹} and
 * {@code θ̂} with the same values every time, so repeated calls are a steady state. The model uses the
 * active kernels (Panama here) for the gemv, as in production.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class RefreshBench {

  @Param({"8", "20", "100"})
  public int dim;

  @Param({"CHOLESKY", "LAPACK"})
  public RefreshMethod method;

  public RidgeArms arms;

  @Setup(Level.Trial)
  public void setUp() {
    // refreshEvery = 0: no refresh during the warm-up updates; the benchmark calls it explicitly.
    arms = new RidgeArms(1, dim, 1.0, 0, method, Kernels.get());
    RandomGenerator rng = RandomStreams.stream(11L, dim);
    double[] x = new double[dim];
    for (int t = 0; t < 4 * dim + 64; t++) {
      RandomStreams.fillGaussian(rng, x, 0, dim);
      arms.update(0, x, 0, rng.nextGaussian());
    }
    if (method == RefreshMethod.LAPACK) {
      System.out.println("# LAPACK implementation: " + LapackSpd.implementation());
    }
  }

  @Benchmark
  public double[] refresh() {
    arms.refresh(0);
    return arms.vInv();
  }
}
