package dev.recourse.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.LinUcb;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scalar twin in the Panama kernels' order gives their bits, kernel by kernel (sizes 1–130, both
 * cut-over lengths, ordinary and adversarial magnitudes, non-zero offsets) and through LinUCB's rounds.
 */
class PanamaOrderKernelsTest {

  private static final int OFF = 3;

  static IntStream sizes() {
    return IntStream.rangeClosed(1, 130);
  }

  /** {@link KernelEquivalenceTest}'s values: uniform, or spread over 12 decades with random signs. */
  private static double[] random(SplittableRandom rng, int len, boolean adversarial) {
    return KernelEquivalenceTest.random(rng, len, adversarial);
  }

  private static void assertBits(double expected, double actual, String what) {
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
        () -> what + ": " + expected + " vs " + actual);
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void eachKernelGivesPanamasBits(int n) {
    SplittableRandom rng = new SplittableRandom(31_000 + n);
    for (int minLength : new int[] {1, KernelProvider.DEFAULT_MIN_VECTOR_LENGTH}) {
      DoubleKernels vector = new PanamaKernels(minLength);
      DoubleKernels twin = vector.laneOrderTwin().orElseThrow();
      for (boolean adversarial : new boolean[] {false, true}) {
        double[] a = random(rng, OFF + n + 2, adversarial);
        double[] b = random(rng, OFF + n + 1, adversarial);
        assertBits(vector.dot(a, OFF, b, 1, n), twin.dot(a, OFF, b, 1, n), "dot n=" + n);
        for (int rows : new int[] {1, 3, 4, 7, 10, 50}) {
          double[] m = random(rng, OFF + rows * n, adversarial);
          double[] yV = new double[rows + 2];
          double[] yT = new double[rows + 2];
          vector.gemv(m, OFF, rows, n, b, 1, yV, 1);
          twin.gemv(m, OFF, rows, n, b, 1, yT, 1);
          for (int r = 0; r < rows + 2; r++) {
            assertBits(yV[r], yT[r], "gemv " + rows + "x" + n + " row " + r);
          }
        }
        int size = DoubleKernels.upperSize(n);
        for (int stride : new int[] {size, (size + 15) & -16}) {
          int count = 6;
          double[] p = random(rng, OFF + count * stride, adversarial);
          for (int k = 0; k < count; k++) {
            java.util.Arrays.fill(p, OFF + k * stride + size, OFF + (k + 1) * stride, 0.0);
          }
          double[] formsV = new double[count];
          double[] formsT = new double[count];
          double[] workV = new double[stride];
          double[] workT = new double[stride];
          vector.symQuadFormsPacked(p, OFF, stride, n, count, b, 1, workV, formsV, 0);
          twin.symQuadFormsPacked(p, OFF, stride, n, count, b, 1, workT, formsT, 0);
          int[] which = {4, 0, 5, 2, 2};
          double[] atT = new double[which.length];
          twin.symQuadFormsPackedAt(p, OFF, stride, n, which, which.length, workT, atT);
          for (int k = 0; k < count; k++) {
            assertBits(formsV[k], formsT[k], "form " + k + " n=" + n + " stride " + stride);
          }
          for (int j = 0; j < which.length; j++) {
            assertBits(formsV[which[j]], atT[j], "chosen form " + j + " n=" + n);
          }
        }
      }
    }
  }

  /** LinUCB from d = 12 on (its packed path) on the twin: the Panama model's decisions and state, bit for bit. */
  @Test
  void linUcbOnTheTwinIsLinUcbOnPanama() {
    DoubleKernels vector = new PanamaKernels(KernelProvider.DEFAULT_MIN_VECTOR_LENGTH);
    DoubleKernels twin = vector.laneOrderTwin().orElseThrow();
    for (int[] shape : new int[][] {{12, 3}, {20, 10}, {33, 7}, {50, 4}}) {
      int dim = shape[0];
      int numArms = shape[1];
      // A short refresh period, so that refreshes (Cholesky, then θ̂ by gemv) happen too.
      LinUcb onVector = new LinUcb(new RidgeArms(numArms, dim, 1.0, 64, RidgeArms.RefreshMethod.CHOLESKY, vector), 1.0);
      LinUcb onTwin = new LinUcb(new RidgeArms(numArms, dim, 1.0, 64, RidgeArms.RefreshMethod.CHOLESKY, twin), 1.0);
      SplittableRandom rng = new SplittableRandom(dim * 100L + numArms);
      double[][] theta = new double[numArms][dim];
      for (double[] row : theta) {
        for (int i = 0; i < dim; i++) {
          row[i] = rng.nextGaussian() / Math.sqrt(dim);
        }
      }
      double[] x = new double[dim];
      int switches = 0;
      int last = -1;
      for (int t = 0; t < 3_000; t++) {
        for (int i = 0; i < dim; i++) {
          x[i] = rng.nextGaussian() * (t % 7 == 0 ? 100 : 1);
        }
        int arm = onVector.decide(x);
        assertEquals(arm, onTwin.decide(x), "d=" + dim + " K=" + numArms + " t=" + t);
        switches += arm != last ? 1 : 0;
        last = arm;
        double reward = 0.1 * rng.nextGaussian();
        for (int i = 0; i < dim; i++) {
          reward += theta[arm][i] * x[i];
        }
        onVector.update(arm, x, reward);
        onTwin.update(arm, x, reward);
      }
      assertTrue(switches > 50, "the decisions vary: " + switches);
      double[] pV = onVector.arms().packedVInv();
      double[] pT = onTwin.arms().packedVInv();
      for (int i = 0; i < pV.length; i++) {
        assertBits(pV[i], pT[i], "V⁻¹ entry " + i + " d=" + dim);
      }
      double[] thV = onVector.arms().thetaHat();
      double[] thT = onTwin.arms().thetaHat();
      for (int i = 0; i < thV.length; i++) {
        assertBits(thV[i], thT[i], "θ̂ entry " + i + " d=" + dim);
      }
    }
  }
}
