package dev.recourse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The job's command line: `recourse run` with its arguments, the Spark engine and --quiet added once. */
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
}
