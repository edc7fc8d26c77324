package dev.recourse.bench.gambitts;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * This machine's peak double multiply-add rate, the denominator of the ens-poGAMBITTS FLOP floor
 * (BENCHMARKS.md, "GAMBITTS agents"): {@value #ACC} independent accumulator chains of
 * {@code acc = acc·x + y} ({@code DoubleVector.fma}, one {@code vfmadd} each), {@value #STEPS} steps per
 * call, at 256 and 512 bits. With more independent chains than FMA latency × pipes the loop is
 * throughput-bound; the score ({@code @OperationsPerInvocation}) is nanoseconds per vector FMA, so
 * multiply-adds per ns = {@code lanes / score}. {@code x} is just below 1 and {@code y} small so the values stay
 * finite and normal (no denormal slow path). Each benchmark returns the folded accumulators so nothing
 * is dead code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFmaBench {

  static final int ACC = 12;
  static final int STEPS = 1_000;
  static final VectorSpecies<Double> S256 = DoubleVector.SPECIES_256;
  static final VectorSpecies<Double> S512 = DoubleVector.SPECIES_512;

  @State(Scope.Thread)
  public static class In {
    public double x = 0.999_999;
    /** A field, not a constant: the JIT cannot fold the chains. */
    public double y = 1e-7;
  }

  /** {@value #ACC} × {@value #STEPS} 4-lane FMAs per call: 48,000 multiply-adds. */
  @Benchmark
  @OperationsPerInvocation(ACC * STEPS)
  public double fma256(In in) {
    DoubleVector x = DoubleVector.broadcast(S256, in.x);
    DoubleVector y = DoubleVector.broadcast(S256, in.y);
    DoubleVector a0 = DoubleVector.broadcast(S256, 1.0);
    DoubleVector a1 = a0.add(1.0);
    DoubleVector a2 = a0.add(2.0);
    DoubleVector a3 = a0.add(3.0);
    DoubleVector a4 = a0.add(4.0);
    DoubleVector a5 = a0.add(5.0);
    DoubleVector a6 = a0.add(6.0);
    DoubleVector a7 = a0.add(7.0);
    DoubleVector a8 = a0.add(8.0);
    DoubleVector a9 = a0.add(9.0);
    DoubleVector a10 = a0.add(10.0);
    DoubleVector a11 = a0.add(11.0);
    for (int s = 0; s < STEPS; s++) {
      a0 = a0.fma(x, y);
      a1 = a1.fma(x, y);
      a2 = a2.fma(x, y);
      a3 = a3.fma(x, y);
      a4 = a4.fma(x, y);
      a5 = a5.fma(x, y);
      a6 = a6.fma(x, y);
      a7 = a7.fma(x, y);
      a8 = a8.fma(x, y);
      a9 = a9.fma(x, y);
      a10 = a10.fma(x, y);
      a11 = a11.fma(x, y);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .lane(0);
  }

  /** {@value #ACC} × {@value #STEPS} 8-lane FMAs per call: 96,000 multiply-adds. */
  @Benchmark
  @OperationsPerInvocation(ACC * STEPS)
  public double fma512(In in) {
    DoubleVector x = DoubleVector.broadcast(S512, in.x);
    DoubleVector y = DoubleVector.broadcast(S512, in.y);
    DoubleVector a0 = DoubleVector.broadcast(S512, 1.0);
    DoubleVector a1 = a0.add(1.0);
    DoubleVector a2 = a0.add(2.0);
    DoubleVector a3 = a0.add(3.0);
    DoubleVector a4 = a0.add(4.0);
    DoubleVector a5 = a0.add(5.0);
    DoubleVector a6 = a0.add(6.0);
    DoubleVector a7 = a0.add(7.0);
    DoubleVector a8 = a0.add(8.0);
    DoubleVector a9 = a0.add(9.0);
    DoubleVector a10 = a0.add(10.0);
    DoubleVector a11 = a0.add(11.0);
    for (int s = 0; s < STEPS; s++) {
      a0 = a0.fma(x, y);
      a1 = a1.fma(x, y);
      a2 = a2.fma(x, y);
      a3 = a3.fma(x, y);
      a4 = a4.fma(x, y);
      a5 = a5.fma(x, y);
      a6 = a6.fma(x, y);
      a7 = a7.fma(x, y);
      a8 = a8.fma(x, y);
      a9 = a9.fma(x, y);
      a10 = a10.fma(x, y);
      a11 = a11.fma(x, y);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .lane(0);
  }

  /**
   * Thread-CPU-time cross-check of the same loops (robust to a loaded machine, where JMH's wall time
   * is stretched): 3 rounds of 2 s of CPU per width after a 2 s warm-up; prints multiply-adds per ns.
   *
   * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
   *   dev.recourse.bench.gambitts.PeakFmaBench</pre>
   */
  public static void main(String[] args) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    PeakFmaBench b = new PeakFmaBench();
    In in = new In();
    double sink = 0;
    for (int bits : new int[] {256, 512, 256, 512}) {
      int lanes = bits / 64;
      for (int rep = 0; rep < 4; rep++) {
        long calls = 0;
        long c0 = threads.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        while (threads.getCurrentThreadCpuTime() - c0 < 2_000_000_000L) {
          for (int i = 0; i < 1000; i++) {
            sink += bits == 256 ? b.fma256(in) : b.fma512(in);
          }
          calls += 1000;
        }
        long cpu = threads.getCurrentThreadCpuTime() - c0;
        long wall = System.nanoTime() - w0;
        if (rep > 0) {
          double ops = (double) calls * ACC * STEPS * lanes;
          System.out.printf("%d-bit: %.2f multiply-adds/ns CPU, %.2f /ns wall%n", bits, ops / cpu, ops / wall);
        }
      }
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
