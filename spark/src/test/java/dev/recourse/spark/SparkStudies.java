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
