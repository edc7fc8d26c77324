package dev.recourse.core.gambitts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.gambitts.ContextCells.Column;
import dev.recourse.core.gambitts.ContextCells.Covariate;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.reference.StateWords;
import dev.recourse.core.rng.RandomStreams;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The agents: spec §9 checks 2 and 8, wiring, validation, learning on a toy problem. */
class GambittsAgentsTest {

  static final ContextCells TWO_COLUMNS = new ContextCells(Column.discrete("loc", 3), Column.discrete("steps", 4));

  /** Offline pools: cell c, prompt a draws Z ~ N(μ_a + 0.1·c, sd²·I), {@code perSlot} samples each. */
  static OfflineTreatments pools(int numCells, int numArms, int dz, int perSlot, double sd, double[] promptMeans,
                                 RandomGenerator rng) {
    int slots = numCells * numArms;
    int[] counts = new int[slots];
    double[] samples = new double[slots * perSlot * dz];
    int o = 0;
    for (int s = 0; s < slots; s++) {
      counts[s] = perSlot;
      int a = s % numArms;
      int c = s / numArms;
      for (int i = 0; i < perSlot; i++) {
        for (int j = 0; j < dz; j++) {
          samples[o++] = promptMeans[a * dz + j] + 0.1 * c + sd * rng.nextGaussian();
        }
      }
    }
    return new OfflineTreatments(numCells, numArms, dz, samples, counts);
  }

