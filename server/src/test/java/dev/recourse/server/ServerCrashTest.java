package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end test: {@code recourse serve} as a child JVM on a free loopback port, seeded
 * decide/outcome/arm traffic, SIGKILL right after the last acknowledgement, a restart from the same
 * state directory; three times over (fsync always, interval, never), then a SIGTERM (last snapshot) and a last restart. After every
 * restart the server decides exactly as an in-process reference fed the acknowledged outcomes in
 * the order they were acknowledged: none was lost, none applied twice.
 */
class ServerCrashTest {

  static final String CONFIG = """
      dim: 5
      arms: 3
      max_arms: 4
      feasible: {mutable: [3, 4], ball: l2, radius: 1.0}
      pending: {capacity: 4096, expiry_seconds: 3600}
      policy: {type: glrb, radius: 0.6, lambda: 1.0}
      """;
  static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");

  @TempDir
  Path dir;

  private Process child;
  private int port;

  private void start(Path policy, Path state, Path stderr, String fsync) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path")));
    String simd = System.getProperty("recourse.simd"); // the same kernels as the reference: the same bits
    if (simd != null) {
      command.add("-Drecourse.simd=" + simd);
    }
    command.addAll(List.of(ServeCommand.class.getName(), "--policy", policy.toString(), "--port", "0",
        "--state-dir", state.toString(), "--snapshot-every-outcomes", "40", "--deciders", "2", "--fsync", fsync, "--fsync-interval-ms", "20"));
    child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher m = LISTENING.matcher(line == null ? "" : line);
    assertTrue(m.find(), "the child announces its port: " + line + "\n" + Files.readString(stderr));
    port = Integer.parseInt(m.group(1));
  }

  @Test
  void sigkillAfterAcknowledgedOutcomesLosesNone() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, CONFIG);
    Path state = dir.resolve("state");
    Path stderr = dir.resolve("stderr.txt");
    Traffic t = new Traffic(PolicyService.of(ServiceConfig.parse(CONFIG)), 99);
    try {
      String[] fsync = {"always", "interval", "never"}; // a killed process loses nothing under any of them
      for (int life = 0; life < 3; life++) {
        start(policy, state, stderr, fsync[life]);
        Http http = new Http(port);
        if (life > 0) {
          t.assertSameDecisions(http, 8, "after SIGKILL " + life);
          // A decision made before the kill, never answered: kept if the last snapshot saw it pending,
          // else unknown; never misapplied (the reference learns it only if the server did).
          JsonNode lost = t.open.poll();
          Http.Response r = http.post("/v1/outcome", "{\"decision_id\": " + lost.get("decision_id") + ", \"reward\": 1}");
          if (r.status() == 200) {
            double[] played = ServerHttpTest.doubles(lost.get("recourse"));
            t.reference.update(lost.get("arm").asInt(), played, played, 1.0);
          } else {
            assertEquals(404, r.status(), r.body());
          }
          t.open.clear();
        }
        t.run(http, 70);
        if (life == 0) {
          t.addArm(http);
        } else if (life == 1) {
          t.retireArm(http, 0);
        }
        t.run(http, 13 + life); // outcomes after the last periodic snapshot: only the log has them
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue(), "killed by SIGKILL");
      }
      start(policy, state, stderr, "always");
      t.open.clear();
      Http http = new Http(port);
      t.assertSameDecisions(http, 8, "after SIGKILL 3");
      t.run(http, 10);
      child.destroy(); // SIGTERM: a last snapshot, then exit
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(143, child.exitValue(), "stopped by SIGTERM");
      start(policy, state, stderr, "interval");
      t.assertSameDecisions(new Http(port), 8, "after SIGTERM");
      assertTrue(Files.readString(stderr).contains("+ 0 log records"), "SIGTERM snapshotted: nothing to replay\n"
          + Files.readString(stderr));
      assertTrue(t.acknowledged > 200, "traffic: " + t.acknowledged);
    } finally {
      if (child != null && child.isAlive()) {
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
