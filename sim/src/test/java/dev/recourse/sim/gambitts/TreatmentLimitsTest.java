package dev.recourse.sim.gambitts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.StudyParser;
import dev.recourse.sim.run.Study;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study whose world holds an embedding entry or reward beyond its GAMBITTS policies' limits is refused
 * when it is read, naming the value's place, the value and the policy with the smallest limit.
 */
class TreatmentLimitsTest {

  @TempDir
  Path dir;

  private static final String STUDY = """
      horizon: 20
      replications: 1
      scenario:
        type: response-db
        db: db.csv
        embedding: [optimism, formality]
        reward: {intercept: 1, coefficients: {optimism: 1}}
        noise_sd: 0.5
      policies:
        POLICIES
      """;

  /** Two prompts, no context: FORMALITY is the formality of line 4 (prompt 2's first response). */
  private static final String DB = """
      prompt,optimism,formality
      1,0.5,0.1
      1,-0.5,0.2
      2,0.1,FORMALITY
      2,0.2,-0.3
      """;

  private Study study(String policies, String formality) throws IOException {
    Files.writeString(dir.resolve("db.csv"), DB.replace("FORMALITY", formality));
    Path file = dir.resolve("s.yaml");
    Files.writeString(file, STUDY.replace("POLICIES", policies));
    return StudyParser.read(file);
  }

  private String refusal(String policies, String formality) {
    return assertThrows(InputException.class, () -> study(policies, formality)).getMessage();
  }

  @Test
  void anEntryBeyondTheSmallestLimitIsRefusedNamingItsLineColumnAndPolicy() {
    String po = "- {type: po-gambitts, offline_samples: 2}";
    String m = refusal(po, "-10000.5");
    assertTrue(m.startsWith(dir.resolve("db.csv") + ": line 4, column 3 (formality): -10000.5 is beyond 10000.0, the "
        + "embedding limit of policy 'poGAMBITTS' (" + dir.resolve("s.yaml") + ": policies[0]), which would refuse it "
        + "part-way through the run; rescale Z"), m);
    // foGAMBITTS with psi0 0.25 has the smaller limit, 1e4·√0.25: it is the one named, though listed second.
    m = refusal(po + "\n  - {type: fo-gambitts, psi0: 0.25}\n  - {type: std-ts}", "5000.5");
    assertTrue(m.contains("line 4, column 3 (formality): 5000.5 is beyond 5000.0, the embedding limit of policy "
        + "'foGAMBITTS' (" + dir.resolve("s.yaml") + ": policies[1])"), m);
  }

  @Test
  void entriesAtTheLimitOrUnderALargerPriorScalePass() throws IOException {
    assertEquals(2, study("- {type: po-gambitts}\n  - {type: ens-po-gambitts, perturbation_sd: 1}", "-10000.0")
        .policies().size());
    // slope_precision 4 doubles the limit: 1e4·√4.
    study("- {type: po-gambitts, prior: {slope_precision: 4}}", "19999");
    // StdTS reads no Z: only rewards are checked for it.
    study("- {type: std-ts}", "1e200");
  }

  @Test
  void aTrueRewardBeyondTheLimitIsRefusedNamingItsLine() throws IOException {
    Files.writeString(dir.resolve("db.csv"), DB.replace("FORMALITY", "0").replace("1,-0.5,", "1,-2e100,"));
    Files.writeString(dir.resolve("s.yaml"), STUDY.replace("POLICIES", "- {type: std-ts}"));
    String m = assertThrows(InputException.class, () -> StudyParser.read(dir.resolve("s.yaml"))).getMessage();
    assertTrue(m.startsWith(dir.resolve("db.csv") + ": line 3: its true reward (scenario.reward): -2.0E100 is beyond "
        + "1.0E100, the reward limit of policy 'StdTS'"), m);
  }

