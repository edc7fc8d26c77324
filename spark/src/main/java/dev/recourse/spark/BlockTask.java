package dev.recourse.spark;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.ReplicationResult;
import dev.recourse.sim.run.ReplicationTask;
import dev.recourse.sim.run.Study;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark task: parses the study from its source (once per executor JVM), checks it is the study the
 * driver parsed, and runs the block's replications with {@link ReplicationTask}, exactly as the local
 * runner does. A pure function of (source, block): a retried or speculative attempt returns the same
 * bits.
 */
final class BlockTask implements Function<Block, BlockResult> {

  private static final long serialVersionUID = 1L;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /** The last study parsed in this JVM: every task of a job shares it (parsing may read data files). */
  private static StudySource cachedSource;
  private static Study cachedStudy;

  private final StudySource source;
  private final String fingerprint;
  private final BlockFault fault;

  BlockTask(StudySource source, String fingerprint, BlockFault fault) {
    this.source = source;
    this.fingerprint = fingerprint;
    this.fault = fault;
  }

  @Override
  public BlockResult call(Block block) {
    fault.beforeBlock(block);
    Study study = study(source);
    String here = StudyFingerprint.of(study);
    if (!here.equals(fingerprint)) {
      throw new IllegalStateException("the study parsed on this executor differs from the driver's (a data file "
          + "that differs between machines, or another build of the engine): driver " + fingerprint + ", executor "
          + here);
    }
    DoubleKernels kernels = Kernels.get();
    boolean cpu = CPU.isCurrentThreadCpuTimeSupported();
    long cpuStart = cpu ? CPU.getCurrentThreadCpuTime() : 0;
    int n = block.count();
    double[][] regret = new double[n][];
    double[][] reward = new double[n][];
    double[][] queries = new double[n][];
    double[][] recourse = new double[n][];
    double[][] share = new double[n][];
    String[] describe = new String[n];
    for (int i = 0; i < n; i++) {
      ReplicationResult r = ReplicationTask.run(study, block.firstReplication() + i, block.policy(), kernels,
          ProgressListener.none());
      regret[i] = r.regret();
      reward[i] = r.meanReward();
      queries[i] = r.queries();
      recourse[i] = r.recourse();
      share[i] = r.armShare();
      describe[i] = r.describe();
    }
    long cpuNanos = cpu ? CPU.getCurrentThreadCpuTime() - cpuStart : 0;
    return new BlockResult(block, regret, reward, queries, recourse, share, describe, kernels.name(), cpuNanos);
  }

  private static synchronized Study study(StudySource source) {
    if (!source.equals(cachedSource)) {
      cachedStudy = source.parse();
      cachedSource = source;
    }
    return cachedStudy;
  }
}
