package dev.recourse.core.gambitts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.rng.Lxm64x128;
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** ens-poGAMBITTS (spec §5): the MLP's gradient, learning, warm-up and the Monte Carlo decision. */
class GambittsEnsembleTest {

  /** Loss of one member on a batch, computed the slow way, from the parameters in their flat order. */
  private static double naiveLoss(Mlp net, double[][] zs, double[] t) {
    int d = net.dim;
    int h = net.hidden;
    double loss = 0;
    for (int i = 0; i < zs.length; i++) {
      double f = net.get(h * d + 2 * h);
      for (int j = 0; j < h; j++) {
        double a = net.get(h * d + j);
        for (int c = 0; c < d; c++) {
          a += net.get(c * h + j) * zs[i][c];
        }
        f += net.get(h * d + h + j) * Math.max(a, 0);
      }
      loss += (f - t[i]) * (f - t[i]);
    }
    return loss / zs.length;
  }

  @Test
  void gradientMatchesCentralFiniteDifferences() {
    // d = 1, 3 (one fused pass), 7 (a full and a partial extra group of three).
    for (int d : new int[] {1, 2, 3, 7}) {
      checkGradient(d);
    }
  }

  private static void checkGradient(int d) {
    DoubleKernels k = Kernels.get();
    int h = 7;
    int n = 11;
    RandomGenerator rng = RandomStreams.stream(41, d);
    Mlp net = new Mlp(d, h);
    net.init(rng);
    int np = Mlp.numParams(d, h);
    double[][] zs = new double[n][d];
    double[] zFlat = new double[n * d + 2];
    double[] t = new double[n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        zs[i][c] = rng.nextGaussian();
        zFlat[2 + i * d + c] = zs[i][c];
      }
      t[i] = 2 + rng.nextGaussian();
    }
    Mlp grad = new Mlp(d, h);
    // Inputs at an offset of 2, to exercise the offset arithmetic.
    double loss = net.gradient(k, zFlat, 2, n, t, grad, new double[n][h], new double[n], new double[h]);
    assertEquals(naiveLoss(net, zs, t), loss, 1e-12 * loss, "d = " + d);
    double eps = 1e-6;
    for (int i = 0; i < np; i++) {
      double saved = net.get(i);
      net.set(i, saved + eps);
      double up = naiveLoss(net, zs, t);
      net.set(i, saved - eps);
      double down = naiveLoss(net, zs, t);
      net.set(i, saved);
      double fd = (up - down) / (2 * eps);
      // Central differences: O(eps²) truncation plus O(ε_mach·loss/eps) round-off, about 1e-9 here.
      assertEquals(fd, grad.get(i), 1e-6 * (1 + Math.abs(fd)), "d = " + d + ": ∂L/∂θ[" + i + "]");
    }
  }

  private static double memberMse(EnsPoGambitts ens, int member, double[][] zs, double[] ys) {
    double s = 0;
    for (int i = 0; i < zs.length; i++) {
      double r = ens.predict(member, zs[i]) - ys[i];
      s += r * r;
    }
    return s / zs.length;
  }

  private static void assertLearnsLinearFunction(EnsembleOptions opts, double factor) {
    int dz = 2;
    OfflineTreatments off = GambittsAgentsTest.pools(1, 2, dz, 10, 1.0, new double[4], RandomStreams.stream(42, 1));
    EnsPoGambitts ens = new EnsPoGambitts(ContextCells.none(), off, opts, RandomStreams.stream(42, 2));
    RandomGenerator data = RandomStreams.stream(42, 3);
    double[][] testZ = new double[500][dz];
    double[] testY = new double[500];
    for (int i = 0; i < 500; i++) {
      testZ[i][0] = data.nextGaussian();
      testZ[i][1] = data.nextGaussian();
      testY[i] = 1 + 2 * testZ[i][0] - testZ[i][1];
    }
    double before = 0;
    for (int m = 0; m < opts.members(); m++) {
      before += memberMse(ens, m, testZ, testY) / opts.members();
    }
    Outcome o = new Outcome(1, dz);
    for (int t = 0; t < 1500; t++) {
      double z0 = data.nextGaussian();
      double z1 = data.nextGaussian();
      o.treatment()[0] = z0;
      o.treatment()[1] = z1;
      ens.update(o.set(t % 2, 1 + 2 * z0 - z1).withTreatment());
    }
    double after = 0;
    for (int m = 0; m < opts.members(); m++) {
      after += memberMse(ens, m, testZ, testY) / opts.members();
    }
    assertTrue(after < factor * before, opts + ": test MSE " + before + " -> " + after);
  }

  @Test
  void learningALinearFunctionReducesTheMse() {
    // No perturbation: the members should all fit y = 1 + 2·z0 − z1.
    EnsembleOptions repo = EnsembleOptions.repo(0.0).withMembers(6);
    assertLearnsLinearFunction(repo.withLearningRate(0.01), 0.02);
    assertLearnsLinearFunction(repo.withResetOptimizer(false).withLearningRate(0.01), 0.02);
    // The repo's lr 0.1 with the reset: Adam's first step moves every weight by ≈ lr·sign(g) each round, so
    // the fit keeps jittering (7.3 → 3.6 here with this seed): it reduces the MSE but stays far from the
    // fit, the behaviour the issue reports for the repo's settings.
    assertLearnsLinearFunction(repo, 0.6);
  }

  @Test
  void warmUpPlaysUniformlyAndTrainingStartsWithTheHundredthObservation() {
    int dz = 2;
    int k = 4;
    OfflineTreatments off = GambittsAgentsTest.pools(1, k, dz, 10, 1.0, new double[k * dz], RandomStreams.stream(43, 1));
    EnsPoGambitts ens = new EnsPoGambitts(ContextCells.none(), off, EnsembleOptions.repo(0.5).withMembers(4),
        RandomStreams.stream(43, 2));
    Decision dec = new Decision(1);
    Outcome o = new Outcome(1, dz);
    double[] x = {0};
    int[] plays = new int[k];
    for (int t = 0; t < 100; t++) {
      ens.decide(x, dec);
      assertTrue(Double.isNaN(dec.score()));
      plays[dec.arm()]++;
      assertTrue(Double.isNaN(ens.lastLoss()), "no training before 100 observations (round " + t + ")");
      ens.update(o.set(dec.arm(), 1.0).withTreatment());
    }
    for (int a = 0; a < k; a++) {
      // Binomial(100, 1/4): mean 25, sd 4.3; 8..42 is beyond 3.9 sd.
      assertTrue(plays[a] >= 8 && plays[a] <= 42, "uniform warm-up plays " + Arrays.toString(plays));
    }
    assertEquals(100, ens.bufferSize());
    assertTrue(Double.isFinite(ens.lastLoss()), "trained at the 100th observation");
    ens.decide(x, dec);
    assertTrue(Double.isFinite(dec.score()));
  }

  @Test
  void decisionScoreIsOneMembersMeanPredictionOverTheCellPool() {
    // One sample per (cell, prompt): every Monte Carlo draw is that sample, so each prompt's score must be
    // f_m(z_a) for one and the same member m.
    int dz = 2;
    int k = 3;
    ContextCells cells = new ContextCells(ContextCells.Column.discrete("loc", 2));
    RandomGenerator r = RandomStreams.stream(44, 1);
    double[] samples = new double[2 * k * dz];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = r.nextGaussian();
    }
    int[] counts = new int[2 * k];
    Arrays.fill(counts, 1);
    OfflineTreatments off = new OfflineTreatments(2, k, dz, samples, counts);
    EnsembleOptions opts = EnsembleOptions.repo(0.3).withMembers(5).withWarmupRounds(0);
    EnsPoGambitts ens = new EnsPoGambitts(cells, off, opts, RandomStreams.stream(44, 2));
    Decision dec = new Decision(1);
    double[] x = {1};
    double[] scores = new double[k];
    double[] z = new double[dz];
    int matchedMembers = 0;
    ens.decide(x, dec);
    ens.copyLastScores(scores);
    for (int m = 0; m < opts.members(); m++) {
      boolean all = true;
      for (int a = 0; a < k; a++) {
        off.copySample(k + a, 0, z);
        double f = ens.predict(m, z);
        all &= Math.abs(f - scores[a]) <= 1e-12 * (1 + Math.abs(f));
      }
      if (all) {
        matchedMembers++;
      }
    }
    assertEquals(1, matchedMembers, "scores " + Arrays.toString(scores));
  }

  /**
   * The decision's row draws (a multiply-and-shift remainder) equal {@code nextInt(count)} draw for draw
   * and leave the generator where {@code nextInt(count)} would: small, odd, power-of-two and huge bounds
   * (where the rejection loop runs often).
   */
  @Test
  void rowDrawsEqualNextIntBound() {
    int[] counts = {1, 2, 3, 5, 15, 100, 500, 512, 950, 1000, 65_537, 1 << 30, (1 << 30) + 1, 1_500_000_001,
        Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
    for (int count : counts) {
      Lxm64x128 fast = RandomStreams.stream(7, count);
      Lxm64x128 ref = RandomStreams.stream(7, count);
      int n = 20_000;
      int[] idx = new int[n + 1];
      idx[0] = -1;
      assertEquals(n + 1, EnsPoGambitts.drawRows(fast, count, 11, 3, n, idx, 1));
      for (int i = 0; i < n; i++) {
        assertEquals(11 + ref.nextInt(count) * 3, idx[i + 1], "count " + count + " draw " + i);
      }
      assertEquals(ref.nextLong(), fast.nextLong(), "generator position, count " + count);
    }
  }
}
