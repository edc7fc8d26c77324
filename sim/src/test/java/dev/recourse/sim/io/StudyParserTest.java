package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.GlrbSpec;
import dev.recourse.sim.policy.LibraSpec;
import dev.recourse.sim.policy.LinUcbSpec;
import dev.recourse.sim.policy.LlmOnlySpec;
import dev.recourse.sim.env.RadiusDefaults;
import dev.recourse.sim.policy.RadiusSpec;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyParserTest {

  @TempDir
  Path dir;

  static final String VALID = """
      name: demo
      seed: 9
      horizon: 200
      replications: 3
      checkpoints: 10
      scenario:
        type: synthetic
        dim: 6
        arms: 3
      policies:
        - type: linucb
        - type: glrb
          radius: 2.5
        - type: glrb
          label: GLRB lemma2
          radius: {type: lemma2, scale: 0.1}
        - type: libra
          threshold: 2
          advisor: {type: quality, q: 0.8}
        - type: llm-only
          advisor: {type: suboptimal, eta: 0.5}
        - type: noop
      """;

  private Study parse(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return StudyParser.read(f);
  }

  private String error(String name, String text) {
    InputException e = assertThrows(InputException.class, () -> parse(name, text));
    return e.getMessage();
  }

  @Test
  void readsAValidStudyWithDefaults() throws IOException {
    Study s = parse("demo.yaml", VALID);
    assertEquals("demo", s.name());
    assertEquals(9, s.seed());
    assertEquals(200, s.horizon());
    assertEquals(10, s.checkpoints().length);
    assertEquals(6, s.scenario().dim());
    assertEquals(6, s.policies().size());
    assertEquals(new RadiusSpec.Constant(RadiusDefaults.SYNTHETIC.linucb()), ((LinUcbSpec) s.policies().get(0)).radius());
    assertEquals(new RadiusSpec.Constant(2.5), ((GlrbSpec) s.policies().get(1)).radius());
    assertEquals(new RadiusSpec.Lemma2(0.1, 0.05), ((GlrbSpec) s.policies().get(2)).radius());
    assertEquals(2.0, ((LibraSpec) s.policies().get(3)).threshold());
    assertEquals(new AdvisorSpec.Quality(0.8), ((LibraSpec) s.policies().get(3)).advisor());
    assertInstanceOf(AdvisorSpec.Suboptimal.class, ((LlmOnlySpec) s.policies().get(4)).advisor());
  }

  @Test
  void readsJsonToo() throws IOException {
    Study s = parse("j.json", """
        {"horizon": 50, "replications": 2, "scenario": {"type": "hypertension", "constant": false},
         "policies": [{"type": "libra", "advisor": {"type": "guideline", "arm": 1, "shifts": {"DietScore": 0.8}}}]}
        """);
    assertEquals("j", s.name());
    assertEquals(8, s.scenario().dim());
    AdvisorSpec.Guideline g = (AdvisorSpec.Guideline) ((LibraSpec) s.policies().get(0)).advisor();
    assertEquals(s.scenario().featureNames().indexOf("DietScore"), g.features()[0]);
  }

  @Test
  void unknownPolicyNamesTheKeyAndTheKnownOnes() {
    String m = error("s.yaml", VALID.replace("type: noop", "type: thompson"));
    assertTrue(m.contains("policies[5].type") && m.contains("unknown policy 'thompson'") && m.contains("linucb"), m);
  }

  @Test
  void negativeHorizon() {
    String m = error("s.yaml", VALID.replace("horizon: 200", "horizon: -5"));
    assertTrue(m.contains("s.yaml: horizon: must be >= 1, got -5"), m);
  }

  @Test
  void horizonMustBeAnInteger() {
    String m = error("s.yaml", VALID.replace("horizon: 200", "horizon: 10,000"));
    assertTrue(m.contains("horizon: expected an integer"), m);
  }

  @Test
  void missingDataFile() {
    String m = error("f.yaml", """
        horizon: 10
        replications: 1
        scenario: {type: fertility, data: nowhere/fertility.txt}
        policies: [{type: glrb}]
        """);
    assertTrue(m.contains("scenario.data: no such file") && m.contains("nowhere"), m);
  }

  @Test
  void dataFileRelativeToTheStudyFile() throws IOException {
    Path data = SharedData.fertility();
    Files.copy(data, dir.resolve("fert.txt"));
    Study s = parse("f.yaml", """
        horizon: 10
        replications: 1
        scenario: {type: fertility, data: fert.txt, gamma: 2}
        policies: [{type: glrb}]
        """);
    assertEquals(2.0, s.scenario().parameters().get("gamma"));
  }

  @Test
  void malformedYamlNamesTheLine() {
    String m = error("bad.yaml", "horizon: 10\nreplications: [1, 2\nscenario: {type: synthetic}\n");
    assertTrue(m.contains("bad.yaml") && m.contains("malformed YAML") && m.contains("line"), m);
  }

  @Test
  void malformedJson() {
    String m = error("bad.json", "{\"horizon\": 10,, }");
    assertTrue(m.contains("malformed JSON"), m);
  }

  @Test
  void unknownKeysAnywhere() {
    String top = error("s.yaml", VALID + "treshold: 1\n");
    assertTrue(top.contains("s.yaml: treshold: unknown key") && top.contains("horizon"), top);
    String nested = error("s.yaml", VALID.replace("threshold: 2", "treshold: 2"));
    assertTrue(nested.contains("policies[3].treshold: unknown key"), nested);
    String scenario = error("s.yaml", VALID.replace("dim: 6", "dims: 6"));
    assertTrue(scenario.contains("scenario.dims: unknown key"), scenario);
    String advisor = error("s.yaml", VALID.replace("q: 0.8}", "q: 0.8, temperature: 1}"));
    assertTrue(advisor.contains("policies[3].advisor.temperature: unknown key"), advisor);
  }

  /** A misspelt required key is reported as missing with the likely misspelling named. */
  @Test
  void misspeltRequiredKeysAreNamed() {
    String horizon = error("s.yaml", VALID.replace("horizon: 200", "horizn: 200"));
    assertTrue(horizon.endsWith("horizon: missing (required): the number of rounds T (this mapping has 'horizn': a "
        + "misspelling of 'horizon'?)"), horizon);
    String replications = error("s.yaml", VALID.replace("replications: 3", "replicatons: 3"));
    assertTrue(replications.endsWith("(this mapping has 'replicatons': a misspelling of 'replications'?)"), replications);
    String advisor = error("s.yaml", VALID.replace("advisor: {type: quality", "advisr: {type: quality"));
    assertTrue(advisor.contains("policies[3].advisor: missing: libra needs an advisor")
        && advisor.endsWith("(this mapping has 'advisr': a misspelling of 'advisor'?)"), advisor);
  }

  @Test
  void duplicateKeys() {
    String m = error("s.yaml", VALID.replace("seed: 9", "seed: 9\nseed: 10"));
    assertTrue(m.contains("seed"), m);
  }

  @Test
  void otherBadValues() {
    assertTrue(error("s.yaml", VALID.replace("q: 0.8", "q: 1.5")).contains("policies[3].advisor.q: must be in [0.0, 1.0], got 1.5"));
    assertTrue(error("s.yaml", VALID.replace("radius: 2.5", "radius: -1")).contains("policies[1].radius: must be finite and >= 0, got -1.0"));
    assertTrue(error("s.yaml", VALID.replace("    advisor: {type: quality, q: 0.8}\n", "")).contains("policies[3].advisor: missing"));
    assertTrue(error("s.yaml", VALID.replace("type: synthetic", "type: mnist")).contains("scenario.type: unknown scenario 'mnist'"));
    assertTrue(error("s.yaml", VALID.replace("- type: linucb", "- type: linucb\n    radius: {type: lemma2}"))
        .contains("linucb takes a constant radius"));
    assertTrue(error("s.yaml", VALID.replace("label: GLRB lemma2", "label: GLRB")).contains("'GLRB' is already used"));
    assertTrue(error("s.yaml", VALID.replace("replications: 3", "replications: 0")).contains("replications: must be >= 1"));
    assertTrue(error("s.yaml", VALID.replace("type: noop", "type: noop\n    radius: 1")).contains("policies[5].radius: unknown key"));
    assertTrue(error("s.yaml", "- just\n- a list\n").contains("expected a mapping"));
    assertTrue(error("s.yaml", VALID.replace("horizon: 200\n", "")).contains("horizon: missing"));
  }

  @Test
  void complianceModelsAndTheirRules() throws IOException {
    String base = """
        horizon: 10
        replications: 1
        scenario:
          type: hypertension
          compliance: COMPLIANCE
        policies:
          - {type: glrb-robust}
          - {type: glrb-nc, epsilon: 0.5}
        """;
    Study ok = parse("c.yaml", base.replace("COMPLIANCE", "{type: random, bias: [-0.5, 0.2], spread: 0.3, epsilon: 1}"));
    assertEquals(2, ok.policies().size());
    assertEquals(0.5, ((GlrbSpec) ok.policies().get(1)).epsilon(), 0.0);
    assertTrue(parse("c.yaml", base.replace("COMPLIANCE", "{type: adversarial, epsilon: 1}")).scenario().parameters()
        .get("compliance").toString().contains("adversarial"));
    assertTrue(error("c.yaml", base.replace("COMPLIANCE", "{type: random, bias: [-0.5], epsilon: 1}"))
        .contains("bias"));
    assertTrue(error("c.yaml", base.replace("COMPLIANCE", "{type: adversarial}")).contains("epsilon"));
    assertTrue(error("c.yaml", base.replace("COMPLIANCE", "{type: sloppy, epsilon: 1}")).contains("unknown compliance 'sloppy'"));
    assertTrue(error("c.yaml", base.replace("COMPLIANCE", "{type: random, bias: [0, 0], epsilon: 1}")
        .replace("{type: glrb-nc, epsilon: 0.5}", "{type: glrb-nc}")).contains("epsilon"));
  }

  @Test
  void guidelineFeaturesMustBeMutable() {
    String m = error("g.yaml", """
        horizon: 10
        replications: 1
        scenario: {type: hypertension}
        policies: [{type: llm-only, advisor: {type: guideline, arm: 0, shifts: {age: -1}}}]
        """);
    assertTrue(m.contains("policies[0].advisor.shifts.age: not a mutable feature"), m);
  }

  /** Issue 16: GLRB and LIBRA take solver: cd | exact | auto (default cd); ORO-NC takes none. */
  @Test
  void solverIsChosenByName() throws IOException {
    String base = """
        horizon: 10
        replications: 1
        scenario: {type: hypertension}
        policies:
          - {type: glrb, solver: SOLVER}
          - {type: libra, solver: auto, advisor: {type: quality, q: 0.8}}
        """;
    Study s = parse("s.yaml", base.replace("SOLVER", "exact"));
    assertEquals(dev.recourse.core.recourse.OroSolvers.Choice.EXACT, ((GlrbSpec) s.policies().get(0)).solver());
    assertEquals(dev.recourse.core.recourse.OroSolvers.Choice.AUTO, ((LibraSpec) s.policies().get(1)).solver());
    assertEquals("exact", s.policies().get(0).parameters().get("solver"));
    var built = s.policies().get(0).build(new dev.recourse.sim.policy.BuildContext(s.scenario().create(1, 0), 1,
        s.scenario().name(), 0, dev.recourse.core.simd.Kernels.get())).policy();
    assertTrue(built.describe().contains("solver=exact-l2"), built.describe());
    assertEquals(GlrbSpec.DEFAULT_SOLVER, ((GlrbSpec) parse("s.yaml", base.replace("solver: SOLVER", "radius: 3"))
        .policies().get(0)).solver());
    assertTrue(error("s.yaml", base.replace("SOLVER", "newton")).contains("policies[0].solver"));
    assertTrue(error("s.yaml", base.replace("{type: glrb, solver: SOLVER}", "{type: glrb-nc, epsilon: 1, solver: cd}"))
        .contains("policies[0].solver: glrb-nc solves ORO-NC with its own solver"));
  }
}
