package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's ahead-of-time cache (issue #17): {@code ./recourse} runs the same with and without
 * it, builds it once, and ignores a corrupt one or a JDK that cannot make one, without a word on
 * stdout or stderr. Each test runs the real launcher script in a scratch root whose
 * {@code sim/target/recourse.jar} is this build's classes (jarred: the JVM caches only classes from
 * jars) with its dependencies on the manifest's {@code Class-Path}; there are no sources there, so the
 * launcher never calls Maven.
 */
class LauncherAotCacheTest {

  private static final Path LAUNCHER = Path.of("..", "recourse");
  private static final Path FIND_JDK = Path.of("..", ".mvn", "find-jdk.sh");
  private static final String BUILDING = "ahead-of-time cache";

  @TempDir
  Path root;
  private Path jar;
  private Path cache;

  @BeforeEach
  void setUpRoot() throws IOException {
    Files.copy(LAUNCHER, root.resolve("recourse"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(root.resolve(".mvn"));
    Files.copy(FIND_JDK, root.resolve(".mvn").resolve("find-jdk.sh"));
    Path target = Files.createDirectories(root.resolve("sim").resolve("target"));
    Path lib = Files.createDirectories(target.resolve("lib"));
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : classPath.split(File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.isEmpty() || !Files.exists(p) || p.toString().contains("test-classes")) {
        continue;
      }
      String name = "cp" + (n++) + ".jar";
      if (Files.isDirectory(p)) {
        jarDirectory(p, lib.resolve(name));
      } else {
        Files.copy(p, lib.resolve(name));
      }
      entries.add("lib/" + name);
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", entries));
    jar = target.resolve("recourse.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
      out.flush();
    }
    cache = target.resolve("recourse.aot");
  }

  private static void jarDirectory(Path dir, Path jarFile) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jarFile));
         Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, out);
        out.closeEntry();
      }
    }
  }

  private record Run(int code, String out, String err) {}

  private Run launch(Map<String, String> env, String... args) throws Exception {
    Path out = root.resolve("stdout.txt");
    Path err = root.resolve("stderr.txt");
    Process p = start(env, out, err, args);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "launcher timed out");
    Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return run;
  }

  private Process start(Map<String, String> env, Path out, Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(root.resolve("recourse").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
    pb.environment().remove("RECOURSE_JAVA_OPTS");
    pb.environment().remove("RECOURSE_AOT");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    return pb.redirectOutput(out.toFile()).redirectError(err.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
  }

  private static void assertNoAotNoise(Run run) {
    for (String text : List.of(run.out(), run.err())) {
      assertFalse(text.contains("[aot") || text.contains("[cds") || text.contains("AOT cache")
          || text.contains("AOTConfiguration") || text.contains("JAVA_TOOL_OPTIONS"), run.toString());
    }
  }

  private List<String> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(cache.getParent())) {
      return files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("recourse.aot.tmp")).toList();
    }
  }

  @Test
  void buildsTheCacheOnceUsesItAndPrintsTheSameWithout() throws Exception {
    Run without = launch(Map.of("RECOURSE_AOT", "0"), "--version");
    assertEquals(0, without.code(), without.toString());
    assertTrue(without.out().startsWith("recourse "), without.toString());
    assertFalse(Files.exists(cache), "RECOURSE_AOT=0 made a cache");

    Run first = launch(Map.of(), "--version");
    assertEquals(0, first.code(), first.toString());
    assertEquals(without.out(), first.out());
    assertTrue(first.err().contains(BUILDING), first.toString());
    assertTrue(Files.size(cache) > 0, "no cache after the first run");
    assertEquals(List.of(), leftovers());
    assertNoAotNoise(first);

    Run second = launch(Map.of(), "--version");
    assertEquals(0, second.code(), second.toString());
    assertEquals(without.out(), second.out());
    assertFalse(second.err().contains(BUILDING), "built twice: " + second);
    assertNoAotNoise(second);

    // The JVM really maps it (the launcher's own -Xlog:aot*=off comes first, so this wins).
    Run logged = launch(Map.of("RECOURSE_JAVA_OPTS", "-Xlog:aot=info"), "--version");
    assertTrue(logged.out().contains("Opened AOT cache " + cache), logged.toString());
  }

  /** A cache made by another JDK (which this one would silently ignore) is made again for this one. */
  @Test
  void aCacheOfAnotherJdkIsMadeAgain() throws Exception {
    Run first = launch(Map.of(), "--version");
    assertTrue(first.err().contains(BUILDING), first.toString());
    Path stamp = cache.resolveSibling("recourse.aot.jdk");
    String ours = Files.readString(stamp);
    assertTrue(ours.contains(Path.of(System.getProperty("java.home")).toRealPath().toString()), ours);
    Files.writeString(stamp, "/opt/another-jdk/bin/java 1 2\n");
    Run other = launch(Map.of(), "--version");
    assertEquals(0, other.code(), other.toString());
    assertEquals(first.out(), other.out());
    assertTrue(other.err().contains(BUILDING), "a cache of another JDK was kept: " + other);
    assertEquals(ours, Files.readString(stamp));
    assertEquals(List.of(), leftovers());
    assertNoAotNoise(other);
  }

  /** SIGTERM to the launcher while it builds the cache: the training JVMs stop, their files go. */
  @Test
  void aLauncherStoppedWhileBuildingLeavesNothingBehind() throws Exception {
    Process p = start(Map.of(), root.resolve("stdout.txt"), root.resolve("stderr.txt"), "--version");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (leftovers().isEmpty()) {
      assertTrue(System.nanoTime() < deadline && p.isAlive(), "the launcher never started building");
      Thread.sleep(20);
    }
    Thread.sleep(1000);
    p.destroy();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(130, p.exitValue(), Files.readString(root.resolve("stderr.txt")));
    String marker = "-XX:AOTCacheOutput=" + cache;
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.allProcesses().anyMatch(h -> h.info().arguments()
        .map(a -> String.join(" ", a).contains(marker)).orElse(false))) {
      assertTrue(System.nanoTime() < deadline, "a training JVM outlived the launcher");
      Thread.sleep(50);
    }
    assertEquals(List.of(), leftovers());
    assertFalse(Files.exists(cache));
  }

  @Test
  void aCorruptCacheIsIgnoredSilently() throws Exception {
    Run without = launch(Map.of("RECOURSE_AOT", "0"), "--version");
    launch(Map.of(), "--version"); // a cache, and its record of the JDK that made it
    byte[] junk = new byte[1 << 16];
    new java.util.Random(1).nextBytes(junk);
    Files.write(cache, junk);
    Files.setLastModifiedTime(cache, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    Run corrupt = launch(Map.of(), "--version");
    assertEquals(0, corrupt.code(), corrupt.toString());
    assertEquals(without.out(), corrupt.out());
    assertFalse(corrupt.err().contains(BUILDING), corrupt.toString());
    assertNoAotNoise(corrupt);
  }

  @Test
  void aJdkThatCannotBuildOneIsNotAskedTwice() throws Exception {
    // A JDK 25 whose java rejects -XX:AOTCacheOutput, as one without the feature would.
    Path jdk = Files.createDirectories(root.resolve("jdk").resolve("bin"));
    Path realHome = Path.of(System.getProperty("java.home"));
    Files.copy(realHome.resolve("release"), jdk.getParent().resolve("release"));
    Files.createSymbolicLink(jdk.resolve("javac"), realHome.resolve("bin").resolve("javac"));
    Path java = jdk.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\n"
        + "for a in \"$@\"; do case \"$a\" in -XX:AOTCacheOutput=*) "
        + "echo \"Unrecognized VM option '${a#-XX:}'\" >&2; exit 1;; esac; done\n"
        + "exec '" + realHome.resolve("bin").resolve("java") + "' \"$@\"\n");
    assertTrue(java.toFile().setExecutable(true));
    Map<String, String> env = Map.of("JAVA_HOME", jdk.getParent().toString());

    Run first = launch(env, "--version");
    assertEquals(0, first.code(), first.toString());
    assertTrue(first.out().startsWith("recourse "), first.toString());
    assertFalse(Files.exists(cache));
    assertTrue(Files.readString(cache.resolveSibling("recourse.aot.failed")).contains("Unrecognized VM option"));
    assertEquals(List.of(), leftovers());
    assertNoAotNoise(first);

    Run second = launch(env, "--version");
    assertEquals(0, second.code(), second.toString());
    assertEquals(first.out(), second.out());
    assertFalse(second.err().contains(BUILDING), "tried again: " + second);
  }
}
