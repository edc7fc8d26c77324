package dev.recourse.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.SparkConf;

/**
 * The Spark configuration a study needs on JDK 25: every executor JVM gets the vector module and the
 * java.base opens Spark uses ({@code jdk-options.txt} beside this class, which {@code ./recourse}
 * also reads for the driver JVM), and a local master binds to 127.0.0.1 without a web UI. Settings the
 * user gave ({@code --conf}, {@code spark.*} system properties) are kept; JVM options are appended.
 */
final class SparkSettings {

  /** The options of {@code jdk-options.txt}, one per line. */
  static final List<String> JDK_OPTIONS = readJdkOptions();

  private SparkSettings() {}

  /** {@code conf} with the engine's settings added; {@code master} overrides the configured master. */
  static SparkConf apply(SparkConf conf, String master, String appName) {
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster("local[*]");
    }
    conf.setIfMissing("spark.app.name", appName);
    String options = String.join(" ", JDK_OPTIONS);
    for (String key : new String[] {"spark.executor.extraJavaOptions", "spark.driver.extraJavaOptions"}) {
      String given = conf.get(key, "").trim();
      if (!given.contains("jdk.incubator.vector")) {
        conf.set(key, given.isEmpty() ? options : given + " " + options);
      }
    }
    if (conf.get("spark.master").startsWith("local")) {
      conf.setIfMissing("spark.ui.enabled", "false");
      conf.setIfMissing("spark.driver.host", "127.0.0.1");
      conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
    }
    return conf;
  }

  private static List<String> readJdkOptions() {
    try (InputStream in = SparkSettings.class.getResourceAsStream("jdk-options.txt")) {
      if (in == null) {
        throw new IllegalStateException("jdk-options.txt is missing beside " + SparkSettings.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
