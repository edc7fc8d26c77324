package dev.recourse.sim.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/**
 * The ordered kernels against the scalar reference (tolerance c·n·ε·Σ|aᵢbᵢ|), against an exact
 * Java emulation of their summation order (bit for bit), and the property they exist for: the same
 * bits before and after the JIT compiles them.
 */
class PanamaOrderedKernelsTest {

  private static final int[] SIZES = {1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 20, 31, 64, 257};

  private final PanamaOrderedKernels kernels = new PanamaOrderedKernels();
  private final DoubleKernels scalar = Kernels.scalar();

  @Test
  void studiesUseThemWhenTheVectorModuleIsPresent() {
    if (Kernels.get() != Kernels.scalar()) {
      assertTrue(StudyKernels.name().endsWith("-ordered"), StudyKernels.name());
    } else {
      assertEquals("scalar", StudyKernels.name());
    }
  }

  @Test
  void agreeWithScalarKernels() {
    Random rng = new Random(11);
    for (int n : SIZES) {
      double[] a = random(rng, n * n + 3);
      double[] x = random(rng, n + 2);
      double tol = 4 * n * Math.ulp(1.0);
      double dot = kernels.dot(a, 3, x, 2, n);
      assertEquals(scalar.dot(a, 3, x, 2, n), dot, tol * absDot(a, 3, x, 2, n), "dot n=" + n);
      double[] y = new double[n];
      double[] yRef = new double[n];
      kernels.gemv(a, 3, n, n, x, 2, y, 0);
      scalar.gemv(a, 3, n, n, x, 2, yRef, 0);
      for (int r = 0; r < n; r++) {
        assertEquals(yRef[r], y[r], tol * absDot(a, 3 + r * n, x, 2, n), "gemv n=" + n + " row " + r);
      }
      double q = kernels.quadForm(a, 3, n, x, 2);
      double absQ = 0;
      for (int r = 0; r < n; r++) {
        absQ += Math.abs(x[2 + r]) * absDot(a, 3 + r * n, x, 2, n);
      }
      assertEquals(scalar.quadForm(a, 3, n, x, 2), q, 2 * tol * absQ, "quadForm n=" + n);
      double[] xs = random(rng, 3 * n);
      double[] out = new double[3];
      kernels.quadForms(a, 3, n, xs, 0, 3, out, 0);
      for (int j = 0; j < 3; j++) {
        assertEquals(Double.doubleToLongBits(kernels.quadForm(a, 3, n, xs, j * n)), Double.doubleToLongBits(out[j]));
      }
    }
  }

  /**
   * dot in exactly the kernel's order: lane accumulators, the 1-2-4 butterfly, then the scalar tail;
   * every row of gemv (four-row blocks and the rest) must give the same bits as dot of that row.
   */
  @Test
  void dotFollowsTheDocumentedOrderBitForBit() {
    int lanes = Math.min(4, DoubleVector.SPECIES_PREFERRED.length());
    Random rng = new Random(5);
    for (int n : SIZES) {
      if (n < lanes) {
        continue;
      }
      for (int trial = 0; trial < 50; trial++) {
        double[] a = wild(rng, n);
        double[] b = wild(rng, n);
        double[] acc = new double[lanes];
        int bound = n - n % lanes;
        for (int i = 0; i < bound; i++) {
          acc[i % lanes] = Math.fma(a[i], b[i], acc[i % lanes]);
        }
        for (int h = 1; h < lanes; h *= 2) {
          double[] next = new double[lanes];
          for (int l = 0; l < lanes; l++) {
            next[l] = acc[l] + acc[l ^ h];
          }
          acc = next;
        }
        double s = acc[0];
        for (int i = bound; i < n; i++) {
          s = Math.fma(a[i], b[i], s);
        }
        assertEquals(Double.doubleToLongBits(s), Double.doubleToLongBits(kernels.dot(a, 0, b, 0, n)), "n=" + n);
        int rows = 7;
        double[] m = wild(rng, rows * n);
        double[] y = new double[rows + 1];
        kernels.gemv(m, 0, rows, n, b, 0, y, 1);
        for (int r = 0; r < rows; r++) {
          assertEquals(Double.doubleToLongBits(kernels.dot(m, r * n, b, 0, n)), Double.doubleToLongBits(y[1 + r]),
              "gemv n=" + n + " row " + r);
        }
      }
    }
  }

  /** Interpreted, C1 and C2 code must give the same bits (core's reduceLanes does not). */
  @Test
  void sameBitsBeforeAndAfterCompilation() {
    Random rng = new Random(8);
    double[] a = wild(rng, 20 * 20);
    double[] x = wild(rng, 20);
    long dot = Double.doubleToLongBits(kernels.dot(a, 0, x, 0, 20));
    long quad = Double.doubleToLongBits(kernels.quadForm(a, 0, 20, x, 0));
    double[] y0 = new double[20];
    double[] y = new double[20];
    kernels.gemv(a, 0, 20, 20, x, 0, y0, 0);
    for (int i = 0; i < 200_000; i++) {
      assertEquals(dot, Double.doubleToLongBits(kernels.dot(a, 0, x, 0, 20)), "call " + i);
      assertEquals(quad, Double.doubleToLongBits(kernels.quadForm(a, 0, 20, x, 0)), "call " + i);
      kernels.gemv(a, 0, 20, 20, x, 0, y, 0);
      assertEquals(Double.doubleToLongBits(y0[i % 20]), Double.doubleToLongBits(y[i % 20]), "call " + i);
    }
  }

  private static double[] random(Random rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }

  /** Values over many magnitudes, so a different summation order shows in the bits. */
  private static double[] wild(Random rng, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = rng.nextGaussian() * Math.exp(4 * rng.nextGaussian());
    }
    return v;
  }

  private static double absDot(double[] a, int aOff, double[] b, int bOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs(a[aOff + i] * b[bOff + i]);
    }
    return Math.max(s, Double.MIN_NORMAL);
  }
}
