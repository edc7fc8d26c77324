package dev.recourse.spark;

import dev.recourse.sim.config.InputException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.BlockManagerId;

/**
 * The cores the default number of blocks is computed from. A local master's threads are known when
 * its context starts; a cluster's executors register with the driver seconds later, and until the first
 * does Spark's {@code defaultParallelism} is its floor of 2 (a 64-core cluster would get 2 × 2 tasks).
 * So, in order:
 *
 * <ol>
 *   <li>{@code spark.default.parallelism} when set, and a local master's threads: Spark's
 *       {@code defaultParallelism} at once;
 *   <li>the cores the configuration asks for: {@code spark.cores.max}, else
 *       {@code spark.executor.instances × spark.executor.cores} when both are set;
 *   <li>else the cores of the executors registered after waiting for them: for
 *       {@code spark.executor.instances} of them when set, else for the first and then until
 *       {@link #SETTLE} passes without another; at most {@link #WAIT} in all (then whatever has
 *       registered, at least Spark's floor of 2). Not under dynamic allocation, which starts executors
 *       only for submitted tasks: there the configuration (or {@code --blocks}) must say.
 * </ol>
 * The block count changes only how the work is cut, never the results.
 */
final class ClusterCores {

  /** The longest wait for executors: long enough for executor JVMs to start on a busy cluster. */
  static final Duration WAIT = Duration.ofSeconds(10);
  /** After the first executor, how long without a new one ends the wait (the others start together). */
  static final Duration SETTLE = Duration.ofSeconds(1);
  private static final long POLL_MILLIS = 100;

  /** What the wait reads of the running context (a fake one in tests). */
  interface Cluster {

    /** Spark's {@code defaultParallelism}: the registered executors' cores (at least 2), or the set value. */
    int defaultParallelism();

    /** Executors registered with the driver, not counting the driver itself. */
    int executors();

    /** Waits {@code millis} (the real clock's sleep; a fake one advances its clock). */
    void sleep(long millis) throws InterruptedException;
  }

  private ClusterCores() {}

  /** The cores of the cluster, as above: {@link #known} ones at once, else those after waiting for executors. */
  static int of(SparkConf conf, Cluster cluster, LongSupplier nanoTime) {
    int known = known(conf, cluster);
    if (known != UNKNOWN) {
      return known;
    }
    int instances = count(conf, "spark.executor.instances");
    long start = nanoTime.getAsLong();
    long lastChange = start;
    int seen = 0;
    try {
      while (true) {
        int registered = cluster.executors();
        long now = nanoTime.getAsLong();
        if (registered != seen) {
          seen = registered;
          lastChange = now;
        }
        boolean done = instances > 0 ? registered >= instances
            : registered > 0 && now - lastChange >= SETTLE.toNanos();
        if (done || now - start >= WAIT.toNanos()) {
          break;
        }
        cluster.sleep(POLL_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the run goes on with the executors seen so far; the caller sees the flag
    }
    return cluster.defaultParallelism();
  }

  /** What {@link #known} returns when only waiting for executors would tell. */
  static final int UNKNOWN = -1;

  /**
   * The cores as {@link #of} finds them when it need not wait (a local master, {@code
   * spark.default.parallelism}, the configured cores, dynamic allocation), else {@link #UNKNOWN}: never waits.
   */
  static int known(SparkConf conf, Cluster cluster) {
    String master = conf.get("spark.master", "");
    if (conf.contains("spark.default.parallelism") || master.equals("local") || master.startsWith("local[")) {
      return cluster.defaultParallelism();
    }
    int coresMax = count(conf, "spark.cores.max");
    int instances = count(conf, "spark.executor.instances");
    int coresEach = count(conf, "spark.executor.cores");
    if (coresMax > 0) {
      return coresMax;
    }
    if (instances > 0 && coresEach > 0) {
      return instances * coresEach;
    }
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      return cluster.defaultParallelism(); // executors are requested for pending tasks: none would come
    }
    return UNKNOWN;
  }

  /** A count setting, 0 when it is not set (0 itself says nothing either: instances under dynamic allocation). */
  private static int count(SparkConf conf, String key) {
    if (!conf.contains(key)) {
      return 0;
    }
    String value = conf.get(key).strip();
    try {
      int n = Integer.parseInt(value);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below, with the key's name
    }
    throw new InputException(key + ": expected a whole number >= 0, got '" + value + "'");
  }

  static Cluster live(JavaSparkContext spark) {
    return new Cluster() {
      @Override
      public int defaultParallelism() {
        return spark.defaultParallelism();
      }

      @Override
      public int executors() {
        // The status tracker lists the driver's block manager with the executors'.
        BlockManagerId driver = SparkEnv.get().blockManager().blockManagerId();
        int n = 0;
        for (SparkExecutorInfo e : spark.statusTracker().getExecutorInfos()) {
          if (!(e.host().equals(driver.host()) && e.port() == driver.port())) {
            n++;
          }
        }
        return n;
      }

      @Override
      public void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
      }
    };
  }
}
