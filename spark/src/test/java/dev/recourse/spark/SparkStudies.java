package dev.recourse.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.io.StudyOutputs;
import dev.recourse.sim.io.StudyParser;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.run.LocalStudyRunner;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The small study the Spark tests run, and the comparison of two runs' output files. */
final class SparkStudies {

  /**
   * Three policies (one asks an advisor, so query counts matter) on a small synthetic problem: 48,000
   * rounds, a fraction of a second of work.
   */
  static final String SMALL = """
      name: small
      seed: 7
      horizon: 2000
      replications: 8
      checkpoints: 20
      scenario: {type: synthetic, dim: 6, arms: 4}
      policies:
        - {type: glrb, radius: 3}
        - {type: libra, advisor: {type: quality, q: 0.8}}
        - {type: linucb}
      """;

  /** The first 30 patients of the UCI fertility file (nine attributes and the diagnosis). */
  static final String FERTILITY_ROWS = """
      -0.33,0.69,0,1,1,0,0.8,0,0.88,N
      -0.33,0.94,1,0,1,0,0.8,1,0.31,O
      -0.33,0.5,1,0,0,0,1,-1,0.5,N
      -0.33,0.75,0,1,1,0,1,-1,0.38,N
      -0.33,0.67,1,1,0,0,0.8,-1,0.5,O
      -0.33,0.67,1,0,1,0,0.8,0,0.5,N
      -0.33,0.67,0,0,0,-1,0.8,-1,0.44,N
      -0.33,1,1,1,1,0,0.6,-1,0.38,N
      1,0.64,0,0,1,0,0.8,-1,0.25,N
      1,0.61,1,0,0,0,1,-1,0.25,N
      1,0.67,1,1,0,-1,0.8,0,0.31,N
      1,0.78,1,1,1,0,0.6,0,0.13,N
      1,0.75,1,1,1,0,0.8,1,0.25,N
      1,0.81,1,0,0,0,1,-1,0.38,N
      1,0.94,1,1,1,0,0.2,-1,0.25,N
      1,0.81,1,1,0,0,1,1,0.5,N
      1,0.64,1,0,1,0,1,-1,0.38,N
      1,0.69,1,0,1,0,0.8,-1,0.25,O
      1,0.75,1,1,1,0,1,1,0.25,N
      1,0.67,1,0,0,0,0.8,1,0.38,O
      1,0.67,0,0,1,0,0.8,-1,0.25,N
      1,0.75,1,0,0,0,0.6,0,0.25,N
      1,0.67,1,1,0,0,0.8,-1,0.25,N
      1,0.69,1,0,1,-1,1,-1,0.44,O
      1,0.56,1,0,1,0,1,-1,0.63,N
      1,0.67,1,0,0,0,1,-1,0.25,N
      1,0.67,1,0,1,0,0.6,-1,0.38,O
      1,0.78,1,1,0,1,0.6,-1,0.38,O
      1,0.58,0,0,1,0,1,-1,0.19,N
      1,0.67,0,0,1,0,0.6,0,0.5,O
      """;

  /** A study on a data file, {@code fertility.txt} beside it (write {@link #FERTILITY_ROWS} there). */
  static final String FERTILITY = """
      name: small
      seed: 7
      horizon: 500
      replications: 4
      checkpoints: 10
      scenario: {type: fertility, data: fertility.txt}
      policies:
        - {type: glrb, radius: 1}
        - {type: linucb}
      """;

  /** The summary's fields that say how long the run took, not what it computed. */
  static final List<String> TIMING_FIELDS = List.of("wall_seconds", "cpu_seconds", "cpu_microseconds_per_round",
      "rounds_per_second");

  private SparkStudies() {}

  static StudySource source(String yaml, Path dir) {
    JsonNode tree = StudyParser.parseTree(yaml, false, "small.yaml");
    return StudySource.of(tree, "small.yaml", dir, "small");
  }

  /** Runs {@code source} on the local thread pool (two threads) and writes its outputs to {@code dir}. */
  static Path local(StudySource source, Path dir) throws IOException {
    StudyResult result = new LocalStudyRunner(2, Kernels.get()).run(source.parse(), ProgressListener.none());
    StudyOutputs.write(dir, result, "test");
    return dir;
  }

  static Path write(StudyResult result, Path dir) throws IOException {
    StudyOutputs.write(dir, result, "test");
    return dir;
  }

  /** The checkpoint and recourse CSVs are the same bytes; the summaries are equal but for timing. */
  static void assertSameOutputs(Path expected, Path actual, String name) throws IOException {
    for (String file : List.of(name + "-checkpoints.csv", name + "-recourse.csv")) {
      assertArrayEquals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file)), file);
    }
    String summary = name + "-summary.json";
    assertEquals(withoutTiming(expected.resolve(summary)), withoutTiming(actual.resolve(summary)), summary);
  }

  static String withoutTiming(Path summary) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode root = (ObjectNode) json.readTree(summary.toFile());
    root.remove(TIMING_FIELDS);
    return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }
}
