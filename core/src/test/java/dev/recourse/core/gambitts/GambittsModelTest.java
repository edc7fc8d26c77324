package dev.recourse.core.gambitts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recourse.core.gambitts.ContextCells.Column;
import dev.recourse.core.gambitts.ContextCells.Covariate;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.reference.NaiveLinalg;
import dev.recourse.core.rng.RandomStreams;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Spec §9 check 1: the conjugate models equal their closed-form batch posteriors. */
class GambittsModelTest {

  private static void assertClose(double expected, double actual, double relTol, String what) {
    assertEquals(expected, actual, relTol * (1.0 + Math.abs(expected)), what);
  }

  /** A context with a one-hot column and a raw column, and hedging: every feature block is exercised. */
  private static final ContextCells CELLS = new ContextCells(
      Column.discrete("loc", 3, Covariate.ONE_HOT), Column.discrete("steps", 4), Column.continuous("t", Covariate.RAW));

  @Test
  void rewardPosteriorMeanEqualsBatchRidgeWithPriorMean() {
    int dz = 3;
    int k = 4;
    LinearRewardPrior prior = new LinearRewardPrior(77.0, 0.01, 1.0, 2.5);
    LinearRewardModel model = new LinearRewardModel(dz, CELLS, k, true, prior);
    int p = model.featureDim();
    assertEquals(dz + 3 + 1 + (k - 1) + 1, p);
    RandomGenerator rng = RandomStreams.stream(3, 1);
    int n = 60;
    double[][] phis = new double[n][p];
    double[] ys = new double[n];
    double[] x = new double[3];
    double[] z = new double[dz];
    for (int t = 0; t < n; t++) {
      x[0] = rng.nextInt(3);
      x[1] = rng.nextInt(4);
      x[2] = rng.nextGaussian();
      for (int i = 0; i < dz; i++) {
        z[i] = rng.nextGaussian();
      }
      int arm = rng.nextInt(k);
      double y = 80 + 0.3 * z[0] - 0.5 * z[1] + rng.nextGaussian();
      CELLS.check(x);
      model.features(z, 0, x, arm, phis[t]);
      ys[t] = y;
      model.update(z, 0, x, arm, y);
    }
    // Batch: (B0 + ΦᵀΦ) m = B0·m0 + Φᵀy.
    double[] a = new double[p * p];
    double[] rhs = new double[p];
    for (int i = 0; i < p; i++) {
      a[i * p + i] = i == p - 1 ? 0.01 : 1.0;
    }
    rhs[p - 1] = 0.01 * 77.0;
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < p; i++) {
        rhs[i] += ys[t] * phis[t][i];
        for (int j = 0; j < p; j++) {
          a[i * p + j] += phis[t][i] * phis[t][j];
        }
      }
    }
    double[] expected = NaiveLinalg.multiply(NaiveLinalg.inverse(a, p), p, rhs);
    double[] mean = new double[p];
    model.copyPosteriorMean(mean);
    for (int i = 0; i < p; i++) {
      assertClose(expected[i], mean[i], 1e-9, "m[" + i + "]");
    }
    double[] prec = new double[p * p];
    model.copyPrecision(prec);
    double[] l = new double[p * p];
    model.copyFactor(l);
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        assertClose(a[i * p + j], prec[i * p + j], 1e-12, "B[" + i + "][" + j + "]");
        double llt = 0;
        for (int q = 0; q <= Math.min(i, j); q++) {
          llt += l[i * p + q] * l[j * p + q];
        }
        assertClose(a[i * p + j], llt, 1e-10, "(L·Lᵀ)[" + i + "][" + j + "] (rank-one updated factor)");
      }
    }
  }

  @Test
  void priorMeanSurvivesTheFirstUpdate() {
    // The repo's b = 0 start would pull the intercept to ≈ y/(1.01+…) after one observation; the proper
    // conjugate start keeps the prior's weight: m = (B0 + φφᵀ)⁻¹(B0·m0 + yφ).
    LinearRewardModel model = new LinearRewardModel(1, ContextCells.none(), 2, false, LinearRewardPrior.DEFAULT);
    double[] x = {0.0};
    model.update(new double[] {0.0}, 0, x, 0, 0.0);
    double[] m = new double[2];
    model.copyPosteriorMean(m);
    // Intercept: (0.01·77 + 0)/(0.01 + 1) = 0.7624; slope 0 (z = 0).
    assertClose(0.77 / 1.01, m[1], 1e-12, "intercept");
    assertClose(0.0, m[0], 1e-12, "slope");
  }

  @Test
  void betaDrawsHaveThePosteriorMeanAndCovarianceV2TimesBInverse() {
    ContextCells none = ContextCells.none();
    double v2 = 4.0;
    LinearRewardModel model = new LinearRewardModel(2, none, 1, false, LinearRewardPrior.DEFAULT.withV2(v2));
    RandomGenerator data = RandomStreams.stream(3, 2);
    double[] x = {0.0};
    double[] z = new double[2];
    for (int t = 0; t < 5; t++) {
      z[0] = data.nextGaussian();
      z[1] = data.nextGaussian();
      model.update(z, 0, x, 0, 70 + data.nextGaussian());
    }
    int p = model.featureDim();
    double[] prec = new double[p * p];
    model.copyPrecision(prec);
    double[] cov = NaiveLinalg.inverse(prec, p);
    double[] mean = new double[p];
    model.copyPosteriorMean(mean);
    RandomGenerator rng = RandomStreams.stream(3, 3);
    int n = 200_000;
    double[] beta = new double[p];
    double[] s1 = new double[p];
    double[] s2 = new double[p * p];
    for (int t = 0; t < n; t++) {
      model.drawBeta(rng);
      model.copySampledBeta(beta);
      for (int i = 0; i < p; i++) {
        s1[i] += beta[i];
        for (int j = 0; j < p; j++) {
          s2[i * p + j] += (beta[i] - mean[i]) * (beta[j] - mean[j]);
        }
      }
    }
    for (int i = 0; i < p; i++) {
      double var = v2 * cov[i * p + i];
      assertEquals(mean[i], s1[i] / n, 5 * Math.sqrt(var / n), "E[β̃][" + i + "]");
      for (int j = 0; j < p; j++) {
        double cij = v2 * cov[i * p + j];
        double se = Math.sqrt((v2 * cov[i * p + i] * v2 * cov[j * p + j] + cij * cij) / n);
        assertEquals(cij, s2[i * p + j] / n, 5 * se, "Cov[β̃][" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void niwPosteriorEqualsClosedFormBatch() {
    int d = 3;
    double kappa0 = 1.0;
    double nu0 = 3.0;
    double psi0 = 1.0;
    NiwCells cells = new NiwCells(4, d, kappa0, nu0, psi0);
    RandomGenerator rng = RandomStreams.stream(3, 4);
    int n = 40;
    double[][] zs = new double[n][d];
    for (int t = 0; t < n; t++) {
      for (int i = 0; i < d; i++) {
        zs[t][i] = 5.0 + (i + 1) * rng.nextGaussian();
      }
      cells.add(2, zs[t], 0);
    }
    double[] zbar = new double[d];
    for (double[] z : zs) {
      for (int i = 0; i < d; i++) {
        zbar[i] += z[i] / n;
      }
    }
    double kn = kappa0 + n;
    double[] expectedPsi = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (double[] z : zs) {
          s += (z[i] - zbar[i]) * (z[j] - zbar[j]);
        }
        expectedPsi[i * d + j] = (i == j ? psi0 : 0.0) + s + kappa0 * n / kn * zbar[i] * zbar[j];
      }
    }
    double[] mu = new double[d];
    double[] psi = new double[d * d];
    cells.copyPosteriorMean(2, mu);
    cells.copyPosteriorScale(2, psi);
    for (int i = 0; i < d; i++) {
      assertClose(n * zbar[i] / kn, mu[i], 1e-12, "μn[" + i + "]");
      for (int j = 0; j < d; j++) {
        assertClose(expectedPsi[i * d + j], psi[i * d + j], 1e-11, "Ψn[" + i + "][" + j + "]");
      }
    }
    assertEquals(kn, cells.posteriorKappa(2));
    assertEquals(nu0 + n, cells.posteriorNu(2));
    assertEquals(0, cells.count(1));
    // An untouched slot is the prior.
    cells.copyPosteriorMean(1, mu);
    cells.copyPosteriorScale(1, psi);
    for (int i = 0; i < d; i++) {
      assertEquals(0.0, mu[i]);
      assertEquals(i == 0 ? 1.0 : 0.0, psi[i], 0.0);
    }
  }

  @Test
  void niwMeanDrawsHaveMeanMuNAndCovariancePsiOverKappaTimesNuMinusDMinus1() {
    int d = 2;
    NiwCells cells = new NiwCells(1, d, 1.0, d, 1.0);
    RandomGenerator data = RandomStreams.stream(3, 5);
    double[] z = new double[d];
    for (int t = 0; t < 6; t++) {
      z[0] = 1 + data.nextGaussian();
      z[1] = -1 + 0.5 * data.nextGaussian();
      cells.add(0, z, 0);
    }
    double[] mu = new double[d];
    double[] psi = new double[d * d];
    cells.copyPosteriorMean(0, mu);
    cells.copyPosteriorScale(0, psi);
    double kn = cells.posteriorKappa(0);
    double nun = cells.posteriorNu(0);
    // μ̃ is multivariate t: Cov = Ψn / (κn·(νn − d − 1)).
    double scale = 1.0 / (kn * (nun - d - 1));
    RandomGenerator rng = RandomStreams.stream(3, 6);
    int n = 300_000;
    double[] s1 = new double[d];
    double[] s2 = new double[d * d];
    double[] draw = new double[d];
    for (int t = 0; t < n; t++) {
      cells.drawMean(0, rng, draw, 0);
      for (int i = 0; i < d; i++) {
        s1[i] += draw[i];
        for (int j = 0; j < d; j++) {
          s2[i * d + j] += (draw[i] - mu[i]) * (draw[j] - mu[j]);
        }
      }
    }
    for (int i = 0; i < d; i++) {
      double var = psi[i * d + i] * scale;
      assertEquals(mu[i], s1[i] / n, 5 * Math.sqrt(var / n), "E[μ̃][" + i + "]");
      for (int j = 0; j < d; j++) {
        // Heavy tails (t with νn − d + 1 = 5 dof): a loose 3% relative check on the covariance.
        assertEquals(psi[i * d + j] * scale, s2[i * d + j] / n, 0.03 * var + 1e-12, "Cov[μ̃][" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void nigPosteriorEqualsClosedFormBatch() {
    ContextCells cells = new ContextCells(Column.discrete("loc", 3));
    NigPrior prior = NigPrior.DEFAULT;
    StdTs ctx = StdTs.contextual(2, cells, RandomStreams.stream(3, 7));
    StdTs plain = StdTs.plain(2, cells, RandomStreams.stream(3, 7));
    RandomGenerator rng = RandomStreams.stream(3, 8);
    Outcome o = new Outcome(1);
    double[] sum = new double[6];
    double[] sumSq = new double[6];
    int[] cnt = new int[6];
    double[] ys = new double[200];
    int[] slot = new int[200];
    for (int t = 0; t < 200; t++) {
      int cell = rng.nextInt(3);
      int arm = rng.nextInt(2);
      double y = 75 + 3 * arm + cell + 2 * rng.nextGaussian();
      o.context()[0] = cell;
      o.set(arm, y);
      ctx.update(o);
      plain.update(o);
      ys[t] = y;
      slot[t] = cell * 2 + arm;
    }
    double[] post = new double[4];
    for (int s = 0; s < 6; s++) {
      for (int t = 0; t < 200; t++) {
        if (slot[t] == s) {
          cnt[s]++;
          sum[s] += ys[t];
        }
      }
      double ybar = sum[s] / cnt[s];
      for (int t = 0; t < 200; t++) {
        if (slot[t] == s) {
          sumSq[s] += (ys[t] - ybar) * (ys[t] - ybar);
        }
      }
      int nn = cnt[s];
      ctx.posterior(s / 2, s % 2, post);
      assertClose(prior.shape() + nn / 2.0, post[0], 1e-12, "αn slot " + s);
      double betaN = prior.scale() + sumSq[s] / 2
          + nn * prior.count() * (ybar - prior.mean()) * (ybar - prior.mean()) / (2 * (nn + prior.count()));
      assertClose(betaN, post[1], 1e-10, "βn slot " + s);
      assertClose((prior.count() * prior.mean() + nn * ybar) / (prior.count() + nn), post[2], 1e-12, "ρ slot " + s);
      assertEquals(nn + prior.count(), post[3], 1e-12);
    }
    // Plain StdTS pools the cells of each arm.
    for (int arm = 0; arm < 2; arm++) {
      int nn = cnt[arm] + cnt[2 + arm] + cnt[4 + arm];
      double ybar = (sum[arm] + sum[2 + arm] + sum[4 + arm]) / nn;
      plain.posterior(1, arm, post);
      assertClose((prior.count() * prior.mean() + nn * ybar) / (prior.count() + nn), post[2], 1e-12, "ρ arm " + arm);
      assertEquals(nn, plain.count(2, arm));
    }
  }
}
