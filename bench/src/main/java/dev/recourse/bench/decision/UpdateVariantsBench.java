package dev.recourse.bench.decision;

import dev.recourse.bench.proto.ProtoState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prototype update and round ({@code ProtoLinUcb}) against {@link LinUcbBench#update} and
 * {@link LinUcbBench#decideUpdate}, same state and ring (run with {@code -p kernels=panama}).
 *
 * <ul>
 *   <li>{@link #update}: {@code V⁻¹x} by symmetric accumulation, both rank-one steps in one pass;
 *   <li>{@link #decideThenUpdate}: prototype decide, then that update (no reuse);
 *   <li>{@link #decideUpdate}: the round reusing decide's {@code w = V⁻¹x} and {@code xᵀw}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class UpdateVariantsBench {

  @Benchmark
  public void update(DecisionState s, ProtoState p) {
    int i = s.nextSlot();
    int arm = s.updateArms[i];
    p.proto.update(arm, s.contexts[i], s.rewards[i * s.numArms + arm]);
  }

  @Benchmark
  public int decideThenUpdate(DecisionState s, ProtoState p) {
    int i = s.nextSlot();
    double[] x = s.contexts[i];
    int arm = p.proto.decide(x);
    p.proto.update(arm, x, s.rewards[i * s.numArms + arm]);
    return arm;
  }

  @Benchmark
  public int decideUpdate(DecisionState s, ProtoState p) {
    int i = s.nextSlot();
    return p.proto.decideUpdate(s.contexts[i], s.rewards, i * s.numArms);
  }
}
