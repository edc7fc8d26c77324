package dev.recourse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.recourse.sim.run.Study;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fingerprint covers the contents of every data file a study reads; each file is hashed once per change. */
class StudyFingerprintTest {

  @TempDir
  Path dir;

  @Test
  void aDataFileOfTheSameSizeAndRowsWithOtherContentsChangesTheFingerprint() throws Exception {
    Path data = Files.writeString(dir.resolve("fertility.txt"), SparkStudies.FERTILITY_ROWS);
    Study study = SparkStudies.source(SparkStudies.FERTILITY, dir).parse();
    FileDigests digests = new FileDigests();
    StudyFingerprint before = StudyFingerprint.of(study, digests);
    assertEquals(List.of(new StudyFingerprint.DataFile(data.toString(), Files.size(data), sha256(data))),
        before.dataFiles());

    // The same rows with two swapped: what the parameters record (path, patients) stays the same.
    List<String> rows = SparkStudies.FERTILITY_ROWS.lines().toList();
    String swapped = rows.get(1) + "\n" + rows.get(0) + "\n"
        + String.join("\n", rows.subList(2, rows.size())) + "\n";
    replace(data, swapped);
    Study other = SparkStudies.source(SparkStudies.FERTILITY, dir).parse();
    StudyFingerprint after = StudyFingerprint.of(other, digests);
    assertEquals(before.study(), after.study(), "the parameters alone do not see the change");
    assertNotEquals(before, after);
    assertEquals("data file " + data + ": its contents differ between the driver and executor 1 (h) (same size, "
        + Files.size(data) + " bytes, but SHA-256 " + before.dataFiles().getFirst().sha256().substring(0, 12)
        + "… on the driver, " + sha256(data).substring(0, 12) + "… there)",
        before.dataFileDifference(after, "executor 1 (h)"));
    assertNull(after.dataFileDifference(StudyFingerprint.of(other, digests), "executor 1 (h)"));
  }

  @Test
  void aFileIsHashedAgainOnlyWhenItChanges() throws Exception {
    Path file = Files.writeString(dir.resolve("a.csv"), "x,y\n1,2\n");
    FileDigests digests = new FileDigests();
    FileDigests.Digest first = digests.of(file);
    assertEquals(new FileDigests.Digest(8, sha256(file)), first);
    for (int block = 0; block < 3; block++) {
      assertEquals(first, digests.of(file));
    }
    assertEquals(1, digests.computed(), "the blocks of a job read the file once");
    replace(file, "x,y\n3,4\n");
    FileDigests.Digest second = digests.of(file);
    assertEquals(new FileDigests.Digest(8, sha256(file)), second);
    assertNotEquals(first, second);
    assertEquals(2, digests.computed());
  }

  @Test
  void dataFilesNestedInTheParametersAreFound() throws Exception {
    // A response-db reward network: a file under scenario.reward.mlp, not at the top of the scenario.
    Path mlp = Files.writeString(dir.resolve("reward.json"), """
        {"inputs": ["optimism"], "hidden_weights": [[1.0]], "hidden_bias": [0.0], "output_weights": [1.0],
         "output_bias": 0.0}
        """);
    String yaml = """
        name: small
        seed: 7
        horizon: 50
        replications: 2
        checkpoints: 5
        scenario:
          type: response-db
          db: synthetic
          responses_per_cell: 5
          context_columns: []
          embedding: [optimism]
          reward: {mlp: reward.json}
          prompts: [1, 2]
        policies:
          - {type: std-ts}
        """;
    Study study = SparkStudies.source(yaml, dir).parse();
    assertEquals(List.of(new StudyFingerprint.DataFile(mlp.toString(), Files.size(mlp), sha256(mlp))),
        StudyFingerprint.of(study, new FileDigests()).dataFiles());
  }

  /** Replaces {@code file} with a copy moved into place: a new inode, whatever the modification time shows. */
  private static void replace(Path file, String text) throws Exception {
    Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), text);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
