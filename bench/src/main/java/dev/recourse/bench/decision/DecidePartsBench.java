package dev.recourse.bench.decision;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parts of a LinUCB decide one by one, on the model {@link DecisionState} warms: the K quadratic
 * forms from the packed scoring copy ({@code x xᵀ} formed inside), {@code x xᵀ} alone, the K×d gemv of
 * {@code θ̂ᵀx}, and the
 * whole decide beside them, so that "where the time goes" is one run's arithmetic, not an estimate.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class DecidePartsBench {

  /** Output and scratch arrays of the parts. */
  @State(Scope.Thread)
  public static class Scratch {
    public double[] work;
    public double[] out;

    @Setup(Level.Trial)
    public void setUp(DecisionState s) {
      work = new double[s.arms.packedStride() + 64];
      out = new double[s.numArms];
    }
  }

  @Benchmark
  public double forms(DecisionState s, Scratch w) {
    s.impl.symQuadFormsPacked(s.arms.packedVInv(), 0, s.arms.packedStride(), s.dim, s.numArms,
        s.contexts[s.nextSlot()], 0, w.work, w.out, 0);
    return w.out[0];
  }

  @Benchmark
  public double outer(DecisionState s, Scratch w) {
    s.impl.upperOuter(s.contexts[s.nextSlot()], 0, s.dim, w.work);
    return w.work[5];
  }

  @Benchmark
  public double thetaGemv(DecisionState s, Scratch w) {
    s.impl.gemv(s.arms.thetaHat(), 0, s.numArms, s.dim, s.contexts[s.nextSlot()], 0, w.out, 0);
    return w.out[0];
  }

  @Benchmark
  public int decide(DecisionState s) {
    return s.policy.decide(s.contexts[s.nextSlot()]);
  }
}
