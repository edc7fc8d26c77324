package dev.recourse.sim.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.env.LinearEnvironment;
import dev.recourse.sim.env.HypertensionScenario;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.SyntheticScenario;
import dev.recourse.sim.io.StudyOutputs;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.GlrbSpec;
import dev.recourse.sim.policy.LibraSpec;
import dev.recourse.sim.policy.LinUcbSpec;
import dev.recourse.sim.policy.LlmOnlySpec;
import dev.recourse.sim.policy.NoopSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.RadiusSpec;
import dev.recourse.core.simd.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStudyRunnerTest {

  /** Every policy kind, a Lemma-2 radius among them, on a small synthetic problem. */
  static Study smallStudy(int replications) {
    Scenario s = new SyntheticScenario(8, 4, 2.0, 1.0);
    AdvisorSpec q = new AdvisorSpec.Quality(0.7);
    List<PolicySpec> p = List.of(
        new LinUcbSpec("LinUCB", new RadiusSpec.Constant(1), 1),
        new GlrbSpec(GlrbSpec.Variant.PLAIN, "GLRB", new RadiusSpec.Constant(2), 1),
        new GlrbSpec(GlrbSpec.Variant.PLAIN, "GLRB lemma2", new RadiusSpec.Lemma2(0.2, 0.05), 1),
        new LibraSpec("LIBRA", new RadiusSpec.Constant(0.5), 1, 1.0, q),
        new LlmOnlySpec("LLM-only", q),
        new NoopSpec("noop"));
    return new Study("small", s, p, 400, replications, 42, Study.evenCheckpoints(400, 20), 100);
  }

  private static byte[][] outputs(Path dir, int threads) throws IOException {
    StudyResult r = new LocalStudyRunner(threads, Kernels.get()).run(smallStudy(9), ProgressListener.none());
    Files.createDirectories(dir);
    var files = StudyOutputs.write(dir, r, "test");
    return new byte[][] {Files.readAllBytes(files.get("checkpoints")), Files.readAllBytes(files.get("recourse"))};
  }

  /** The acceptance criterion: the same bytes with 1, 2 and 3 threads. */
  @Test
  void csvsAreByteIdenticalForAnyThreadCount(@TempDir Path dir) throws IOException {
    byte[][] one = outputs(dir.resolve("t1"), 1);
    byte[][] two = outputs(dir.resolve("t2"), 2);
    byte[][] three = outputs(dir.resolve("t3"), 3);
    assertArrayEquals(one[0], two[0]);
    assertArrayEquals(one[1], two[1]);
    assertArrayEquals(one[0], three[0]);
    assertArrayEquals(one[1], three[1]);
    assertTrue(new String(one[0]).lines().count() == 1 + 6 * 20);
  }

  /** The runner's aggregate equals running the units one by one in replication order. */
  @Test
  void aggregatesAreTheOrderedMergeOfTheUnits() {
    Study study = smallStudy(5);
    StudyResult result = new LocalStudyRunner(2, Kernels.get()).run(study, ProgressListener.none());
    for (int p = 0; p < study.policies().size(); p++) {
      PolicyAggregate expected = new PolicyAggregate("x", 20, 4, 8);
      for (int rep = 0; rep < 5; rep++) {
        ReplicationResult u = ReplicationTask.run(study, rep, p, Kernels.get(), ProgressListener.none());
        expected.add(u.regret(), u.meanReward(), u.queries(), u.recourse(), u.armShare(), u.describe());
      }
      PolicyAggregate actual = result.policies().get(p);
      for (int i = 0; i < 20; i++) {
        assertEquals(expected.regret().mean(i), actual.regret().mean(i), 0.0);
        assertEquals(expected.regret().variance(i), actual.regret().variance(i), 0.0);
        assertEquals(expected.queries().mean(i), actual.queries().mean(i), 0.0);
      }
    }
  }

  /** Common random numbers and the runner's bookkeeping, checked on the simplest policy. */
  @Test
  void noopRegretIsTheGapOfArmZeroWithoutRecourse() {
    Scenario s = new HypertensionScenario();
    Study study = new Study("noop", s, List.of(new NoopSpec("noop")),
        50, 1, 3, Study.evenCheckpoints(50, 5), 0);
    ReplicationResult r = ReplicationTask.run(study, 0, 0, Kernels.get(), ProgressListener.none());
    LinearEnvironment env = (LinearEnvironment) s.create(3, 0);
    double[] x = new double[s.dim()];
    double regret = 0;
    double reward = 0;
    for (int t = 1; t <= 50; t++) {
      env.nextContext(x);
      double mean = env.expectedReward(0, x);
      regret += env.optimalValue(x) - mean;
      reward += env.observe(mean);
      if (t % 10 == 0) {
        assertEquals(regret, r.regret()[t / 10 - 1], 1e-9);
        assertEquals(reward / t, r.meanReward()[t / 10 - 1], 1e-9);
      }
    }
    assertEquals(1.0, r.armShare()[0]);
    assertEquals(0.0, r.recourse()[0]);
  }

  @Test
  void progressCountsEveryRound() {
    AtomicLong rounds = new AtomicLong();
    Study study = smallStudy(3);
    new LocalStudyRunner(2, Kernels.get()).run(study, rounds::addAndGet);
    assertEquals((long) study.units() * study.horizon(), rounds.get());
  }

  @Test
  void aFailingUnitFailsTheStudy() {
    Scenario s = new SyntheticScenario(4, 2, 1, 1);
    // Lemma 2 needs σ > 0: the scenario below has none, so building the radius fails inside a unit.
    Scenario silent = new SyntheticScenario(4, 2, 1, 0);
    Study ok = new Study("ok", s, List.of(new GlrbSpec(GlrbSpec.Variant.PLAIN, "G", new RadiusSpec.Lemma2(1, 0.05), 1)), 10, 4, 1, Study.evenCheckpoints(10, 2), 0);
    new LocalStudyRunner(2, Kernels.get()).run(ok, ProgressListener.none());
    Study bad = new Study("bad", silent, ok.policies(), 10, 4, 1, Study.evenCheckpoints(10, 2), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LocalStudyRunner(2, Kernels.get()).run(bad, ProgressListener.none()));
    assertTrue(e.getMessage().contains("sigma"), e.getMessage());
  }
}
