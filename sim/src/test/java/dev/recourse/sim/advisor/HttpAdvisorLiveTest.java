package dev.recourse.sim.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.AdvisorOnly;
import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.rng.RandomStreams;
import java.time.Duration;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Talks to a real model, only when asked: set {@code RECOURSE_LLM_URL} (e.g. {@code http://127.0.0.1:11434}
 * for Ollama) and {@code RECOURSE_LLM_MODEL}; optionally {@code RECOURSE_LLM_API_KEY} (sent as a bearer
 * token) and {@code RECOURSE_LLM_TIMEOUT_S} (default 120). Asks about a few synthetic hypertension
 * patients with the Figure 2 prompt, then runs a short LIBRA loop. Prints what came back.
 */
@EnabledIfEnvironmentVariable(named = "RECOURSE_LLM_URL", matches = ".+")
class HttpAdvisorLiveTest {

  private static final int D = 8;
  private static final double GAMMA = 3.0;

  private static HttpAdvisorConfig config() {
    String model = System.getenv("RECOURSE_LLM_MODEL");
    if (model == null || model.isBlank()) {
      throw new IllegalStateException("RECOURSE_LLM_URL is set but RECOURSE_LLM_MODEL is not: name the model to ask");
    }
    String timeout = System.getenv("RECOURSE_LLM_TIMEOUT_S");
    HttpAdvisorConfig.Builder b = HttpAdvisorConfig.hypertension(System.getenv("RECOURSE_LLM_URL"), model, GAMMA)
        .readTimeout(Duration.ofSeconds(timeout == null || timeout.isBlank() ? 120 : Long.parseLong(timeout.strip())))
        .maxRetries(1)
        .maxConcurrent(1);
    String key = System.getenv("RECOURSE_LLM_API_KEY");
    if (key != null && !key.isBlank()) {
      b.apiKeyEnv("RECOURSE_LLM_API_KEY");
    }
    return b.build();
  }

  private static FeasibleSet feasibleSet() {
    return new FeasibleSet(D, new int[] {5, 6}, new L2Ball(2, GAMMA));
  }

  @Test
  void aRealModelAdvisesAndLibraLosesNoRound() {
    try (HttpAdvisor advisor = new HttpAdvisor(config())) {
      System.out.println("live advisor: " + advisor.describe());
      RandomGenerator rng = RandomStreams.stream(5, 2);
      double[] x = new double[D];
      AdvisorOnly llmOnly = new AdvisorOnly(advisor, feasibleSet(), 2);
      Decision d = new Decision(D);
      for (int t = 0; t < 3; t++) {
        RandomStreams.fillGaussian(rng, x, 0, D);
        llmOnly.decide(x, d);
        System.out.println("patient " + Arrays.toString(x) + " -> " + d
            + (d.advised() ? "" : " (failed: " + advisor.lastFailure() + ")"));
      }
      assertTrue(advisor.successes() >= 1, "no usable answer in 3 tries; last failure: " + advisor.lastFailure());

      RidgeArms model = new RidgeArms(2, D, 1.0);
      Libra libra = new Libra(new Glrb(model, feasibleSet(), ConfidenceRadius.constant(1.0),
          new CoordinateDescentOro(2)), advisor, 0.0);
      for (int t = 0; t < 5; t++) {
        RandomStreams.fillGaussian(rng, x, 0, D);
        libra.decide(x, d);
        assertTrue(d.arm() == 0 || d.arm() == 1, "round " + t + ": no decision");
        libra.update(d.arm(), d.context(), 45.0 + rng.nextGaussian());
      }
      assertEquals(5, model.count(0) + model.count(1), "every round must be learned from");
      assertEquals(5, libra.queries());
      System.out.println("live advisor after the loop: " + advisor);
    }
  }
}
