package dev.recourse.bench.decision;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's own floor (issue #17, part 1): peak double-precision multiply-add throughput and read
 * (and read-modify-write) bandwidth at each level of the memory hierarchy, with nothing of LinUCB in it.
 * BENCHMARKS.md ("Machine floor") turns these rates into the arithmetic and bandwidth floor of a LinUCB
 * decide, update and round.
 *
 * <p>All scores are throughputs in operations per nanosecond, so they read directly as rates:
 * <ul>
 *   <li>{@code fma*}: one operation = one double multiply-add ({@code c = c·a + b}, one lane of one FMA
 *       instruction); the score is G MAC/s (×2 for GFLOP/s). {@value #CHAINS} independent accumulator
 *       chains hide the FMA latency (Zen 4: 4 cycles, 2 FMA pipes, so 8 chains in flight saturate it);
 *       {@code a} and {@code b} are loaded from the state so nothing folds; {@code a < 1} keeps the
 *       chains bounded and away from subnormals.</li>
 *   <li>{@code read*}: one operation = one byte read; the score is GB/s. The array ({@code kb} KiB) is
 *       summed with {@value #ACCS} vector accumulators, {@value #BYTES} bytes per call whatever the
 *       size: whole passes over a small array, successive {@value #CHUNK_BYTES}-byte slices of a large
 *       one (wrapping around), so that a call stays short and C2 compiles the method normally.</li>
 *   <li>{@code rmw*}: one operation = one byte moved, read or written: {@code a[i] = a[i] + c·u} over
 *       the array (8 bytes read + 8 written per element), the access pattern of the rank-one updates
 *       {@code V⁻¹ −= wwᵀ/s} and {@code V += xxᵀ}; the score is GB/s of read+write traffic.</li>
 * </ul>
 * Sizes: 16 KiB lives in L1 (32 KiB per core here), 512 KiB in L2 (1 MiB per core), 8 MiB in L3
 * (32 MiB, shared), 128 MiB in memory. The species are fixed constants (256 and 512 bits), not the
 * preferred one, so that both widths are measured on any AVX-512 machine. Each width has its own
 * written-out method with a {@code static final} species: a helper taking the species as an argument
 * was left out of line by C2, which then boxed every vector (0.02 MAC/ns instead of several).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 300, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class MachineFloorBench {

  static final VectorSpecies<Double> S256 = DoubleVector.SPECIES_256;
  static final VectorSpecies<Double> S512 = DoubleVector.SPECIES_512;

  /** Independent accumulator chains of the FMA benchmarks. */
  static final int CHAINS = 16;
  /** Iterations of the FMA loop; each does {@value #CHAINS} FMAs. */
  static final int ITERS = 1024;
  /** Vector accumulators of the read benchmarks. */
  static final int ACCS = 8;
  /** Bytes read (or moved, for rmw) per call of a bandwidth benchmark: 16 MiB. */
  static final int BYTES = 1 << 24;
  /** A pass over a larger array reads a slice of this many bytes (the next one at the next pass). */
  static final int CHUNK_BYTES = 1 << 22;

  /** Multipliers (just below 1), addends and initial accumulators, per lane. */
  double[] mul;
  double[] add;
  double[] init;

  @Setup
  public void setUp() {
    SplittableRandom rng = new SplittableRandom(17);
    mul = new double[8];
    add = new double[8];
    init = new double[8 * CHAINS];
    for (int i = 0; i < 8; i++) {
      mul[i] = 0.999 - 1e-4 * rng.nextDouble();
      add[i] = 1e-3 * rng.nextDouble();
    }
    for (int i = 0; i < init.length; i++) {
      init[i] = rng.nextDouble();
    }
  }

  /** The array of the bandwidth benchmarks (a separate state so that only they take {@code kb}). */
  @State(Scope.Thread)
  public static class Data {
    /** Size of the array, KiB. */
    @Param({"16", "512", "8192", "131072"})
    public int kb;

    double[] x;
    /** Doubles per pass: the whole array, or a {@value #CHUNK_BYTES}-byte slice of a larger one. */
    int chunk;
    /** Passes per call of read (rmw: half as many, as each byte is read and written). */
    int passes;
    int rmwPasses;
    private int offset;
    private int flips;

    @Setup
    public void setUp() {
      SplittableRandom rng = new SplittableRandom(19);
      x = new double[kb * 128];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextDouble();
      }
      chunk = Math.min(x.length, CHUNK_BYTES / Double.BYTES);
      passes = BYTES / (chunk * Double.BYTES);
      rmwPasses = passes / 2;
    }

    /** Start of the next pass: slices of a large array follow one another, wrapping around. */
    int next() {
      int from = offset;
      offset += chunk;
      if (offset >= x.length) {
        offset = 0;
      }
      return from;
    }

    /** +1, -1, +1, ...: successive rmw passes over one place add and subtract, so the values stay put. */
    double sign() {
      return (flips++ & 1) == 0 ? 1.0 : -1.0;
    }
  }

  @Benchmark
  @OperationsPerInvocation(ITERS * CHAINS)
  public double fmaScalar() {
    double a = mul[0];
    double b = add[0];
    double[] c = init;
    double c0 = c[0], c1 = c[1], c2 = c[2], c3 = c[3], c4 = c[4], c5 = c[5], c6 = c[6], c7 = c[7];
    double c8 = c[8], c9 = c[9], c10 = c[10], c11 = c[11], c12 = c[12], c13 = c[13], c14 = c[14], c15 = c[15];
    for (int i = 0; i < ITERS; i++) {
      c0 = Math.fma(c0, a, b);
      c1 = Math.fma(c1, a, b);
      c2 = Math.fma(c2, a, b);
      c3 = Math.fma(c3, a, b);
      c4 = Math.fma(c4, a, b);
      c5 = Math.fma(c5, a, b);
      c6 = Math.fma(c6, a, b);
      c7 = Math.fma(c7, a, b);
      c8 = Math.fma(c8, a, b);
      c9 = Math.fma(c9, a, b);
      c10 = Math.fma(c10, a, b);
      c11 = Math.fma(c11, a, b);
      c12 = Math.fma(c12, a, b);
      c13 = Math.fma(c13, a, b);
      c14 = Math.fma(c14, a, b);
      c15 = Math.fma(c15, a, b);
    }
    return ((c0 + c1) + (c2 + c3)) + ((c4 + c5) + (c6 + c7))
        + ((c8 + c9) + (c10 + c11)) + ((c12 + c13) + (c14 + c15));
  }

  @Benchmark
  @OperationsPerInvocation(ITERS * CHAINS * 4)
  public double fma256() {
    VectorSpecies<Double> s = S256;
    DoubleVector a = DoubleVector.fromArray(s, mul, 0);
    DoubleVector b = DoubleVector.fromArray(s, add, 0);
    double[] c = init;
    DoubleVector c0 = DoubleVector.fromArray(s, c, 0);
    DoubleVector c1 = DoubleVector.fromArray(s, c, 4);
    DoubleVector c2 = DoubleVector.fromArray(s, c, 8);
    DoubleVector c3 = DoubleVector.fromArray(s, c, 12);
    DoubleVector c4 = DoubleVector.fromArray(s, c, 16);
    DoubleVector c5 = DoubleVector.fromArray(s, c, 20);
    DoubleVector c6 = DoubleVector.fromArray(s, c, 24);
    DoubleVector c7 = DoubleVector.fromArray(s, c, 28);
    DoubleVector c8 = DoubleVector.fromArray(s, c, 32);
    DoubleVector c9 = DoubleVector.fromArray(s, c, 36);
    DoubleVector c10 = DoubleVector.fromArray(s, c, 40);
    DoubleVector c11 = DoubleVector.fromArray(s, c, 44);
    DoubleVector c12 = DoubleVector.fromArray(s, c, 48);
    DoubleVector c13 = DoubleVector.fromArray(s, c, 52);
    DoubleVector c14 = DoubleVector.fromArray(s, c, 56);
    DoubleVector c15 = DoubleVector.fromArray(s, c, 60);
    for (int i = 0; i < ITERS; i++) {
      c0 = c0.fma(a, b);
      c1 = c1.fma(a, b);
      c2 = c2.fma(a, b);
      c3 = c3.fma(a, b);
      c4 = c4.fma(a, b);
      c5 = c5.fma(a, b);
      c6 = c6.fma(a, b);
      c7 = c7.fma(a, b);
      c8 = c8.fma(a, b);
      c9 = c9.fma(a, b);
      c10 = c10.fma(a, b);
      c11 = c11.fma(a, b);
      c12 = c12.fma(a, b);
      c13 = c13.fma(a, b);
      c14 = c14.fma(a, b);
      c15 = c15.fma(a, b);
    }
    return c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)))
        .add(c8.add(c9).add(c10.add(c11)).add(c12.add(c13).add(c14.add(c15))))
        .reduceLanes(VectorOperators.ADD);
  }

  @Benchmark
  @OperationsPerInvocation(ITERS * CHAINS * 8)
  public double fma512() {
    VectorSpecies<Double> s = S512;
    DoubleVector a = DoubleVector.fromArray(s, mul, 0);
    DoubleVector b = DoubleVector.fromArray(s, add, 0);
    double[] c = init;
    DoubleVector c0 = DoubleVector.fromArray(s, c, 0);
    DoubleVector c1 = DoubleVector.fromArray(s, c, 8);
    DoubleVector c2 = DoubleVector.fromArray(s, c, 16);
    DoubleVector c3 = DoubleVector.fromArray(s, c, 24);
    DoubleVector c4 = DoubleVector.fromArray(s, c, 32);
    DoubleVector c5 = DoubleVector.fromArray(s, c, 40);
    DoubleVector c6 = DoubleVector.fromArray(s, c, 48);
    DoubleVector c7 = DoubleVector.fromArray(s, c, 56);
    DoubleVector c8 = DoubleVector.fromArray(s, c, 64);
    DoubleVector c9 = DoubleVector.fromArray(s, c, 72);
    DoubleVector c10 = DoubleVector.fromArray(s, c, 80);
    DoubleVector c11 = DoubleVector.fromArray(s, c, 88);
    DoubleVector c12 = DoubleVector.fromArray(s, c, 96);
    DoubleVector c13 = DoubleVector.fromArray(s, c, 104);
    DoubleVector c14 = DoubleVector.fromArray(s, c, 112);
    DoubleVector c15 = DoubleVector.fromArray(s, c, 120);
    for (int i = 0; i < ITERS; i++) {
      c0 = c0.fma(a, b);
      c1 = c1.fma(a, b);
      c2 = c2.fma(a, b);
      c3 = c3.fma(a, b);
      c4 = c4.fma(a, b);
      c5 = c5.fma(a, b);
      c6 = c6.fma(a, b);
      c7 = c7.fma(a, b);
      c8 = c8.fma(a, b);
      c9 = c9.fma(a, b);
      c10 = c10.fma(a, b);
      c11 = c11.fma(a, b);
      c12 = c12.fma(a, b);
      c13 = c13.fma(a, b);
      c14 = c14.fma(a, b);
      c15 = c15.fma(a, b);
    }
    return c0.add(c1).add(c2.add(c3)).add(c4.add(c5).add(c6.add(c7)))
        .add(c8.add(c9).add(c10.add(c11)).add(c12.add(c13).add(c14.add(c15))))
        .reduceLanes(VectorOperators.ADD);
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public double read256(Data d) {
    VectorSpecies<Double> s = S256;
    final int l = 4;
    double[] x = d.x;
    DoubleVector a0 = DoubleVector.zero(s), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (int p = 0; p < d.passes; p++) {
      int from = d.next();
      int to = from + d.chunk;
      for (int i = from; i < to; i += ACCS * l) {
        a0 = a0.add(DoubleVector.fromArray(s, x, i));
        a1 = a1.add(DoubleVector.fromArray(s, x, i + l));
        a2 = a2.add(DoubleVector.fromArray(s, x, i + 2 * l));
        a3 = a3.add(DoubleVector.fromArray(s, x, i + 3 * l));
        a4 = a4.add(DoubleVector.fromArray(s, x, i + 4 * l));
        a5 = a5.add(DoubleVector.fromArray(s, x, i + 5 * l));
        a6 = a6.add(DoubleVector.fromArray(s, x, i + 6 * l));
        a7 = a7.add(DoubleVector.fromArray(s, x, i + 7 * l));
      }
    }
    return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).reduceLanes(VectorOperators.ADD);
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public double read512(Data d) {
    VectorSpecies<Double> s = S512;
    final int l = 8;
    double[] x = d.x;
    DoubleVector a0 = DoubleVector.zero(s), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    for (int p = 0; p < d.passes; p++) {
      int from = d.next();
      int to = from + d.chunk;
      for (int i = from; i < to; i += ACCS * l) {
        a0 = a0.add(DoubleVector.fromArray(s, x, i));
        a1 = a1.add(DoubleVector.fromArray(s, x, i + l));
        a2 = a2.add(DoubleVector.fromArray(s, x, i + 2 * l));
        a3 = a3.add(DoubleVector.fromArray(s, x, i + 3 * l));
        a4 = a4.add(DoubleVector.fromArray(s, x, i + 4 * l));
        a5 = a5.add(DoubleVector.fromArray(s, x, i + 5 * l));
        a6 = a6.add(DoubleVector.fromArray(s, x, i + 6 * l));
        a7 = a7.add(DoubleVector.fromArray(s, x, i + 7 * l));
      }
    }
    return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).reduceLanes(VectorOperators.ADD);
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public double rmw256(Data d) {
    VectorSpecies<Double> s = S256;
    final int l = 4;
    double[] x = d.x;
    DoubleVector u = DoubleVector.fromArray(s, add, 0);
    for (int p = 0; p < d.rmwPasses; p++) {
      int from = d.next();
      int to = from + d.chunk;
      DoubleVector c = DoubleVector.broadcast(s, d.sign());
      for (int i = from; i < to; i += 4 * l) {
        u.fma(c, DoubleVector.fromArray(s, x, i)).intoArray(x, i);
        u.fma(c, DoubleVector.fromArray(s, x, i + l)).intoArray(x, i + l);
        u.fma(c, DoubleVector.fromArray(s, x, i + 2 * l)).intoArray(x, i + 2 * l);
        u.fma(c, DoubleVector.fromArray(s, x, i + 3 * l)).intoArray(x, i + 3 * l);
      }
    }
    return x[0];
  }

  @Benchmark
  @OperationsPerInvocation(BYTES)
  public double rmw512(Data d) {
    VectorSpecies<Double> s = S512;
    final int l = 8;
    double[] x = d.x;
    DoubleVector u = DoubleVector.fromArray(s, add, 0);
    for (int p = 0; p < d.rmwPasses; p++) {
      int from = d.next();
      int to = from + d.chunk;
      DoubleVector c = DoubleVector.broadcast(s, d.sign());
      for (int i = from; i < to; i += 4 * l) {
        u.fma(c, DoubleVector.fromArray(s, x, i)).intoArray(x, i);
        u.fma(c, DoubleVector.fromArray(s, x, i + l)).intoArray(x, i + l);
        u.fma(c, DoubleVector.fromArray(s, x, i + 2 * l)).intoArray(x, i + 2 * l);
        u.fma(c, DoubleVector.fromArray(s, x, i + 3 * l)).intoArray(x, i + 3 * l);
      }
    }
    return x[0];
  }
}
