package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The README's embedding example, copied verbatim between the markers, compiles and runs. */
class EmbeddingExampleTest {

  /** The README block and the block in this file agree line by line (indentation aside). */
  @Test
  void readmeHoldsTheSameCode() throws java.io.IOException {
    String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Embedding in a service");
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    String block = readme.substring(start, readme.indexOf("```\n", start));
    String source = java.nio.file.Files.readString(Path.of("src/test/java/dev/recourse/api/EmbeddingExampleTest.java"));
    String marked = source.substring(source.indexOf("(verbatim) ---\n") + "(verbatim) ---\n".length(),
        source.lastIndexOf("    // --- end of the README example"));
    assertEquals(block.lines().map(String::strip).toList(), marked.lines().map(String::strip).toList());
  }

  @Test
  void readmeExampleRuns() {
    // --- README "Embedding in a service" (verbatim) ---
    ServiceConfig config = ServiceConfig.parse("""
        dim: 3
        arms: 2
        max_arms: 4                                   # room for arms added at run time
        feasible: {mutable: [2], ball: l2, radius: 0.5}
        pending: {capacity: 100000, expiry_seconds: 604800}
        policy: {type: glrb, radius: 0.5, lambda: 1.0}
        """);
    PolicyService service = PolicyService.of(config);    // thread-safe: share it

    double[] patient = {0.4, -1.2, 0.8};
    ServiceDecision d = service.decide(patient, 0, 1);   // among arms 0 and 1
    System.out.println("arm " + d.arm() + ", recourse " + Arrays.toString(d.recourse())
        + ", scores " + Arrays.toString(d.scores()) + ", widths " + Arrays.toString(d.widths()));

    service.update(d.id(), 1.0);                         // days later, from any thread
    service.update(1, new double[] {0.1, 0.2, 0.3}, 0.4); // logged data: arm, context, reward
    int added = service.addArm();                        // a new treatment, fresh prior
    service.retireArm(0);

    Path file = Path.of(System.getProperty("java.io.tmpdir"), "policy.snap");
    service.snapshot(file);                              // temp file, fsync, atomic rename
    PolicyService restarted = PolicyService.of(config);
    restarted.restore(file);                             // decides exactly as `service` would
    // --- end of the README example ---

    assertEquals(2, added);
    double[] x = {0.1, 0.5, -0.3};
    assertEquals(service.decide(x).arm(), restarted.decide(x).arm());
    assertEquals(service.decide(x).score(), restarted.decide(x).score(), 0.0);
  }
}
