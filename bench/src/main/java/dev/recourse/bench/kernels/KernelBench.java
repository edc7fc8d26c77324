package dev.recourse.bench.kernels;

import dev.recourse.bench.decision.DecisionState;
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.core.simd.DoubleKernels;
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
 * The four hot kernels, Panama vs scalar, across lengths: the data for the SIMD cut-over
 * {@code -Drecourse.simd.minLength}. The forks run with {@code -Drecourse.simd.minLength=1} so the Panama
 * kernels take their vector path wherever they can. Note that {@code PanamaKernels} clamps the cut-over
 * to at least one full vector ({@code max(minLength, lanes)}), so below the lane count (8 doubles with
 * 512-bit vectors) "panama" is the scalar path behind one extra branch.
 *
 * <p>{@link #symRankOneDowndate} mutates its matrix; {@code A ← A − c·u·uᵀ} with a tiny fixed {@code c}
 * moves the entries by {@code ~1e-12} per call, so they stay O(1), never denormal or infinite, and the
 * cost per call is constant: a steady state, no reset needed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g",
    "-Drecourse.simd.minLength=1"})
@State(Scope.Thread)
public class KernelBench {

  @Param({"panama", "scalar"})
  public String impl;

  @Param({"2", "4", "8", "12", "16", "20", "32", "64", "100"})
  public int n;

  public DoubleKernels kernels;
  /** n×n, row-major, symmetric positive definite-ish (only the shape matters for timing). */
  public double[] a;
  public double[] x;
  public double[] y;
  public double[] u;
  public double c;

  @Setup(Level.Trial)
  public void setUp() {
    kernels = DecisionState.kernelsByName(impl);
    RandomGenerator rng = RandomStreams.stream(7L, n);
    a = new double[n * n];
    x = new double[n];
    y = new double[n];
    u = new double[n];
    RandomStreams.fillGaussian(rng, a, 0, a.length);
    RandomStreams.fillGaussian(rng, x, 0, n);
    RandomStreams.fillGaussian(rng, y, 0, n);
    RandomStreams.fillGaussian(rng, u, 0, n);
    c = 1e-12;
    System.out.println("# kernels: " + kernels.name());
  }

  @Benchmark
  public double dot() {
    return kernels.dot(x, 0, y, 0, n);
  }

  @Benchmark
  public double quadForm() {
    return kernels.quadForm(a, 0, n, x, 0);
  }

  @Benchmark
  public double[] gemv() {
    kernels.gemv(a, 0, n, n, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public double[] symRankOneDowndate() {
    kernels.symRankOneDowndate(a, 0, n, c, u, 0);
    return a;
  }
}
