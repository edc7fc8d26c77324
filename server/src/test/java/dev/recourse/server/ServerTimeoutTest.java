package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK server's request time limit: a request that stops arriving (a body shorter than its
 * Content-Length, headers never finished) has its connection closed instead of holding it forever.
 * The JDK reads the limit once per JVM, so the end-to-end test runs {@code recourse serve} in a child
 * JVM with a 1-second limit set the way a user overrides it ({@code -Dsun.net.httpserver.maxReqTime});
 * the default of 30 s (too long to wait for here) is checked on the configuration code.
 */
class ServerTimeoutTest {

  static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) ");

  @TempDir
  Path dir;

  @Test
  void defaultsAreSetUnlessTheUserSetThem() {
    Properties none = new Properties();
    assertEquals(List.of(HttpLimits.MAX_REQ_TIME, HttpLimits.IDLE_INTERVAL), HttpLimits.applyDefaults(none));
    assertEquals("30", none.getProperty(HttpLimits.MAX_REQ_TIME));
    assertEquals("30", none.getProperty(HttpLimits.IDLE_INTERVAL));
    assertEquals(null, none.getProperty(HttpLimits.MAX_RSP_TIME), "responses: no limit");

    Properties user = new Properties();
    user.setProperty(HttpLimits.MAX_REQ_TIME, "5");
    user.setProperty(HttpLimits.IDLE_INTERVAL, "0");
    assertEquals(List.of(), HttpLimits.applyDefaults(user));
    assertEquals("5", user.getProperty(HttpLimits.MAX_REQ_TIME), "the user's value is kept");
    assertEquals("0", user.getProperty(HttpLimits.IDLE_INTERVAL));
    assertEquals("5 s", HttpLimits.requestLimit(user));
    assertEquals("30 s", HttpLimits.requestLimit(none));
    user.setProperty(HttpLimits.MAX_REQ_TIME, "0");
    assertEquals("no limit", HttpLimits.requestLimit(user));
  }

  private Process serve(Path stderr, String... jvmOptions) throws IOException {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, ServerBadRequestTest.CONFIG);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m"));
    command.addAll(List.of(jvmOptions));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServeCommand.class.getName(), "--policy",
        policy.toString(), "--port", "0", "--deciders", "1"));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile())).start();
  }

  private static int port(Process child, Path stderr) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    Matcher m = LISTENING.matcher(line == null ? "" : line);
    assertTrue(m.find(), "the child announces its port: " + line + "\n" + Files.readString(stderr));
    return Integer.parseInt(m.group(1));
  }

  private static void stop(Process child) throws InterruptedException {
    child.destroy();
    if (!child.waitFor(30, TimeUnit.SECONDS)) {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void serveSetsTheDefaultAndSaysSo() throws Exception {
    Path stderr = dir.resolve("stderr-default.txt");
    Process child = serve(stderr);
    try {
      port(child, stderr);
      assertTrue(Files.readString(stderr).contains("requests must arrive within 30 s (-Dsun.net.httpserver.maxReqTime"),
          Files.readString(stderr));
    } finally {
      stop(child);
    }
  }

  @Test
  void aStalledRequestIsClosedAfterTheRequestTimeLimit() throws Exception {
    Path stderr = dir.resolve("stderr.txt");
    Process child = serve(stderr, "-Dsun.net.httpserver.maxReqTime=1");
    try {
      int port = port(child, stderr);
      assertTrue(Files.readString(stderr).contains("requests must arrive within 1 s"), Files.readString(stderr));
      String shortBody = "POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"context\"";
      String unfinishedHeaders = "POST /v1/decide HTTP/1.1\r\nHost: x\r\nContent-Le";
      for (String stalled : List.of(shortBody, unfinishedHeaders)) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
          socket.setSoTimeout(15_000);
          long t0 = System.nanoTime();
          socket.getOutputStream().write(stalled.getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          readUntilClosed(socket.getInputStream());
          double seconds = (System.nanoTime() - t0) / 1e9;
          assertTrue(seconds >= 0.9 && seconds < 10, "closed after the 1 s limit (checked each second), took "
              + seconds + " s: " + stalled.replace("\r\n", "\\r\\n"));
        }
      }
      Http.Response ok = new Http(port).post("/v1/decide", "{\"context\": [1, 2, 3]}");
      assertEquals(200, ok.status(), "still serving: " + ok.body());
    } finally {
      stop(child);
    }
  }

  /** Reads until end of stream or a reset; fails on the socket's read timeout (the connection was held). */
  private static void readUntilClosed(InputStream in) {
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // whatever the server sends before closing: read on to the end
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the stalled connection was still open after 15 s", e);
    } catch (IOException e) {
      // reset by the server: closed too
    }
  }
}
