package dev.recourse.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.reference.NaiveLinalg;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Vector kernels against their scalar twin and a naive reference, at every size from 1 to 130 (odd
 * sizes and tails included) and at non-zero offsets. The tolerance is {@code c·n·ε·Σ|terms|}: the bound
 * on the round-off of a sum of n products in any order, so it scales with the size of the terms.
 */
class KernelEquivalenceTest {

  private static final double EPS = Math.ulp(1.0);
  private static final int OFF_A = 3;
  private static final int OFF_B = 5;

  /** Panama with the cut-over disabled, so every size goes through the vector loops. */
  private static final DoubleKernels VECTOR = new PanamaKernels(1);
  private static final DoubleKernels SCALAR = ScalarKernels.INSTANCE;

  static IntStream sizes() {
    return IntStream.rangeClosed(1, 130);
  }

  private static double tol(int n, double sumAbsTerms) {
    return 4.0 * (n + 2) * EPS * sumAbsTerms + Double.MIN_NORMAL;
  }

  static double[] random(SplittableRandom rng, int len, boolean adversarial) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      double g = rng.nextDouble(-1, 1);
      // Adversarial: magnitudes spread over 12 decades with random signs, so cancellation is severe.
      v[i] = adversarial ? g * Math.pow(10, rng.nextInt(-6, 7)) : g;
    }
    return v;
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void dotAndAxpyMatchScalar(int n) {
    SplittableRandom rng = new SplittableRandom(1000 + n);
    for (boolean adversarial : new boolean[] {false, true}) {
      double[] a = random(rng, n + OFF_A + 2, adversarial);
      double[] b = random(rng, n + OFF_B + 1, adversarial);
      double sumAbs = 0;
      for (int i = 0; i < n; i++) {
        sumAbs += Math.abs(a[OFF_A + i] * b[OFF_B + i]);
      }
      double ref = NaiveLinalg.dot(a, OFF_A, b, OFF_B, n);
      assertEquals(ref, SCALAR.dot(a, OFF_A, b, OFF_B, n), tol(n, sumAbs), "scalar dot n=" + n);
      assertEquals(SCALAR.dot(a, OFF_A, b, OFF_B, n), VECTOR.dot(a, OFF_A, b, OFF_B, n), tol(n, sumAbs),
          "vector dot n=" + n);

      double alpha = rng.nextDouble(-2, 2);
      double[] ys = b.clone();
      double[] yv = b.clone();
      SCALAR.axpy(alpha, a, OFF_A, ys, OFF_B, n);
      VECTOR.axpy(alpha, a, OFF_A, yv, OFF_B, n);
      for (int i = 0; i < b.length; i++) {
        double scale = (i >= OFF_B && i < OFF_B + n) ? Math.abs(alpha * a[OFF_A + i - OFF_B]) + Math.abs(b[i]) : 0;
        assertEquals(ys[i], yv[i], 4 * EPS * scale, "axpy n=" + n + " i=" + i);
        if (scale == 0) {
          assertEquals(b[i], yv[i], 0.0, "axpy wrote outside its range at " + i);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void matrixKernelsMatchScalar(int n) {
    SplittableRandom rng = new SplittableRandom(7000 + n);
    int matOff = OFF_A;
    double[] a = random(rng, matOff + n * n + 2, false);
    double[] x = random(rng, OFF_B + n, false);

    double[] ys = new double[n + 1];
    double[] yv = new double[n + 1];
    SCALAR.gemv(a, matOff, n, n, x, OFF_B, ys, 1);
    VECTOR.gemv(a, matOff, n, n, x, OFF_B, yv, 1);
    double quadAbs = 0;
    for (int r = 0; r < n; r++) {
      double rowAbs = 0;
      for (int c = 0; c < n; c++) {
        rowAbs += Math.abs(a[matOff + r * n + c] * x[OFF_B + c]);
        quadAbs += Math.abs(x[OFF_B + r] * a[matOff + r * n + c] * x[OFF_B + c]);
      }
      assertEquals(ys[1 + r], yv[1 + r], tol(n, rowAbs), "gemv n=" + n + " row " + r);
    }
    assertEquals(0.0, yv[0], 0.0, "gemv wrote before its offset");

    double qs = SCALAR.quadForm(a, matOff, n, x, OFF_B);
    double qv = VECTOR.quadForm(a, matOff, n, x, OFF_B);
    double qRef = NaiveLinalg.dot(x, OFF_B, multiplyBlock(a, matOff, n, x, OFF_B), 0, n);
    assertEquals(qRef, qs, tol(2 * n, quadAbs), "scalar quadForm n=" + n);
    assertEquals(qs, qv, tol(2 * n, quadAbs), "vector quadForm n=" + n);

    double c = rng.nextDouble(0.1, 2);
    double[] as = a.clone();
    double[] av = a.clone();
    SCALAR.symRankOneDowndate(as, matOff, n, c, x, OFF_B);
    VECTOR.symRankOneDowndate(av, matOff, n, c, x, OFF_B);
    for (int r = 0; r < n; r++) {
      for (int col = 0; col < n; col++) {
        int i = matOff + r * n + col;
        double expected = a[i] - c * x[OFF_B + r] * x[OFF_B + col];
        double scale = Math.abs(a[i]) + Math.abs(c * x[OFF_B + r] * x[OFF_B + col]);
        assertEquals(expected, as[i], 4 * EPS * scale, "scalar downdate n=" + n);
        assertEquals(as[i], av[i], 4 * EPS * scale, "vector downdate n=" + n);
      }
    }
    assertEquals(a[0], av[0], 0.0);
    assertEquals(a[a.length - 1], av[av.length - 1], 0.0, "downdate wrote past its block");
  }

  /** Packed symmetric forms against the full form, at strides with and without whole vector passes. */
  @ParameterizedTest
  @MethodSource("sizes")
  void packedQuadFormsMatchTheFullForm(int n) {
    SplittableRandom rng = new SplittableRandom(11_000 + n);
    int m = DoubleKernels.upperSize(n);
    for (int stride : new int[] {m, (m + 15) & -16}) {
      for (int count : new int[] {1, 2, 5}) {
        for (boolean adversarial : new boolean[] {false, true}) {
          double[] p = new double[OFF_A + count * stride + 1];
          double[] full = new double[count * n * n];
          for (int k = 0; k < count; k++) {
            for (int i = 0; i < n; i++) {
              int first = i & -DoubleKernels.UPPER_CHUNK;
              for (int j = first; j < i; j++) { // left of the diagonal: any finite value
                p[OFF_A + k * stride + DoubleKernels.upperRowOffset(n, i) + j - first] = 1e6 * rng.nextDouble(-1, 1);
              }
              for (int j = i; j < n; j++) {
                double g = rng.nextDouble(-1, 1) * (adversarial ? Math.pow(10, rng.nextInt(-6, 7)) : 1);
                full[k * n * n + i * n + j] = g;
                full[k * n * n + j * n + i] = g;
                p[OFF_A + k * stride + DoubleKernels.upperRowOffset(n, i) + j - first] = g;
              }
            }
          }
          double[] x = random(rng, OFF_B + n, adversarial);
          double[] work = new double[stride];
          double[] outS = new double[count + 2];
          double[] outV = new double[count + 2];
          SCALAR.symQuadFormsPacked(p, OFF_A, stride, n, count, x, OFF_B, work, outS, 1);
          VECTOR.symQuadFormsPacked(p, OFF_A, stride, n, count, x, OFF_B, work, outV, 1);
          assertEquals(0.0, outV[0], 0.0, "wrote before outOff");
          assertEquals(0.0, outV[count + 1], 0.0, "wrote past count");
          for (int t = m; t < stride; t++) {
            assertEquals(0.0, work[t], 0.0, "work written past the layout");
          }
          double[] workS = new double[stride];
          ScalarKernels.formUpperOuter(x, OFF_B, n, workS);
          for (int t = 0; t < stride; t++) {
            assertEquals(workS[t], work[t], 0.0, "outer product entry " + t + " n=" + n);
          }
          for (int k = 0; k < count; k++) {
            double abs = 0;
            for (int i = 0; i < n; i++) {
              for (int j = 0; j < n; j++) {
                abs += Math.abs(x[OFF_B + i] * full[k * n * n + i * n + j] * x[OFF_B + j]);
              }
            }
            double ref = SCALAR.quadForm(full, k * n * n, n, x, OFF_B);
            assertEquals(ref, outS[1 + k], tol(2 * n, abs), "scalar packed n=" + n + " k=" + k);
            assertEquals(ref, outV[1 + k], tol(2 * n, abs), "vector packed n=" + n + " k=" + k);
          }
        }
      }
    }
  }

  /** Equal matrices give bit-identical forms wherever they sit: ties between arms stay exact. */
  @ParameterizedTest
  @MethodSource("sizes")
  void equalMatricesGiveEqualFormsAtEveryPosition(int n) {
    SplittableRandom rng = new SplittableRandom(19_000 + n);
    int stride = (DoubleKernels.upperSize(n) + 15) & -16;
    double[] one = random(rng, stride, false);
    for (int t = DoubleKernels.upperSize(n); t < stride; t++) {
      one[t] = 0.0;
    }
    double[] x = random(rng, n, false);
    for (DoubleKernels k : new DoubleKernels[] {SCALAR, VECTOR}) {
      for (int count = 1; count <= 19; count++) { // every tail after groups of eight and four
        double[] p = new double[count * stride];
        for (int j = 0; j < count; j++) {
          System.arraycopy(one, 0, p, j * stride, stride);
        }
        double[] out = new double[count];
        k.symQuadFormsPacked(p, 0, stride, n, count, x, 0, new double[stride], out, 0);
        for (int j = 1; j < count; j++) {
          assertEquals(Double.doubleToLongBits(out[0]), Double.doubleToLongBits(out[j]),
              k.name() + " n=" + n + " count=" + count + ": form " + j + " differs from form 0");
        }
      }
    }
  }

  /**
   * The forms of chosen matrices, in any order and any number, are bit for bit what
   * {@code symQuadFormsPacked} gives those matrices when it scores them all (a pruned decision scores
   * its arms exactly as the full one).
   */
  @ParameterizedTest
  @MethodSource("sizes")
  void formsOfChosenMatricesEqualTheFormsOfAll(int n) {
    SplittableRandom rng = new SplittableRandom(23_000 + n);
    int m = DoubleKernels.upperSize(n);
    int count = 11;
    for (int stride : new int[] {m, (m + 15) & -16}) {
      double[] p = random(rng, OFF_A + count * stride, false);
      for (int k = 0; k < count; k++) {
        for (int t = m; t < stride; t++) {
          p[OFF_A + k * stride + t] = 0.0;
        }
      }
      double[] x = random(rng, OFF_B + n, false);
      for (DoubleKernels k : new DoubleKernels[] {SCALAR, VECTOR}) {
        double[] all = new double[count];
        k.symQuadFormsPacked(p, OFF_A, stride, n, count, x, OFF_B, new double[stride], all, 0);
        for (int chosen = 1; chosen <= 7; chosen++) {
          int[] which = new int[chosen + 1];
          for (int j = 0; j < chosen; j++) {
            which[j] = rng.nextInt(count);
          }
          which[chosen] = -1; // past count: never read
          double[] out = new double[chosen + 1];
          out[chosen] = 42.0;
          double[] work = new double[stride];
          k.upperOuter(x, OFF_B, n, work);
          k.symQuadFormsPackedAt(p, OFF_A, stride, n, which, chosen, work, out);
          for (int j = 0; j < chosen; j++) {
            assertEquals(Double.doubleToLongBits(all[which[j]]), Double.doubleToLongBits(out[j]),
                k.name() + " n=" + n + " stride=" + stride + ": matrix " + which[j] + " at position " + j);
          }
          assertEquals(42.0, out[chosen], 0.0, "wrote past count");
        }
      }
    }
  }

  /** The downdate equals {@link DoubleKernels#symRankOneDowndate} bit for bit; the copy is A's new rows. */
  @ParameterizedTest
  @MethodSource("sizes")
  void downdateCopyEqualsTheDowndate(int n) {
    SplittableRandom rng = new SplittableRandom(13_000 + n);
    double[] a = random(rng, OFF_A + n * n + 2, false);
    double[] u = random(rng, OFF_B + n, false);
    double c = rng.nextDouble(0.1, 2);
    double[] aRef = a.clone();
    SCALAR.symRankOneDowndate(aRef, OFF_A, n, c, u, OFF_B);
    int m = DoubleKernels.upperSize(n);
    for (DoubleKernels k : new DoubleKernels[] {SCALAR, VECTOR}) {
      for (boolean withPacked : new boolean[] {false, true}) {
        double[] ak = a.clone();
        double[] packed = withPacked ? new double[m + 4] : null;
        if (withPacked) {
          packed[0] = -7;
          packed[m + 3] = -9;
        }
        k.rankOneDowndateCopy(ak, OFF_A, n, c, u, OFF_B, packed, 3);
        for (int i = 0; i < ak.length; i++) {
          assertEquals(aRef[i], ak[i], 0.0, k.name() + " A n=" + n + " at " + i);
        }
        for (int r = 0; withPacked && r < n; r++) {
          int first = r & -DoubleKernels.UPPER_CHUNK;
          for (int col = first; col < n; col++) {
            assertEquals(aRef[OFF_A + r * n + col], packed[3 + DoubleKernels.upperRowOffset(n, r) + col - first],
                0.0, k.name() + " packed n=" + n + " at " + r + "," + col);
          }
        }
        if (withPacked) {
          assertEquals(-7, packed[0], 0.0, "wrote before the packed triangle");
          assertEquals(-9, packed[m + 3], 0.0, "wrote past the packed triangle");
        }
      }
    }
  }

  /**
   * {@code A·x} from the packed upper triangle equals the full product of the symmetric matrix within
   * the round-off bound, the vector kernel equals the scalar twin bit for bit, and neither reads the
   * entries left of a row's diagonal (filled with NaN here) nor writes outside {@code y}.
   */
  @ParameterizedTest
  @MethodSource("sizes")
  void packedGemvMatchesTheFullGemv(int n) {
    SplittableRandom rng = new SplittableRandom(19_000 + n);
    for (boolean adversarial : new boolean[] {false, true}) {
      double[] full = new double[n * n];
      int m = DoubleKernels.upperSize(n);
      double[] packed = new double[OFF_A + m + 4];
      java.util.Arrays.fill(packed, Double.NaN);
      for (int i = 0; i < n; i++) {
        int first = i & -DoubleKernels.UPPER_CHUNK;
        int row = OFF_A + DoubleKernels.upperRowOffset(n, i) - first;
        int end = (n + 3) & -4;
        for (int j = i; j < end; j++) {
          double v = j < n ? random(rng, 1, adversarial)[0] : 0.0;
          packed[row + j] = v;
          if (j < n) {
            full[i * n + j] = v;
            full[j * n + i] = v;
          }
        }
      }
      double[] x = random(rng, OFF_B + n, adversarial);
      double[] yS = new double[n + 2];
      double[] yV = new double[n + 2];
      yS[n + 1] = yV[n + 1] = -3;
      SCALAR.symPackedGemv(packed, OFF_A, n, x, OFF_B, yS, 1);
      VECTOR.symPackedGemv(packed, OFF_A, n, x, OFF_B, yV, 1);
      for (int i = 0; i < n; i++) {
        double ref = 0;
        double sumAbs = 0;
        for (int j = 0; j < n; j++) {
          ref += full[i * n + j] * x[OFF_B + j];
          sumAbs += Math.abs(full[i * n + j] * x[OFF_B + j]);
        }
        assertEquals(ref, yS[1 + i], tol(n, sumAbs), "scalar packed gemv n=" + n + " row " + i);
        assertEquals(yS[1 + i], yV[1 + i], 0.0, "vector packed gemv n=" + n + " row " + i);
      }
      assertEquals(-3, yV[n + 1], 0.0, "wrote past y");
      assertEquals(0, yV[0], 0.0, "wrote before y");
    }
  }

  /**
   * The packed downdate gives every stored entry exactly the full downdate's value (the first chunk's
   * entries left of the diagonal included), scalar and vector alike, and leaves the padding alone.
   */
  @ParameterizedTest
  @MethodSource("sizes")
  void packedDowndateEqualsTheFullDowndate(int n) {
    SplittableRandom rng = new SplittableRandom(23_000 + n);
    double[] a = random(rng, n * n, false);
    double[] u = random(rng, OFF_B + n, false);
    double c = rng.nextDouble(0.1, 2);
    double[] aRef = a.clone();
    SCALAR.symRankOneDowndate(aRef, 0, n, c, u, OFF_B);
    int m = DoubleKernels.upperSize(n);
    for (DoubleKernels k : new DoubleKernels[] {SCALAR, VECTOR}) {
      double[] packed = new double[OFF_A + m + 2];
      java.util.Arrays.fill(packed, -5);
      for (int r = 0; r < n; r++) {
        int first = r & -DoubleKernels.UPPER_CHUNK;
        System.arraycopy(a, r * n + first, packed, OFF_A + DoubleKernels.upperRowOffset(n, r), n - first);
      }
      k.packedRankOneDowndate(packed, OFF_A, n, c, u, OFF_B);
      boolean[] stored = new boolean[packed.length];
      for (int r = 0; r < n; r++) {
        int first = r & -DoubleKernels.UPPER_CHUNK;
        for (int col = first; col < n; col++) {
          int at = OFF_A + DoubleKernels.upperRowOffset(n, r) + col - first;
          stored[at] = true;
          assertEquals(aRef[r * n + col], packed[at], 0.0, k.name() + " n=" + n + " at " + r + "," + col);
        }
      }
      for (int i = 0; i < packed.length; i++) {
        if (!stored[i]) {
          assertEquals(-5, packed[i], 0.0, k.name() + " n=" + n + " wrote padding or outside at " + i);
        }
      }
    }
  }

  /** A batch of rank-one terms equals the terms one after the other, bit for bit, on the upper triangle. */
  @ParameterizedTest
  @MethodSource("sizes")
  void gramUpdateEqualsSequentialRankOneUpdates(int n) {
    SplittableRandom rng = new SplittableRandom(17_000 + n);
    for (int count : new int[] {1, 3, 4, 8, 13, 32}) {
      double[] g = random(rng, OFF_A + n * n + 2, false);
      double[] xs = random(rng, OFF_B + count * n + 1, false);
      double[] gRef = g.clone();
      for (int k = 0; k < count; k++) {
        SCALAR.symRankOneDowndate(gRef, OFF_A, n, -1.0, xs, OFF_B + k * n);
      }
      for (DoubleKernels k : new DoubleKernels[] {SCALAR, VECTOR}) {
        double[] gk = g.clone();
        k.gramUpdate(gk, OFF_A, n, xs, OFF_B, count);
        for (int r = 0; r < n; r++) {
          for (int col = r; col < n; col++) {
            int i = OFF_A + r * n + col;
            assertEquals(gRef[i], gk[i], 0.0, k.name() + " G n=" + n + " count=" + count + " at " + r + "," + col);
          }
        }
        assertEquals(g[0], gk[0], 0.0);
        assertEquals(g[g.length - 1], gk[g.length - 1], 0.0, "wrote past the block");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void blockedQuadFormsMatchOneByOne(int n) {
    SplittableRandom rng = new SplittableRandom(9000 + n);
    double[] a = random(rng, n * n + 1, false);
    int count = 7; // one block of four, then a remainder of three
    double[] xs = random(rng, 2 + count * n, false);
    double[] outS = new double[count + 1];
    double[] outV = new double[count + 1];
    SCALAR.quadForms(a, 1, n, xs, 2, count, outS, 1);
    VECTOR.quadForms(a, 1, n, xs, 2, count, outV, 1);
    for (int j = 0; j < count; j++) {
      double single = SCALAR.quadForm(a, 1, n, xs, 2 + j * n);
      double tolerance = tol(2 * n, n * n * 1.0);
      assertEquals(single, outS[1 + j], tolerance, "scalar quadForms n=" + n + " j=" + j);
      assertEquals(single, outV[1 + j], tolerance, "vector quadForms n=" + n + " j=" + j);
    }
  }

  @Test
  void handComputedCase() {
    // A = [[2, 1], [1, 3]], x = [1, -2]: Ax = [0, -5], xᵀAx = 10.
    double[] a = {99, 2, 1, 1, 3};
    double[] x = {1, -2};
    for (DoubleKernels k : new DoubleKernels[] {SCALAR, VECTOR}) {
      double[] y = new double[2];
      k.gemv(a, 1, 2, 2, x, 0, y, 0);
      assertEquals(0.0, y[0], 0.0, k.name());
      assertEquals(-5.0, y[1], 0.0, k.name());
      assertEquals(10.0, k.quadForm(a, 1, 2, x, 0), 0.0, k.name());
      assertEquals(-3.0, k.dot(x, 0, new double[] {1, 2}, 0, 2), 0.0, k.name());
      double[] m = a.clone();
      k.symRankOneDowndate(m, 1, 2, 0.5, x, 0); // A − ½ x xᵀ = [[1.5, 2], [2, 1]]
      assertEquals(1.5, m[1], 0.0);
      assertEquals(2.0, m[2], 0.0);
      assertEquals(2.0, m[3], 0.0);
      assertEquals(1.0, m[4], 0.0);
    }
  }

  @Test
  void activeImplementationIsTheOneAskedFor() {
    String mode = System.getProperty(KernelProvider.MODE_PROPERTY, "auto");
    String active = Kernels.name();
    if (mode.equals("scalar")) {
      assertEquals("scalar", active);
    } else if (mode.equals("panama") || "panama".equals(System.getProperty(KernelProvider.REQUIRE_PROPERTY))) {
      assertTrue(active.startsWith("panama-"), "Panama kernels were required but " + active + " is active");
    }
  }

  private static double[] multiplyBlock(double[] a, int off, int n, double[] x, int xOff) {
    double[] y = new double[n];
    for (int r = 0; r < n; r++) {
      y[r] = NaiveLinalg.dot(a, off + r * n, x, xOff, n);
    }
    return y;
  }
}
