package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GAMBITTS agents behind {@link PolicyService}: the treatment embedding and the cell context are
 * validated with errors naming field and value, leaving model and pending decision untouched; a
 * restored sampler continues its random stream (a fresh one would not); the {@code gambitts} section's
 * errors name their key.
 */
class GambittsServiceTest {

  @TempDir
  Path dir;

  private static List<String> decisions(PolicyService s, long seed, int rounds) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> log = new ArrayList<>();
    for (int t = 0; t < rounds; t++) {
      ServiceDecision d = s.decide(Configs.context(rng, s.config()));
      log.add(d.arm() + " " + Double.doubleToRawLongBits(d.score()));
      s.update(d.id(), Configs.reward(rng, d.arm(), d.recourse()), null,
          Configs.treatment(rng, s.config(), d.arm()), null);
    }
    return log;
  }

  @ParameterizedTest
  @ValueSource(strings = {"po-gambitts", "fo-gambitts", "std-ts", "std-ts-contextual", "ens-po-gambitts"})
  void aRestoredSamplerContinuesItsRandomStream(String type) {
    PolicyService original = Configs.service(type, 3, 4, 4);
    decisions(original, 1, 200);
    byte[] snapshot = original.snapshotBytes();
    PolicyService restored = Configs.service(type, 3, 4, 4);
    restored.restore(snapshot);
    PolicyService unrestored = Configs.service(type, 3, 4, 4);
    List<String> a = decisions(original, 2, 200);
    assertEquals(a, decisions(restored, 2, 200));
    assertNotEquals(a, decisions(unrestored, 2, 200), "a service without the snapshot decides otherwise");
    assertArrayEquals(SnapshotTest.stateOf(original), SnapshotTest.stateOf(restored));
  }

  @Test
  void theSnapshotHoldsTheGeneratorPosition() {
    PolicyService s = Configs.service("po-gambitts", 2, 3, 3);
    byte[] before = s.snapshotBytes();
    s.decide(new double[] {1, 0}); // a decision learns nothing but moves the generator
    byte[] after = s.snapshotBytes();
    assertNotEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(after));
    assertEquals(0, s.version(), "a decision is not a model version");
  }

  /** Asserts that {@code call} throws naming {@code words}, and that neither model nor decision changed. */
  private static void rejected(PolicyService s, long id, Runnable call, String words) {
    byte[] before = s.snapshotBytes();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().contains(words), e.getMessage());
    assertArrayEquals(before, s.snapshotBytes(), "model and pending decisions untouched");
  }

  /** A service whose clock stands still, so that the pending decisions' ages in its snapshots do too. */
  private static PolicyService stillClock(String type) {
    return PolicyService.builder(Configs.config(type, 2, 3, 3)).clock(() -> 0L).build();
  }

  @Test
  void badTreatmentsAndContextsAreRejectedAndChangeNothing() {
    PolicyService s = stillClock("po-gambitts");
    ServiceDecision d = s.decide(new double[] {2, 1});
    long id = d.id();
    rejected(s, id, () -> s.update(id, 1.0), "treatment must be given: po-gambitts");
    rejected(s, id, () -> s.updateWithTreatment(id, 1.0, new double[] {1, 2}), "treatment must have length d_z = 3, got 2");
    rejected(s, id, () -> s.updateWithTreatment(id, 1.0, new double[] {1, Double.NaN, 2}), "treatment[1] must be finite, got NaN");
    rejected(s, id, () -> s.updateWithTreatment(id, 1.0, new double[] {1e200, 0, 2}),
        "treatment[0] must be at most 10000.0 in magnitude");
    // The agent's own limits (1e4·√slope_precision, rewards 1e100), refused while the decision is pending
    rejected(s, id, () -> s.updateWithTreatment(id, 1.0, new double[] {1, -1.01e4, 2}),
        "treatment[1] must be at most 10000.0 in magnitude");
    rejected(s, id, () -> s.updateWithTreatment(id, -1.01e100, new double[] {1, 2, 3}),
        "reward must be at most 1.0E100 in magnitude");
    rejected(s, id, () -> s.update(1, new double[] {0, 0}, 1.0, new double[] {2e4, 0, 0}), "treatment[0] must be at most");
    rejected(s, id, () -> s.update(id, 1.0, new double[] {3, 0}, new double[] {1, 2, 3}, null),
        "realisedContext: context column 'x0' (x[0]) must be a level index in 0..2, got 3.0");
    rejected(s, id, () -> s.update(id, 1.0, new double[] {0, 0.5}, new double[] {1, 2, 3}, null),
        "realisedContext: context column 'x1' (x[1]) must be a level index in 0..1, got 0.5");
    rejected(s, id, () -> s.decide(new double[] {-1, 0}), "context: context column 'x0' (x[0])");
    rejected(s, id, () -> s.update(1, new double[] {0, 0}, 1.0, null), "treatment must be given");
    s.updateWithTreatment(id, 1.0, new double[] {1, 0.99e4, 3}); // the decision was still pending
    assertEquals(1, s.version());

    PolicyService glrb = PolicyService.builder(Configs.config("glrb", 4, 2, 2)).clock(() -> 0L).build();
    ServiceDecision g = glrb.decide(new double[] {0.1, 0.2, 0.3, 0.4});
    rejected(glrb, g.id(), () -> glrb.updateWithTreatment(g.id(), 1.0, new double[] {1}),
        "treatment must be null: glrb takes no treatment embedding");
    glrb.update(g.id(), 1.0);
  }

  @Test
  void stdTsTakesNoTreatmentButChecksOneGiven() {
    PolicyService s = stillClock("std-ts");
    ServiceDecision d = s.decide(new double[] {0, 1});
    rejected(s, d.id(), () -> s.updateWithTreatment(d.id(), 1.0, new double[] {1}), "treatment must have length d_z = 3");
    s.update(d.id(), 1.0);
  }

  @Test
  void loggedDataWithTreatmentLearnsAsTheDelayedOutcome() {
    PolicyService delayed = Configs.service("fo-gambitts", 2, 3, 3);
    PolicyService logged = Configs.service("fo-gambitts", 2, 3, 3);
    double[] z = {0.5, -0.2, 0.1};
    ServiceDecision d = delayed.decide(new double[] {1, 1});
    delayed.updateWithTreatment(d.id(), 2.0, z);
    logged.decide(new double[] {1, 1}); // the same generator draws
    logged.update(d.arm(), new double[] {1, 1}, 2.0, z);
    assertArrayEquals(SnapshotTest.stateOf(delayed), SnapshotTest.stateOf(logged));
  }

  @ParameterizedTest
  @ValueSource(strings = {"po-gambitts", "fo-gambitts", "std-ts-contextual"})
  void threadsDecidingAndLearningAtOnceLoseNothing(String type) throws Exception {
    PolicyService s = Configs.service(type, 3, 4, 4);
    int threads = 4;
    int rounds = 300;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<Long>> done = new ArrayList<>();
    for (int k = 0; k < threads; k++) {
      long seed = k;
      done.add(pool.submit(() -> {
        SplittableRandom rng = new SplittableRandom(seed);
        long ids = 0;
        for (int t = 0; t < rounds; t++) {
          ServiceDecision d = s.decide(Configs.context(rng, s.config()));
          ids += d.id();
          s.update(d.id(), Configs.reward(rng, d.arm(), d.recourse()), null,
              Configs.treatment(rng, s.config(), d.arm()), null);
        }
        return ids;
      }));
    }
    long idSum = 0;
    for (var f : done) {
      idSum += f.get();
    }
    pool.shutdown();
    long n = (long) threads * rounds;
    assertEquals(n * (n - 1) / 2, idSum, "every id issued once");
    assertEquals(n, s.version(), "every outcome learnt");
    assertEquals(0, s.stats().pending());
  }

  /** LLM-only is left out: its outcomes publish copy-on-write versions, as the recourse policies' do. */
  @ParameterizedTest
  @ValueSource(strings = {"po-gambitts", "fo-gambitts", "std-ts-contextual", "ens-po-gambitts"})
  void decideAndOutcomeAllocateNothingOnceWarm(String type) {
    PolicyService s = Configs.service(type, 3, 4, 4);
    ServiceConfig c = s.config();
    double[] x = {2, 1, 0};
    double[] z = {0.1, 0.2, 0.3};
    ServiceDecision out = new ServiceDecision(3, 4);
    int[] allowed = {0, 2, 3};
    for (int i = 0; i < 20_000; i++) { // warm: code compiled, the optimiser's buffers in use
      s.decide(x, allowed, out);
      s.update(out.id(), 0.5, null, z, null);
    }
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    // Steady state: C2 compiles the vector kernels in the background and, in a JVM running a whole
    // suite, may not have done so after any fixed warm-up (C1 code boxes vectors). Windows of 5,000
    // rounds until one allocates (almost) nothing, for at most 60 s.
    java.util.List<Long> windows = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + 60_000_000_000L;
    long bytes = Long.MAX_VALUE;
    while (bytes >= 5_000 && System.nanoTime() < deadline) {
      long before = bean.getThreadAllocatedBytes(id);
      for (int i = 0; i < 5_000; i++) {
        s.decide(x, allowed, out);
        s.update(out.id(), 0.5, null, z, null);
      }
      bytes = bean.getThreadAllocatedBytes(id) - before;
      windows.add(bytes);
    }
    assertTrue(bytes < 5_000, type + ": bytes per window of 5,000 decide+outcome rounds " + windows);
  }

  private static IllegalArgumentException configError(String yaml) {
    return assertThrows(IllegalArgumentException.class, () -> ServiceConfig.parse(yaml));
  }

  @Test
  void gambittsSectionErrorsNameTheKey() {
    String good = Configs.yaml("po-gambitts", 2, 3, 3);
    ServiceConfig.parse(good);
    assertTrue(configError(good.replace("v2: 0.5", "v2: noise")).getMessage().contains("v2"));
    String e = configError(good.replace("dim: 2", "dim: 3")).getMessage();
    assertTrue(e.contains("2 context columns need dim: 2"), e);
    e = configError(Configs.yaml("fo-gambitts", 2, 3, 3).replace("  treatment_dim: 3\n", "")).getMessage();
    assertTrue(e.contains("treatment_dim: missing"), e);
    String noOffline = good.substring(0, good.indexOf("  offline:")) + good.substring(good.indexOf("pending:"));
    e = configError(noOffline).getMessage();
    assertTrue(e.contains("offline: missing (required by po-gambitts)"), e);
    String fewer = Configs.yaml("po-gambitts", 2, 3, 3).replace("max_arms: 3", "max_arms: 4");
    assertTrue(configError(fewer).getMessage().contains("offline: no row for cell 0, prompt 3"), configError(fewer)
        .getMessage());
    String recourse = good.replace("pending:", "feasible: {mutable: [0], radius: 1}\npending:");
    e = configError(recourse).getMessage();
    assertTrue(e.contains("feasible"), e);
    e = configError("dim: 2\narms: 2\npolicy: {type: llm-only, advisor: {type: embedded}}\n").getMessage();
    assertTrue(e.contains("feasible: missing (required by llm-only)"), e);
    e = configError("dim: 1\narms: 2\ngambitts: {treatment_dim: 2}\npolicy: {type: glrb, radius: 1}\n").getMessage();
    assertTrue(e.contains("gambitts: only the GAMBITTS agents take it"), e);
  }

  @Test
  void offlineEmbeddingsFromACsvFileAreHashed() throws IOException {
    Path csv = dir.resolve("offline.csv");
    StringBuilder rows = new StringBuilder("level,prompt,z0,z1\n");
    for (int cell = 0; cell < 2; cell++) {
      for (int p = 0; p < 2; p++) {
        rows.append(cell).append(',').append(p).append(',').append(0.5 * p).append(',').append(cell).append('\n');
      }
    }
    Files.writeString(csv, rows);
    String yaml = "dim: 1\narms: 2\ngambitts: {levels: [2], treatment_dim: 2, offline: '" + csv + "'}\n"
        + "policy: {type: po-gambitts, offline_samples: 1}\n";
    ServiceConfig a = ServiceConfig.parse(yaml);
    PolicyService s = PolicyService.of(a);
    ServiceDecision d = s.decide(new double[] {1});
    s.updateWithTreatment(d.id(), 1.0, new double[] {0.1, 0.2});
    Files.writeString(csv, rows.toString().replace("0.5,", "0.25,"));
    assertNotEquals(a.hash(), ServiceConfig.parse(yaml).hash(), "another offline file is another configuration");
    Files.writeString(csv, "0,0,1\n");
    assertTrue(configError(yaml).getMessage().contains("row 0: expected 4 values"));
  }
}
