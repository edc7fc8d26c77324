package dev.recourse.sim.gambitts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.io.StudyParser;
import dev.recourse.sim.policy.BuildContext;
import dev.recourse.sim.run.Study;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The response database: reading it, its errors, and the round loop over it (spec gambitts.md §7). */
class ResponseDbTest {

  @TempDir
  Path dir;

  private static final String STUDY = """
      horizon: 200
      replications: 2
      scenario:
        type: response-db
        db: DB
        prompt_column: prompt
        context_columns: [curr_loc, prev_steps]
        embedding: [optimism, formality, severity]
        reward: {intercept: 82.84, coefficients: {optimism: 0.352, formality: -0.499, severity: -0.158}}
        noise_sd: 0.71
        prompts: [1, 2, 3, 4, 5]
      policies:
        - {type: po-gambitts, offline_samples: 20}
        - {type: std-ts}
      """;

  private Path db(int perCell) throws IOException {
    Path file = dir.resolve("db.csv");
    StringWriter text = new StringWriter();
    new StyleModel(3).write(text, perCell, 3);
    Files.writeString(file, text.toString());
    return file;
  }

  private Study study(String text) throws IOException {
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, text);
    return StudyParser.read(file);
  }

  private String error(String text) throws IOException {
    return assertThrows(InputException.class, () -> study(text)).getMessage();
  }

  @Test
  void readsTheGeneratedLayoutAndComputesSlotMeansFromTheRows() throws IOException {
    Path file = db(6);
    Study s = study(STUDY.replace("DB", file.getFileName().toString()));
    TreatmentScenario scenario = (TreatmentScenario) s.scenario();
    ResponseDb responses = (ResponseDb) scenario.world();
    assertEquals(List.of("1", "2", "3", "4", "5"), responses.promptNames());
    assertEquals(List.of(List.of("home", "other", "work"), List.of("0", "1", "2", "3")), responses.levelLabels());
    assertEquals(12, responses.numCells());
    assertEquals(12 * 5 * 6, responses.responses());
    // Slot (curr_loc=work, prev_steps=2, prompt 3): recompute its mean reward from the file's rows.
    List<String> lines = Files.readAllLines(file);
    List<String> header = List.of(lines.get(0).split(","));
    double sum = 0;
    int n = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      if (f[0].equals("3") && f[2].equals("2") && f[3].equals("work")) {
        sum += 82.84 + 0.352 * Double.parseDouble(f[header.indexOf("optimism")])
            - 0.499 * Double.parseDouble(f[header.indexOf("formality")])
            - 0.158 * Double.parseDouble(f[header.indexOf("severity")]);
        n++;
      }
    }
    int cell = 2 * 4 + 2;
    assertEquals(6, n);
    assertEquals(sum / n, responses.slotMean(cell, 2), 1e-9);
    assertEquals(6, responses.count(cell, 2));
  }

  @Test
  void theRoundLoopRevealsAStoredEmbeddingAndChargesTheCellMeanGap() throws IOException {
    Study s = study(STUDY.replace("DB", db(4).getFileName().toString()));
    TreatmentScenario scenario = (TreatmentScenario) s.scenario();
    Environment a = scenario.create(5, 0, Kernels.get());
    Environment b = scenario.create(5, 1, Kernels.get());
    assertSame(a.treatments().orElseThrow(), b.treatments().orElseThrow(), "one database for every replication");
    assertEquals(3, a.treatmentDim());
    double[] x = new double[2];
    Decision decision = new Decision(2);
    Outcome outcome = new Outcome(2, 3);
    for (int t = 0; t < 50; t++) {
      a.nextContext(x);
      int cell = (int) x[0] * 4 + (int) x[1];
      int arm = t % 5;
      decision.set(arm, Double.NaN, Double.NaN, false, 0);
      double regret = a.act(x, decision, outcome);
      double best = Double.NEGATIVE_INFINITY;
      for (int k = 0; k < 5; k++) {
        best = Math.max(best, scenario.slotMean(cell, k));
      }
      assertEquals(best - scenario.slotMean(cell, arm), regret, 0.0);
      assertTrue(outcome.hasTreatment());
      assertEquals(arm, outcome.arm());
      assertArrayEquals(x, outcome.context());
      assertTrue(Math.abs(outcome.reward() - scenario.slotMean(cell, arm)) < 6, "reward near its mean: " + outcome);
    }
  }

  @Test
  void badDatabasesAndLayoutsNameTheFileAndLineOrTheKey() throws IOException {
    Path good = db(2);
    String name = good.getFileName().toString();
    List<String> lines = Files.readAllLines(good);
    String m = error(STUDY.replace("DB", name).replace("[optimism, formality, severity]", "[optimism, formalty]"));
    assertTrue(m.contains("scenario.embedding: no column 'formalty'"), m);
    m = error(STUDY.replace("DB", name).replace("prompts: [1, 2, 3, 4, 5]", "prompts: [1, 99]"));
    assertTrue(m.contains("scenario.prompts: unknown prompt '99'"), m);
    m = error(STUDY.replace("DB", "missing.csv"));
    assertTrue(m.contains("scenario.db: no such file"), m);

    List<String> ragged = new ArrayList<>(lines);
    ragged.set(7, ragged.get(7) + ",extra");
    Files.write(dir.resolve("ragged.csv"), ragged);
    m = error(STUDY.replace("DB", "ragged.csv"));
    assertTrue(m.contains("ragged.csv: line 8: expected 25 fields as in the header, got 26"), m);

    List<String> text = new ArrayList<>(lines);
    text.set(4, text.get(4).replaceFirst(",home,[^,]+,", ",home,high,"));
    Files.write(dir.resolve("text.csv"), text);
    m = error(STUDY.replace("DB", "text.csv"));
    assertTrue(m.contains("text.csv: line 5, column 5 (optimism): expected a finite number, got 'high'"), m);

    List<String> dup = new ArrayList<>(lines);
    dup.set(0, dup.get(0).replace("humor", "optimism"));
    Files.write(dir.resolve("dup.csv"), dup);
    m = error(STUDY.replace("DB", "dup.csv"));
    assertTrue(m.contains("dup.csv: line 1, column 10 (optimism): duplicated column 'optimism'"), m);

    List<String> hole = new ArrayList<>();
    for (String line : lines) {
      if (!(line.startsWith("2,") && line.contains(",3,work,"))) {
        hole.add(line);
      }
    }
    Files.write(dir.resolve("hole.csv"), hole);
    m = error(STUDY.replace("DB", "hole.csv"));
    assertTrue(m.contains("no responses of prompt '2' in context cell (curr_loc=work, prev_steps=3)"), m);

    m = error(STUDY.replace("DB", name).replace("{type: std-ts}", "{type: glrb}"));
    assertTrue(m.contains("policies[1].type: glrb recommends recourse, but scenario 'response-db' has no feasible set"), m);
  }

  @Test
  void quotedTextsWithCommasAndLineBreaksAreOneField() throws IOException {
    Path file = dir.resolve("q.csv");
    Files.writeString(file, "prompt,text,optimism\n1,\"a, \"\"quoted\"\"\ntext\",0.5\n2,plain,-0.5\n");
    String study = """
        horizon: 5
        replications: 1
        scenario: {type: response-db, db: q.csv, embedding: [optimism], reward: {coefficients: {optimism: 1}}}
        policies: [{type: std-ts}]
        """;
    TreatmentScenario s = (TreatmentScenario) study(study).scenario();
    assertEquals(0.5, s.slotMean(0, 0), 0.0);
    assertEquals(-0.5, s.slotMean(0, 1), 0.0);
  }

  /** Spec §9 check 8: with the default v² no agent's decisions depend on the world's σ; with v2: noise they do. */
  @Test
  void agentsReadTheNoiseLevelOnlyWhenConfiguredTo() throws IOException {
    Path file = db(3);
    String base = STUDY.replace("DB", file.getFileName().toString());
    for (String policy : List.of("{type: po-gambitts, offline_samples: 20}", "{type: fo-gambitts}", "{type: std-ts}",
        "{type: std-ts-contextual}", "{type: po-gambitts, offline_samples: 20, v2: noise}")) {
      String text = base.replace("  - {type: po-gambitts, offline_samples: 20}\n  - {type: std-ts}\n", "  - " + policy + "\n");
      assertTrue(text.contains(policy) && !text.contains("{type: std-ts}\n") == !policy.equals("{type: std-ts}"), text);
      List<Integer> quiet = decisions(study(text));
      List<Integer> loud = decisions(study(text.replace("noise_sd: 0.71", "noise_sd: 30")));
      if (policy.contains("noise")) {
        assertNotEquals(quiet, loud, policy);
      } else {
        assertEquals(quiet, loud, policy);
      }
    }
  }

  /** 300 decisions of the study's first policy fed the same scripted outcomes (rewards from the σ = 0.71 world). */
  private static List<Integer> decisions(Study study) {
    TreatmentScenario scenario = (TreatmentScenario) study.scenario();
    Environment env = scenario.create(7, 0, Kernels.get());
    Policy policy = study.policies().get(0).build(new BuildContext(env, 7, scenario.name(), 0, Kernels.get())).policy();
    double[] x = new double[2];
    Decision decision = new Decision(2);
    Outcome outcome = new Outcome(2, 3);
    List<Integer> arms = new ArrayList<>();
    java.util.random.RandomGenerator script = dev.recourse.core.rng.RandomStreams.stream(11, 1);
    for (int t = 0; t < 300; t++) {
      env.nextContext(x);
      policy.decide(x, decision);
      arms.add(decision.arm());
      int cell = (int) x[0] * 4 + (int) x[1];
      scenario.world().offline(1, script).copySample(cell * 5 + decision.arm(), 0, outcome.treatment());
      System.arraycopy(x, 0, outcome.context(), 0, 2);
      policy.update(outcome.set(decision.arm(), scenario.slotMean(cell, decision.arm()) + 0.71 * script.nextGaussian())
          .withTreatment());
    }
    assertFalse(arms.isEmpty());
    return arms;
  }
}
