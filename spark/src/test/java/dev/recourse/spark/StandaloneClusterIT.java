package dev.recourse.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Spark standalone cluster on 127.0.0.1: a master and a worker, each its own JVM started from the
 * Maven jars, and the job jar submitted to it with {@code SparkSubmit} (what {@code spark-submit}
 * runs) in a third JVM; its outputs must be the local runner's. Runs in {@code -Pspark-standalone}
 * (after {@code package}, which builds the job jar). Every process is stopped at the end, and
 * everything they write stays in the test's temporary directory.
 */
class StandaloneClusterIT {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
  /** More than Spark's floor of 2, which the default block count saw before the executor registered. */
  private static final int WORKER_CORES = 4;

  @TempDir
  Path dir;

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stopEverything() throws InterruptedException {
    // The worker first: it kills its executors on the way down.
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theJobJarOnAStandaloneClusterWritesTheLocalOutputs() throws Exception {
    String jobJarProperty = System.getProperty("recourse.spark.jobJar");
    assumeTrue(jobJarProperty != null, "runs in the spark-standalone profile (failsafe, after package)");
    Path jobJar = Path.of(jobJarProperty);
    String sparkClassPath = Files.readString(Path.of(System.getProperty("recourse.spark.classpath"))).strip();
    assertTrue(Files.isRegularFile(jobJar), jobJar + " (mvn package builds it)");

    // What spark-submit and the worker expect of SPARK_HOME: the Spark jars in jars/.
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (String entry : sparkClassPath.split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar);
    }
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1", "SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("local")).toString(),
        "JAVA_HOME", System.getProperty("java.home"));

    int masterPort = freePort();
    String master = "spark://127.0.0.1:" + masterPort;
    Path masterLog = dir.resolve("master.log");
    start(env, sparkClassPath, masterLog, "-Xmx256m", "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", String.valueOf(masterPort), "--webui-port", "0");
    Path workerLog = dir.resolve("worker.log");
    start(env, sparkClassPath, workerLog, "-Xmx256m", "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", String.valueOf(WORKER_CORES),
        "--memory", "1g",
        "--work-dir", Files.createDirectories(dir.resolve("work")).toString(), master);
    awaitLine(masterLog, "Registering worker", START_TIMEOUT);

    Path study = Files.writeString(dir.resolve("small.yaml"), SparkStudies.SMALL);
    Path out = dir.resolve("out");
    Path driverLog = dir.resolve("driver.log");
    // The spark-submit line of the README, as the JVM bin/spark-submit would start, without --blocks: the
    // default is computed once the executor registered (before, Spark counts 2 cores).
    Process driver = start(env, sparkClassPath, driverLog, "-Xmx512m", "org.apache.spark.deploy.SparkSubmit",
        "--master", master, "--deploy-mode", "client", "--class", "dev.recourse.spark.SparkStudyJob",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=512m",
        jobJar.toString(), study.toString(), "--out", out.toString());
    boolean finished = driver.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertTrue(finished, () -> "the job did not finish in " + JOB_TIMEOUT + "\n" + logs(driverLog, masterLog, workerLog));
    assertEquals(0, driver.exitValue(), () -> logs(driverLog, masterLog, workerLog));
    // 4 cores, two tasks each, over 3 policies: 3 blocks of 8 replications (2, 3 and 3).
    assertTrue(Files.readString(driverLog).contains("engine: spark " + master + " (" + WORKER_CORES + " cores), "
        + "3 blocks per policy"), () -> logs(driverLog));

    Path local = dir.resolve("local-run");
    // As many threads as the cluster has cores: the summary records them.
    SparkCliTest.Run run = SparkCliTest.recourse("run", study.toString(), "--threads", String.valueOf(WORKER_CORES),
        "--quiet", "--out", local.toString());
    assertEquals(0, run.exitCode(), run.err());
    SparkStudies.assertSameOutputs(local, out, "small");
  }

  private Process start(Map<String, String> env, String classPath, Path log, String heap, String mainClass,
                        String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.addAll(SparkSettings.JDK_OPTIONS);
    command.add("-cp");
    command.add(classPath);
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void awaitLine(Path log, String text, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      for (Process p : processes) {
        assertTrue(p.isAlive(), () -> "a cluster process exited: " + p.info() + "\n" + logs(log));
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no '" + text + "' within " + timeout + "\n" + logs(log));
  }

  private static String logs(Path... logs) {
    StringBuilder s = new StringBuilder();
    for (Path log : logs) {
      try {
        s.append("--- ").append(log.getFileName()).append(" ---\n").append(Files.readString(log));
      } catch (IOException e) {
        s.append("(").append(e).append(")\n");
      }
    }
    return s.toString();
  }
}
