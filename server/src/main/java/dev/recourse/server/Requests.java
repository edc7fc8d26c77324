package dev.recourse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads request bodies: strict JSON objects whose fields are checked for presence, type, length and
 * finiteness, each failure a {@link BadRequest} naming the field and the value found. NaN and ±Infinity
 * literals are read (so that they are reported as a non-finite value of their field, not as a syntax
 * error somewhere); numbers too large for a double read as infinite and are reported the same way.
 */
final class Requests {

  static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .build();

  private Requests() {}

  /** The body as a JSON object; an empty body is {@code {}} when {@code emptyIsObject}. */
  static ObjectNode object(byte[] body, boolean emptyIsObject) {
    if (body.length == 0 && emptyIsObject) {
      return JSON.createObjectNode();
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      Matcher dup = DUPLICATE.matcher(e.getOriginalMessage() == null ? "" : e.getOriginalMessage());
      throw new BadRequest(400, "malformed_json", dup.find() ? dup.group(1) : null, null, syntaxError(e));
    } catch (IOException e) {
      throw new BadRequest(400, "malformed_json", null, null, "the body cannot be read: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      throw new BadRequest(400, "malformed_json", null, null, "the body is empty; expected a JSON object");
    }
    if (!tree.isObject()) {
      throw new BadRequest(400, "wrong_type", null, shown(tree), "the body must be a JSON object, got " + kind(tree));
    }
    return (ObjectNode) tree;
  }

  /** Jackson's words for a key given twice (FAIL_ON_READING_DUP_TREE_KEY). */
  static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*?)' for `ObjectNode`");

  /**
   * One line for a syntax error: {@code the body is not valid JSON (line L, column C): <what>}. Jackson's
   * message carries a dump of the input's location ({@code (start marker at [Source: REDACTED ...; line:
   * 1, column: 2])}); it is reduced to its words, a start marker's position given as line and column
   * (as sim's ConfigNode does for configuration files; server does not depend on sim directly). Its
   * hints at parser features ({@code DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY}, "enable
   * `JsonReadFeature.X` to allow") name switches of the server's parser, not anything a client can
   * change: they are replaced by what the client sent wrong.
   */
  static String syntaxError(JsonProcessingException e) {
    var at = e.getLocation();
    String where = at == null || at.getLineNr() < 1 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage()
        .replaceAll("\\(start marker at \\[Source: [^\\]]*?line: (\\d+), column: (\\d+)\\]\\)",
            "(opened at line $1, column $2)")
        .replaceAll("\\s*(at )?\\[Source: [^\\]]*\\]", "")
        .replaceAll("Duplicate field '(.*?)' for `ObjectNode`: not allowed when `[^`]*` enabled", "duplicate key '$1'")
        .replaceAll("Trailing token \\(of type (\\w+)\\) found after value \\(bound as `[^`]*`\\): not allowed as per "
            + "`[^`]*`", "more data after the end of the JSON value")
        .replaceAll("\\s*\\(not recognized as one since Feature '[^']*' not enabled for parser\\)", " (JSON has no comments)")
        .replaceAll(":?\\s*enable `[^`]*` to allow", "");
    return "the body is not valid JSON" + where + ": " + what.replaceAll("\\s+", " ").trim();
  }

  /** Rejects fields other than {@code known} (a misspelt optional field would otherwise be ignored silently). */
  static void onlyFields(ObjectNode o, Set<String> known) {
    for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new BadRequest(400, "unknown_field", f, shown(o.get(f)), "unknown field '" + f + "' ("
            + (known.isEmpty() ? "this request takes no fields: send {} or no body"
            : "expected " + String.join(", ", known.stream().sorted().toList())) + ")");
      }
    }
  }

  static JsonNode required(ObjectNode o, String field) {
    JsonNode n = o.get(field);
    if (n == null || n.isNull()) {
      throw new BadRequest(400, "missing_field", field, null, field + " is required");
    }
    return n;
  }

  /** A vector: exactly {@code dim} finite numbers; {@code dimName} says what {@code dim} is (in messages). */
  static double[] vector(JsonNode n, String field, int dim, String dimName) {
    if (!n.isArray()) {
      throw new BadRequest(400, "wrong_type", field, shown(n), field + " must be an array of " + dim + " numbers, got "
          + kind(n));
    }
    if (n.size() != dim) {
      throw new BadRequest(400, "wrong_length", field, Integer.toString(n.size()), field + " must have " + dim
          + " numbers (" + dimName + "), got " + n.size());
    }
    double[] x = new double[dim];
    for (int i = 0; i < dim; i++) {
      JsonNode e = n.get(i);
      String at = field + "[" + i + "]";
      if (!e.isNumber()) {
        throw new BadRequest(400, "wrong_type", at, shown(e), at + " must be a number, got " + kind(e));
      }
      x[i] = e.doubleValue();
      if (!Double.isFinite(x[i])) {
        throw new BadRequest(400, "not_finite", at, shown(e), at + " must be finite, got " + shown(e));
      }
    }
    return x;
  }

  /** A non-empty array of arm indices (ints). */
  static int[] arms(JsonNode n, String field) {
    if (!n.isArray()) {
      throw new BadRequest(400, "wrong_type", field, shown(n), field + " must be an array of arm indices, got " + kind(n));
    }
    if (n.isEmpty()) {
      throw new BadRequest(400, "empty_allowed_set", field, "[]", field + " must name at least one arm, got []");
    }
    int[] a = new int[n.size()];
    for (int i = 0; i < a.length; i++) {
      JsonNode e = n.get(i);
      String at = field + "[" + i + "]";
      if (!e.isIntegralNumber() || !e.canConvertToInt()) {
        throw new BadRequest(400, "wrong_type", at, shown(e), at + " must be an arm index (an integer), got " + shown(e));
      }
      a[i] = e.intValue();
    }
    return a;
  }

  static long integer(JsonNode n, String field) {
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new BadRequest(400, "wrong_type", field, shown(n), field + " must be an integer, got " + shown(n));
    }
    return n.longValue();
  }

  static double number(JsonNode n, String field) {
    if (!n.isNumber()) {
      throw new BadRequest(400, "wrong_type", field, shown(n), field + " must be a number, got " + kind(n));
    }
    double v = n.doubleValue();
    if (!Double.isFinite(v)) {
      throw new BadRequest(400, "not_finite", field, shown(n), field + " must be finite, got " + shown(n));
    }
    return v;
  }

  private static String kind(JsonNode n) {
    return switch (n.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "the string " + shown(n);
      case BOOLEAN -> n.asText();
      case NUMBER -> "the number " + n.asText();
      case NULL -> "null";
      default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** The value as JSON text, cut to 80 characters. */
  static String shown(JsonNode n) {
    String s = n.isNumber() ? n.asText() : n.toString();
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
