package dev.recourse.sim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recourse.sim.env.SyntheticScenario;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.LibraSpec;
import dev.recourse.sim.policy.LinUcbSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.RadiusSpec;
import dev.recourse.sim.run.LocalStudyRunner;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import dev.recourse.core.simd.Kernels;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyOutputsTest {

  private static StudyResult result() {
    List<PolicySpec> p = List.of(
        new LinUcbSpec("LinUCB", new RadiusSpec.Constant(1), 1),
        new LibraSpec("LIBRA", new RadiusSpec.Constant(0.5), 1, 1, new AdvisorSpec.Quality(0.8)));
    Study s = new Study("tiny", new SyntheticScenario(5, 3, 2, 1), p, 120, 3, 4, Study.evenCheckpoints(120, 12), 0);
    return new LocalStudyRunner(1, Kernels.get()).run(s, ProgressListener.none());
  }

  @Test
  void writesCsvsJsonAndPlots(@TempDir Path dir) throws IOException {
    var files = StudyOutputs.write(dir, result(), "9.9");
    assertEquals(1 + 2 * 12, Files.readAllLines(files.get("checkpoints")).size());
    assertEquals(CheckpointCsv.HEADER, Files.readAllLines(files.get("checkpoints")).get(0));
    assertEquals(1 + 2 * 3 * 5, Files.readAllLines(files.get("recourse")).size());
    JsonNode json = new ObjectMapper().readTree(files.get("summary").toFile());
    assertEquals("tiny", json.get("study").asText());
    assertEquals(4, json.get("seed").asLong());
    assertEquals(Kernels.name(), json.get("kernels").get("study").asText());
    assertTrue(json.get("policies").get(1).get("describe").asText().contains("radius=constant(alpha=0.5)"));
    assertEquals("9.9", json.get("versions").get("recourse").asText());
    for (String plot : List.of("regret_plot", "queries_plot")) {
      BufferedImage image = ImageIO.read(files.get(plot).toFile());
      assertEquals(1200, image.getWidth());
    }
  }

  /**
   * A failure half-way (the regret plot's target is a directory, so its move fails) leaves the files
   * written before it complete, the old content of the ones after it untouched, and no temporary files.
   */
  @Test
  void anInterruptedWriteLeavesCompleteFilesOrNone(@TempDir Path dir) throws IOException {
    StudyResult r = result();
    Files.writeString(dir.resolve("tiny-checkpoints.csv"), "old,half\n1,");
    Files.writeString(dir.resolve("tiny-summary.json"), "{\"old\": true}");
    Files.createDirectory(dir.resolve("tiny-regret.png"));
    Files.writeString(dir.resolve("tiny-regret.png").resolve("keep"), "x");
    assertThrows(IOException.class, () -> StudyOutputs.write(dir, r, "1"));
    List<String> csv = Files.readAllLines(dir.resolve("tiny-checkpoints.csv"));
    assertEquals(CheckpointCsv.HEADER, csv.get(0));
    assertEquals(1 + 2 * 12, csv.size());
    assertTrue(csv.get(csv.size() - 1).startsWith("LIBRA,120,3,"));
    assertEquals("{\"old\": true}", Files.readString(dir.resolve("tiny-summary.json")));
    assertFalse(Files.exists(dir.resolve("tiny-queries.png")));
    try (Stream<Path> all = Files.list(dir)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }
  }

  /** The content writer failing half-way leaves the previous file as it was. */
  @Test
  void aFailingCsvWriteKeepsThePreviousFile(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("x.csv");
    Files.writeString(target, "previous\n");
    assertThrows(IOException.class, () -> AtomicFileWriter.write(target, false, out -> {
      CheckpointCsv.writeTo(out, result());
      throw new IOException("disk full (simulated)");
    }));
    assertEquals("previous\n", Files.readString(target));
    try (Stream<Path> all = Files.list(dir)) {
      assertEquals(1, all.count());
    }
  }
}
