package dev.recourse.sim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConfigNodeTest {

  private static ConfigNode yaml(String text) {
    return ConfigNode.root("s.yaml", ConfigNode.parseTree(text, false, "s.yaml"));
  }

  /** A misspelt required key is named as a likely misspelling, not only reported as missing. */
  @Test
  void aMissingKeyNamesAnUnreadNearMiss() {
    InputException e = assertThrows(InputException.class, () -> yaml("horizn: 300\n").requiredNumber("horizon", "T"));
    assertEquals("s.yaml: horizon: missing (required): T (this mapping has 'horizn': a misspelling of 'horizon'?)",
        e.getMessage());
    e = assertThrows(InputException.class, () -> yaml("Gamma: 1\n").requiredNumber("gamma", null));
    assertTrue(e.getMessage().endsWith("(this mapping has 'Gamma': a misspelling of 'gamma'?)"), e.getMessage());
    ConfigNode nested = yaml("scenario: {tpye: synthetic}\n").requiredObject("scenario");
    e = assertThrows(InputException.class, () -> nested.requiredText("type"));
    assertEquals("s.yaml: scenario.type: missing (required) (this mapping has 'tpye': a misspelling of 'type'?)",
        e.getMessage());
  }

  @Test
  void onlyUnreadNearMissesOfMissingKeysAreNamed() {
    ConfigNode read = yaml("arms: 3\n");
    read.integer("arms", 0);
    InputException e = assertThrows(InputException.class, () -> read.requiredNumber("arm", null));
    assertEquals("s.yaml: arm: missing (required)", e.getMessage(), "'arms' was read: it is a key of its own");
    assertEquals("s.yaml: x: missing (required)",
        assertThrows(InputException.class, () -> yaml("V: 1\n").requiredNumber("x", null)).getMessage());
    assertEquals("s.yaml: replications: missing (required)",
        assertThrows(InputException.class, () -> yaml("seed: 1\n").requiredNumber("replications", null)).getMessage());
    assertEquals("s.yaml: q: must be in [0, 1]", yaml("qq: 1\n").error("q", "must be in [0, 1]").getMessage());
  }

  @Test
  void nearMissesAllowTwoEditsForLongKeysAndOneForShortOnes() {
    assertTrue(ConfigNode.nearMiss("replications", "replicatons"));
    assertTrue(ConfigNode.nearMiss("radius", "radious"));
    assertTrue(ConfigNode.nearMiss("advisor", "advisr"));
    assertTrue(ConfigNode.nearMiss("lambda", "lamdba"));
    assertTrue(ConfigNode.nearMiss("gamma", "gama"));
    assertTrue(ConfigNode.nearMiss("horizon", "horzn"));
    assertFalse(ConfigNode.nearMiss("horizon", "hrzn"));
    assertTrue(ConfigNode.nearMiss("type", "tpye"));
    assertFalse(ConfigNode.nearMiss("type", "tp"));
    assertTrue(ConfigNode.nearMiss("V", "v"));
    assertFalse(ConfigNode.nearMiss("V", "x"));
    assertFalse(ConfigNode.nearMiss("eta", "seed"));
  }
}
