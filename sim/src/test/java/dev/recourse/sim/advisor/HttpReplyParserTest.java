package dev.recourse.sim.advisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The reply parser on its own: the paper's answer format, the tolerance around it, and garbage. */
class HttpReplyParserTest {

  private static final String[] FEATURES = {"female", "age", "cvd_hx_baseline", "race", "smoking", "DietScore",
      "PhyActHours", "Systolic Blood Pressure for this visit"};
  private static final int[] MUTABLE = {5, 6};
  private static final String[][] ARMS = {{"Beta-blocker", "Prescribing Beta-blocker."},
      {"ACE+CCB+Diur", "ACE Inhibitor + Calcium channel blockers + Diuretics."}};
  private static final double[] X = {1.1, 0.75, 1.63, -0.4, 0.30, 1.02, -0.43, -0.75};
  private static final double SENTINEL = -12345.0;

  private static ReplyParser parser(ReplyParser.ValueMode mode) {
    return new ReplyParser(FEATURES, MUTABLE, "treatment", ARMS, 1, mode);
  }

  private static final ReplyParser TARGET = parser(ReplyParser.ValueMode.TARGET);

  /** Parses and, on success, checks that every immutable feature was copied from X. */
  private static Parsed parse(ReplyParser p, String reply) {
    int[] arm = {SENTINEL_ARM};
    double[] ctx = new double[X.length];
    java.util.Arrays.fill(ctx, SENTINEL);
    ReplyParser.Result r = p.parse(reply, X, arm, ctx);
    if (r.ok()) {
      for (int i = 0; i < X.length; i++) {
        if (i != 5 && i != 6) {
          assertEquals(X[i], ctx[i], "immutable feature " + i + " must come from x");
        }
      }
    } else {
      assertEquals(SENTINEL_ARM, arm[0], "a rejected reply must not write the arm");
      for (double v : ctx) {
        assertEquals(SENTINEL, v, "a rejected reply must not write the context");
      }
    }
    return new Parsed(r, arm[0], ctx);
  }

  private static final int SENTINEL_ARM = -7;

  private record Parsed(ReplyParser.Result result, int arm, double[] ctx) {

    Parsed ok(int expectedArm, double diet, double activity) {
      assertTrue(result.ok(), () -> "expected success, got: " + result.error());
      assertEquals(expectedArm, arm, "arm");
      assertEquals(diet, ctx[5], 1e-12, "DietScore");
      assertEquals(activity, ctx[6], 1e-12, "PhyActHours");
      return this;
    }

    void fails(String reasonFragment) {
      assertFalse(result.ok(), "expected rejection");
      assertTrue(result.error().toLowerCase().contains(reasonFragment.toLowerCase()),
          "reason '" + result.error() + "' should mention '" + reasonFragment + "'");
    }
  }

  @Test
  void readsThePapersFormatByArmName() {
    parse(TARGET, "treatment=ACE+CCB+Diur, DietScore=1.25, PhyActHours=0.8").ok(1, 1.25, 0.8);
  }

  @Test
  void readsArmByNumberCountedFromOne() {
    parse(TARGET, "treatment=1, DietScore=2.0, PhyActHours=-0.1").ok(0, 2.0, -0.1);
    parse(TARGET, "treatment=2, DietScore=2.0, PhyActHours=-0.1").ok(1, 2.0, -0.1);
    parse(TARGET, "treatment=Treatment 2, DietScore=2, PhyActHours=1").ok(1, 2, 1);
    parse(TARGET, "treatment = 2 (ACE+CCB+Diur), DietScore = 2, PhyActHours = 1").ok(1, 2, 1);
  }

  @Test
  void zeroBasedNumbersWhenConfigured() {
    ReplyParser zeroBased = new ReplyParser(FEATURES, MUTABLE, "treatment", ARMS, 0, ReplyParser.ValueMode.TARGET);
    parse(zeroBased, "treatment=0, DietScore=1, PhyActHours=1").ok(0, 1, 1);
    parse(zeroBased, "treatment=2, DietScore=1, PhyActHours=1").fails("out of range");
  }

