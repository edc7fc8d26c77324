package dev.recourse.sim.cli;

import dev.recourse.core.simd.KernelProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the project version (filtered in by Maven), the JVM, and whether the vector module
 * is present. Picocli asks for the version while building the command tree (subcommands inherit it),
 * so this must stay cheap and must not initialise {@code Kernels}, which logs its choice.
 */
final class VersionProvider implements IVersionProvider {

  private static final String RESOURCE = "recourse.properties";

  @Override
  public String[] getVersion() {
    return new String[] {
        "recourse " + projectVersion(),
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        "jdk.incubator.vector " + (KernelProvider.vectorModulePresent()
            ? "present" : "absent (start the JVM with --add-modules jdk.incubator.vector for SIMD kernels)"),
    };
  }

  static String projectVersion() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
