package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user sees only what is theirs on stderr (issue 15): no JVM, Maven or netlib notices. */
class QuietStderrTest {

  /** The launcher, from the sim module's directory (Surefire's working directory). */
  private static final Path LAUNCHER = Path.of("..", "recourse");

  private static String launcher() throws IOException {
    return Files.readString(LAUNCHER);
  }

  /** The options the launcher gives java, from its exec line up to "-jar". */
  private static List<String> launcherJvmOptions() throws IOException {
    Matcher exec = Pattern.compile("exec \"\\$JAVA_HOME/bin/java\"(.*?)-jar", Pattern.DOTALL).matcher(launcher());
    assertTrue(exec.find(), "no exec line in " + LAUNCHER);
    List<String> options = new ArrayList<>();
    String[] words = exec.group(1).replace("\\\n", " ").trim().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      if (words[i].startsWith("--") && !words[i].contains("$")) {
        options.add(words[i]);
        if (words[i].equals("--add-modules")) {
          options.add(words[++i]);
        }
      }
    }
    return options;
  }

  /** Loads JLine's native library the way the progress bar does on a console, in a JVM started like the launcher's. */
  @Test
  void theLauncherLetsJLineLoadItsNativeLibraryWithoutWarnings(@TempDir Path dir) throws Exception {
    List<String> options = launcherJvmOptions();
    assertTrue(options.contains("--enable-native-access=ALL-UNNAMED"), options::toString);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LoadJLineNative.class.getName());
    Path err = dir.resolve("err.txt");
    Process child = new ProcessBuilder(command).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, child.exitValue(), stderr);
    assertFalse(stderr.contains("restricted method"), stderr);
  }

  /** The first build's output goes through a filter that removes Maven's colour resets. */
  @Test
  void theLauncherStripsMavensColourCodesFromTheBuildOutput() throws Exception {
    Matcher build = Pattern.compile("\"\\$root/mvnw\"[^\\n]*package[^\\n]*\\| (sed [^\\n]*) >&2").matcher(launcher());
    assertTrue(build.find(), "the build's output is not filtered in " + LAUNCHER);
    Process sed = new ProcessBuilder("bash", "-c", "printf '\\033[0m\\033[0mbuilding\\033[1;31m done\\n' | " + build.group(1))
        .redirectErrorStream(true).start();
    String out = new String(sed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(sed.waitFor(10, TimeUnit.SECONDS));
    assertEquals("building done\n", out);
  }

  /** Tests and the CLI keep netlib's "Failed to load implementation from ...JNILAPACK" to themselves. */
  @Test
  void netlibsMissingNativeLibraryNoticesAreQuiet() {
    Logger netlib = Logger.getLogger("dev.ludovic.netlib.lapack.InstanceBuilder");
    assertFalse(netlib.isLoggable(Level.WARNING), "netlib warnings reach stderr");
  }

  /** The child JVM's entry point. */
  static final class LoadJLineNative {
    public static void main(String[] args) {
      org.jline.nativ.JLineNativeLoader.initialize();
    }
  }
}