  @Test
  void keysAndArmNamesIgnoreCaseAndSpacing() {
    parse(TARGET, "TREATMENT=ace + ccb + diur, dietscore=1.5, PHYACTHOURS=0.5").ok(1, 1.5, 0.5);
    parse(TARGET, "Treatment: beta-blocker; DietScore: 1.5; PhyActHours: 0.5").ok(0, 1.5, 0.5);
    parse(TARGET, "treatment=ACE Inhibitor + Calcium channel blockers + Diuretics, DietScore=1, PhyActHours=2")
        .ok(1, 1, 2);
  }

  @Test
  void toleratesProseAndMarkdownAroundTheAnswer() {
    String reply = """
        Sure! Based on the patient's profile, here is my recommendation:

        ```
        treatment=2, DietScore=1.80, PhyActHours=0.60
        ```
        This keeps the change within the budget.""";
    parse(TARGET, reply).ok(1, 1.8, 0.6);
    String list = """
        **Recommendation**
        - **Treatment:** 2 (ACE+CCB+Diur)
        - **DietScore:** 1.9
        - **PhyActHours:** `0.4`
        """;
    parse(TARGET, list).ok(1, 1.9, 0.4);
    parse(TARGET, "{\"treatment\": \"Beta-blocker\", \"DietScore\": 2.5, \"PhyActHours\": 0.1}").ok(0, 2.5, 0.1);
  }

  @Test
  void numbersWithUnitsSignsAndExponents() {
    parse(TARGET, "treatment=1, DietScore=+1.5 points, PhyActHours=0.8 hours/week").ok(0, 1.5, 0.8);
    parse(TARGET, "treatment=1, DietScore=\u22120.5, PhyActHours=- 0.25").ok(0, -0.5, -0.25);
    parse(TARGET, "treatment=1, DietScore=1.5e0, PhyActHours=.5.").ok(0, 1.5, 0.5);
  }

  @Test
  void theAnswerLineWinsOverEchoedInput() {
    String reply = """
        The patient currently has DietScore=1.02 and PhyActHours=-0.43.
        treatment=2, DietScore=2.3, PhyActHours=0.9
        """;
    parse(TARGET, reply).ok(1, 2.3, 0.9);
    String revised = "treatment=1, DietScore=1, PhyActHours=1\nOn reflection: treatment=2, DietScore=2, PhyActHours=2";
    parse(TARGET, revised).ok(1, 2, 2);
  }

  @Test
  void reasoningBlocksAreSkipped() {
    String reply = "<think>Maybe treatment=1, DietScore=9, PhyActHours=9? No.</think>\ntreatment=2, DietScore=1.5, "
        + "PhyActHours=0.5";
    parse(TARGET, reply).ok(1, 1.5, 0.5);
    parse(TARGET, "<think>treatment=1, DietScore=9, PhyActHours=9 and then the reply was cut").fails("no treatment");
  }

  @Test
  void missingOrWordyMutableFeatureKeepsThePatientsValue() {
    parse(TARGET, "treatment=2, DietScore=2.0").ok(1, 2.0, X[6]);
    parse(TARGET, "treatment=2, DietScore=unchanged, PhyActHours=1.0").ok(1, X[5], 1.0);
    parse(TARGET, "treatment=Beta-blocker").ok(0, X[5], X[6]);
  }

  @Test
  void immutableFeaturesInTheReplyAreIgnored() {
    Parsed p = parse(TARGET, "treatment=1, age=-3, smoking=0, DietScore=2, PhyActHours=1").ok(0, 2, 1);
    assertEquals(X[1], p.ctx()[1]);
    assertEquals(X[4], p.ctx()[4]);
  }

