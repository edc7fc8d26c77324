package dev.recourse.bench.decision;

import dev.recourse.bench.proto.ProtoKernels;
import dev.recourse.bench.proto.ProtoState;
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
 * Where the time of a decide goes, and what faster kernels would buy, on the same state and ring as
 * {@link LinUcbBench} (run with {@code -p kernels=panama}: the prototypes use the Vector API directly,
 * the parameter only selects the core kernels of {@link #coreNoCheck}).
 *
 * <ul>
 *   <li>{@link #coreNoCheck}: core's {@code argmaxScore} (core kernels) without the O(d) context check:
 *       decide minus this is the cost of the check;
 *   <li>{@link #rowsMasked}: the same loop on core's row scheme with a masked tail;
 *   <li>{@link #pairs}: the context check, then {@code ProtoKernels.argmaxUcbPairs}: all arms scored
 *       in one kernel, two arms per pass;
 *   <li>{@link #symmetric}: the prototype decide, {@code V⁻¹x} accumulated as {@code Σ_r x_r·row_r}
 *       (symmetry), with the context check;
 *   <li>{@link #symmetricFloor}: just the prototype's K quadratic forms, its own bare-kernel floor.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
public class DecideVariantsBench {

  @Benchmark
  public int coreNoCheck(DecisionState s) {
    double[] x = s.contexts[s.nextSlot()];
    DoubleKernels k = s.impl;
    double[] vInv = s.vInv;
    double[] theta = s.arms.thetaHat();
    int dim = s.dim;
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int arm = 0; arm < s.numArms; arm++) {
      double q = k.quadForm(vInv, arm * dim * dim, dim, x, 0);
      double score = k.dot(theta, arm * dim, x, 0, dim) + Math.sqrt(Math.max(0.0, q));
      if (score > bestScore) {
        bestScore = score;
        best = arm;
      }
    }
    return best;
  }

  @Benchmark
  public int rowsMasked(DecisionState s) {
    double[] x = s.contexts[s.nextSlot()];
    double[] vInv = s.vInv;
    double[] theta = s.arms.thetaHat();
    int dim = s.dim;
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int arm = 0; arm < s.numArms; arm++) {
      double q = ProtoKernels.quadFormRowsMasked(vInv, arm * dim * dim, dim, x, 0);
      double score = ProtoKernels.dotMasked(theta, arm * dim, x, 0, dim) + Math.sqrt(Math.max(0.0, q));
      if (score > bestScore) {
        bestScore = score;
        best = arm;
      }
    }
    return best;
  }

  @Benchmark
  public int pairs(DecisionState s) {
    double[] x = s.contexts[s.nextSlot()];
    s.arms.checkContext(x);
    return ProtoKernels.argmaxUcbPairs(s.vInv, s.arms.thetaHat(), s.numArms, s.dim, x, 1.0);
  }

  @Benchmark
  public int symmetric(DecisionState s, ProtoState p) {
    return p.proto.decide(s.contexts[s.nextSlot()]);
  }

  @Benchmark
  public double symmetricFloor(DecisionState s, ProtoState p) {
    double[] x = s.contexts[s.nextSlot()];
    double[] vInv = p.proto.vInv();
    double[] w = p.scratch;
    int dim = s.dim;
    double sum = 0;
    for (int arm = 0; arm < s.numArms; arm++) {
      sum += ProtoKernels.symApply(vInv, arm * dim * dim, dim, x, 0, w, 0);
    }
    return sum;
  }
}
