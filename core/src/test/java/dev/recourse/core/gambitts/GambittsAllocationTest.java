package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.reference.SteadyState;
import dev.recourse.core.rng.RandomStreams;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * decide and update allocate nothing (STYLE rule 6): bytes allocated by this thread, read from
 * {@code com.sun.management.ThreadMXBean}, across a warm loop of rounds must be exactly 0. The
 * environment's draws are precomputed so that only the agent runs in the measured loop; the counter
 * is read twice back to back first, so the reading's own cost is known to be 0 as well.
 */
class GambittsAllocationTest {

  private static final ContextCells CELLS = new ContextCells(
      ContextCells.Column.discrete("loc", 3, ContextCells.Covariate.ONE_HOT), ContextCells.Column.discrete("steps", 4));

  private static final int DZ = 3;
  private static final int K = 5;

  private static final class Rounds {
    final double[][] xs;
    final double[][] zs;
    final double[] noise;

    Rounds(int n) {
      RandomGenerator r = RandomStreams.stream(77, 1);
      xs = new double[n][2];
      zs = new double[n][DZ];
      noise = new double[n];
      for (int t = 0; t < n; t++) {
        xs[t][0] = r.nextInt(3);
        xs[t][1] = r.nextInt(4);
        for (int j = 0; j < DZ; j++) {
          zs[t][j] = r.nextGaussian();
        }
        noise[t] = r.nextGaussian();
      }
    }
  }

  private static void run(Policy p, Rounds rounds, int from, int to, Decision dec, Outcome o) {
    for (int t = from; t < to; t++) {
      double[] x = rounds.xs[t];
      p.decide(x, dec);
      int a = dec.arm();
      double[] z = rounds.zs[t];
      double y = 80 + 0.3 * z[0] - 0.5 * z[1] + 0.1 * a + rounds.noise[t];
      System.arraycopy(x, 0, o.context(), 0, 2);
      System.arraycopy(z, 0, o.treatment(), 0, DZ);
      p.update(o.set(a, y).withTreatment());
    }
  }

  /** After {@code warm} rounds, windows of {@code measured} rounds allocate nothing ({@link SteadyState}). */
  private static void assertNoAllocation(Policy p, int warm, int measured) {
    Rounds rounds = new Rounds(warm + measured);
    Decision dec = new Decision(2);
    Outcome o = new Outcome(2, DZ);
    run(p, rounds, 0, warm, dec, o);
    SteadyState.assertAllocatesNothing(p.describe() + ", windows of " + measured + " rounds",
        () -> run(p, rounds, warm, warm + measured, dec, o));
  }

  private static OfflineTreatments offline() {
    double[] means = new double[K * DZ];
    RandomGenerator r = RandomStreams.stream(77, 2);
    for (int i = 0; i < means.length; i++) {
      means[i] = r.nextGaussian();
    }
    return GambittsAgentsTest.pools(CELLS.numCells(), K, DZ, 50, 0.5, means, r);
  }

  @Test
  void poGambittsAllocatesNothing() {
    assertNoAllocation(new PoGambitts(CELLS, offline(), true, LinearRewardPrior.DEFAULT, RandomStreams.stream(1, 1)),
        20_000, 5_000);
  }

  @Test
  void foGambittsAllocatesNothing() {
    assertNoAllocation(new FoGambitts(K, DZ, CELLS, true, LinearRewardPrior.DEFAULT, 1, DZ, 1, RandomStreams.stream(1, 2)),
        20_000, 5_000);
  }

  @Test
  void stdTsAllocatesNothing() {
    assertNoAllocation(StdTs.plain(K, CELLS, RandomStreams.stream(1, 3)), 20_000, 5_000);
    assertNoAllocation(StdTs.contextual(K, CELLS, RandomStreams.stream(1, 4)), 20_000, 5_000);
  }

  @Test
  void ensembleAllocatesNothingIncludingTraining() {
    // Few members keep the test fast; the training code path is the same for 60.
    EnsembleOptions opts = EnsembleOptions.repo(0.7).withMembers(4);
    assertNoAllocation(new EnsPoGambitts(CELLS, offline(), opts, RandomStreams.stream(1, 5)), 3_000, 500);
    assertNoAllocation(new EnsPoGambitts(CELLS, offline(), opts.withResetOptimizer(false),
        RandomStreams.stream(1, 6)), 3_000, 500);
  }
}
