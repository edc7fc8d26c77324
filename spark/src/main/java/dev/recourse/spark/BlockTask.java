package dev.recourse.spark;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.ReplicationResult;
import dev.recourse.sim.run.ReplicationTask;
import dev.recourse.sim.run.Study;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;

/**
 * The Spark task: parses the study from its source (once per executor JVM), checks it is the study the
 * driver parsed (its parameters and its data files' contents), and runs the block's replications with
 * {@link ReplicationTask}, exactly as the local runner does. A pure function of (source, block): a
 * retried or speculative attempt returns the same bits.
 */
final class BlockTask implements Function<Block, BlockResult> {

  private static final long serialVersionUID = 1L;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  /**
   * The last study parsed in this JVM and its fingerprint: every task of a job shares them (parsing may
   * read data files, and the fingerprint hashes them).
   */
  private static StudySource cachedSource;
  private static Parsed cached;

  private record Parsed(Study study, StudyFingerprint fingerprint) {}

  private final StudySource source;
  private final StudyFingerprint fingerprint;
  private final BlockFault fault;

  BlockTask(StudySource source, StudyFingerprint fingerprint, BlockFault fault) {
    this.source = source;
    this.fingerprint = fingerprint;
    this.fault = fault;
  }

  @Override
  public BlockResult call(Block block) {
    fault.beforeBlock(block);
    Parsed parsed = parse(source, fingerprint);
    Study study = parsed.study();
    StudyFingerprint here = parsed.fingerprint();
    if (!here.equals(fingerprint)) {
      String file = fingerprint.dataFileDifference(here, executor());
      if (file != null) {
        // The user's to fix, as a data file missing on an executor is: one line, exit 2.
        throw new InputException(file + ": every machine must have the same file at that path");
      }
      throw new IllegalStateException("the study parsed on " + executor() + " differs from the driver's (another "
          + "build of the engine?): driver " + fingerprint.study() + ", executor " + here.study());
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

  /**
   * The study of {@code source}: the one parsed last in this JVM while it is the driver's
   * ({@code expected}: a file changed while the job runs does not change it under the job), else parsed
   * again (another source, or the same one rerun on regenerated data in a JVM that lives on, as a local
   * master's does: the cached study read the old contents).
   */
  private static synchronized Parsed parse(StudySource source, StudyFingerprint expected) {
    if (!source.equals(cachedSource) || !cached.fingerprint().equals(expected)) {
      // The fingerprint right after the parse: it describes the files this study was read from.
      Study study = source.parse();
      cached = new Parsed(study, StudyFingerprint.of(study));
      cachedSource = source;
    }
    return cached;
  }

  /** This JVM as a message names it: "executor 3 (host)". */
  private static String executor() {
    SparkEnv env = SparkEnv.get();
    return env == null ? "this executor"
        : "executor " + env.executorId() + " (" + env.blockManager().blockManagerId().host() + ")";
  }
}
