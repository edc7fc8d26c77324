package dev.recourse.sim.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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

  /** An unknown key that is a near-miss of a known one is named as a likely misspelling of it first. */
  @Test
  void anUnknownKeyNamesTheKnownKeyItMisspells() {
    ConfigNode policy = yaml("type: glrb\nlamda: 2\n");
    policy.requiredText("type");
    policy.number("radius", 1);
    policy.number("lambda", 1);
    InputException e = assertThrows(InputException.class, policy::finish);
    assertEquals("s.yaml: lamda: unknown key: a misspelling of 'lambda'? (known here: type, radius, lambda)",
        e.getMessage());
  }

  @Test
  void anUnknownKeyWithNoNearMissListsTheKnownKeysOnly() {
    ConfigNode policy = yaml("type: glrb\ntemperature: 2\n");
    policy.requiredText("type");
    policy.number("radius", 1);
    policy.number("lambda", 1);
    InputException e = assertThrows(InputException.class, policy::finish);
    assertEquals("s.yaml: temperature: unknown key (known here: type, radius, lambda)", e.getMessage());
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

  /** Syntax errors are one line: the file, line, column and Jackson's or SnakeYAML's words, no location dump. */
  @Test
  void syntaxErrorsAreOneLine() {
    String json = assertThrows(InputException.class, () -> ConfigNode.parseTree(
        "[{\"x\":[1,0.5],\"rho\":1,\"norm\":\"l2\"\n", true, "o.json")).getMessage();
    assertEquals("o.json: line 2, column 1: malformed JSON: Unexpected end-of-input: expected close marker for Object "
        + "(opened at line 1, column 2)", json);
    String comma = assertThrows(InputException.class, () -> ConfigNode.parseTree("{\"a\": 1,, }", true, "c.json"))
        .getMessage();
    assertTrue(comma.startsWith("c.json: line 1, column 9: malformed JSON: Unexpected character (','"), comma);
    String yaml = assertThrows(InputException.class, () -> ConfigNode.parseTree("""
        name: mini
        policies:
          - {type: glrb, radius: 3
          - {type: linucb}
        """, false, "s.yaml")).getMessage();
    assertEquals("s.yaml: line 4, column 5: malformed YAML: expected ',' or '}', but got {"
        + " (while parsing a flow mapping that starts at line 3, column 5)", yaml);
    String tab = assertThrows(InputException.class, () -> ConfigNode.parseTree("a: 1\n\tb: 2\n", false, "t.yaml"))
        .getMessage();
    for (String m : List.of(json, comma, yaml, tab)) {
      assertEquals(1, m.lines().count(), m);
      assertFalse(m.contains("Source") || m.contains("REDACTED") || m.contains("reader") || m.contains("^"), m);
      assertTrue(m.matches("[a-z]\\.(json|yaml): line \\d+, column \\d+: malformed (JSON|YAML): .+"), m);
    }
  }
}
