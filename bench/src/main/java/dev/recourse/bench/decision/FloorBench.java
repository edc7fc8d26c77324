package dev.recourse.bench.decision;

import dev.recourse.core.simd.DoubleKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bare-kernel floor of a LinUCB decide: exactly its {@code K·d²} arithmetic, the {@code K} quadratic
 * forms {@code xᵀV_a⁻¹x} through the same kernel object over the same {@code V⁻¹} array and the same
 * ring of contexts as {@link LinUcbBench#decide}, and nothing else (no context check, no {@code θ̂ᵀx},
 * no square root, no argmax). The forms are summed so none can be dropped. The loop over arms is part
 * of the operation, as it is in {@code decide}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class FloorBench {

  @Benchmark
  public double quadForms(DecisionState s) {
    double[] x = s.contexts[s.nextSlot()];
    DoubleKernels k = s.impl;
    double[] vInv = s.vInv;
    int dim = s.dim;
    int block = dim * dim;
    int numArms = s.numArms;
    double sum = 0;
    for (int a = 0; a < numArms; a++) {
      sum += k.quadForm(vInv, a * block, dim, x, 0);
    }
    return sum;
  }
}
