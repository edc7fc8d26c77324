package dev.recourse.bench.decision;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-round latency of disjoint LinUCB on a {@code RidgeArms} model (CHOLESKY refresh every 1024 updates
 * of an arm, amortised into {@link #update} and {@link #decideUpdate}).
 *
 * <ul>
 *   <li>{@link #decide}: {@code int LinUcb.decide(double[])}, K quadratic forms + K dots + argmax;
 *   <li>{@link #update}: Sherman–Morrison update of a (pre-drawn, uniform) arm;
 *   <li>{@link #decideUpdate}: one bandit round, decide on {@code x} then update the chosen arm with
 *       its reward; {@code 1e9 / score} is rounds per second.
 * </ul>
 * Updates keep mutating the model during measurement; their cost does not depend on the data, so this is
 * a steady state (STYLE: updates written to be steady-state rather than reset in the timed code).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class LinUcbBench {

  @Benchmark
  public int decide(DecisionState s) {
    return s.policy.decide(s.contexts[s.nextSlot()]);
  }

  @Benchmark
  public void update(DecisionState s) {
    int i = s.nextSlot();
    int arm = s.updateArms[i];
    s.policy.update(arm, s.contexts[i], s.rewards[i * s.numArms + arm]);
  }

  @Benchmark
  public int decideUpdate(DecisionState s) {
    int i = s.nextSlot();
    double[] x = s.contexts[i];
    int arm = s.policy.decide(x);
    s.policy.update(arm, x, s.rewards[i * s.numArms + arm]);
    return arm;
  }
}
