package dev.recourse.sim.advisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a language model's answer in the format the prompt asks for (paper Figure 2):
 * {@code treatment=2, DietScore=1.25, PhyActHours=0.8}, and turns it into an arm and a full context.
 *
 * <p>Rules, chosen so that a well-meant answer wrapped in prose or markdown is read and anything else
 * is rejected rather than guessed at:
 * <ul>
 *   <li>Keys are matched case-insensitively as whole words, followed by {@code =} or {@code :}.
 *       Markdown emphasis, backticks, quotes and backslash escapes are ignored, so {@code **DietScore**: 1.2},
 *       {@code "DietScore": 1.2} and {@code `DietScore=1.2`} all count. A {@code <think>…</think>} block
 *       (reasoning models served by Ollama or vLLM) is skipped.
 *   <li>The treatment is required. Its value is an arm name or alias (case and spaces ignored), or a
 *       number counted from the configured base ({@code 1} when the prompt lists "Treatment 1, 2, …"),
 *       optionally after the word "treatment", "option" or "arm". When the key occurs several times,
 *       the last occurrence naming an arm wins (an answer line usually follows any prose).
 *   <li>A mutable feature's value is the first number after its key; trailing units or remarks are
 *       ignored ({@code 0.8 hours/week}). It is read from the answer line (the line of the chosen
 *       treatment) when present there, else from its last numeric occurrence anywhere. NaN, infinity
 *       or a number that overflows is garbage: the whole reply is rejected. A missing mutable feature,
 *       or one whose value is words only ("unchanged"), keeps the patient's value.
 *   <li>Immutable features always come from the patient's context, whatever the reply says about them.
 * </ul>
 * The values are new feature values ({@link ValueMode#TARGET}) or changes to add to the patient's
 * ({@link ValueMode#CHANGE}), as the prompt says. The result may lie outside the recourse budget: the
 * policy projects it. Immutable and thread-safe: patterns are compiled once, matchers per call.
 */
public final class ReplyParser {

  /** What the numbers in a reply mean. */
  public enum ValueMode {
    /** The recommended new value of each mutable feature. */
    TARGET,
    /** The recommended change (new minus current) of each mutable feature. */
    CHANGE
  }

  /** The outcome of one parse: success, or the reason the reply was rejected. */
  public record Result(boolean ok, String error) {

    static final Result OK = new Result(true, null);

    static Result fail(String error) {
      return new Result(false, error);
    }
  }

  /** Letters, digits and underscore: what may not touch a key for it to count as a whole word. */
  private static final String WORD = "[\\p{L}\\p{N}_]";
  /** A number, or the non-finite spellings that make a reply garbage. */
  private static final String NUMBER =
      "([+-]?\\s*(?:nan|inf(?:inity)?|(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?))";
  private static final Pattern THINK = Pattern.compile("(?is)<think>.*?(?:</think>|\\z)");
  /** Markup that carries no meaning here: emphasis, code, quotes, escapes. */
  private static final Pattern MARKUP = Pattern.compile("[*`\"'\\\\\u201c\u201d\u2018\u2019]");
  private static final Pattern LEADING_INDEX = Pattern.compile("^(\\d+)(?!\\.?\\d)");
  /** "1 or 2", "1/2", "1-2", "1 and 2": the model echoed the choices instead of choosing. */
  private static final Pattern SEVERAL_INDICES = Pattern.compile("^\\d+(?:or|and|/|-|,)\\d");
  /** {@link #resolveArm} results that are not arms. */
  private static final int UNKNOWN = -1;
  private static final int OUT_OF_RANGE = -2;
  private static final Pattern ARM_WORD = Pattern.compile("^(?:treatment|option|arm)(?:no\\.?|#)?");

  private final int dim;
  private final int[] mutable;
  private final String[] mutableNames;
  private final Pattern[] featurePatterns;
  private final Pattern treatmentPattern;
  private final String[][] armAliases;
  private final int armIndexBase;
  private final ValueMode mode;

  /**
   * @param featureNames  one name per feature (length d); only the mutable ones are read from replies
   * @param mutable       indices of the mutable features
   * @param treatmentKey  the key that names the arm, e.g. {@code treatment}
   * @param armAliases    per arm, the names that select it (its name, its description, …)
   * @param armIndexBase  the number of the first arm in replies (1 when the prompt counts from 1)
   * @param mode          whether the numbers are new values or changes
   */
  public ReplyParser(String[] featureNames, int[] mutable, String treatmentKey, String[][] armAliases,
                     int armIndexBase, ValueMode mode) {
    if (featureNames.length == 0) {
      throw new IllegalArgumentException("featureNames must name at least one feature");
    }
    if (armAliases.length == 0) {
      throw new IllegalArgumentException("armAliases must describe at least one arm");
    }
    if (treatmentKey == null || treatmentKey.isBlank()) {
      throw new IllegalArgumentException("treatmentKey must not be blank");
    }
    this.dim = featureNames.length;
    this.mutable = mutable.clone();
    this.mutableNames = new String[mutable.length];
    this.featurePatterns = new Pattern[mutable.length];
    for (int k = 0; k < mutable.length; k++) {
      if (mutable[k] < 0 || mutable[k] >= dim) {
        throw new IllegalArgumentException("mutable index " + mutable[k] + " is out of range [0, " + dim + ")");
      }
      mutableNames[k] = featureNames[mutable[k]];
      featurePatterns[k] = keyPattern(mutableNames[k], NUMBER);
    }
    this.treatmentPattern = keyPattern(treatmentKey, "([^,;\\n]*)");
    this.armAliases = new String[armAliases.length][];
    for (int a = 0; a < armAliases.length; a++) {
      List<String> normalised = new ArrayList<>();
      for (String alias : armAliases[a]) {
        String n = normaliseArm(alias);
        if (!n.isEmpty()) {
          normalised.add(n);
        }
      }
      if (normalised.isEmpty()) {
        throw new IllegalArgumentException("arm " + a + " needs at least one non-blank name");
      }
      this.armAliases[a] = normalised.toArray(String[]::new);
    }
    this.armIndexBase = armIndexBase;
    this.mode = java.util.Objects.requireNonNull(mode, "mode");
  }

  /** {@code key}, as a whole word, then {@code =} or {@code :}, then the value group. */
  private static Pattern keyPattern(String key, String value) {
    String k = Pattern.quote(MARKUP.matcher(key).replaceAll("")).replace(" ", "\\E\\s+\\Q");
    return Pattern.compile("(?iu)(?<!" + WORD + ")" + k + "(?!" + WORD + ")\\s*[:=]\\s*" + value);
  }

  /**
   * Parses {@code reply} for patient {@code x}. On success writes the arm into {@code arm[0]} and the
   * full context into {@code context}; on failure writes nothing and says why.
   */
  public Result parse(String reply, double[] x, int[] arm, double[] context) {
    if (x.length != dim || context.length != dim) {
      throw new IllegalArgumentException("x and context must have " + dim + " features, got " + x.length
          + " and " + context.length);
    }
    if (reply == null || reply.isBlank()) {
      return Result.fail("empty reply");
    }
    String text = clean(reply);

    int chosenArm = -1;
    int lineStart = 0;
    int lineEnd = 0;
    String lastValue = null;
    String lastError = null;
    Matcher t = treatmentPattern.matcher(text);
    while (t.find()) {
      String value = t.group(1).strip();
      lastValue = value;
      int a = resolveArm(value);
      if (a >= 0) {
        chosenArm = a;
        lineStart = text.lastIndexOf('\n', t.start()) + 1;
        int nl = text.indexOf('\n', t.start());
        lineEnd = nl < 0 ? text.length() : nl;
        lastError = null;
      } else if (chosenArm < 0) {
        lastError = a == OUT_OF_RANGE ? "treatment '" + value + "' is out of range [" + armIndexBase + ", "
            + (armIndexBase + armAliases.length - 1) + "]" : "unknown treatment '" + value + "'";
      }
    }
    if (chosenArm < 0) {
      return Result.fail(lastValue == null ? "no treatment in reply" : lastError);
    }

    double[] values = new double[mutable.length];
    boolean[] present = new boolean[mutable.length];
    for (int k = 0; k < mutable.length; k++) {
      String token = null;
      Matcher f = featurePatterns[k].matcher(text);
      f.region(lineStart, lineEnd);
      if (f.find()) {
        token = f.group(1);
      } else {
        f.reset();
        while (f.find()) {
          token = f.group(1);
        }
      }
      if (token == null) {
        continue;
      }
      double v = parseNumber(token);
      if (mode == ValueMode.CHANGE) {
        v += x[mutable[k]]; // a finite change added to x can still overflow
      }
      if (!Double.isFinite(v)) {
        return Result.fail(mutableNames[k] + " is not a finite number: '" + token.strip() + "'");
      }
      values[k] = v;
      present[k] = true;
    }

    System.arraycopy(x, 0, context, 0, dim);
    for (int k = 0; k < mutable.length; k++) {
      if (present[k]) {
        context[mutable[k]] = values[k];
      }
    }
    arm[0] = chosenArm;
    return Result.OK;
  }

  /**
   * An arm from a treatment value: an exact alias; else a leading number; else the longest alias the
   * value starts with; else the only arm whose alias the value mentions.
   */
  private int resolveArm(String value) {
    String v = normaliseArm(value);
    if (v.isEmpty()) {
      return UNKNOWN;
    }
    int exact = exactAlias(v);
    if (exact >= 0) {
      return exact;
    }
    String stripped = ARM_WORD.matcher(v).replaceFirst("");
    exact = exactAlias(stripped);
    if (exact >= 0) {
      return exact;
    }
    if (SEVERAL_INDICES.matcher(stripped).find()) {
      return UNKNOWN;
    }
    Matcher n = LEADING_INDEX.matcher(stripped);
    if (n.find()) {
      String digits = n.group(1);
      if (digits.length() > 9) {
        return OUT_OF_RANGE;
      }
      int a = Integer.parseInt(digits) - armIndexBase;
      return a >= 0 && a < armAliases.length ? a : OUT_OF_RANGE;
    }
    int best = UNKNOWN;
    int bestLength = 0;
    for (int a = 0; a < armAliases.length; a++) {
      for (String alias : armAliases[a]) {
        if ((v.startsWith(alias) || stripped.startsWith(alias)) && alias.length() > bestLength) {
          best = a;
          bestLength = alias.length();
        }
      }
    }
    if (best >= 0) {
      return best;
    }
    int mentioned = UNKNOWN;
    for (int a = 0; a < armAliases.length; a++) {
      for (String alias : armAliases[a]) {
        if (v.contains(alias)) {
          if (mentioned >= 0 && mentioned != a) {
            return UNKNOWN; // two arms named: ambiguous
          }
          mentioned = a;
        }
      }
    }
    return mentioned;
  }

  private int exactAlias(String v) {
    for (int a = 0; a < armAliases.length; a++) {
      for (String alias : armAliases[a]) {
        if (alias.equals(v)) {
          return a;
        }
      }
    }
    return UNKNOWN;
  }

  /** Lower case, markup and whitespace removed, surrounding brackets and punctuation trimmed. */
  static String normaliseArm(String s) {
    String v = MARKUP.matcher(s).replaceAll("").toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    int from = 0;
    int to = v.length();
    while (from < to && "([{<".indexOf(v.charAt(from)) >= 0) {
      from++;
    }
    while (to > from && ".,;:!?)]}>".indexOf(v.charAt(to - 1)) >= 0) {
      to--;
    }
    return v.substring(from, to);
  }

  /** The reply without reasoning blocks and markup, with typographic minus signs made ASCII. */
  private static String clean(String reply) {
    String s = THINK.matcher(reply).replaceAll("");
    s = MARKUP.matcher(s).replaceAll("");
    return s.replace('\u2212', '-').replace('\u00a0', ' ').replace("\r\n", "\n").replace('\r', '\n');
  }

  private static double parseNumber(String token) {
    String s = token.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    if (s.contains("nan") || s.contains("inf")) {
      return Double.NaN;
    }
    return Double.parseDouble(s); // the pattern admits only well-formed numbers; overflow gives ±∞
  }
}
