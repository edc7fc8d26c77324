package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recourse.core.advisor.QualityAdvisor;
import dev.recourse.core.advisor.SaveableAdvisor;
import dev.recourse.core.advisor.SuboptimalAdvisor;
import dev.recourse.core.rng.Lxm64x128;
import dev.recourse.core.rng.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LIBRA and LLM-only with an advisor that draws randomness (q-quality, η-suboptimal): the advisor's
 * generator is in the snapshot, so a restored service, handed a fresh advisor of the same kind, hears
 * the same advice and decides exactly as the original; without the saved state it would not.
 */
class AdvisorStateTest {

  private static final int DIM = 4;
  private static final int ARMS = 3;

  private static SaveableAdvisor advisor(String kind, ServiceConfig config, long seed) {
    double[] theta = new double[ARMS * DIM];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = ((i * 7) % 5 - 2) * 0.3;
    }
    Lxm64x128 rng = RandomStreams.stream(seed, 5);
    return kind.equals("quality") ? new QualityAdvisor(theta, ARMS, config.newFeasibleSet(), 0.4, rng)
        : new SuboptimalAdvisor(theta, ARMS, config.newFeasibleSet(), 0.5, rng);
  }

  private static PolicyService service(String type, String kind, long advisorSeed) {
    ServiceConfig config = Configs.config(type, DIM, ARMS, ARMS);
    return PolicyService.builder(config).advisor(advisor(kind, config, advisorSeed)).build();
  }

  private static List<String> play(PolicyService s, long seed, int rounds) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> log = new ArrayList<>();
    for (int t = 0; t < rounds; t++) {
      ServiceDecision d = s.decide(Configs.context(rng, DIM));
      log.add(d.arm() + " " + java.util.Arrays.toString(d.recourse()) + " " + d.advised());
      s.update(d.id(), Configs.reward(rng, d.arm(), d.recourse()));
    }
    return log;
  }

  @ParameterizedTest
  @ValueSource(strings = {"libra/quality", "libra/suboptimal", "llm-only/quality", "llm-only/suboptimal"})
  void aRestoredPolicyHearsTheSameAdvice(String which) {
    String type = which.substring(0, which.indexOf('/'));
    String kind = which.substring(which.indexOf('/') + 1);
    PolicyService original = service(type, kind, 1);
    play(original, 10, 300);
    byte[] snapshot = original.snapshotBytes();
    PolicyService restored = service(type, kind, 2); // a fresh advisor, its generator elsewhere
    restored.restore(snapshot);
    PolicyService unrestored = service(type, kind, 2);
    List<String> a = play(original, 11, 300);
    assertEquals(a, play(restored, 11, 300));
    assertNotEquals(a, play(unrestored, 11, 300), "another advisor stream advises otherwise");
    assertArrayEquals(SnapshotTest.stateOf(original), SnapshotTest.stateOf(restored));
  }

  @ParameterizedTest
  @ValueSource(strings = {"libra", "llm-only"})
  void aRefusedSnapshotLeavesTheAdvisorAlone(String type) {
    PolicyService s = service(type, "quality", 3);
    play(s, 1, 50);
    byte[] good = s.snapshotBytes();
    ServiceConfig c = s.config();
    SnapshotFormat.Contents ok = SnapshotFormat.decode(good, "mem", c.policyType(), c.hash());
    long[] longer = java.util.Arrays.copyOf(ok.shared(), ok.shared().length + 1); // a word too many
    byte[] bad = SnapshotFormat.encode(c.policyType(), c.hash(), ok.modelVersion(), ok.activeArms(), ok.retired(),
        ok.nextDecisionId(), longer, ok.arms(), DIM, new long[0]);
    PolicyService twin = service(type, "quality", 3);
    play(twin, 1, 50);
    assertThrows(SnapshotException.class, () -> s.restore(bad));
    assertEquals(play(twin, 2, 100), play(s, 2, 100), "the advisor's stream did not move");
  }
}
