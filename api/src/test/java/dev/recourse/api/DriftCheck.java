package dev.recourse.api;

import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.simd.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Long-run drift of the Sherman–Morrison chain (not in the default suite; {@code ./mvnw -B -pl api -am
 * test -Pdrift}): 10⁷ rank-one updates at d = 20, K = 2 (arms alternate), features {@code x_i = s_i·z_i}
 * with z ~ N(0, 1) and scales {@code s_i} log-spaced from 10⁻³ to 10³, for several refresh periods.
 * At each checkpoint the model's {@code V⁻¹} and θ̂ are compared with a fresh Cholesky factorisation of
 * the accumulated {@code V} (and {@code θ = V⁻¹b}): the relative Frobenius error of V⁻¹ (worst arm), and
 * on 10⁴ contexts of the same distribution the share of LinUCB decisions (α = 1) that differ and the
 * largest relative score error. Writes the table to stdout and {@code target/drift.md}.
 */
@Tag("drift")
class DriftCheck {

  static final int DIM = 20;
  static final int ARMS = 2;
  static final long UPDATES = Long.getLong("drift.updates", 10_000_000L);
  static final int[] REFRESH = {0, 1 << 20, 1 << 14, 1024, 64};
  static final int PROBES = 10_000;

  @Test
  void drift() throws IOException {
    double[] scale = new double[DIM];
    for (int i = 0; i < DIM; i++) {
      scale[i] = Math.pow(10, -3 + 6.0 * i / (DIM - 1));
    }
    double[][] theta = new double[ARMS][DIM];
    SplittableRandom tr = new SplittableRandom(1);
    for (double[] t : theta) {
      for (int i = 0; i < DIM; i++) {
        t[i] = tr.nextGaussian() / scale[i]; // every feature matters about equally
      }
    }
    double[][] probes = new double[PROBES][DIM];
    SplittableRandom pr = new SplittableRandom(2);
    for (double[] x : probes) {
      fill(x, pr, scale);
    }
    StringBuilder table = new StringBuilder();
    table.append("| refresh every (per arm) | updates | rel. error of V⁻¹ (max over arms) | decisions differing | max rel. score error | seconds |\n");
    table.append("|---|---|---|---|---|---|\n");
    for (int refresh : REFRESH) {
      RidgeArms model = new RidgeArms(ARMS, DIM, 1.0, refresh, RidgeArms.RefreshMethod.CHOLESKY, Kernels.get());
      SplittableRandom rng = new SplittableRandom(3);
      double[] x = new double[DIM];
      long next = 10_000;
      long start = System.nanoTime();
      for (long t = 1; t <= UPDATES; t++) {
        int arm = (int) (t % ARMS);
        fill(x, rng, scale);
        double r = rng.nextGaussian();
        for (int i = 0; i < DIM; i++) {
          r += theta[arm][i] * x[i];
        }
        model.update(arm, x, 0, r);
        if (t == next || t == UPDATES) {
          double[] row = compare(model, probes);
          table.append(String.format(Locale.ROOT, "| %s | %,d | %.2e | %.4f%% | %.2e | %.1f |%n",
              refresh == 0 ? "never" : String.format(Locale.ROOT, "%,d", refresh), t, row[0], 100 * row[1], row[2],
              (System.nanoTime() - start) / 1e9));
          next *= 10;
        }
      }
    }
    String out = "Drift of the Sherman–Morrison chain, d = " + DIM + ", K = " + ARMS + ", feature scales 1e-3..1e3, kernels "
        + Kernels.get().name() + "\n\n" + table;
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "drift.md"), out);
    System.out.println(out);
  }

  private static void fill(double[] x, SplittableRandom rng, double[] scale) {
    for (int i = 0; i < DIM; i++) {
      x[i] = scale[i] * rng.nextGaussian();
    }
  }

  /** {max rel. error of V⁻¹, share of differing decisions, max rel. score error} against a fresh factorisation. */
  private static double[] compare(RidgeArms model, double[][] probes) {
    int block = DIM * DIM;
    double[] refInv = new double[ARMS * block];
    double[] refTheta = new double[ARMS * DIM];
    double[] v = new double[block];
    double[] b = new double[DIM];
    double[] work = new double[block];
    double worst = 0;
    for (int a = 0; a < ARMS; a++) {
      model.copyGram(a, v, 0);
      model.copyResponse(a, b, 0);
      if (!CholeskyOps.factor(v, 0, DIM)) {
        throw new AssertionError("V of arm " + a + " is not positive definite");
      }
      CholeskyOps.inverseFromFactor(v, 0, DIM, refInv, a * block, work, 0);
      for (int i = 0; i < DIM; i++) {
        double s = 0;
        for (int j = 0; j < DIM; j++) {
          s += refInv[a * block + i * DIM + j] * b[j];
        }
        refTheta[a * DIM + i] = s;
      }
      double num = 0;
      double den = 0;
      for (int k = 0; k < block; k++) {
        double diff = model.vInv()[a * block + k] - refInv[a * block + k];
        num += diff * diff;
        den += refInv[a * block + k] * refInv[a * block + k];
      }
      worst = Math.max(worst, Math.sqrt(num / den));
    }
    int differ = 0;
    double maxScore = 0;
    for (double[] x : probes) {
      int bestModel = 0;
      int bestRef = 0;
      double sModel = Double.NEGATIVE_INFINITY;
      double sRef = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < ARMS; a++) {
        double m = score(model.thetaHat(), model.vInv(), a, x);
        double r = score(refTheta, refInv, a, x);
        maxScore = Math.max(maxScore, Math.abs(m - r) / Math.max(Math.abs(r), 1e-300));
        if (m > sModel) {
          sModel = m;
          bestModel = a;
        }
        if (r > sRef) {
          sRef = r;
          bestRef = a;
        }
      }
      differ += bestModel != bestRef ? 1 : 0;
    }
    return new double[] {worst, differ / (double) probes.length, maxScore};
  }

  private static double score(double[] theta, double[] vInv, int a, double[] x) {
    double mean = 0;
    double q = 0;
    for (int i = 0; i < DIM; i++) {
      mean += theta[a * DIM + i] * x[i];
      double row = 0;
      for (int j = 0; j < DIM; j++) {
        row += vInv[a * DIM * DIM + i * DIM + j] * x[j];
      }
      q += x[i] * row;
    }
    return mean + Math.sqrt(Math.max(0, q));
  }
}
