package dev.recourse.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One Spark context for the whole test JVM (starting one takes seconds), resolved as a
 * {@link JavaSparkContext} parameter. Master {@code local[2,4]}: two task threads, and a task may fail
 * up to 4 times before its job does (plain {@code local[2]} never retries). Spark's local directories
 * live in a temporary directory that is deleted, with the context stopped, when the tests end.
 */
final class SharedSparkContext implements ParameterResolver {

  static final String MASTER = "local[2,4]";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
    return parameter.getParameter().getType() == JavaSparkContext.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
    return extension.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Resource.class, k -> new Resource(), Resource.class).spark;
  }

  private static final class Resource implements ExtensionContext.Store.CloseableResource {

    private final Path localDir;
    private final JavaSparkContext spark;

    Resource() {
      try {
        localDir = Files.createTempDirectory("recourse-spark-test");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      SparkConf conf = SparkSettings.apply(new SparkConf(), MASTER, "recourse tests")
          .set("spark.local.dir", localDir.toString());
      spark = new JavaSparkContext(conf);
    }

    @Override
    public void close() throws IOException {
      try {
        spark.stop();
      } finally {
        try (Stream<Path> paths = Files.walk(localDir)) {
          for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
  }
}
