package dev.recourse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recourse run --engine spark} through the CLI: the engine is found by ServiceLoader, and joins
 * the test JVM's Spark context (leaving it running).
 */
@ExtendWith(SharedSparkContext.class)
class SparkCliTest {

  @TempDir
  Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run recourse(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void runOnSparkWritesTheLocalOutputs(JavaSparkContext spark) throws Exception {
    Path study = Files.writeString(dir.resolve("small.yaml"), SparkStudies.SMALL);
    Run local = recourse("run", study.toString(), "--threads", "2", "--quiet", "--out", dir.resolve("local").toString());
    assertEquals(0, local.exitCode(), local.err());
    // 3 blocks of 8 replications: blocks of unequal size (2, 3, 3).
    Run onSpark = recourse("run", study.toString(), "--engine", "spark", "--master", SharedSparkContext.MASTER,
        "--blocks", "3", "--quiet", "--out", dir.resolve("spark").toString());
    assertEquals(0, onSpark.exitCode(), onSpark.err());
    assertTrue(onSpark.err().contains("engine: spark local[2,4] (2 cores), 3 blocks per policy"), onSpark.err());
    SparkStudies.assertSameOutputs(dir.resolve("local"), dir.resolve("spark"), "small");
    assertEquals(local.out().lines().filter(l -> l.startsWith("GLRB")).toList(),
        onSpark.out().lines().filter(l -> l.startsWith("GLRB")).toList(), "the same table");
    assertFalse(spark.sc().isStopped(), "the CLI leaves a context it did not start running");
  }

  @Test
  void aMasterOtherThanTheRunningContextsIsRefused(JavaSparkContext spark) throws Exception {
    Path study = Files.writeString(dir.resolve("small.yaml"), SparkStudies.SMALL);
    // The test JVM runs local[2,4]: local[1] is not where the study would run.
    Run other = recourse("run", study.toString(), "--engine", "spark", "--master", "local[1]", "--quiet",
        "--out", dir.resolve("other").toString());
    assertEquals(2, other.exitCode(), other.err());
    assertEquals("error: --master local[1]: this JVM already runs a Spark context on local[2,4], which the study "
        + "would join; give --master local[2,4] or leave it out\n", other.err());
    assertFalse(Files.exists(dir.resolve("other")));
    assertFalse(spark.sc().isStopped(), "the running context is left as it was");
    // Without --master the study joins it.
    Run joined = recourse("run", study.toString(), "--engine", "spark", "--quiet", "--out",
        dir.resolve("joined").toString());
    assertEquals(0, joined.exitCode(), joined.err());
    assertTrue(joined.err().contains("engine: spark local[2,4] (2 cores)"), joined.err());
  }

  @Test
  void aBadStudyFileFailsOnTheDriverWithTheLocalMessage(JavaSparkContext spark) throws Exception {
    Path study = Files.writeString(dir.resolve("bad.yaml"), SparkStudies.SMALL.replace("{type: linucb}",
        "{type: linucb, radius: 3, bogus: 1}"));
    Run local = recourse("run", study.toString(), "--quiet", "--out", dir.resolve("local").toString());
    Run onSpark = recourse("run", study.toString(), "--engine", "spark", "--master", SharedSparkContext.MASTER,
        "--quiet", "--out", dir.resolve("spark").toString());
    assertEquals(2, local.exitCode(), local.err());
    assertTrue(local.err().startsWith("error: " + study + ": policies[2]"), local.err());
    assertEquals(local, onSpark, "same exit code and message, nothing else");
    assertFalse(onSpark.err().contains("engine:"), "no engine started");
    assertFalse(Files.exists(dir.resolve("spark")));
  }

  @Test
  void sparkOptionsNeedTheSparkEngine() {
    Run run = recourse("run", "--scenario", "synthetic", "--master", "local[2]");
    assertEquals(2, run.exitCode());
    assertEquals("error: --master and --blocks go with --engine spark\n", run.err());
  }
}
