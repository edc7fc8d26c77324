package dev.recourse.sim.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One object of a study file, read key by key with its path ({@code policies[2].advisor}) so that every
 * error names the key at fault. Records which keys were read; {@link #finish()} rejects the rest, so a
 * misspelt key is an error instead of a silently ignored setting.
 */
final class ConfigNode {

  private final String source;
  private final String path;
  private final JsonNode node;
  private final Set<String> known = new LinkedHashSet<>();

  private ConfigNode(String source, String path, JsonNode node) {
    this.source = source;
    this.path = path;
    this.node = node;
  }

  /** The root object of {@code source} (a file name, or "command line"). */
  static ConfigNode root(String source, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new InputException(source + ": expected a mapping of keys (name, seed, horizon, replications, "
          + "scenario, policies, ...), got " + kind(node));
    }
    return new ConfigNode(source, "", node);
  }

  String path() {
    return path;
  }

  private String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** An error about {@code key} of this object. */
  InputException error(String key, String problem) {
    return new InputException(source + ": " + keyPath(key) + ": " + problem);
  }

  /** An error about this object as a whole. */
  InputException error(String problem) {
    return new InputException(source + ": " + (path.isEmpty() ? "" : path + ": ") + problem);
  }

  boolean has(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  private JsonNode get(String key) {
    known.add(key);
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  String text(String key, String fallback) {
    JsonNode v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw error(key, "expected text, got " + kind(v));
    }
    return v.textValue();
  }

  String requiredText(String key) {
    String v = text(key, null);
    if (v == null) {
      throw error(key, "missing (required)");
    }
    return v;
  }

  double number(String key, double fallback) {
    JsonNode v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isNumber()) {
      throw error(key, "expected a number, got " + kind(v));
    }
    return v.doubleValue();
  }

  /** A required list of numbers. */
  double[] numbers(String key) {
    JsonNode v = get(key);
    if (v == null) {
      throw error(key, "missing (required): a list of numbers");
    }
    if (!v.isArray()) {
      throw error(key, "expected a list of numbers, got " + kind(v));
    }
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).isNumber()) {
        throw error(key, "element " + i + ": expected a number, got " + kind(v.get(i)));
      }
      out[i] = v.get(i).doubleValue();
    }
    return out;
  }

  int integer(String key, int fallback) {
    long v = longInteger(key, fallback);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw error(key, "out of range: " + v);
    }
    return (int) v;
  }

  long longInteger(String key, long fallback) {
    JsonNode v = get(key);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw error(key, "expected an integer, got " + kind(v));
    }
    return v.longValue();
  }

  boolean bool(String key, boolean fallback) {
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
  ConfigNode object(String key) {
    JsonNode v = get(key);
    if (v == null) {
      return null;
    }
    if (!v.isObject()) {
      throw error(key, "expected a mapping of keys, got " + kind(v));
    }
    return new ConfigNode(source, keyPath(key), v);
  }

  ConfigNode requiredObject(String key) {
    ConfigNode o = object(key);
    if (o == null) {
      throw error(key, "missing (required)");
    }
    return o;
  }

  /** The raw value of {@code key} (for keys that take several shapes), or null. */
  JsonNode raw(String key) {
    return get(key);
  }

  /** A child for a value already fetched with {@link #raw}. */
  ConfigNode child(String key, JsonNode value) {
    return new ConfigNode(source, keyPath(key), value);
  }

  /** The elements of the list {@code key}, each an object. */
  List<ConfigNode> objects(String key) {
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
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  /** Rejects keys this object has but nobody read. */
  void finish() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw error(key, "unknown key (known here: " + String.join(", ", known) + ")");
      }
    }
  }

  /** Declares keys as known without reading them (for keys handled elsewhere). */
  void allow(String... keys) {
    known.addAll(List.of(keys));
  }

  static String kind(JsonNode v) {
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
