package dev.recourse.sim.advisor;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The system and user messages sent for one patient. The defaults are the prompt of the paper's
 * Figure 2 (hypertension study, §5) with the patient, the arms, the mutable features and the budget
 * filled in from placeholders:
 * <dl>
 *   <dt>{features}</dt><dd>the patient's shown features as a JSON object, e.g. {@code {"age": 0.75, …}}</dd>
 *   <dt>{arms}</dt><dd>one line per arm: {@code - Treatment 1: Prescribing Beta-blocker.}</dd>
 *   <dt>{armCount}</dt><dd>the number of arms</dd>
 *   <dt>{armChoices}</dt><dd>the arm numbers, e.g. {@code 1 or 2}</dd>
 *   <dt>{mutable}</dt><dd>the mutable features, quoted: {@code 'DietScore' and 'PhyActHours'}</dd>
 *   <dt>{budget}</dt><dd>the recourse budget, as configured</dd>
 *   <dt>{format}</dt><dd>the answer format: {@code treatment=..., DietScore=..., PhyActHours=...}</dd>
 *   <dt>{valueMeaning}</dt><dd>what the numbers in the answer mean (new values or changes)</dd>
 * </dl>
 * Figure 2 leaves open whether {@code DietScore=...} is the new value or the change; the default
 * prompt says which (the {valueMeaning} clause), because the parser must know. Immutable.
 */
public final class PromptTemplate {

  /** Figure 2's system instruction. */
  public static final String FIGURE2_SYSTEM =
      "You are a helpful medical assistant helping to manage patients with hypertension.";

  /** Figure 2's user message, with placeholders. */
  public static final String FIGURE2_USER = """
      A patient has hypertension. There are {armCount} treatment options:
      {arms}

      Input Data: Given the following patient features:
      {features}

      Note: Features are standardized (mean=0, std=1). A larger 'DietScore' indicates a healthier diet.

      Task: The goal is to minimize the Systolic Blood Pressure for the NEXT visit. Please recommend the \
      optimal treatment ({armChoices}) and suggest changes ONLY to {mutable}.

      Constraints:
      - {budget}
      - Do not analyze, only Respond in the format: {format}
        where {valueMeaning}.""";

  static final Set<String> PLACEHOLDERS = Set.of("features", "arms", "armCount", "armChoices", "mutable",
      "budget", "format", "valueMeaning");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

  private final String system;
  private final String user;
  private final String[] featureNames;
  private final boolean[] shown;
  private final String numberFormat;
  private final String fixedArms;
  private final String fixedArmCount;
  private final String fixedArmChoices;
  private final String fixedMutable;
  private final String fixedBudget;
  private final String fixedFormat;
  private final String fixedValueMeaning;

  PromptTemplate(HttpAdvisorConfig c) {
    this.system = c.systemPrompt();
    this.user = c.userTemplate();
    this.featureNames = c.featureNames().toArray(String[]::new);
    this.shown = new boolean[featureNames.length];
    java.util.Arrays.fill(shown, true);
    for (int h : c.hiddenFeatures()) {
      shown[h] = false;
    }
    this.numberFormat = "%." + c.decimals() + "f";
    int numArms = c.armNames().size();
    int base = c.armIndexBase();
    String armWord = capitalise(c.treatmentKey());
    StringBuilder arms = new StringBuilder();
    String[] numbers = new String[numArms];
    for (int a = 0; a < numArms; a++) {
      numbers[a] = Integer.toString(a + base);
      if (a > 0) {
        arms.append('\n');
      }
      arms.append("- ").append(armWord).append(' ').append(numbers[a]).append(": ")
          .append(c.armDescriptions().get(a));
    }
    this.fixedArms = arms.toString();
    this.fixedArmCount = Integer.toString(numArms);
    this.fixedArmChoices = list(numbers, "or");
    int[] mutable = c.mutableFeatures();
    String[] quoted = new String[mutable.length];
    String[] plain = new String[mutable.length];
    StringBuilder format = new StringBuilder(c.treatmentKey()).append("=...");
    for (int k = 0; k < mutable.length; k++) {
      plain[k] = featureNames[mutable[k]];
      quoted[k] = "'" + plain[k] + "'";
      format.append(", ").append(plain[k]).append("=...");
    }
    this.fixedMutable = list(quoted, "and");
    this.fixedBudget = c.budget();
    this.fixedFormat = format.toString();
    this.fixedValueMeaning = c.treatmentKey() + " is " + fixedArmChoices + " and " + String.join(", ", plain)
        + (c.replyValues() == ReplyParser.ValueMode.TARGET
            ? (plain.length == 1 ? " is the recommended new value" : " are the recommended new values")
              + " on the same standardized scale"
            : (plain.length == 1 ? " is the recommended change" : " are the recommended changes")
              + " (new value minus current value)");
  }

  /** The system message for patient {@code x}. */
  public String system(double[] x) {
    return render(system, x);
  }

  /** The user message for patient {@code x}. */
  public String user(double[] x) {
    return render(user, x);
  }

  private String render(String template, double[] x) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 256);
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "features" -> features(x);
        case "arms" -> fixedArms;
        case "armCount" -> fixedArmCount;
        case "armChoices" -> fixedArmChoices;
        case "mutable" -> fixedMutable;
        case "budget" -> fixedBudget;
        case "format" -> fixedFormat;
        case "valueMeaning" -> fixedValueMeaning;
        default -> m.group(); // validated away at configuration; kept verbatim for safety
      };
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String features(double[] x) {
    StringBuilder s = new StringBuilder("{");
    boolean first = true;
    for (int i = 0; i < featureNames.length; i++) {
      if (!shown[i]) {
        continue;
      }
      if (!first) {
        s.append(", ");
      }
      first = false;
      String v = String.format(Locale.ROOT, numberFormat, x[i]);
      if (v.startsWith("-") && v.chars().noneMatch(ch -> ch >= '1' && ch <= '9')) {
        v = v.substring(1); // "-0.00" reads as a sign the model might copy
      }
      s.append('"').append(featureNames[i]).append("\": ").append(v);
    }
    return s.append('}').toString();
  }

  /** The placeholders in {@code template} that are not known, for validation. */
  static java.util.List<String> unknownPlaceholders(String template) {
    java.util.List<String> unknown = new java.util.ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        unknown.add(m.group());
      }
    }
    return unknown;
  }

  private static String list(String[] items, String conjunction) {
    if (items.length == 1) {
      return items[0];
    }
    return String.join(", ", java.util.Arrays.copyOf(items, items.length - 1)) + " " + conjunction + " "
        + items[items.length - 1];
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
