package dev.recourse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job's command line: `recourse run` with its arguments, the Spark engine and --quiet added once;
 * --threads, which the Spark engine would not use, refused.
 */
class SparkStudyJobTest {

  @Test
  void addsTheEngineAndQuietUnlessGivenInEitherSpelling() {
    assertEquals(List.of("run", "s.yaml", "--engine", "spark", "--quiet"),
        SparkStudyJob.command(new String[] {"s.yaml"}));
    assertEquals(List.of("run", "s.yaml", "--engine=spark", "--quiet"),
        SparkStudyJob.command(new String[] {"s.yaml", "--engine=spark"}));
    assertEquals(List.of("run", "s.yaml", "--engine", "spark", "--quiet"),
        SparkStudyJob.command(new String[] {"s.yaml", "--engine", "spark", "--quiet"}));
  }

  @Test
  void threadsIsRefusedWithTheSparkEngineInOneLine() {
    for (String[] args : List.of(new String[] {"s.yaml", "--threads", "4"}, new String[] {"s.yaml", "--threads=4"},
        new String[] {"s.yaml", "--engine=spark", "--threads", "4"})) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      assertEquals(2, SparkStudyJob.execute(new PrintWriter(out), new PrintWriter(err), args));
      assertEquals("error: --threads applies to the local engine; with --engine spark the executors' cores set the "
          + "parallelism\n", err.toString());
      assertEquals("", out.toString());
    }
    // The local engine on the driver reads it.
    assertEquals(List.of("run", "s.yaml", "--engine", "local", "--threads", "4", "--quiet"),
        SparkStudyJob.command(new String[] {"s.yaml", "--engine", "local", "--threads", "4"}));
  }
}
