package dev.recourse.spark;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.MemoryEstimate;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import dev.recourse.sim.run.StudyRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a study on Spark. Each task is one (policy, block of consecutive replications) and returns the
 * block's per-replication checkpoint vectors ({@link BlockResult}); the driver adds them into the
 * {@link PolicyAggregate}s in replication order, the order the local runner's reorder buffer imposes,
 * so the aggregates (and every output file) are the same bits as {@code LocalStudyRunner}'s, whatever
 * the number of blocks, executors or task retries. Executors re-parse the study from its
 * {@link StudySource}; seeds come from (study seed, scenario, replication, purpose) only.
 *
 * <p>Memory on the driver: all results are held until the job ends, about
 * {@link #resultBytes(Study)} bytes (bounded by checkpoints, not rounds); {@link #driverBytes(Study)}
 * is checked against the driver's heap before the job is submitted.
 */
public final class SparkStudyRunner implements StudyRunner {

  /** Per replication beyond its arrays: the policy description and serialization overhead. */
  static final int OVERHEAD_BYTES_PER_REPLICATION = 1024;
  /** Driver heap not counted by {@link #driverBytes}: Spark's own, the study, the outputs (as the local estimate's). */
  static final long DRIVER_FIXED_BYTES = 64L << 20;

  private final JavaSparkContext spark;
  private final StudySource source;
  private final int blocksPerPolicy;
  private final BlockFault fault;
  private final long driverHeapBytes;
  /** What {@link ClusterCores} reads: the context's configuration and executors (fakes in tests). */
  private final SparkConf conf;
  private final ClusterCores.Cluster cluster;
  private final LongSupplier nanoTime;
  /** The cluster's cores ({@link ClusterCores}), found once: finding them may wait for executors. */
  private int cores;

  /**
   * @param blocksPerPolicy tasks per policy (each a run of consecutive replications); 0 chooses
   *                        about two tasks per core of the cluster ({@link ClusterCores}), at most one
   *                        per replication
   */
  public SparkStudyRunner(JavaSparkContext spark, StudySource source, int blocksPerPolicy) {
    this(spark, source, blocksPerPolicy, BlockFault.NONE);
  }

  SparkStudyRunner(JavaSparkContext spark, StudySource source, int blocksPerPolicy, BlockFault fault) {
    this(spark, source, blocksPerPolicy, fault, Runtime.getRuntime().maxMemory());
  }

  /** @param driverHeapBytes the heap this (the driver's) JVM may use: the results must fit in it */
  SparkStudyRunner(JavaSparkContext spark, StudySource source, int blocksPerPolicy, BlockFault fault,
                   long driverHeapBytes) {
    this(spark, source, blocksPerPolicy, fault, driverHeapBytes, spark.getConf(), ClusterCores.live(spark),
        System::nanoTime);
  }

  /** With the cluster {@link ClusterCores} reads given: its configuration, executors and clock. */
  SparkStudyRunner(JavaSparkContext spark, StudySource source, int blocksPerPolicy, BlockFault fault,
                   long driverHeapBytes, SparkConf conf, ClusterCores.Cluster cluster, LongSupplier nanoTime) {
    if (blocksPerPolicy < 0) {
      throw new IllegalArgumentException("blocks per policy must be >= 1 (or 0: automatic), got " + blocksPerPolicy);
    }
    this.spark = Objects.requireNonNull(spark, "spark");
    this.source = Objects.requireNonNull(source, "source");
    this.blocksPerPolicy = blocksPerPolicy;
    this.fault = Objects.requireNonNull(fault, "fault");
    this.driverHeapBytes = driverHeapBytes;
    this.conf = Objects.requireNonNull(conf, "conf");
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** The blocks per policy this runner uses for {@code study}. */
  public int blocks(Study study) {
    int wanted = blocksPerPolicy > 0 ? blocksPerPolicy : Math.ceilDiv(2 * cores(), study.policies().size());
    return Math.max(1, Math.min(wanted, study.replications()));
  }

  /** The cores of the cluster the default block count is based on: on a cluster, once its executors registered. */
  public int cores() {
    if (cores == 0) {
      cores = Math.max(1, ClusterCores.of(conf, cluster, nanoTime));
    }
    return cores;
  }

  /**
   * The engine line: {@code spark MASTER (N cores), B blocks per policy}. With the blocks given nothing
   * needs the cores, so they are named only where known without waiting for executors (a local master,
   * the configuration); else the line leaves them out rather than wait up to {@link ClusterCores#WAIT}.
   * A study whose results the driver cannot take ({@code spark.driver.maxResultSize}, its heap) is
   * refused here already, before that wait.
   */
  public String describe(Study study) {
    // The line comes first and may wait for executors: a study the driver cannot hold is refused before.
    checkResultSize(study);
    checkDriverHeap(study);
    int n = blocks(study);
    int c = blocksPerPolicy > 0 && cores == 0 ? ClusterCores.known(conf, cluster) : cores();
    return "spark " + spark.master() + (c > 0 ? " (" + c + " cores)" : "") + ", " + n + " block"
        + (n == 1 ? "" : "s") + " per policy";
  }

  /**
   * Bytes the driver receives for {@code study}: replications × policies × (3 × checkpoints + arms ×
   * (d_M + 1)) doubles, plus {@value #OVERHEAD_BYTES_PER_REPLICATION} per replication. What
   * {@code spark.driver.maxResultSize} must allow.
   */
  public static long resultBytes(Study study) {
    long doubles = 3L * study.checkpoints().length
        + (long) study.scenario().numArms() * (study.scenario().mutableIndices().length + 1);
    return (long) study.units() * (8 * doubles + OVERHEAD_BYTES_PER_REPLICATION);
  }

  /**
   * Heap the driver needs for {@code study}: the collected results ({@link #resultBytes}) and the
   * aggregates, 9·C + 3·(K·d_M + K) numbers per policy, plus {@link #DRIVER_FIXED_BYTES}. No model:
   * the driver builds none, whatever the executors' cores (or {@code --threads}, which is the local
   * engine's).
   */
  public static long driverBytes(Study study) {
    long perPolicy = 9L * study.checkpoints().length
        + 3L * study.scenario().numArms() * (study.scenario().mutableIndices().length + 1);
    return resultBytes(study) + 8 * perPolicy * study.policies().size() + DRIVER_FIXED_BYTES;
  }

  @Override
  public StudyResult run(Study study, ProgressListener progress) {
    long start = System.nanoTime();
    // Parse on the driver first: the executors parse the same source, so it must be this study, and a
    // bad source fails here, before any task is submitted.
    StudyFingerprint fingerprint = StudyFingerprint.of(study);
    StudyFingerprint fromSource = StudyFingerprint.of(source.parse());
    if (!fingerprint.equals(fromSource)) {
      throw new IllegalArgumentException("study " + study.name() + " is not the study its source " + source.source()
          + " describes: " + fingerprint.study() + " vs " + fromSource.study());
    }
    checkResultSize(study);
    checkDriverHeap(study);
    int numPolicies = study.policies().size();
    int blocks = blocks(study);
    List<Block> work = new ArrayList<>(numPolicies * blocks);
    for (int p = 0; p < numPolicies; p++) {
      for (int b = 0; b < blocks; b++) {
        int first = (int) ((long) b * study.replications() / blocks);
        int end = (int) ((long) (b + 1) * study.replications() / blocks);
        work.add(new Block(p, first, end - first));
      }
    }
    spark.setJobDescription("recourse study " + study.name() + ": " + work.size() + " blocks");
    JavaFutureAction<List<BlockResult>> job = spark.parallelize(work, work.size())
        .map(new BlockTask(source, fingerprint, fault))
        .collectAsync();
    List<BlockResult> results = await(study, job, work.size(), progress);

    List<PolicyAggregate> aggregates = new ArrayList<>(numPolicies);
    int dimM = study.scenario().mutableIndices().length;
    for (var p : study.policies()) {
      aggregates.add(new PolicyAggregate(p.label(), study.checkpoints().length, study.scenario().numArms(), dimM));
    }
    String kernels = null;
    long cpuNanos = 0;
    int[] nextReplication = new int[numPolicies];
    // collect() returns the results in partition order, which is the order of work (policy-major,
    // replications ascending); the checks make a wrong order fail instead of changing bits.
    for (int i = 0; i < results.size(); i++) {
      BlockResult r = results.get(i);
      Block block = r.block();
      if (!block.equals(work.get(i)) || block.firstReplication() != nextReplication[block.policy()]) {
        throw new IllegalStateException("block " + i + " came back as " + block + ", expected " + work.get(i));
      }
      if (kernels == null) {
        kernels = r.kernels();
      } else if (!kernels.equals(r.kernels())) {
        throw new IllegalStateException("executors ran different kernels (" + kernels + " and " + r.kernels()
            + "), which may differ in the last bits: give every executor --add-modules jdk.incubator.vector "
            + "(spark.executor.extraJavaOptions), or -Drecourse.simd=scalar everywhere");
      }
      PolicyAggregate aggregate = aggregates.get(block.policy());
      for (int k = 0; k < block.count(); k++) {
        aggregate.add(r.regret()[k], r.meanReward()[k], r.queries()[k], r.recourse()[k], r.armShare()[k],
            r.describe()[k]);
      }
      nextReplication[block.policy()] += block.count();
      cpuNanos += r.cpuNanos();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new StudyResult(study, aggregates, seconds, cpuNanos / 1e9, spark.defaultParallelism(), kernels);
  }

  private void checkResultSize(Study study) {
    long limit = spark.getConf().getSizeAsBytes("spark.driver.maxResultSize", "1g");
    long needed = resultBytes(study);
    if (limit > 0 && needed > limit) {
      throw new InputException("study " + study.name() + " sends about " + needed / (1 << 20) + " MiB of results to "
          + "the driver, more than spark.driver.maxResultSize (" + limit / (1 << 20) + " MiB): raise it ("
          + "RECOURSE_JAVA_OPTS=-Dspark.driver.maxResultSize=" + Math.ceilDiv(2 * needed, 1L << 20) + "m for "
          + "./recourse, --conf spark.driver.maxResultSize=" + Math.ceilDiv(2 * needed, 1L << 20) + "m for "
          + "spark-submit), or use fewer checkpoints");
    }
  }

  private void checkDriverHeap(Study study) {
    long needed = driverBytes(study);
    if (needed > driverHeapBytes) {
      throw new InputException("study " + study.name() + " needs about " + MemoryEstimate.format(needed) + " of heap "
          + "on the driver, which holds every replication's results until the job ends, more than the "
          + MemoryEstimate.format(driverHeapBytes) + " it may use: give it more (RECOURSE_JAVA_OPTS=-Xmx… for "
          + "./recourse, --driver-memory for spark-submit), or use fewer checkpoints");
    }
  }

  /** Waits for the job, reporting completed blocks as progress; a failed job becomes an exception. */
  private List<BlockResult> await(Study study, JavaFutureAction<List<BlockResult>> job, int tasks,
                                  ProgressListener progress) {
    long total = (long) study.units() * study.horizon();
    long reported = 0;
    try {
      while (true) {
        try {
          List<BlockResult> results = job.get(250, TimeUnit.MILLISECONDS);
          progress.advanced(total - reported);
          return results;
        } catch (TimeoutException e) {
          long done = total * completedTasks(job) / tasks;
          if (done > reported) {
            progress.advanced(done - reported);
            reported = done;
          }
        }
      }
    } catch (InterruptedException e) {
      job.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("study " + study.name() + " interrupted", e);
    } catch (ExecutionException e) {
      throw failure(study, e.getCause());
    }
  }

  private int completedTasks(JavaFutureAction<?> job) {
    int done = 0;
    for (int jobId : job.jobIds()) {
      SparkJobInfo info = spark.statusTracker().getJobInfo(jobId);
      if (info == null) {
        continue;
      }
      for (int stageId : info.stageIds()) {
        SparkStageInfo stage = spark.statusTracker().getStageInfo(stageId);
        if (stage != null) {
          done += stage.numCompletedTasks();
        }
      }
    }
    return done;
  }

  /**
   * The job's failure as the local runner would report it: an input error on an executor (a data file
   * missing there) stays an input error; anything else names the study and Spark's reason, first line.
   */
  private static RuntimeException failure(Study study, Throwable cause) {
    Throwable root = cause instanceof SparkException && cause.getCause() != null ? cause.getCause() : cause;
    if (root instanceof InputException input) {
      return new InputException(input.getMessage(), input);
    }
    String message = String.valueOf(cause.getMessage());
    int newline = message.indexOf('\n');
    return new IllegalStateException("study " + study.name() + " failed on Spark: "
        + (newline < 0 ? message : message.substring(0, newline)), cause);
  }
}
