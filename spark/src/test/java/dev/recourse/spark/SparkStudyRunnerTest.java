package dev.recourse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Spark runner gives the local runner's outputs bit for bit (master local[2,4], one context per JVM). */
@ExtendWith(SharedSparkContext.class)
class SparkStudyRunnerTest {

  /** Failures injected so far; tasks run in this JVM on a local master. */
  private static final AtomicInteger INJECTED = new AtomicInteger();
  /** Tasks started by the runner under test in {@link #aStudyItsSourceDoesNotDescribeFailsBeforeAnyTask}. */
  private static final AtomicInteger STARTED = new AtomicInteger();
  /** Tasks started in {@link #resultsBeyondTheDriversHeapFailBeforeAnyTask}. */
  private static final AtomicInteger BLOCKS_RUN = new AtomicInteger();

  /** Whether {@link #anExecutorThatReadsAnotherDataFileOfTheSameSizeFailsNamingIt} replaced its file yet. */
  private static boolean replaced;

  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} blocks per policy")
  @ValueSource(ints = {2, 8})
  void sameOutputsAsTheThreadPool(int blocks, JavaSparkContext spark) throws Exception {
    StudySource source = SparkStudies.source(SparkStudies.SMALL, dir);
    Path local = SparkStudies.local(source, dir.resolve("local"));
    SparkStudyRunner runner = new SparkStudyRunner(spark, source, blocks);
    Study study = source.parse();
    assertEquals(blocks, runner.blocks(study));
    AtomicLong progress = new AtomicLong();
    StudyResult result = runner.run(study, progress::addAndGet);
    assertEquals(study.units() * (long) study.horizon(), progress.get(), "progress adds up to every round");
    SparkStudies.assertSameOutputs(local, SparkStudies.write(result, dir.resolve("spark")), "small");
  }

  @Test
  void theComparisonSeesADifferentSeed(JavaSparkContext spark) throws Exception {
    // The byte comparison above would pass vacuously if the outputs did not depend on the run.
    StudySource source = SparkStudies.source(SparkStudies.SMALL, dir);
    Path local = SparkStudies.local(source, dir.resolve("local"));
    StudySource other = SparkStudies.source(SparkStudies.SMALL.replace("seed: 7", "seed: 8"), dir);
    StudyResult result = new SparkStudyRunner(spark, other, 2).run(other.parse(), ProgressListener.none());
    Path spark8 = SparkStudies.write(result, dir.resolve("spark"));
    assertNotEquals(Files.readString(local.resolve("small-checkpoints.csv")),
        Files.readString(spark8.resolve("small-checkpoints.csv")));
  }

  @Test
  void aBlockThatFailsOnceIsRetriedWithTheSameResult(JavaSparkContext spark) throws Exception {
    StudySource source = SparkStudies.source(SparkStudies.SMALL, dir);
    Path local = SparkStudies.local(source, dir.resolve("local"));
    Block victim = new Block(1, 4, 2); // LIBRA, replications 4 and 5 of 4 blocks per policy
    BlockFault failFirstAttempt = block -> {
      if (block.equals(victim) && TaskContext.get().attemptNumber() == 0) {
        INJECTED.incrementAndGet();
        throw new IllegalStateException("injected failure of " + block + " (first attempt)");
      }
    };
    int before = INJECTED.get();
    StudyResult result = new SparkStudyRunner(spark, source, 4, failFirstAttempt)
        .run(source.parse(), ProgressListener.none());
    assertEquals(1, INJECTED.get() - before, "the first attempt of the block failed, once");
    SparkStudies.assertSameOutputs(local, SparkStudies.write(result, dir.resolve("spark")), "small");
  }

  @Test
  void aBlockThatAlwaysFailsFailsTheStudyNamingTheCause(JavaSparkContext spark) {
    StudySource source = SparkStudies.source(SparkStudies.SMALL, dir);
    BlockFault alwaysFail = block -> {
      if (block.policy() == 2 && block.firstReplication() == 0) {
        throw new IllegalStateException("injected failure of " + block);
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new SparkStudyRunner(spark, source, 2, alwaysFail).run(source.parse(), ProgressListener.none()));
    assertTrue(e.getMessage().startsWith("study small failed on Spark: "), e.getMessage());
    assertTrue(e.getMessage().contains("failed 4 times"), e.getMessage());
    assertTrue(e.getMessage().contains("injected failure of Block[policy=2, firstReplication=0, count=4]"),
        e.getMessage());
  }

  @Test
  void aStudyItsSourceDoesNotDescribeFailsBeforeAnyTask(JavaSparkContext spark) {
    StudySource source = SparkStudies.source(SparkStudies.SMALL, dir);
    Study longer = SparkStudies.source(SparkStudies.SMALL.replace("horizon: 2000", "horizon: 3000"), dir).parse();
    BlockFault count = block -> STARTED.incrementAndGet();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SparkStudyRunner(spark, source, 2, count).run(longer, ProgressListener.none()));
    assertTrue(e.getMessage().contains("is not the study its source small.yaml describes"), e.getMessage());
    assertEquals(0, STARTED.get(), "no task ran");
  }

  @Test
  void resultsBeyondTheDriversHeapFailBeforeAnyTask(JavaSparkContext spark) throws Exception {
    StudySource source = SparkStudies.source(SparkStudies.SMALL, dir);
    Study study = source.parse();
    // 24 replications of 3·20 + 4·(6 + 1) doubles and 1 KiB, 3 aggregates of 9·20 + 3·4·7 numbers, 64 MiB.
    long needed = 24L * (8 * (3 * 20 + 4 * 7) + 1024) + 3L * 8 * (9 * 20 + 3 * 4 * 7) + (64L << 20);
    assertEquals(needed, SparkStudyRunner.driverBytes(study));
    int before = BLOCKS_RUN.get();
    BlockFault count = block -> BLOCKS_RUN.incrementAndGet();
    InputException e = assertThrows(InputException.class,
        () -> new SparkStudyRunner(spark, source, 2, count, needed / 2).run(study, ProgressListener.none()));
    assertEquals("study small needs about 64.0 MiB of heap on the driver, which holds every replication's results "
        + "until the job ends, more than the 32.0 MiB it may use: give it more (RECOURSE_JAVA_OPTS=-Xmx… for "
        + "./recourse, --driver-memory for spark-submit), or use fewer checkpoints", e.getMessage());
    assertEquals(before, BLOCKS_RUN.get(), "no task ran");
    // The engine line, printed before the run and possibly after a wait for executors, refuses it first.
    InputException early = assertThrows(InputException.class,
        () -> new SparkStudyRunner(spark, source, 0, count, needed / 2).describe(study));
    assertEquals(e.getMessage(), early.getMessage());
    // What the driver holds does not grow with the executors' threads or models: exactly enough runs.
    Path local = SparkStudies.local(source, dir.resolve("local"));
    StudyResult result = new SparkStudyRunner(spark, source, 2, count, needed).run(study, ProgressListener.none());
    SparkStudies.assertSameOutputs(local, SparkStudies.write(result, dir.resolve("spark")), "small");
  }

  @Test
  void anExecutorThatReadsAnotherDataFileOfTheSameSizeFailsNamingIt(JavaSparkContext spark) throws Exception {
    Path data = Files.writeString(dir.resolve("fertility.txt"), SparkStudies.FERTILITY_ROWS);
    StudySource source = SparkStudies.source(SparkStudies.FERTILITY, dir);
    Study study = source.parse();
    // The executors' copy: the same rows in another order (same size, same row count, other numbers).
    List<String> rows = new ArrayList<>(SparkStudies.FERTILITY_ROWS.lines().toList());
    Collections.reverse(rows);
    String reordered = String.join("\n", rows) + "\n";
    assertEquals(SparkStudies.FERTILITY_ROWS.length(), reordered.length());
    String path = data.toString(); // a Path is not serializable: the fault captures the text
    replaced = false;
    // Before any task parses the study (on a local master the executor is this JVM, the driver has parsed
    // it): the first task to start replaces the file, and the others wait for it.
    BlockFault replaceOnce = block -> {
      synchronized (SparkStudyRunnerTest.class) {
        if (!replaced) {
          try {
            Path tmp = Files.writeString(Path.of(path + ".tmp"), reordered);
            Files.move(tmp, Path.of(path), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          replaced = true;
        }
      }
    };
    InputException e = assertThrows(InputException.class,
        () -> new SparkStudyRunner(spark, source, 2, replaceOnce).run(study, ProgressListener.none()));
    assertTrue(e.getMessage().startsWith("data file " + data + ": its contents differ between the driver and "
        + "executor driver (127.0.0.1) (same size, " + reordered.length() + " bytes, but SHA-256 "), e.getMessage());
    assertTrue(e.getMessage().endsWith("there): every machine must have the same file at that path"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  /**
   * The same source run again after its data file changed (an application that keeps its context and
   * reruns a study on regenerated data): the executors parse it again rather than keep the study and
   * fingerprint of the first run, which would fail the run as if the machines' files differed.
   */
  @Test
  void aRerunAfterTheDataFileChangedReadsTheNewFile(JavaSparkContext spark) throws Exception {
    Path data = Files.writeString(dir.resolve("fertility.txt"), SparkStudies.FERTILITY_ROWS);
    StudySource source = SparkStudies.source(SparkStudies.FERTILITY, dir);
    new SparkStudyRunner(spark, source, 2).run(source.parse(), ProgressListener.none());
    // Regenerated in place of the old one: the same rows in another order (same size and row count).
    List<String> rows = new ArrayList<>(SparkStudies.FERTILITY_ROWS.lines().toList());
    Collections.reverse(rows);
    Path tmp = Files.writeString(dir.resolve("fertility.txt.tmp"), String.join("\n", rows) + "\n");
    Files.move(tmp, data, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Path local = SparkStudies.local(source, dir.resolve("local"));
    StudyResult again = new SparkStudyRunner(spark, source, 2).run(source.parse(), ProgressListener.none());
    SparkStudies.assertSameOutputs(local, SparkStudies.write(again, dir.resolve("spark")), "small");
  }

  /** Blocks started in {@link #aDataFileChangedWhileTheJobRunsDoesNotChangeTheStudyUnderIt}. */
  private static final AtomicInteger STARTED_MID_RUN = new AtomicInteger();

  /**
   * A data file replaced while the job runs, after this JVM's executor parsed the study: its later
   * blocks keep the study the driver parsed (the outputs are the old file's), rather than parse the new
   * file and fail the run.
   */
  @Test
  void aDataFileChangedWhileTheJobRunsDoesNotChangeTheStudyUnderIt(JavaSparkContext spark) throws Exception {
    Path data = Files.writeString(dir.resolve("fertility.txt"), SparkStudies.FERTILITY_ROWS);
    StudySource source = SparkStudies.source(SparkStudies.FERTILITY, dir);
    Path local = SparkStudies.local(source, dir.resolve("local"));
    List<String> rows = new ArrayList<>(SparkStudies.FERTILITY_ROWS.lines().toList());
    Collections.reverse(rows);
    String reordered = String.join("\n", rows) + "\n";
    String path = data.toString();
    STARTED_MID_RUN.set(0);
    // Two task threads: when the third block starts, one of the first two has parsed the study.
    BlockFault replaceAtThird = block -> {
      if (STARTED_MID_RUN.incrementAndGet() == 3) {
        try {
          Path tmp = Files.writeString(Path.of(path + ".tmp"), reordered);
          Files.move(tmp, Path.of(path), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
    StudyResult result = new SparkStudyRunner(spark, source, 4, replaceAtThird).run(source.parse(),
        ProgressListener.none());
    assertEquals(8, STARTED_MID_RUN.get());
    SparkStudies.assertSameOutputs(local, SparkStudies.write(result, dir.resolve("spark")), "small");
  }

  /**
   * With --blocks given on a cluster whose cores only registered executors tell, the engine line waits
   * for none (nothing needs the cores) and leaves them out; without --blocks it waits, as the default
   * block count needs them (a fake cluster and clock: two 4-core executors registering at 3 s).
   */
  @Test
  void givenBlocksTheEngineLineWaitsForNoExecutor(JavaSparkContext spark) {
    StudySource source = SparkStudies.source(SparkStudies.SMALL, dir);
    Study study = source.parse();
    ClusterCoresTest.FakeCluster cluster = new ClusterCoresTest.FakeCluster(4, 3.0, 3.0);
    SparkStudyRunner given = new SparkStudyRunner(spark, source, 3, BlockFault.NONE, Long.MAX_VALUE,
        ClusterCoresTest.conf("spark://h:7077"), cluster, () -> cluster.nowNanos);
    assertEquals("spark " + spark.master() + ", 3 blocks per policy", given.describe(study));
    assertEquals(0, cluster.polls, "no executor was waited for");
    assertEquals(0L, cluster.nowNanos);
    SparkStudyRunner configured = new SparkStudyRunner(spark, source, 3, BlockFault.NONE, Long.MAX_VALUE,
        ClusterCoresTest.conf("spark://h:7077", "spark.cores.max", "16"), cluster, () -> cluster.nowNanos);
    assertEquals("spark " + spark.master() + " (16 cores), 3 blocks per policy", configured.describe(study));
    SparkStudyRunner automatic = new SparkStudyRunner(spark, source, 0, BlockFault.NONE, Long.MAX_VALUE,
        ClusterCoresTest.conf("spark://h:7077"), cluster, () -> cluster.nowNanos);
    // 8 cores, two tasks each, over 3 policies: 6 blocks.
    assertEquals("spark " + spark.master() + " (8 cores), 6 blocks per policy", automatic.describe(study));
    assertTrue(cluster.nowNanos >= 3_000_000_000L, "waited for the executors: " + cluster.nowNanos);
  }
}
