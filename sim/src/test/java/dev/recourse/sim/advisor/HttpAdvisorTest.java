package dev.recourse.sim.advisor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import dev.recourse.sim.advisor.FakeChatServer.Behaviour;
import dev.recourse.sim.advisor.FakeChatServer.Delay;
import dev.recourse.sim.advisor.FakeChatServer.Drop;
import dev.recourse.sim.advisor.FakeChatServer.RawBody;
import dev.recourse.sim.advisor.FakeChatServer.Reply;
import dev.recourse.sim.advisor.FakeChatServer.Status;
import dev.recourse.sim.advisor.HttpAdvisor.Failure;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP advisor against an in-process chat-completions server on 127.0.0.1: a good reply, an
 * infeasible one, garbage, 5xx, a reply slower than the read timeout, a dropped connection, and the
 * concurrency cap. Each failure mode also runs a short LIBRA loop (Δ = 0, so every round consults the
 * advisor) that checks no round stalls or is lost and that a failed consultation plays the bandit pair.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HttpAdvisorTest {

  private static final int D = 8;
  private static final int K = 2;
  private static final int[] MUTABLE = {5, 6};
  private static final double GAMMA = 3.0;
  private static final int ROUNDS = 50;
  private static final String MODEL = "test-model";
  /** Table 1's coefficients: SBP change per standard deviation, beta-blocker then ACE+CCB+Diur. */
  private static final double[] SBP_COEFFICIENTS = {
      -0.51, 1.91, 0.29, 0.00, 1.43, -2.12, -0.48, 8.79,
      2.73, -1.51, 1.09, 0.00, -1.78, -2.18, -1.02, 10.82};
  private static final Pattern DIET = Pattern.compile("\"DietScore\": (-?[0-9.]+)");
  private static final Pattern ACTIVITY = Pattern.compile("\"PhyActHours\": (-?[0-9.]+)");

  private static HttpAdvisorConfig.Builder config(FakeChatServer server) {
    return HttpAdvisorConfig.hypertension(server.baseUrl(), MODEL, GAMMA)
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2))
        .maxRetries(2)
        .retryBackoff(Duration.ofMillis(5));
  }

  /** The patient's current value of {@code feature} as the prompt showed it. */
  private static double shown(FakeChatServer server, int request, Pattern feature) {
    Matcher m = feature.matcher(server.received().get(request).userMessage());
    if (!m.find()) {
      throw new AssertionError("prompt lacks " + feature + ": " + server.received().get(request).userMessage());
    }
    return Double.parseDouble(m.group(1));
  }

  /**
   * A server that answers ACE+CCB+Diur with the prompt's DietScore and PhyActHours raised by the
   * given amounts (a reply that depends on the patient, so a stale or mixed-up reply shows).
   */
  private static IntFunction<Behaviour> raising(FakeChatServer[] self, double diet, double activity) {
    return n -> new Reply(String.format(Locale.ROOT, "treatment=ACE+CCB+Diur, DietScore=%.4f, PhyActHours=%.4f",
        shown(self[0], n, DIET) + diet, shown(self[0], n, ACTIVITY) + activity));
  }

  private static FakeChatServer server(IntFunction<Behaviour> behaviour) throws IOException {
    return new FakeChatServer(behaviour);
  }

  /** A server whose behaviour may read the requests it received (through {@code self[0]}). */
  private static FakeChatServer selfAware(java.util.function.Function<FakeChatServer[], IntFunction<Behaviour>> make)
      throws IOException {
    FakeChatServer[] self = new FakeChatServer[1];
    IntFunction<Behaviour> behaviour = make.apply(self);
    self[0] = new FakeChatServer(behaviour);
    return self[0];
  }

  private static FeasibleSet feasibleSet() {
    return new FeasibleSet(D, MUTABLE, new L2Ball(MUTABLE.length, GAMMA));
  }

  private static Glrb glrb(RidgeArms model) {
    return new Glrb(model, feasibleSet(), ConfidenceRadius.constant(1.0), new CoordinateDescentOro(MUTABLE.length));
  }

  /** What a LIBRA loop saw. */
  private record Loop(Libra libra, int advised, int fellBack, List<int[]> advisedArms, long millis) {}

  /**
   * Runs LIBRA with Δ = 0 for {@code rounds} rounds next to a plain GLRB fed the same data, and checks
   * every round: the advisor was asked exactly once, a decision came back with a feasible pair, the
   * played arm learned from it, and a round without advice played exactly GLRB's pair.
   */
  private static Loop runLibra(HttpAdvisor advisor, int rounds) {
    RidgeArms model = new RidgeArms(K, D, 1.0);
    RidgeArms shadowModel = new RidgeArms(K, D, 1.0);
    Libra libra = new Libra(glrb(model), advisor, 0.0);
    Glrb shadow = glrb(shadowModel);
    RandomGenerator rng = RandomStreams.stream(2601, 11905);
    double[] x = new double[D];
    Decision d = new Decision(D);
    Decision bandit = new Decision(D);
    long requests0 = advisor.requests();
    long failures0 = advisor.failures();
    long successes0 = advisor.successes();
    int advised = 0;
    int fellBack = 0;
    List<int[]> arms = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < rounds; t++) {
      RandomStreams.fillGaussian(rng, x, 0, D);
      long before = advisor.requests();
      shadow.decide(x, bandit);
      libra.decide(x, d);
      assertEquals(before + 1, advisor.requests(), "round " + t + ": Δ = 0 must consult the advisor once");
      assertTrue(libra.lastQueried(), "round " + t);
      assertTrue(d.arm() >= 0 && d.arm() < K, "round " + t + ": no decision");
      assertFeasible(x, d.context(), "round " + t);
      if (d.advised()) {
        advised++;
        arms.add(new int[] {t, d.arm()});
      } else {
        fellBack++;
        assertEquals(bandit.arm(), d.arm(), "round " + t + ": a failed consultation must play the bandit arm");
        assertArrayEquals(bandit.context(), d.context(), 0.0, "round " + t + ": ... and the bandit recourse");
      }
      double reward = 170.0 - 125.0 - dot(d.arm(), d.context()) + rng.nextGaussian();
      libra.update(d.arm(), d.context(), reward);
      shadow.update(d.arm(), d.context(), reward);
      assertEquals(t + 1, model.count(0) + model.count(1), "round " + t + ": the played arm must be updated");
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(rounds, libra.queries());
    assertEquals(fellBack, libra.failures(), "LIBRA's failure count");
    assertEquals(rounds, advisor.requests() - requests0);
    assertEquals(advised, advisor.successes() - successes0, "advisor successes = advised rounds");
    assertEquals(fellBack, advisor.failures() - failures0, "advisor failures = fallback rounds");
    return new Loop(libra, advised, fellBack, arms, millis);
  }

  private static double dot(int arm, double[] context) {
    double s = 0;
    for (int i = 0; i < D; i++) {
      s += SBP_COEFFICIENTS[arm * D + i] * context[i];
    }
    return s;
  }

  /** Immutable features as in x, the mutable change within the ℓ2 budget, everything finite. */
  private static void assertFeasible(double[] x, double[] played, String where) {
    double sq = 0;
    for (int i = 0; i < D; i++) {
      assertTrue(Double.isFinite(played[i]), where + ": feature " + i + " not finite");
      if (i == MUTABLE[0] || i == MUTABLE[1]) {
        sq += (played[i] - x[i]) * (played[i] - x[i]);
      } else {
        assertEquals(x[i], played[i], 0.0, where + ": immutable feature " + i + " changed");
      }
    }
    assertTrue(Math.sqrt(sq) <= GAMMA * (1 + 1e-9), where + ": recourse " + Math.sqrt(sq) + " beyond γ");
  }

  private static double[] patient(long seed) {
    double[] x = new double[D];
    RandomStreams.fillGaussian(RandomStreams.stream(seed), x, 0, D);
    return x;
  }

  @Test
  void goodReplyIsReadAndSentAsChatCompletions() throws IOException {
    try (FakeChatServer server = selfAware(self -> raising(self, 1.0, 0.5));
         HttpAdvisor advisor = new HttpAdvisor(config(server).build())) {
      double[] x = patient(1);
      int[] arm = {-1};
      double[] ctx = new double[D];
      assertTrue(advisor.advise(x, arm, ctx), advisor.lastFailure());
      assertEquals(1, arm[0]);
      // The prompt shows two decimals; the reply is relative to what was shown.
      assertEquals(x[5] + 1.0, ctx[5], 0.0051);
      assertEquals(x[6] + 0.5, ctx[6], 0.0051);
      for (int i = 0; i < D; i++) {
        if (i != 5 && i != 6) {
          assertEquals(x[i], ctx[i], 0.0, "immutable feature " + i);
        }
      }
      FakeChatServer.Received r = server.received().get(0);
      assertEquals("/v1/chat/completions", r.path());
      assertEquals(MODEL, r.body().path("model").asText());
      assertEquals(0.0, r.body().path("temperature").asDouble(-1), 0.0);
      assertFalse(r.body().path("stream").asBoolean(true));
      assertEquals("system", r.body().path("messages").path(0).path("role").asText());
      assertEquals("user", r.body().path("messages").path(1).path("role").asText());
      assertEquals(PromptTemplate.FIGURE2_SYSTEM, r.systemMessage());
      assertTrue(r.userMessage().contains(String.format(Locale.ROOT, "\"age\": %.2f", x[1])), r.userMessage());
      assertNull(r.authorization(), "no key configured: no Authorization header");
      assertEquals(1, advisor.requests());
      assertEquals(1, advisor.successes());
      assertEquals(0, advisor.failures());
      assertEquals(0, advisor.retries());
      assertTrue(advisor.describe().contains(server.baseUrl() + "/v1/chat/completions"), advisor.describe());
      assertTrue(advisor.describe().contains("model=" + MODEL), advisor.describe());

      Loop loop = runLibra(advisor, ROUNDS);
      assertEquals(ROUNDS, loop.advised());
      assertEquals(0, loop.libra().projections(), "advice within the budget needs no projection");
      loop.advisedArms().forEach(ta -> assertEquals(1, ta[1], "round " + ta[0]));
    }
  }

  @Test
  void bearerTokenIsSentWhenConfigured() throws IOException {
    try (FakeChatServer server = server(n -> new Reply("treatment=1"));
         HttpAdvisor advisor = new HttpAdvisor(config(server).apiKey("sk-test-123").build())) {
      assertTrue(advisor.advise(patient(2), new int[1], new double[D]));
      assertEquals("Bearer sk-test-123", server.received().get(0).authorization());
    }
  }

  @Test
  void infeasibleAdviceIsReturnedAsIsAndProjectedByThePolicy() throws IOException {
    try (FakeChatServer server = selfAware(self -> raising(self, 10.0, 10.0));
         HttpAdvisor advisor = new HttpAdvisor(config(server).build())) {
      double[] x = patient(3);
      int[] arm = new int[1];
      double[] ctx = new double[D];
      assertTrue(advisor.advise(x, arm, ctx), advisor.lastFailure());
      assertEquals(x[5] + 10.0, ctx[5], 0.0051, "the advisor must not project: that is the policy's job");
      assertEquals(x[6] + 10.0, ctx[6], 0.0051);

      AdvisorOnly llmOnly = new AdvisorOnly(advisor, feasibleSet(), K);
      Decision d = new Decision(D);
      for (int t = 0; t < 10; t++) {
        double[] p = patient(100 + t);
        llmOnly.decide(p, d);
        assertTrue(d.advised(), advisor.lastFailure());
        assertEquals(1, d.arm());
        assertFeasible(p, d.context(), "LLM-only round " + t);
        // (10, 10) projected onto the γ-ball points along the diagonal.
        assertEquals(d.context()[5] - p[5], d.context()[6] - p[6], 0.01);
      }
      assertEquals(10, llmOnly.projections());
      assertEquals(0, llmOnly.failures());

      Loop loop = runLibra(advisor, ROUNDS);
      assertEquals(ROUNDS, loop.advised());
      assertEquals(ROUNDS, loop.libra().projections(), "every piece of advice broke the budget");
    }
  }

  @Test
  void garbageRepliesFailAsParseErrorsWithoutRetries() throws IOException {
    String[] garbage = {
        "I'm sorry, but I can't provide medical advice.",
        "treatment=Aspirin, DietScore=1, PhyActHours=1",
        "treatment=1, DietScore=NaN, PhyActHours=0.5",
        "treatment=3, DietScore=1",
        "DietScore=1.5, PhyActHours=0.5"};
    String[] raw = {
        "this is not json",
        "{\"choices\": []}",
        "{\"choices\": [{\"message\": {\"role\": \"assistant\", \"content\": null, \"refusal\": \"No.\"}}]}",
        FakeChatServer.completion("treatment=2, DietScore=1, PhyActHours=0").replace("\"choices\"", "\"options\"")};
    int kinds = garbage.length + raw.length;
    // Odd requests get a good answer, even ones cycle through the garbage.
    IntFunction<Behaviour> behaviour = n -> {
      if (n % 2 == 1) {
        return new Reply("treatment=2, DietScore=1.0, PhyActHours=0.5");
      }
      int g = (n / 2) % kinds;
      return g < garbage.length ? new Reply(garbage[g]) : new RawBody(raw[g - garbage.length]);
    };
    try (FakeChatServer server = server(behaviour);
         HttpAdvisor advisor = new HttpAdvisor(config(server).build())) {
      for (int i = 0; i < kinds; i++) {
        int[] arm = {-1};
        double[] ctx = new double[D];
        assertFalse(advisor.advise(patient(i), arm, ctx), "garbage " + i + " was accepted");
        assertTrue(advisor.lastFailure().startsWith("PARSE"), advisor.lastFailure());
        assertTrue(advisor.advise(patient(i), arm, ctx), advisor.lastFailure());
      }
      assertEquals(kinds, advisor.failures(Failure.PARSE));
      assertEquals(2 * kinds, server.requests(), "a bad answer is not asked again");
      assertEquals(0, advisor.retries());

      Loop loop = runLibra(advisor, ROUNDS);
      assertEquals(ROUNDS / 2, loop.fellBack());
      assertEquals(ROUNDS / 2, loop.advised());
      assertEquals(kinds + ROUNDS / 2, advisor.failures(Failure.PARSE));
    }
  }

  @Test
  void serverErrorsAreRetriedUpToTheCapThenFail() throws IOException {
    try (FakeChatServer server = server(n -> new Status(500));
         HttpAdvisor advisor = new HttpAdvisor(config(server).maxRetries(2).build())) {
      assertFalse(advisor.advise(patient(4), new int[1], new double[D]));
      assertEquals(3, server.requests(), "1 attempt + 2 retries");
      assertEquals(2, advisor.retries());
      assertEquals(1, advisor.failures(Failure.HTTP_STATUS));
      assertTrue(advisor.lastFailure().contains("500"), advisor.lastFailure());

      Loop loop = runLibra(advisor, ROUNDS);
      assertEquals(ROUNDS, loop.fellBack());
      assertEquals(3 + 3 * ROUNDS, server.requests());
      assertEquals(2 + 2 * ROUNDS, advisor.retries());
      assertEquals(1 + ROUNDS, advisor.failures(Failure.HTTP_STATUS));
    }
  }

  @Test
  void aRetryCanSucceedAndClientErrorsAreNotRetried() throws IOException {
    IntFunction<Behaviour> behaviour = n -> switch (n) {
      case 0 -> new Status(503);
      case 1 -> new Reply("treatment=1, DietScore=0.5");
      default -> new Status(404);
    };
    try (FakeChatServer server = server(behaviour);
         HttpAdvisor advisor = new HttpAdvisor(config(server).build())) {
      int[] arm = {-1};
      assertTrue(advisor.advise(patient(5), arm, new double[D]), advisor.lastFailure());
      assertEquals(0, arm[0]);
      assertEquals(1, advisor.retries());
      assertFalse(advisor.advise(patient(5), arm, new double[D]));
      assertEquals(3, server.requests(), "a 404 is not retried");
      assertEquals(1, advisor.failures(Failure.HTTP_STATUS));
    }
  }

  @Test
  void aSlowReplyTimesOutWithinTheBound() throws IOException {
    Duration timeout = Duration.ofMillis(200);
    int retries = 1;
    try (FakeChatServer server = server(n -> new Delay(3_000, new Reply("treatment=1")));
         HttpAdvisor advisor = new HttpAdvisor(config(server).readTimeout(timeout).maxRetries(retries).build())) {
      long start = System.nanoTime();
      assertFalse(advisor.advise(patient(6), new int[1], new double[D]));
      long millis = (System.nanoTime() - start) / 1_000_000;
      long bound = timeout.toMillis() * (retries + 1) + 500;
      assertTrue(millis <= bound, "took " + millis + " ms, bound " + bound);
      assertTrue(millis >= timeout.toMillis() * (retries + 1), "took " + millis + " ms: the timeout was not waited");
      assertEquals(1, advisor.failures(Failure.TIMEOUT));
      assertEquals(retries, advisor.retries());
      assertEquals(retries + 1, server.requests());
    }
  }

  @Test
  void aReplyWhoseBodyStallsTimesOutToo() throws IOException {
    Duration timeout = Duration.ofMillis(400);
    // The JDK's request timeout stops once the headers are in; a body that stalls after them must still
    // be cut off. Warm up first so that the headers do arrive within the timeout.
    warmUp();
    try (FakeChatServer server = server(n -> new FakeChatServer.Trickle(3_000));
         HttpAdvisor advisor = new HttpAdvisor(config(server).readTimeout(timeout).maxRetries(0).build())) {
      long start = System.nanoTime();
      assertFalse(advisor.advise(patient(14), new int[1], new double[D]));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis <= timeout.toMillis() + 500, "took " + millis + " ms: the deadline must cover the body");
      assertEquals(1, advisor.failures(Failure.TIMEOUT), advisor.lastFailure());
    }
  }

  /**
   * One exchange with a throwaway server and client, so that class loading and JIT on a cold JVM do not
   * eat into the short timeouts of the test that follows.
   */
  private static void warmUp() throws IOException {
    try (FakeChatServer server = server(n -> new Reply("treatment=1"));
         HttpAdvisor advisor = new HttpAdvisor(config(server).readTimeout(Duration.ofSeconds(10)).build())) {
      assertTrue(advisor.advise(patient(0), new int[1], new double[D]), advisor.lastFailure());
    }
  }

  @Test
  void libraKeepsGoingWhenSomeRepliesAreTooSlow() throws IOException {
    warmUp();
    Duration timeout = Duration.ofMillis(150);
    // Every third request answers only after 2 s, and with a different arm: a late reply must never be used.
    IntFunction<Behaviour> behaviour = n -> n % 3 == 0
        ? new Delay(2_000, new Reply("treatment=Beta-blocker, DietScore=0, PhyActHours=0"))
        : new Reply("treatment=ACE+CCB+Diur, DietScore=0.3, PhyActHours=0.2");
    try (FakeChatServer server = server(behaviour);
         HttpAdvisor advisor = new HttpAdvisor(config(server).readTimeout(timeout).maxRetries(0).build())) {
      Loop loop = runLibra(advisor, ROUNDS);
      int slow = (ROUNDS + 2) / 3;
      assertEquals(slow, loop.fellBack());
      assertEquals(slow, advisor.failures(Failure.TIMEOUT));
      loop.advisedArms().forEach(ta -> {
        assertTrue(ta[0] % 3 != 0, "round " + ta[0] + " was advised though its reply came late");
        assertEquals(1, ta[1], "round " + ta[0] + " used a late reply");
      });
      long bound = slow * timeout.toMillis() + 2_000;
      assertTrue(loop.millis() <= bound, "loop took " + loop.millis() + " ms, bound " + bound);
    }
  }

  @Test
  void aDroppedConnectionFailsAndIsRetried() throws IOException {
    try (FakeChatServer server = server(n -> new Drop());
         HttpAdvisor advisor = new HttpAdvisor(config(server).maxRetries(2).build())) {
      long start = System.nanoTime();
      assertFalse(advisor.advise(patient(7), new int[1], new double[D]));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 1_500, "a dropped connection must fail fast, took " + millis + " ms");
      assertEquals(1, advisor.failures(Failure.CONNECTION), advisor.lastFailure());
      assertEquals(3, server.requests());
      assertEquals(2, advisor.retries());
    }
  }

  @Test
  void libraKeepsGoingWhenConnectionsDrop() throws IOException {
    IntFunction<Behaviour> behaviour = n -> n % 2 == 0
        ? new Drop()
        : new Reply("treatment=2, DietScore=0.3, PhyActHours=0.2");
    try (FakeChatServer server = server(behaviour);
         HttpAdvisor advisor = new HttpAdvisor(config(server).maxRetries(0).build())) {
      Loop loop = runLibra(advisor, ROUNDS);
      assertEquals(ROUNDS / 2, loop.fellBack());
      assertEquals(ROUNDS / 2, advisor.failures(Failure.CONNECTION), advisor.lastFailure());
    }
  }

  @Test
  void nothingListensAtTheAddress() throws IOException {
    String url;
    try (FakeChatServer server = server(n -> new Reply("treatment=1"))) {
      url = server.baseUrl(); // closed below: the port is then (almost surely) refused
    }
    try (HttpAdvisor advisor = new HttpAdvisor(HttpAdvisorConfig.hypertension(url, MODEL, GAMMA)
        .connectTimeout(Duration.ofMillis(500)).readTimeout(Duration.ofSeconds(1)).maxRetries(1)
        .retryBackoff(Duration.ofMillis(5)).build())) {
      assertFalse(advisor.advise(patient(8), new int[1], new double[D]));
      assertEquals(1, advisor.failures(Failure.CONNECTION) + advisor.failures(Failure.TIMEOUT), advisor.lastFailure());
      assertEquals(1, advisor.retries());
    }
  }

  @Test
  void anOversizedReplyFails() throws IOException {
    String huge = "treatment=1, " + "x".repeat(4_000);
    try (FakeChatServer server = server(n -> new Reply(huge));
         HttpAdvisor advisor = new HttpAdvisor(config(server).maxResponseBytes(1024).build())) {
      assertFalse(advisor.advise(patient(9), new int[1], new double[D]));
      assertEquals(1, advisor.failures(Failure.PARSE), advisor.lastFailure());
      assertEquals(1, server.requests(), "an oversized reply is not asked again");
    }
  }

  @Test
  void concurrentRequestsNeverExceedTheCap() throws Exception {
    int threads = 6;
    int callsEach = 3;
    try (FakeChatServer server = server(n -> new Delay(60, new Reply("treatment=2, DietScore=1, PhyActHours=1")));
         HttpAdvisor advisor = new HttpAdvisor(config(server).maxConcurrent(2).build())) {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> workers = new ArrayList<>();
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int w = 0; w < threads; w++) {
        int id = w;
        Thread t = new Thread(() -> {
          try {
            go.await();
            for (int c = 0; c < callsEach; c++) {
              int[] arm = new int[1];
              double[] ctx = new double[D];
              if (!advisor.advise(patient(1000 + id * 10L + c), arm, ctx)) {
                errors.add(new AssertionError("call failed: " + advisor.lastFailure()));
              }
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        });
        t.start();
        workers.add(t);
      }
      go.countDown();
      for (Thread t : workers) {
        t.join(10_000);
      }
      assertTrue(errors.isEmpty(), errors.toString());
      assertEquals(threads * callsEach, server.requests());
      assertEquals(threads * callsEach, advisor.successes());
      assertTrue(server.maxInFlight() <= 2, "server saw " + server.maxInFlight() + " requests at once");
      assertEquals(2, server.maxInFlight(), "the cap was never reached: the test shows nothing");
    }
  }

  @Test
  void aCallerFindingNoPermitGivesUpAfterTheReadTimeout() throws Exception {
    Duration timeout = Duration.ofMillis(150);
    try (FakeChatServer server = server(n -> new Delay(2_000, new Reply("treatment=1")));
         HttpAdvisor advisor = new HttpAdvisor(config(server).maxConcurrent(1).readTimeout(timeout).maxRetries(2)
             .build())) {
      Thread holder = new Thread(() -> advisor.advise(patient(10), new int[1], new double[D]));
      holder.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (server.requests() == 0) {
        if (System.nanoTime() > deadline) {
          fail("the first call never reached the server");
        }
        Thread.sleep(2);
      }
      long start = System.nanoTime();
      assertFalse(advisor.advise(patient(11), new int[1], new double[D]));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1, advisor.failures(Failure.CAPACITY), advisor.lastFailure());
      assertTrue(millis >= timeout.toMillis() - 5 && millis <= timeout.toMillis() + 400, "waited " + millis + " ms");
      holder.join(5_000);
      // The server's own count is no measure here: it keeps sleeping on requests the client abandoned.
      assertEquals(3, advisor.attempts(), "only the holder's 1 + 2 attempts: the caller without a permit sent none");
      assertEquals(3, server.requests());
      assertEquals(1, advisor.failures(Failure.TIMEOUT));
      assertEquals(2, advisor.requests());
    }
  }

  @Test
  void anInterruptedCallerFailsAndKeepsItsInterrupt() throws IOException {
    try (FakeChatServer server = server(n -> new Reply("treatment=1"));
         HttpAdvisor advisor = new HttpAdvisor(config(server).build())) {
      Thread.currentThread().interrupt();
      boolean ok = advisor.advise(patient(12), new int[1], new double[D]);
      assertTrue(Thread.interrupted(), "the interrupt flag must survive");
      assertFalse(ok);
      assertEquals(1, advisor.failures(Failure.INTERRUPTED));
    }
  }

  @Test
  void aClosedAdvisorFailsInsteadOfThrowing() throws IOException {
    try (FakeChatServer server = server(n -> new Reply("treatment=1"))) {
      HttpAdvisor advisor = new HttpAdvisor(config(server).maxRetries(1).build());
      advisor.close();
      assertFalse(advisor.advise(patient(13), new int[1], new double[D]));
      assertEquals(1, advisor.failures(Failure.CONNECTION), advisor.lastFailure());
    }
  }
}
