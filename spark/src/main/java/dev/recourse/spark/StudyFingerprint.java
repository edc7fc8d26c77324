package dev.recourse.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.run.Study;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A study's identity: what the summary JSON records of it (sizes, seed, checkpoints, the scenario's and
 * each policy's parameters) and the size and SHA-256 of every data file it read. Executors re-parse the
 * study from its source and compare this with the driver's, so a study that does not parse to the same
 * thing everywhere fails loudly instead of giving other numbers, including a data file that differs
 * between machines at the same size and row count (the parameters record only its path and rows).
 *
 * @param study     the parameters, as JSON text
 * @param dataFiles every data file the study read, in the order its parameters name them
 */
record StudyFingerprint(String study, List<DataFile> dataFiles) implements Serializable {

  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Enough of a SHA-256 to tell two files apart in a message. */
  private static final int SHOWN_HEX_DIGITS = 12;

  /** A data file as one JVM read it: absolute path, size, SHA-256 (hexadecimal). */
  record DataFile(String path, long bytes, String sha256) implements Serializable {

    private static final long serialVersionUID = 1L;
  }

  StudyFingerprint {
    Objects.requireNonNull(study, "study");
    dataFiles = List.copyOf(dataFiles);
  }

  /** {@code study}'s fingerprint, its data files hashed once per JVM ({@link FileDigests#SHARED}). */
  static StudyFingerprint of(Study study) {
    return of(study, FileDigests.SHARED);
  }

  static StudyFingerprint of(Study study, FileDigests digests) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", study.name());
    m.put("seed", study.seed());
    m.put("horizon", study.horizon());
    m.put("replications", study.replications());
    m.put("checkpoints", study.checkpoints());
    m.put("recourse_from", study.recourseFrom());
    m.put("scenario", study.scenario().name());
    m.put("scenario_parameters", study.scenario().parameters());
    List<Object> policies = new ArrayList<>();
    for (PolicySpec p : study.policies()) {
      policies.add(p.parameters());
    }
    m.put("policies", policies);
    String text;
    try {
      text = JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot describe study " + study.name() + ": " + e.getMessage(), e);
    }
    List<DataFile> files = new ArrayList<>();
    for (String path : dataPaths(m)) {
      FileDigests.Digest d = digests.of(Path.of(path));
      files.add(new DataFile(path, d.bytes(), d.sha256()));
    }
    return new StudyFingerprint(text, files);
  }

  /**
   * The data files among a study's parameters. The parsers record every file they read by its resolved
   * path (fertility {@code data}, response-db {@code db}, a reward's {@code mlp}), and a source's base
   * directory is absolute, so a text value that is the absolute path of a regular file is one of them;
   * this finds files a future scenario reads without a list of keys to keep up to date.
   */
  static Set<String> dataPaths(Object parameters) {
    Set<String> paths = new LinkedHashSet<>();
    collectPaths(parameters, paths);
    return paths;
  }

  private static void collectPaths(Object value, Set<String> paths) {
    switch (value) {
      case Map<?, ?> map -> map.values().forEach(v -> collectPaths(v, paths));
      case Iterable<?> list -> list.forEach(v -> collectPaths(v, paths));
      case Object[] array -> {
        for (Object v : array) {
          collectPaths(v, paths);
        }
      }
      case String text -> {
        try {
          Path p = Path.of(text);
          if (p.isAbsolute() && Files.isRegularFile(p)) {
            paths.add(text);
          }
        } catch (InvalidPathException e) {
          // Not a path: a label or a prompt, say.
        }
      }
      case null, default -> { }
    }
  }

  /**
   * The first data file that differs between this fingerprint (the driver's) and {@code other}, the
   * same source parsed {@code where} ("executor 3 (host)"), in one line naming the file; null when both
   * read the same data.
   */
  String dataFileDifference(StudyFingerprint other, String where) {
    Map<String, DataFile> theirs = new LinkedHashMap<>();
    other.dataFiles().forEach(f -> theirs.put(f.path(), f));
    for (DataFile mine : dataFiles) {
      DataFile their = theirs.remove(mine.path());
      if (their == null) {
        return "data file " + mine.path() + ": read on the driver but not on " + where;
      }
      if (their.bytes() != mine.bytes()) {
        return "data file " + mine.path() + ": its contents differ between the driver and " + where + " ("
            + mine.bytes() + " bytes on the driver, " + their.bytes() + " there)";
      }
      if (!their.sha256().equals(mine.sha256())) {
        return "data file " + mine.path() + ": its contents differ between the driver and " + where + " (same size, "
            + mine.bytes() + " bytes, but SHA-256 " + mine.sha256().substring(0, SHOWN_HEX_DIGITS)
            + "… on the driver, " + their.sha256().substring(0, SHOWN_HEX_DIGITS) + "… there)";
      }
    }
    if (!theirs.isEmpty()) {
      return "data file " + theirs.keySet().iterator().next() + ": read on " + where + " but not on the driver";
    }
    return null;
  }
}
