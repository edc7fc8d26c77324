package dev.recourse.bench.recourse;

import dev.recourse.core.model.LogisticArms;
import dev.recourse.core.rng.RandomStreams;
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
 * Cost of one logistic-link update after the arm has seen {@code history} updates (10³ or 10⁵): the
 * online Newton step is O(d²) and the IRLS refits stop at the cap, so the two must match.
 * d = 20, one arm.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class LogisticUpdateBench {

  @Param({"1000", "100000"})
  public int history;

  private static final int DIM = 20;

  private LogisticArms model;
  private double[][] xs;
  private double[] rs;
  private int slot;

  @Setup(Level.Trial)
  public void setUp() {
    model = new LogisticArms(1, DIM, 1.0);
    xs = Instances.contexts(1024, DIM, 11);
    rs = new double[1024];
    java.util.random.RandomGenerator rng = RandomStreams.stream(12);
    for (int i = 0; i < rs.length; i++) {
      rs[i] = rng.nextBoolean() ? 1.0 : 0.0;
    }
    for (int s = 0; s < history; s++) {
      model.update(0, xs[s & 1023], 0, rs[s & 1023]);
    }
  }

  @Benchmark
  public double update() {
    slot = (slot + 1) & 1023;
    model.update(0, xs[slot], 0, rs[slot]);
    return model.thetaHat()[0];
  }
}