  /**
   * A generated value is named by the settings that fix it: a generator's means are drawn in turn for
   * every prompt, dimension and cell, so its prompts, embedding_dim and context_levels are among them
   * (the levels as numbers, not an array's identity), as are the synthetic database's prompts and context.
   */
  @Test
  void generatedValuesNameEverySettingThatFixesThem() throws IOException {
    Path file = dir.resolve("gen.yaml");
    Files.writeString(file, """
        horizon: 20
        replications: 1
        scenario: {type: generator, prompts: 3, embedding_dim: 2, context_levels: [2, 3], prompt_sd: 1e6}
        policies: [{type: po-gambitts, offline_samples: 2}]
        """);
    String m = assertThrows(InputException.class, () -> StudyParser.read(file)).getMessage();
    assertTrue(m.startsWith(file + ": scenario (type: generator, prompts: 3, embedding_dim: 2, context_levels: [2, 3], "
        + "prompt_sd: 1000000.0, cell_sd: 0.1, intercept: 80.0, coefficient_sd: 1.0, world_seed: 1): the mean of z"), m);
    Files.writeString(file, """
        horizon: 20
        replications: 1
        scenario: {type: response-db, db: synthetic, responses_per_cell: 3, embedding: [optimism],
                   reward: {intercept: 1, coefficients: {optimism: 1e101}}, prompts: [2, 1]}
        policies: [{type: std-ts}]
        """);
    m = assertThrows(InputException.class, () -> StudyParser.read(file)).getMessage();
    assertTrue(m.startsWith(file + ": scenario (type: response-db, db: synthetic, responses_per_cell: 3, db_seed: 1, "
        + "prompts: [2, 1], context_columns: []): the true reward of response "), m);
  }

  @Test
  void generatedWorldsNameTheirSettings() throws IOException {
    String synthetic = """
        horizon: 20
        replications: 1
        scenario: {type: response-db, db: synthetic, responses_per_cell: 3, embedding: [optimism],
                   reward: {intercept: 1, coefficients: {optimism: 1e101}}, prompts: [1, 2]}
        policies: [{type: fo-gambitts}]
        """;
    Path file = dir.resolve("syn.yaml");
    Files.writeString(file, synthetic);
    String m = assertThrows(InputException.class, () -> StudyParser.read(file)).getMessage();
    assertTrue(m.startsWith(file + ": scenario (type: response-db, db: synthetic, responses_per_cell: 3, db_seed: 1, "
        + "prompts: [1, 2], context_columns: []): the true reward of response "), m);
    assertTrue(m.contains(" is beyond 1.0E100, the reward limit of policy 'foGAMBITTS'"), m);

    String generator = """
        horizon: 20
        replications: 1
        scenario: {type: generator, prompts: 2, embedding_dim: 2, SETTING}
        policies: [{type: std-ts}, {type: fo-gambitts}]
        """;
    Files.writeString(file, generator.replace("SETTING", "prompt_sd: 1e6"));
    m = assertThrows(InputException.class, () -> StudyParser.read(file)).getMessage();
    assertTrue(m.startsWith(file + ": scenario (type: generator, prompts: 2, embedding_dim: 2, context_levels: [], "
        + "prompt_sd: 1000000.0, cell_sd: 0.1, intercept: 80.0, coefficient_sd: 1.0, world_seed: 1): the mean of z"), m);
    assertTrue(m.contains("is beyond 10000.0, the embedding limit of policy 'foGAMBITTS' (" + file + ": policies[1])"),
        m);
    Files.writeString(file, generator.replace("SETTING", "treatment_sd: 2e4"));
    m = assertThrows(InputException.class, () -> StudyParser.read(file)).getMessage();
    assertTrue(m.startsWith(file + ": scenario.treatment_sd: 20000.0 is beyond 10000.0"), m);
    // P(|N(0,1)| > 1) = 31.7%: nearly a third, not a third, of the draws at a spread just beyond the limit.
    assertTrue(m.contains("which would refuse nearly a third or more of the embeddings drawn"), m);
    Files.writeString(file, generator.replace("SETTING", "noise_sd: 2e100"));
    m = assertThrows(InputException.class, () -> StudyParser.read(file)).getMessage();
    assertTrue(m.startsWith(file + ": scenario.noise_sd: 2.0E100 is beyond 1.0E100, the reward limit of policy "
        + "'StdTS'"), m);
    Files.writeString(file, generator.replace("SETTING", "treatment_sd: 1e4"));
    StudyParser.read(file);
  }
}
