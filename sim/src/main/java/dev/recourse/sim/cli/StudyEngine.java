package dev.recourse.sim.cli;

import dev.recourse.sim.io.StudySource;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyRunner;
import java.io.PrintWriter;
import java.util.ServiceLoader;

/**
 * A study runner that lives in an optional module, found at run time with {@link ServiceLoader}
 * ({@code recourse run --engine NAME}), so that the CLI has no compile-time dependency on it (the
 * Spark engine: module {@code spark}, which {@code ./recourse --engine spark} puts on the class path).
 */
public interface StudyEngine {

  /** The name {@code --engine} selects. */
  String name();

  /**
   * Starts the engine for one study (a Spark context, say). The runner is given the study parsed on
   * this JVM; it may re-parse {@code source} elsewhere (executors), which gives the same study.
   *
   * @param master    where to run ({@code --master}; null: the engine's default)
   * @param blocks    work blocks per policy ({@code --blocks}; 0: the engine's choice)
   */
  Session open(StudySource source, String master, int blocks, PrintWriter err);

  /** A runner that holds resources until closed. */
  interface Session extends StudyRunner, AutoCloseable {

    /** How {@code study} will be placed, told to the user ({@code "spark local[2] (2 cores), 8 blocks per policy"}). */
    String describe(Study study);

    @Override
    void close();
  }

  /** The engine called {@code name} on the class path, or null. */
  static StudyEngine find(String name) {
    for (StudyEngine engine : ServiceLoader.load(StudyEngine.class)) {
      if (engine.name().equals(name)) {
        return engine;
      }
    }
    return null;
  }
}
