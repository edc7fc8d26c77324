package dev.recourse.spark;

import dev.recourse.sim.cli.StudyEngine;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.PrintWriter;
import java.util.UUID;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code recourse run --engine spark}: found by the CLI through {@link java.util.ServiceLoader}. Starts
 * a Spark context for the run (or joins the one already running in this JVM, which it then leaves
 * running; a {@code --master} other than its master is refused) and stops it afterwards. The master is
 * {@code --master}, else {@code spark.master} (set by {@code spark-submit}), else {@code local[*]}.
 */
public final class SparkEngine implements StudyEngine {

  private static final String OWNER_KEY = "spark.recourse.engine.session";

  @Override
  public String name() {
    return "spark";
  }

  @Override
  public Session open(StudySource source, String master, int blocks, PrintWriter err) {
    // getOrCreate joins a context already running in this JVM; the marker tells whether this call made it.
    String marker = UUID.randomUUID().toString();
    SparkConf conf = SparkSettings.apply(new SparkConf(), master, "recourse " + source.source())
        .set(OWNER_KEY, marker);
    JavaSparkContext spark;
    try {
      spark = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
    } catch (Exception e) { // SparkException is checked in Scala only: javac does not know it is thrown
      if (!(e instanceof SparkException) && !(e instanceof IllegalArgumentException)) {
        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
      // A master URL Spark cannot parse, say: the user's to fix, told in one line.
      String message = String.valueOf(e.getMessage());
      throw new InputException("--master " + conf.get("spark.master") + ": Spark cannot start: "
          + message.lines().findFirst().orElse(message), e);
    }
    boolean owned = marker.equals(spark.getConf().get(OWNER_KEY, ""));
    // getOrCreate hands back a running context as it is: a --master it does not have would be ignored.
    if (!owned && master != null && !master.equals(spark.master())) {
      throw new InputException("--master " + master + ": this JVM already runs a Spark context on " + spark.master()
          + ", which the study would join; give --master " + spark.master() + " or leave it out");
    }
    SparkStudyRunner runner = new SparkStudyRunner(spark, source, blocks);
    return new Session() {
      @Override
      public StudyResult run(Study study, ProgressListener progress) {
        return runner.run(study, progress);
      }

      @Override
      public String describe(Study study) {
        return runner.describe(study);
      }

      @Override
      public void close() {
        if (owned) {
          spark.stop();
        }
      }
    };
  }
}
