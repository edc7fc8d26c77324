package dev.recourse.bench.gambitts;

import dev.recourse.core.simd.MlpKernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ensemble-MLP kernels one by one at the repo's ens-poGAMBITTS sizes (60 members → stride 64,
 * d_z = 3, H = 64, batch 100, 100 Monte Carlo draws): forward and backward over the batch for all
 * members, the fused training step, Adam (reset) over all parameters, and one prompt's hidden sums for
 * one member. Pick the
 * width with {@code -jvmArgsAppend -Drecourse.simd.bits=256}; {@code impl=scalar} is the twin.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class MlpKernelBench {

  @State(Scope.Thread)
  public static class S {
    @Param({"panama", "scalar"})
    public String impl;

    public MlpKernels k;
    public int d = 3;
    public int h = 64;
    public int n = 100;
    public int stride = MlpKernels.stride(60);
    public double[] theta;
    public double[] grad;
    public double[] z;
    public double[] out;
    public double[] g;
    public double[] member;
    public double[] draws;
    public double[] sums;
    public int[] rows;
    public double[] targets;
    public double[] loss;
    public double[] work;

    @Setup
    public void setUp() {
      k = impl.equals("scalar") ? MlpKernels.scalar() : MlpKernels.panama().orElseThrow();
      SplittableRandom r = new SplittableRandom(1);
      int np = MlpKernels.numParams(d, h);
      theta = new double[np * stride];
      for (int i = 0; i < theta.length; i++) {
        theta[i] = i % stride < 60 ? r.nextDouble(-0.5, 0.5) : 0.0;
      }
      grad = new double[theta.length];
      z = new double[n * d];
      for (int i = 0; i < z.length; i++) {
        z[i] = r.nextDouble(-1, 1);
      }
      out = new double[n * stride];
      g = new double[n * stride];
      for (int i = 0; i < g.length; i++) {
        g[i] = i % stride < 60 ? r.nextDouble(-1e-3, 1e-3) : 0.0;
      }
      member = new double[np];
      for (int i = 0; i < np; i++) {
        member[i] = r.nextDouble(-0.5, 0.5);
      }
      draws = z.clone();
      rows = new int[n];
      for (int i = 0; i < n; i++) {
        rows[i] = i * d;
      }
      targets = new double[n * stride];
      for (int i = 0; i < targets.length; i++) {
        targets[i] = i % stride < 60 ? r.nextDouble(-1, 1) : 0.0;
      }
      loss = new double[stride];
      work = new double[MlpKernels.workSize(h, n)];
      sums = new double[h];
    }
  }

  @Benchmark
  public double forward(S s) {
    s.k.forward(s.theta, s.d, s.h, s.stride, s.z, s.n, s.out);
    return s.out[7];
  }

  @Benchmark
  public double backward(S s) {
    s.k.backward(s.theta, s.d, s.h, s.stride, s.z, s.n, s.g, s.grad);
    return s.grad[7];
  }

  /** The training step's kernel: forward, residuals, backward (the vector twin keeps pre-activations). */
  @Benchmark
  public double lossGradient(S s) {
    s.k.lossGradient(s.theta, s.d, s.h, s.stride, s.z, s.n, s.targets, 0.02, s.out, s.loss, s.grad, s.work);
    return s.grad[7];
  }

  /** One prompt's decision work: one member's hidden sums over 100 draws. */
  @Benchmark
  public double hiddenSums(S s) {
    s.k.hiddenSums(s.member, s.d, s.h, s.draws, s.rows, 0, s.n, s.sums);
    return s.sums[7];
  }

  @Benchmark
  public double adamReset(S s) {
    // θ moves by ±lr each call; the benchmark only times the pass.
    s.k.adamReset(s.theta, s.grad, s.theta.length, 1e-12, 0.1, 0.001, 31.6, 1e-8);
    return s.theta[7];
  }

  /**
   * Thread-CPU time per call of each kernel (robust to a loaded machine): {@code impl} from the
   * arguments (default both), 1 s of CPU per kernel after a 1 s warm-up.
   */
  public static void main(String[] args) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    MlpKernelBench b = new MlpKernelBench();
    double sink = 0;
    for (String impl : args.length > 0 ? args : new String[] {"panama", "scalar"}) {
      S s = new S();
      s.impl = impl;
      s.setUp();
      for (String op : new String[] {"forward", "backward", "lossGradient", "hiddenSums", "adamReset"}) {
        for (int rep = 0; rep < 3; rep++) {
          long calls = 0;
          long c0 = threads.getCurrentThreadCpuTime();
          while (threads.getCurrentThreadCpuTime() - c0 < 1_000_000_000L) {
            for (int i = 0; i < 50; i++) {
              sink += switch (op) {
                case "forward" -> b.forward(s);
                case "backward" -> b.backward(s);
                case "lossGradient" -> b.lossGradient(s);
                case "hiddenSums" -> b.hiddenSums(s);
                default -> b.adamReset(s);
              };
            }
            calls += 50;
          }
          long cpu = threads.getCurrentThreadCpuTime() - c0;
          if (rep > 0) {
            System.out.printf("%s %-9s %s %10.0f ns cpu/call%n", impl, op, s.k.name(), (double) cpu / calls);
          }
        }
      }
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
