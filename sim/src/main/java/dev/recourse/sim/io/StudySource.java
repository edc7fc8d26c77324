package dev.recourse.sim.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.sim.run.Study;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a study was parsed from, in a form that can travel to another JVM (a cluster's executors) and be
 * parsed there into the same study: the validated tree as JSON text, with the source name, base
 * directory and fallback name {@link StudyParser#parse} was given. Relative data paths are resolved
 * against {@code baseDir}, so data files must be readable at that path wherever the study is parsed.
 *
 * @param json         the study tree (file keys with command-line overrides applied) as JSON text
 * @param source       how errors name the input
 * @param baseDir      absolute directory relative paths are resolved against, or null
 * @param fallbackName the study name when the tree has none
 */
public record StudySource(String json, String source, String baseDir, String fallbackName) implements Serializable {

  private static final long serialVersionUID = 1L;

  public StudySource {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(source, "source");
  }

  /** The source of a tree that {@link StudyParser#parse(JsonNode, String, Path, String)} accepts. */
  public static StudySource of(JsonNode tree, String source, Path baseDir, String fallbackName) {
    return new StudySource(tree.toString(), source, baseDir == null ? null : baseDir.toAbsolutePath().toString(),
        fallbackName);
  }

  /** Parses and validates the study (the same checks, and messages, as {@link StudyParser#parse}). */
  public Study parse() {
    JsonNode tree = StudyParser.parseTree(json, true, source);
    return StudyParser.parse(tree, source, baseDir == null ? null : Path.of(baseDir), fallbackName);
  }
}
