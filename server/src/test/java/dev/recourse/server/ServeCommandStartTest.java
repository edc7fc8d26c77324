package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code recourse serve} that cannot start (the port in use, a bad option) exits 2 with a message and
 * leaves the state directory as it was: no directory created, no snapshot or log written, no start
 * number used up; one whose state directory cannot be opened lets the port go.
 */
class ServeCommandStartTest {

  @TempDir
  Path dir;

  private record Run(int exit, String stderr) {}

  private Run serve(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      return new Run(ServeCommand.run(args), captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  private static Map<String, String> contents(Path state) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(state)) {
      for (Path f : list.toList()) {
        files.put(f.getFileName().toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(f)));
      }
    }
    return files;
  }

  @Test
  void aPortInUseFailsBeforeTheStateDirectoryIsTouched() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), ServerStateTest.CONFIG);
    Path fresh = dir.resolve("fresh");
    Path used = dir.resolve("used");
    PolicyService service = PolicyService.of(ServiceConfig.parse(ServerStateTest.CONFIG));
    try (StateStore s = StateStore.open(service, used, ServerStateTest.OPTIONS, line -> {})) {
      assertEquals(1, s.recovery().epoch());
    }
    Map<String, String> before = contents(used);
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String port = Integer.toString(busy.getLocalPort());
      Run r = serve("--policy", policy.toString(), "--bind", "127.0.0.1", "--port", port, "--state-dir", fresh.toString());
      assertEquals(2, r.exit(), r.stderr());
      assertTrue(r.stderr().contains("cannot listen on 127.0.0.1:" + port + ": "), r.stderr());
      assertFalse(Files.exists(fresh), "no state directory created: " + r.stderr());

      r = serve("--policy", policy.toString(), "--bind", "127.0.0.1", "--port", port, "--state-dir", used.toString());
      assertEquals(2, r.exit(), r.stderr());
      assertEquals(before, contents(used), "no snapshot, log or start number written");
    }
  }

  @Test
  void aStateDirectoryThatCannotBeOpenedReleasesThePort() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), ServerStateTest.CONFIG);
    Path used = dir.resolve("used");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = probe.getLocalPort();
    }
    PolicyService service = PolicyService.of(ServiceConfig.parse(ServerStateTest.CONFIG));
    try (StateStore running = StateStore.open(service, used, ServerStateTest.OPTIONS, line -> {})) {
      Run r = serve("--policy", policy.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
          "--state-dir", used.toString());
      assertEquals(2, r.exit(), r.stderr());
      assertTrue(r.stderr().contains("another recourse server is using this state directory"), r.stderr());
    }
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      assertEquals(port, again.getLocalPort(), "the failed start let the port go");
    }
  }

  @Test
  void aBadHttpOptionFailsBeforeTheStateDirectoryIsTouched() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy.yaml"), ServerStateTest.CONFIG);
    Path fresh = dir.resolve("fresh");
    Run r = serve("--policy", policy.toString(), "--port", "0", "--max-body-bytes", "10", "--state-dir", fresh.toString());
    assertEquals(2, r.exit(), r.stderr());
    assertTrue(r.stderr().contains("--max-body-bytes must be >= 64, got 10"), r.stderr());
    assertFalse(r.stderr().contains("\tat "), "no stack trace: " + r.stderr());
    assertFalse(Files.exists(fresh));
  }
}
