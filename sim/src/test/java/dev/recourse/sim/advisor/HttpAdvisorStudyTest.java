package dev.recourse.sim.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.advisor.FakeChatServer.Reply;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.io.StudyParser;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.LibraSpec;
import dev.recourse.sim.run.LocalStudyRunner;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A study file whose LIBRA and LLM-only consult an OpenAI-compatible stub server on 127.0.0.1. */
class HttpAdvisorStudyTest {

  private static final Pattern DIET = Pattern.compile("\"DietScore\": (-?[0-9.]+)");

  @TempDir
  Path dir;

  private static String study(String baseUrl) {
    return """
        name: http
        horizon: 40
        replications: 2
        checkpoints: 4
        scenario: {type: hypertension}
        policies:
          - type: libra
            advisor: {type: http, preset: hypertension, gamma: 3, base_url: 'URL', model: stub,
                      read_timeout_ms: 2000, max_retries: 0}
          - type: llm-only
            advisor: {type: http, preset: hypertension, gamma: 3, base_url: 'URL', model: stub,
                      read_timeout_ms: 2000, max_retries: 0}
        """.replace("URL", baseUrl);
  }

  @Test
  void aStudyFileRunsLibraAndLlmOnlyAgainstAStubServer() throws IOException {
    FakeChatServer[] self = new FakeChatServer[1];
    // Raise DietScore by 0.5 over what the prompt showed and recommend the second arm.
    self[0] = new FakeChatServer(n -> {
      Matcher m = DIET.matcher(self[0].received().get(n).userMessage());
      double diet = m.find() ? Double.parseDouble(m.group(1)) : 0;
      return new Reply("treatment=2, DietScore=" + (diet + 0.5) + ", PhyActHours=0");
    });
    try (FakeChatServer server = self[0]) {
      Path file = dir.resolve("http.yaml");
      Files.writeString(file, study(server.baseUrl()));
      Study s = StudyParser.read(file);
      assertInstanceOf(AdvisorSpec.Http.class, ((LibraSpec) s.policies().get(0)).advisor());
      StudyResult r = new LocalStudyRunner(2, Kernels.get()).run(s, ProgressListener.none());
      int last = s.checkpoints().length - 1;
      PolicyAggregate libra = r.policies().get(0);
      PolicyAggregate llmOnly = r.policies().get(1);
      assertEquals(40.0, llmOnly.queries().mean(last), 0.0, "LLM-only asks every round");
      double libraQueries = libra.queries().mean(last) * 2;
      assertTrue(libraQueries >= 1, "LIBRA asked " + libraQueries);
      assertEquals(libraQueries + 80, server.requests(), 0.0, "one request per query, none lost or repeated");
      assertTrue(server.received().get(0).userMessage().contains("DietScore"), "the Figure 2 prompt");
      assertTrue(server.received().get(0).userMessage().indexOf("constant") < 0, "the intercept column stays hidden");
    }
  }

  @Test
  void advisorFeaturesMustMatchTheScenario() throws IOException {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, study("http://127.0.0.1:9").replace("preset: hypertension, gamma: 3,",
        "features: [a, b], arms: [x, y], mutable: [1], budget: small,"));
    InputException e = assertThrows(InputException.class, () -> StudyParser.read(file));
    assertTrue(e.getMessage().contains("policies[0].advisor.features: names 2 features"), e.getMessage());
  }
}
