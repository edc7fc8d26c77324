package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code feasible.mutable} by name, resolved against the file's {@code features} list; indices still work. */
class FeatureNamesTest {

  private static final String POLICY = "policy: {type: glrb, radius: 0.6, lambda: 1.0}\n";
  private static final String FEATURES = "features: [Age, Sex, DietScore, PhyActHours]\n";

  private static ServiceConfig parse(String features, String mutable) {
    return ServiceConfig.parse("dim: 4\narms: 2\n" + features + "feasible: {mutable: " + mutable
        + ", ball: l2, radius: 1.0}\n" + POLICY);
  }

  private static void rejected(String features, String mutable, String... words) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(features, mutable));
    for (String w : words) {
      assertTrue(e.getMessage().contains(w), "'" + e.getMessage() + "' names " + w);
    }
  }

  @Test
  void namesResolveToTheSameSetAsIndices() {
    ServiceConfig byName = parse(FEATURES, "[DietScore, PhyActHours]");
    ServiceConfig byIndex = parse("", "[2, 3]");
    assertArrayEquals(new int[] {2, 3}, byName.mutableFeatures());
    assertArrayEquals(byIndex.mutableFeatures(),
        byName.mutableFeatures());
    assertEquals(Optional.of(List.of("Age", "Sex", "DietScore", "PhyActHours")), byName.featureNames());
    assertEquals(Optional.empty(), byIndex.featureNames());
    // Names and indices mix, in any order; the decisions move exactly those features.
    ServiceConfig mixed = parse(FEATURES, "[PhyActHours, 2]");
    assertArrayEquals(new int[] {3, 2}, mixed.mutableFeatures());
    PolicyService s = PolicyService.of(mixed);
    ServiceDecision d = s.decide(new double[] {0.5, 1.0, -0.3, 0.2});
    assertEquals(0.5, d.recourse()[0]);
    assertEquals(1.0, d.recourse()[1]);
  }

  @Test
  void mistakesNameTheKey() {
    rejected(FEATURES, "[Diet]", "feasible.mutable", "unknown feature 'Diet'", "DietScore");
    rejected("", "[DietScore]", "feasible.mutable", "'DietScore' is a name", "features");
    rejected(FEATURES, "[DietScore, 2]", "feasible");  // the same feature twice
    rejected(FEATURES, "[1.5]", "feasible.mutable", "element 0");
    rejected(FEATURES, "DietScore", "feasible.mutable", "expected a list");
    rejected("features: [Age, Sex, DietScore]\n", "[2]", "features", "expected 4 names", "got 3");
    rejected("features: [Age, Sex, Age, PhyActHours]\n", "[2]", "features", "'Age' names both feature 0 and feature 2");
    rejected("features: [Age, Sex, 3, PhyActHours]\n", "[2]", "features", "element 2");
    rejected(FEATURES, "[]", "feasible.mutable", "missing");
  }
}
