package dev.recourse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recourse.sim.config.InputException;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/**
 * The cores the default block count is based on: on a cluster, those of the executors that registered
 * after a bounded wait, not Spark's floor of 2 before any has (a fake cluster and clock).
 */
class ClusterCoresTest {

  /** Executors register at the given seconds after the start, each with {@code coresEach} cores. */
  static final class FakeCluster implements ClusterCores.Cluster {

    private final double[] registerAt;
    private final int coresEach;
    long nowNanos;
    int polls;

    FakeCluster(int coresEach, double... registerAtSeconds) {
      this.registerAt = registerAtSeconds;
      this.coresEach = coresEach;
    }

    @Override
    public int defaultParallelism() {
      return Math.max(2, registered() * coresEach); // Spark's rule without spark.default.parallelism
    }

    @Override
    public int executors() {
      polls++;
      return registered();
    }

    private int registered() {
      int n = 0;
      for (double at : registerAt) {
        n += nowNanos >= (long) (at * 1e9) ? 1 : 0;
      }
      return n;
    }

    @Override
    public void sleep(long millis) {
      nowNanos += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    double seconds() {
      return nowNanos / 1e9;
    }
  }

  static SparkConf conf(String master, String... settings) {
    SparkConf conf = new SparkConf(false).setMaster(master);
    for (int i = 0; i < settings.length; i += 2) {
      conf.set(settings[i], settings[i + 1]);
    }
    return conf;
  }

  private static int cores(SparkConf conf, FakeCluster cluster) {
    return ClusterCores.of(conf, cluster, () -> cluster.nowNanos);
  }

  @Test
  void onAClusterItWaitsForTheExecutorsToRegister() {
    // Two 4-core executors, registering 3 s and 3.4 s after the context started.
    FakeCluster cluster = new FakeCluster(4, 3.0, 3.4);
    assertEquals(2, cluster.defaultParallelism(), "what the block count saw before");
    assertEquals(8, cores(conf("spark://h:7077"), cluster));
    double settled = 3.4 + ClusterCores.SETTLE.toSeconds();
    assertEquals(settled, cluster.seconds(), 0.11, "waits until a second passes without a new executor");
  }

  @Test
  void theExpectedNumberOfExecutorsEndsTheWait() {
    FakeCluster cluster = new FakeCluster(2, 1.0, 1.5, 2.0);
    assertEquals(6, cores(conf("yarn", "spark.executor.instances", "3"), cluster));
    assertEquals(2.0, cluster.seconds(), 0.11, "no settling once all three are there");
  }

  @Test
  void theWaitIsBounded() {
    FakeCluster none = new FakeCluster(4);
    assertEquals(2, cores(conf("spark://h:7077"), none), "Spark's floor when no executor came");
    assertEquals(ClusterCores.WAIT.toSeconds(), none.seconds(), 0.11);
    FakeCluster late = new FakeCluster(4, 2.0, 60.0);
    assertEquals(4, cores(conf("spark://h:7077", "spark.executor.instances", "2"), late));
    assertEquals(ClusterCores.WAIT.toSeconds(), late.seconds(), 0.11);
  }

  @Test
  void configuredCoresAndLocalMastersNeedNoWait() {
    FakeCluster cluster = new FakeCluster(4, 5.0);
    assertEquals(12, cores(conf("spark://h:7077", "spark.cores.max", "12"), cluster));
    assertEquals(15, cores(conf("yarn", "spark.executor.instances", "5", "spark.executor.cores", "3"), cluster));
    assertEquals(2, cores(conf("local[3]"), cluster), "a local master: Spark's value (the fake's, here)");
    assertEquals(2, cores(conf("spark://h:7077", "spark.default.parallelism", "2"), cluster));
    assertEquals(2, cores(conf("yarn", "spark.dynamicAllocation.enabled", "true"), cluster));
    assertEquals(0, cluster.polls, "no executor was waited for");
    assertEquals(0.0, cluster.seconds());
  }

  @Test
  void aMalformedCountIsRefusedNamingIt() {
    InputException e = assertThrows(InputException.class,
        () -> cores(conf("spark://h:7077", "spark.cores.max", "many"), new FakeCluster(1)));
    assertEquals("spark.cores.max: expected a whole number >= 0, got 'many'", e.getMessage());
  }
}
