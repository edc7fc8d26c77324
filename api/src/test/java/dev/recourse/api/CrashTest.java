package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of snapshots: a child JVM updating and snapshotting in a loop is SIGKILLed at a random
 * moment, 50 times (each child resumes from the file the previous one left). After every kill the file
 * loads, and its state equals the state after exactly as many updates as its version says: one of the
 * states written, never a torn mix.
 */
class CrashTest {

  @TempDir
  Path dir;

  @Test
  void fiftyKillsNeverLeaveATornSnapshot() throws Exception {
    Path file = dir.resolve("policy.snap");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
        // a quick start: the child's work is small, its JVM's start-up is most of each cycle
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path")));
    String simd = System.getProperty("recourse.simd"); // the same kernels as this JVM: the same bits
    if (simd != null) {
      command.add("-Drecourse.simd=" + simd);
    }
    command.addAll(List.of(CrashChild.class.getName(), file.toString()));
    ServiceConfig config = ServiceConfig.parse(CrashChild.CONFIG);
    PolicyService replay = PolicyService.of(config); // advanced to each file's version
    SplittableRandom rng = new SplittableRandom(42);
    long lastVersion = 0;
    int kills = 50;
    for (int k = 0; k < kills; k++) {
      Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      assertEquals("ready", line, "child " + k + " started its loop");
      Thread.sleep(rng.nextInt(40)); // somewhere in the loop: an update, a write, a force or a rename
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue(), "killed by SIGKILL");

      byte[] bytes = Files.readAllBytes(file);
      SnapshotFormat.Contents c = SnapshotFormat.decode(bytes, "after kill " + k, config.policyType(), config.hash());
      assertTrue(c.modelVersion() >= lastVersion, "the file never goes back: " + c.modelVersion() + " < " + lastVersion);
      while (replay.version() < c.modelVersion()) {
        CrashChild.update(replay, replay.version());
      }
      assertArrayEquals(SnapshotTest.stateOf(replay), c.state(), "kill " + k + ": state of version " + c.modelVersion());
      PolicyService loads = PolicyService.of(config);
      loads.restore(file);
      lastVersion = c.modelVersion();
    }
    assertTrue(lastVersion > kills, "the children made progress: " + lastVersion + " updates");
  }
}
