package dev.recourse.sim.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The one configuration reader of the project: study files, policy files, advisor configurations and
 * ORO instances are all read through it, in one key style (snake_case). One object of a file, read key by key with its path ({@code policies[2].advisor}) so that every
 * error names the key at fault. Records which keys were read; {@link #finish()} rejects the rest, so a
 * misspelt key is an error instead of a silently ignored setting.
 */
public final class ConfigNode {

  private final String source;
  private final String path;
  private final JsonNode node;
  private final Set<String> known = new LinkedHashSet<>();

  private ConfigNode(String source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  /** Reads a YAML or JSON file (JSON when its name ends in {@code .json}) into a tree. */
  public static JsonNode readTree(Path file, String what) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw InputException.inFile(file, "no such " + what);
    } catch (AccessDeniedException e) {
      throw InputException.inFile(file, "permission denied");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
    boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    return parseTree(text, json, file.toString());
  }

  /** Parses YAML (or JSON) text into a tree; syntax errors name the line and column. */
  public static JsonNode parseTree(String text, boolean json, String source) {
    ObjectMapper mapper = json ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    try {
      JsonNode root = mapper.readTree(text);
      if (root == null || root.isMissingNode()) {
        throw new InputException(source + ": empty file");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new InputException(syntaxError(source, json, e), e);
    }
  }

  /**
   * One line for a syntax error: {@code <source>: line L, column C: malformed JSON|YAML: <what>}.
   * Jackson's own message carries a dump of the input's location ({@code (start marker at [Source:
   * REDACTED ...; line: 1, column: 2])}) and SnakeYAML's several lines with snippets of the text; both
   * are reduced to their words, the positions given as line and column.
   */
  static String syntaxError(String source, boolean json, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
    String what;
    org.yaml.snakeyaml.error.MarkedYAMLException yaml = null;
    for (Throwable c = e; c != null && yaml == null; c = c.getCause()) {
      yaml = c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m ? m : null;
    }
    if (yaml != null) {
      what = yamlProblem(yaml);
      org.yaml.snakeyaml.error.Mark mark = yaml.getProblemMark();
      where = mark == null ? where : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
    } else {
      what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage()
          .replaceAll("\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)",
              "(opened at line $1, column $2)")
          .replaceAll("\\s*(at )?\\[Source: [^\\]]*\\]", "");
    }
    return source + ": " + where + "malformed " + (json ? "JSON" : "YAML") + ": " + what.replaceAll("\\s+", " ").trim();
  }

  /** SnakeYAML's problem and context ({@code while parsing a flow mapping}, where it began) in words. */
  private static String yamlProblem(org.yaml.snakeyaml.error.MarkedYAMLException e) {
    String problem = e.getProblem() != null ? e.getProblem().trim() : "syntax error";
    String context = e.getContext() != null ? e.getContext().trim() : "";
    if (context.isEmpty()) {
      return problem;
    }
    org.yaml.snakeyaml.error.Mark mark = e.getContextMark();
    return problem + " (" + context + (mark == null ? "" : " that starts at line " + (mark.getLine() + 1) + ", column "
        + (mark.getColumn() + 1)) + ")";
  }

  /** One object of a list in {@code source}, named {@code path} in errors (e.g. {@code instance 3}). */
  public static ConfigNode element(String source, String path, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InputException(source + ": " + path + ": expected a mapping of keys, got " + kind(node));
    }
    return new ConfigNode(source, path, node);
  }

  /** The root object of {@code source} (a file name, or "command line"). */
  public static ConfigNode root(String source, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InputException(source + ": expected a mapping of keys (name, seed, horizon, replications, "
          + "scenario, policies, ...), got " + kind(node));
    }
    return new ConfigNode(source, "", node);
  }

  public String path() {
    return path;
  }

  private String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /**
   * An error about {@code key} of this object. When {@code key} is missing (the problem starts with
   * "missing") and this object has a key nobody has read that is a near-miss of it, the message names
   * that key as a likely misspelling: a misspelt required key is otherwise reported only as missing.
   */
  public InputException error(String key, String problem) {
    return new InputException(source + ": " + keyPath(key) + ": " + problem + misspelling(key, problem));
  }

  /** {@code " (this mapping has 'horizn': a misspelling of 'horizon'?)"}, or "" when there is no such key. */
  private String misspelling(String key, String problem) {
    JsonNode present = node.get(key);
    if (!problem.startsWith("missing") || (present != null && !present.isNull())) {
      return "";
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String other = it.next();
      if (!other.equals(key) && !known.contains(other) && nearMiss(key, other)) {
        return " (this mapping has '" + other + "': a misspelling of '" + key + "'?)";
      }
    }
    return "";
  }

  /**
   * Whether {@code typed} looks like a misspelling of {@code wanted}: equal but for case, or within 2
   * edits (insertions, deletions, substitutions, swaps of neighbours) for keys of 5 or more characters,
   * 1 for shorter ones; never as many edits as the shorter key has characters ('x' is no misspelling of
   * 'V').
   */
  static boolean nearMiss(String wanted, String typed) {
    if (wanted.equalsIgnoreCase(typed)) {
      return true;
    }
    int allowed = Math.min(wanted.length() >= 5 ? 2 : 1, Math.min(wanted.length(), typed.length()) - 1);
    return allowed > 0 && Math.abs(wanted.length() - typed.length()) <= allowed
        && editDistance(wanted.toLowerCase(Locale.ROOT), typed.toLowerCase(Locale.ROOT)) <= allowed;
  }

  /** The optimal-string-alignment distance: Levenshtein's edits plus swaps of neighbouring characters. */
  private static int editDistance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** An error about this object as a whole. */
  public InputException error(String problem) {
    return new InputException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
  }

  public boolean has(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  private JsonNode get(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  public String text(String key, String fallback) {
    JsonNode v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw error(key, "expected text, got " + kind(v));
    }
    return v.textValue();
  }

  public String requiredText(String key) {
    String v = text(key, null);
    if (v == null) {
      throw error(key, "missing (required)");
    }
    return v;
  }

  public double number(String key, double fallback) {
    JsonNode v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw error(key, "expected a number, got " + kind(v));
    }
    return v.doubleValue();
  }

  /** A required number; {@code what} says what it is in the error when it is missing. */
  public double requiredNumber(String key, String what) {
    if (!has(key)) {
      throw error(key, "missing (required)" + (what == null || what.isEmpty() ? "" : ": " + what));
    }
    return number(key, Double.NaN);
  }

  /** A finite number {@code > 0}. */
  public double positive(String key, double fallback) {
    double v = number(key, fallback);
    if (!(v > 0) || !Double.isFinite(v)) {
      throw error(key, "must be finite and > 0, got " + v);
    }
    return v;
  }

  /** A finite number {@code >= 0}. */
  public double nonNegative(String key, double fallback) {
    double v = number(key, fallback);
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw error(key, "must be finite and >= 0, got " + v);
    }
    return v;
  }

  /** A finite number. */
  public double finite(String key, double fallback) {
    double v = number(key, fallback);
    if (!Double.isFinite(v)) {
      throw error(key, "must be finite, got " + v);
    }
    return v;
  }

  /** A number in {@code [lo, hi]}. */
  public double inRange(String key, double fallback, double lo, double hi) {
    double v = number(key, fallback);
    if (!(v >= lo && v <= hi)) {
      throw error(key, "must be in [" + lo + ", " + hi + "], got " + v);
    }
    return v;
  }

  /** An integer {@code >= min}. */
  public int integerAtLeast(String key, int fallback, int min) {
    int v = integer(key, fallback);
    if (v < min) {
      throw error(key, "must be >= " + min + ", got " + v);
    }
    return v;
  }

  /** A required list of texts. */
  public String[] texts(String key) {
    JsonNode v = get(key);
    if (v == null || !v.isArray()) {
      throw error(key, v == null ? "missing (required): a list of texts" : "expected a list of texts, got " + kind(v));
    }
    String[] out = new String[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isTextual()) {
        throw error(key, "element " + i + ": expected text, got " + kind(v.get(i)));
      }
      out[i] = v.get(i).textValue();
    }
    return out;
  }

  /** A required list of integers. */
  public int[] integers(String key) {
    JsonNode v = get(key);
    if (v == null || !v.isArray()) {
      throw error(key, v == null ? "missing (required): a list of integers" : "expected a list of integers, got " + kind(v));
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = v.get(i);
      if (!e.isIntegralNumber() || !e.canConvertToInt()) {
        throw error(key, "element " + i + ": expected an integer, got " + kind(e));
      }
      out[i] = e.intValue();
    }
    return out;
  }

  /** A required list of numbers. */
  public double[] numbers(String key) {
    JsonNode v = get(key);
    if (v == null) {
      throw error(key, "missing (required): a list of numbers");
    }
    if (!v.isArray()) {
      throw error(key, "expected a list of numbers, got " + kind(v));
    }
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isNumber() || !Double.isFinite(v.get(i).doubleValue())) {
        throw error(key, "element " + i + ": expected a finite number, got " + kind(v.get(i)));
      }
      out[i] = v.get(i).doubleValue();
    }
    return out;
  }

  /** A required list of {@code n} numbers in which {@code null} stands for "none" and reads as NaN. */
  public double[] numbersOrNone(String key, int n) {
    JsonNode v = get(key);
    if (v == null || !v.isArray()) {
      throw error(key, v == null ? "missing (required): " + n + " numbers" : "expected a list of " + n + " numbers, got "
          + kind(v));
    }
    if (v.size() != n) {
      throw error(key, "must have " + n + " values, got " + v.size());
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      JsonNode e = v.get(i);
      if (e.isNull()) {
        out[i] = Double.NaN;
      } else if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
        throw error(key, "element " + i + ": expected a finite number or null, got " + kind(e));
      } else {
        out[i] = e.doubleValue();
      }
    }
    return out;
  }

  /** A required n×n matrix, as n rows or n·n numbers row-major. */
  public double[] matrix(String key, int n) {
    JsonNode v = get(key);
    if (v == null || !v.isArray()) {
      throw error(key, v == null ? "missing (required): a " + n + "x" + n + " matrix" : "expected a " + n + "x" + n
          + " matrix, got " + kind(v));
    }
    double[] out = new double[n * n];
    boolean rows = v.size() == n && v.get(0) != null && v.get(0).isArray();
    if (!rows && v.size() != n * n) {
      throw error(key, "must be " + n + "x" + n + " (" + n + " rows or " + n * n + " values), got " + v.size()
          + " entries");
    }
    for (int r = 0; r < n; r++) {
      JsonNode row = rows ? v.get(r) : null;
      if (rows && (!row.isArray() || row.size() != n)) {
        throw error(key, "row " + r + " must have " + n + " values");
      }
      for (int c = 0; c < n; c++) {
        JsonNode e = rows ? row.get(c) : v.get(r * n + c);
        if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
          throw error(key, "[" + r + "][" + c + "]: expected a finite number, got " + kind(e));
        }
        out[r * n + c] = e.doubleValue();
      }
    }
    return out;
  }

  public int integer(String key, int fallback) {
    long v = longInteger(key, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(key, "out of range: " + v);
    }
    return (int) v;
  }

  public long longInteger(String key, long fallback) {
    JsonNode v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw error(key, "expected an integer, got " + kind(v));
    }
    return v.longValue();
  }

  public boolean bool(String key, boolean fallback) {
    JsonNode v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw error(key, "expected true or false, got " + kind(v));
    }
    return v.booleanValue();
  }

  /** The nested object {@code key}, or null when absent. */
  public ConfigNode object(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw error(key, "expected a mapping of keys, got " + kind(v));
    }
    return new ConfigNode(source, keyPath(key), v);
  }

  public ConfigNode requiredObject(String key) {
    ConfigNode o = object(key);
    if (o == null) {
      throw error(key, "missing (required)");
    }
    return o;
  }

  /** The raw value of {@code key} (for keys that take several shapes), or null. */
  public JsonNode raw(String key) {
    return get(key);
  }

  /** A child for a value already fetched with {@link #raw}. */
  public ConfigNode child(String key, JsonNode value) {
    return new ConfigNode(source, keyPath(key), value);
  }

  /** The elements of the list {@code key}, each an object. */
  public List<ConfigNode> objects(String key) {
    JsonNode v = get(key);
    if (v == null) {
      throw error(key, "missing (required)");
    }
    if (!v.isArray()) {
      throw error(key, "expected a list, got " + kind(v));
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String p = keyPath(key) + "[" + i + "]";
      if (!e.isObject()) {
        throw new InputException(source + ": " + p + ": expected a mapping of keys, got " + kind(e));
      }
      out.add(new ConfigNode(source, p, e));
    }
    return out;
  }

  /** The keys of this object, in file order. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /**
   * Rejects keys this object has but nobody read; one that is a near-miss of a known key (see
   * {@link #nearMiss}) is named as a likely misspelling of it: {@code unknown key: a misspelling of
   * 'lambda'? (known here: ...)}.
   */
  public void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        String meant = known.stream().filter(k -> nearMiss(k, key)).findFirst()
            .map(k -> ": a misspelling of '" + k + "'?").orElse("");
        throw error(key, "unknown key" + meant + " (known here: " + String.join(", ", known) + ")");
      }
    }
  }

  /** Declares keys as known without reading them (for keys handled elsewhere). */
  public void allow(String... keys) {
    known.addAll(List.of(keys));
  }

  public static String kind(JsonNode v) {
    if (v == null || v.isNull()) {
      return "nothing";
    }
    if (v.isTextual()) {
      return "text '" + v.textValue() + "'";
    }
    if (v.isNumber() || v.isBoolean()) {
      return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v.asText();
    }
    return v.isArray() ? "a list" : v.isObject() ? "a mapping" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
