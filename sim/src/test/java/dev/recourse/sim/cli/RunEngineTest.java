package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code run --engine}: sim alone has only the local engine, and says how to get the Spark one. */
class RunEngineTest {

  @Test
  void sparkWithoutTheSparkModuleSaysHowToBuildIt() {
    CliRun run = CliRun.of("run", "--scenario", "synthetic", "-T", "10", "-n", "1", "--engine", "spark");
    assertEquals(2, run.exitCode(), run::toString);
    assertEquals("error: --engine spark: the Spark engine is not on the class path. Build it with "
        + "'./mvnw -q -B -DskipTests -pl spark -am package' and run through ./recourse, which adds "
        + "spark/target/recourse-spark.jar and Spark's jars when --engine spark is given\n", run.err());
  }

  @Test
  void threadsIsRefusedWithAnotherEngineInOneLine() {
    CliRun run = CliRun.of("run", "--scenario", "synthetic", "-T", "10", "-n", "1", "--engine", "spark",
        "--threads", "2");
    assertEquals(2, run.exitCode(), run::toString);
    assertEquals("error: --threads applies to the local engine; with --engine spark the executors' cores set "
        + "the parallelism\n", run.err());
  }

  @Test
  void unknownEngineAndSparkOptionsWithoutSpark() {
    CliRun unknown = CliRun.of("run", "--scenario", "synthetic", "--engine", "flink");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertEquals("error: --engine: unknown engine 'flink' (local, spark)\n", unknown.err());
    CliRun blocks = CliRun.of("run", "--scenario", "synthetic", "--blocks", "4");
    assertEquals(2, blocks.exitCode(), blocks::toString);
    assertEquals("error: --master and --blocks go with --engine spark\n", blocks.err());
  }
}