  @Test
  void changeModeAddsToThePatientsValues() {
    ReplyParser change = parser(ReplyParser.ValueMode.CHANGE);
    parse(change, "treatment=2, DietScore=+0.8, PhyActHours=1.1").ok(1, X[5] + 0.8, X[6] + 1.1);
    parse(change, "treatment=2, DietScore=0.8").ok(1, X[5] + 0.8, X[6]);
    parse(change, "treatment=2, DietScore=1e308, PhyActHours=1.7e308").ok(1, X[5] + 1e308, X[6] + 1.7e308);
  }

  @Test
  void keysMustBeWholeWords() {
    // "NewDietScore" and "DietScore2" are not DietScore.
    parse(TARGET, "treatment=1, NewDietScore=5, DietScore2=6, PhyActHours=1").ok(0, X[5], 1);
    // "pretreatment" is not the treatment key.
    parse(TARGET, "pretreatment=2, DietScore=5").fails("no treatment");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "I cannot give medical advice.", "DietScore=1.2, PhyActHours=0.3",
      "Treatment 2 is best, DietScore=1.2"})
  void noTreatmentIsRejected(String reply) {
    Parsed p = parse(TARGET, reply);
    assertFalse(p.result().ok());
  }

  @Test
  void unknownOrAmbiguousArmsAreRejected() {
    parse(TARGET, "treatment=Aspirin, DietScore=1, PhyActHours=1").fails("unknown treatment");
    parse(TARGET, "treatment=3, DietScore=1, PhyActHours=1").fails("out of range");
    parse(TARGET, "treatment=0, DietScore=1, PhyActHours=1").fails("out of range");
    parse(TARGET, "treatment=99999999999, DietScore=1").fails("out of range");
    parse(TARGET, "treatment=1 or 2, DietScore=1, PhyActHours=1").fails("unknown treatment");
    parse(TARGET, "treatment=either beta-blocker or ace+ccb+diur, DietScore=1").fails("unknown treatment");
    parse(TARGET, "treatment=..., DietScore=..., PhyActHours=...").fails("unknown treatment");
  }

  @Test
  void nonFiniteNumbersAreRejected() {
    parse(TARGET, "treatment=1, DietScore=NaN, PhyActHours=1").fails("DietScore");
    parse(TARGET, "treatment=1, DietScore=1, PhyActHours=Infinity").fails("PhyActHours");
    parse(TARGET, "treatment=1, DietScore=-inf, PhyActHours=1").fails("DietScore");
    parse(TARGET, "treatment=1, DietScore=1e999, PhyActHours=1").fails("DietScore");
    parse(parser(ReplyParser.ValueMode.CHANGE), "treatment=1, DietScore=1.7e308, PhyActHours=1")
        .ok(0, X[5] + 1.7e308, X[6] + 1);
    double[] big = X.clone();
    big[5] = 1.7e308;
    int[] arm = {0};
    double[] ctx = new double[X.length];
    ReplyParser.Result r = parser(ReplyParser.ValueMode.CHANGE).parse("treatment=1, DietScore=1.7e308", big, arm, ctx);
    assertFalse(r.ok(), "x + change overflowing to infinity must be rejected");
  }

  @Test
  void aContextOfTheWrongLengthIsTheCallersBug() {
    assertThrows(IllegalArgumentException.class, () -> TARGET.parse("treatment=1", new double[3], new int[1],
        new double[3]));
  }

  @Test
  void featureNamesWithSpacesAreMatched() {
    String[] names = {"blood pressure", "diet score"};
    ReplyParser p = new ReplyParser(names, new int[] {1}, "treatment", new String[][] {{"a"}, {"b"}}, 1,
        ReplyParser.ValueMode.TARGET);
    int[] arm = new int[1];
    double[] ctx = new double[2];
    assertTrue(p.parse("treatment=b, Diet  Score=3.5", new double[] {1, 2}, arm, ctx).ok());
    assertArrayEquals(new double[] {1, 3.5}, ctx);
    assertEquals(1, arm[0]);
  }
}