  @Test
  void contextCellsAreMixedRadixWithTheFirstDiscreteColumnMostSignificant() {
    ContextCells cells = new ContextCells(Column.discrete("loc", 3, Covariate.ONE_HOT),
        Column.continuous("temp", Covariate.RAW), Column.discrete("steps", 4));
    assertEquals(12, cells.numCells());
    assertEquals(3, cells.dim());
    assertEquals(4, cells.covariateDim());
    assertEquals(2 * 4 + 1, cells.checkedCell(new double[] {2, -7.5, 1}));
    double[] psi = new double[4];
    cells.writeCovariates(new double[] {1, -7.5, 3}, psi, 0);
    assertArrayEquals(new double[] {0, 1, 0, -7.5}, psi);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> cells.check(new double[] {1, 0, 4}));
    assertTrue(e.getMessage().contains("'steps'") && e.getMessage().contains("4.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> cells.check(new double[] {0.5, 0, 0}));
    assertTrue(e.getMessage().contains("'loc'") && e.getMessage().contains("0.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> cells.check(new double[] {0, Double.NaN, 0}));
    assertTrue(e.getMessage().contains("'temp'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> cells.check(new double[] {0, 0}));
    e = assertThrows(IllegalArgumentException.class,
        () -> new ContextCells(Column.discrete("a", 2), Column.discrete("a", 3)));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Column.continuous("c", Covariate.ONE_HOT));
    assertEquals(1, ContextCells.none().numCells());
    assertEquals(1, ContextCells.none().dim());
  }

  @Test
  void poPlugInScoreEqualsMonteCarloMeanOverTheCellSamples() {
    // Spec §9 check 2, with covariates and hedging so that every part of φ is in the score.
    ContextCells cells = new ContextCells(Column.discrete("loc", 3, Covariate.ONE_HOT), Column.discrete("steps", 2),
        Column.continuous("t", Covariate.RAW));
    int k = 4;
    int dz = 3;
    RandomGenerator data = RandomStreams.stream(21, 1);
    double[] means = new double[k * dz];
    for (int i = 0; i < means.length; i++) {
      means[i] = data.nextGaussian();
    }
    OfflineTreatments off = pools(cells.numCells(), k, dz, 37, 0.7, means, data);
    PoGambitts po = new PoGambitts(cells, off, true, LinearRewardPrior.DEFAULT, RandomStreams.stream(21, 2));
    Outcome o = new Outcome(3, dz);
    for (int t = 0; t < 50; t++) {
      o.context()[0] = data.nextInt(3);
      o.context()[1] = data.nextInt(2);
      o.context()[2] = data.nextGaussian();
      for (int j = 0; j < dz; j++) {
        o.treatment()[j] = data.nextGaussian();
      }
      po.update(o.set(data.nextInt(k), 80 + data.nextGaussian()).withTreatment());
    }
    double[] x = {2, 1, 0.3};
    Decision dec = new Decision(3);
    po.decide(x, dec);
    double[] scores = new double[k];
    po.copyLastScores(scores);
    LinearRewardModel model = po.rewardModel();
    double[] beta = new double[model.featureDim()];
    model.copySampledBeta(beta);
    double[] phi = new double[model.featureDim()];
    double[] z = new double[dz];
    int cell = cells.cell(x);
    int best = 0;
    for (int a = 0; a < k; a++) {
      int slot = cell * k + a;
      double mc = 0;
      for (int i = 0; i < off.count(slot); i++) {
        off.copySample(slot, i, z);
        model.features(z, 0, x, a, phi);
        double s = 0;
        for (int j = 0; j < phi.length; j++) {
          s += phi[j] * beta[j];
        }
        mc += s;
      }
      mc /= off.count(slot);
      assertEquals(mc, scores[a], 1e-9 * Math.abs(mc), "prompt " + a);
      if (scores[a] > scores[best]) {
        best = a;
      }
    }
    assertEquals(best, dec.arm());
    assertEquals(scores[best], dec.score());
  }

  /** Feeds the same (x, a, y) stream to two copies of a baseline, one with a random Z, one without; returns both arm sequences. */
  private static void assertBaselineIgnoresTreatment(boolean contextual) {
    ContextCells cells = TWO_COLUMNS;
    StdTs withZ = new StdTs(5, cells, contextual, NigPrior.DEFAULT, RandomStreams.stream(8, 1));
    StdTs withoutZ = new StdTs(5, cells, contextual, NigPrior.DEFAULT, RandomStreams.stream(8, 1));
    RandomGenerator env = RandomStreams.stream(8, 2);
    Decision d1 = new Decision(2);
    Decision d2 = new Decision(2);
    Outcome o1 = new Outcome(2, 3);
    Outcome o2 = new Outcome(2, 3);
    double[] x = new double[2];
    for (int t = 0; t < 500; t++) {
      x[0] = env.nextInt(3);
      x[1] = env.nextInt(4);
      withZ.decide(x, d1);
      withoutZ.decide(x, d2);
      assertEquals(d1.arm(), d2.arm(), "round " + t);
      assertEquals(d1.score(), d2.score(), "round " + t);
      double y = 70 + d1.arm() + env.nextGaussian();
      System.arraycopy(x, 0, o1.context(), 0, 2);
      System.arraycopy(x, 0, o2.context(), 0, 2);
      // Z wildly different (even non-finite) on one side, absent on the other.
      o1.treatment()[0] = env.nextGaussian() * 1e6;
      o1.treatment()[1] = Double.NaN;
      withZ.update(o1.set(d1.arm(), y).withTreatment());
      withoutZ.update(o2.set(d2.arm(), y));
    }
  }

  @Test
  void baselinesNeverReadTheTreatment() {
    // Spec §9 check 8.
    assertBaselineIgnoresTreatment(false);
    assertBaselineIgnoresTreatment(true);
  }

  /** A toy GAMBITTS world: K prompts whose Z means differ, reward linear in Z; returns the share of best-prompt plays in the last 200 rounds. */
  private static double bestShare(Policy policy, int dz, double[] promptMeans, double[] coef, int rounds) {
    RandomGenerator env = RandomStreams.stream(31, 7);
    int k = policy.numArms();
    int best = 0;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < k; a++) {
      double m = 0;
      for (int j = 0; j < dz; j++) {
        m += coef[j] * promptMeans[a * dz + j];
      }
      if (m > bestMean) {
        bestMean = m;
        best = a;
      }
    }
    Decision dec = new Decision(policy.dim());
    Outcome o = new Outcome(policy.dim(), dz);
    double[] x = new double[policy.dim()];
    int hits = 0;
    for (int t = 0; t < rounds; t++) {
      policy.decide(x, dec);
      int a = dec.arm();
      double y = 80;
      for (int j = 0; j < dz; j++) {
        double z = promptMeans[a * dz + j] + 0.3 * env.nextGaussian();
        o.treatment()[j] = z;
        y += coef[j] * z;
      }
      y += 0.5 * env.nextGaussian();
      policy.update(o.set(a, y).withTreatment());
      if (t >= rounds - 200 && a == best) {
        hits++;
      }
    }
    return hits / 200.0;
  }

  @Test
  void agentsLearnTheBestPromptOnALinearToyProblem() {
    int dz = 2;
    int k = 4;
    double[] means = {0, 0, 1, -1, -1, 1, 2, 0.5};
    double[] coef = {1.0, 0.5};
    OfflineTreatments off = pools(1, k, dz, 200, 0.3, means, RandomStreams.stream(31, 1));
    ContextCells none = ContextCells.none();
    double po = bestShare(new PoGambitts(none, off, RandomStreams.stream(31, 2)), dz, means, coef, 600);
    double fo = bestShare(new FoGambitts(k, dz, none, RandomStreams.stream(31, 3)), dz, means, coef, 600);
    double ts = bestShare(StdTs.plain(k, none, RandomStreams.stream(31, 4)), dz, means, coef, 600);
    assertTrue(po > 0.9, "poGAMBITTS best-prompt share " + po);
    assertTrue(fo > 0.8, "foGAMBITTS best-prompt share " + fo);
    assertTrue(ts > 0.6, "StdTS best-prompt share " + ts);
  }

  @Test
  void foRoutesTheObservedTreatmentToItsCell() {
    FoGambitts fo = new FoGambitts(3, 2, TWO_COLUMNS, RandomStreams.stream(4, 1));
    Outcome o = new Outcome(2, 2);
    o.context()[0] = 2;
    o.context()[1] = 1;
    o.treatment()[0] = 1.5;
    o.treatment()[1] = -0.5;
    fo.update(o.set(1, 80).withTreatment());
    int slot = (2 * 4 + 1) * 3 + 1;
    assertEquals(1, fo.treatmentModel().count(slot));
    double[] mu = new double[2];
    fo.treatmentModel().copyPosteriorMean(slot, mu);
    assertArrayEquals(new double[] {0.75, -0.25}, mu, 1e-15);
    assertEquals(1, fo.rewardModel().count());
  }

  /**
   * Z = (1e8, 1e8): ψ0 is lost beside z̄z̄ᵀ and the cell's Ψn does not factorise. That used to throw
   * IllegalStateException after the reward model and the cell had learnt; then it was refused as
   * singular with nothing learnt; now foGAMBITTS refuses it by its limit (1e4·√psi0), before the cell
   * is even tried, and the cells refuse it themselves as singular (the agent's backstop).
   */
  @Test
  void foRejectsATreatmentThatMakesItsCellsScaleSingularAndLearnsNothing() {
    FoGambitts fo = new FoGambitts(2, 2, ContextCells.none(), RandomStreams.stream(4, 2));
    Outcome o = new Outcome(1, 2);
    o.treatment()[0] = 0.3;
    o.treatment()[1] = -0.2;
    fo.update(o.set(0, 1.0).withTreatment());
    long[] before = StateWords.of(fo);
    o.treatment()[0] = 1e8;
    o.treatment()[1] = 1e8;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fo.update(o.set(1, 1.0).withTreatment()));
    assertTrue(e.getMessage().contains("Z[0] must be at most 10000.0") && e.getMessage().contains("1.0E8"), e.getMessage());
    assertArrayEquals(before, StateWords.of(fo), "neither the reward model nor the cell learnt");
    NiwCells cells = new NiwCells(2, 2, 1.0, 2, 1.0);
    e = assertThrows(IllegalArgumentException.class, () -> cells.add(1, new double[] {1e8, 1e8}, 0));
    assertTrue(e.getMessage().contains("numerically singular") && e.getMessage().contains("1.0E8"), e.getMessage());
    assertEquals(0, cells.count(1));
    assertEquals(0, fo.treatmentModel().count(1));
    o.treatment()[0] = 1;
    o.treatment()[1] = 1;
    fo.update(o.set(1, 1.0).withTreatment());
    assertEquals(1, fo.treatmentModel().count(1));
    assertEquals(2, fo.rewardModel().count());
  }

  /**
   * A Z whose squared norm overflows used to poison the reward model silently (every score NaN). The
   * agents' limit now refuses it first; a prior of huge scale (slope_precision 1e300: a limit of 1e154)
   * lets entries through whose squares overflow, and the squared norm is still checked.
   */
  @Test
  void agentsRejectATreatmentWhoseSquaredNormOverflows() {
    OfflineTreatments off = new OfflineTreatments(1, 2, 3, new double[] {1, 0, 0, 0, 1, 0}, new int[] {1, 1});
    PoGambitts po = new PoGambitts(ContextCells.none(), off, RandomStreams.stream(4, 3));
    FoGambitts fo = new FoGambitts(2, 3, ContextCells.none(), RandomStreams.stream(4, 4));
    PoGambitts huge = new PoGambitts(ContextCells.none(), off, false, new LinearRewardPrior(77, 0.01, 1e300, 1),
        RandomStreams.stream(4, 5));
    Outcome o = new Outcome(1, 3);
    o.treatment()[0] = 1e200;
    for (Policy p : new Policy[] {po, fo, huge}) {
      long[] before = StateWords.of((dev.recourse.core.state.Snapshottable) p);
      if (p == huge) {
        java.util.Arrays.fill(o.treatment(), 0.9e154); // each within 1e154, 2.4e308 squared
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.update(o.set(1, 1.0).withTreatment()));
      assertTrue(p == huge ? e.getMessage().contains("squared norm overflows") && e.getMessage().contains("9.0E153")
          : e.getMessage().contains("Z[0] must be at most") && e.getMessage().contains("1.0E200"), e.getMessage());
      assertArrayEquals(before, StateWords.of((dev.recourse.core.state.Snapshottable) p));
    }
    Decision d = new Decision(1, 2);
    po.decide(new double[] {0}, d);
    assertTrue(Double.isFinite(d.scores()[0]) && Double.isFinite(d.scores()[1]), Arrays.toString(d.scores()));
  }

  @Test
  void badInputIsRejectedNamingFieldAndValueAndLeavesTheAgentUnchanged() {
    OfflineTreatments off = pools(12, 3, 2, 5, 1.0, new double[6], RandomStreams.stream(1, 1));
    PoGambitts po = new PoGambitts(TWO_COLUMNS, off, RandomStreams.stream(1, 2));
    Outcome o = new Outcome(2, 2);
    o.context()[0] = 1;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> po.update(o.set(1, 80)));
    assertTrue(e.getMessage().contains("treatment"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> po.update(o.set(3, 80).withTreatment()));
    assertTrue(e.getMessage().contains("arm") && e.getMessage().contains("3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> po.update(o.set(1, Double.NaN).withTreatment()));
    assertTrue(e.getMessage().contains("reward"), e.getMessage());
    o.context()[1] = 9;
    e = assertThrows(IllegalArgumentException.class, () -> po.update(o.set(1, 80).withTreatment()));
    assertTrue(e.getMessage().contains("'steps'") && e.getMessage().contains("9.0"), e.getMessage());
    assertEquals(0, po.rewardModel().count());
    e = assertThrows(IllegalArgumentException.class, () -> po.decide(new double[] {3, 0}, new Decision(2)));
    assertTrue(e.getMessage().contains("'loc'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> po.decide(new double[] {0, 0}, new Decision(3)));

    e = assertThrows(IllegalArgumentException.class,
        () -> new OfflineTreatments(1, 2, 1, new double[] {1.0}, new int[] {1, 0}));
    assertTrue(e.getMessage().contains("counts[1]") && e.getMessage().contains("prompt 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new OfflineTreatments(1, 2, 1, new double[] {1.0, 2.0, 3.0}, new int[] {1, 1}));
    assertTrue(e.getMessage().contains("samples length"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new PoGambitts(ContextCells.none(), off, RandomStreams.stream(1, 2)));
    assertTrue(e.getMessage().contains("numCells"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new NiwCells(2, 3, 1.0, 1.5, 1.0));
    assertTrue(e.getMessage().contains("nu0") && e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LinearRewardPrior(77, 0.01, 1, 0));
    assertTrue(e.getMessage().contains("v2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new NigPrior(77, -5, 1, 10));
    assertTrue(e.getMessage().contains("count") && e.getMessage().contains("-5"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new FoGambitts(0, 3, ContextCells.none(), RandomStreams.stream(1, 1)));
    assertTrue(e.getMessage().contains("numArms") && e.getMessage().contains("0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EnsembleOptions.repo(-1.0));
    assertTrue(e.getMessage().contains("perturbationSd"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EnsembleOptions.repo(1.0).withLearningRate(0));
    assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
  }

  /** A negative count (or sum of squares) gave NaN posterior draws (an assertion error under -ea). */
  @Test
  void stdTsImportRejectsNegativeCountsAndSumsOfSquares() {
    StdTs s = StdTs.plain(2, ContextCells.none(), RandomStreams.stream(1, 3));
    Outcome o = new Outcome(1);
    s.update(o.set(0, 5.0));
    s.update(o.set(0, 7.0));
    // numArms, models, 4 generator words, counts[2], means[2], sums of squares[2]
    Object[][] cases = {{6, -5L, "state StdTS count of model 0 must be >= 0, got -5"},
        {10, -1.0, "sum of squares of model 0 must be finite and >= 0, got -1.0"},
        {11, Double.NaN, "sum of squares of model 1 must be finite and >= 0, got NaN"}};
    for (Object[] c : cases) {
      dev.recourse.core.reference.StateWords w = new dev.recourse.core.reference.StateWords();
      s.exportShared(w);
      if (c[1] instanceof Double v) {
        w.setDouble((int) c[0], v);
      } else {
        w.setLong((int) c[0], (Long) c[1]);
      }
      StdTs t = StdTs.plain(2, ContextCells.none(), RandomStreams.stream(1, 3));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.importShared(w.reader()));
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
    }
  }

  /** Out-of-range indices used to read another model (StdTS) or a zero padding lane (ens) silently. */
  @Test
  void diagnosticAccessorsCheckTheirIndices() {
    ContextCells cells = new ContextCells(Column.discrete("c", 2));
    StdTs s = StdTs.contextual(3, cells, RandomStreams.stream(2, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.count(0, 3));
    assertTrue(e.getMessage().contains("arm must be in [0, 3), got 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.posterior(5, 0, new double[4]));
    assertTrue(e.getMessage().contains("cell must be in [0, 2), got 5"), e.getMessage());
    OfflineTreatments off = new OfflineTreatments(1, 2, 2, new double[] {1, 0, 0, 1}, new int[] {1, 1});
    EnsPoGambitts ens = new EnsPoGambitts(ContextCells.none(), off,
        new EnsembleOptions(3, 4, 16, 0, 4, 2, 0.1, true, 0.1), RandomStreams.stream(2, 2));
    ens.predict(2, new double[] {1, 2});
    e = assertThrows(IllegalArgumentException.class, () -> ens.predict(3, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("member must be in [0, 3), got 3"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ens.predict(0, new double[] {1}));
    assertTrue(e.getMessage().contains("z must hold d_z = 2 values, got 1"), e.getMessage());
  }

  @Test
  void describeNamesTheAgentAndItsSettings() {
    OfflineTreatments off = pools(12, 3, 2, 5, 1.0, new double[6], RandomStreams.stream(1, 1));
    RandomGenerator r = RandomStreams.stream(1, 3);
    String[] got = {
        new PoGambitts(TWO_COLUMNS, off, r).describe(),
        new FoGambitts(3, 2, TWO_COLUMNS, r).describe(),
        new EnsPoGambitts(TWO_COLUMNS, off, EnsembleOptions.repo(0.71), r).describe(),
        StdTs.plain(3, TWO_COLUMNS, r).describe(),
        StdTs.contextual(3, TWO_COLUMNS, r).describe()};
    String[] names = {"poGAMBITTS(", "foGAMBITTS(", "ens-poGAMBITTS(", "StdTS(", "StdTS:Contextual("};
    for (int i = 0; i < got.length; i++) {
      assertTrue(got[i].startsWith(names[i]), got[i]);
    }
    assertTrue(got[0].contains("v2=1.0") && got[0].contains("m0_intercept=77.0"), got[0]);
    assertTrue(got[2].contains("perturbation_sd=0.71") && got[2].contains("adam-reset-every-step"), got[2]);
    assertTrue(Arrays.stream(got).allMatch(s -> s.contains("K=3")));
  }
}
