package dev.recourse.core.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits in the interpreter as after C2 compiled them, so a Monte Carlo
 * study's numbers cannot depend on when the JIT kicked in (and hence on the thread count). A child
 * JVM with {@code -Xint} computes a digest of kernel results; this JVM computes it after warming the
 * kernels up; they must be equal.
 */
class TierDeterminismTest {

  /** Bits of kernel results on fixed inputs, folded into one long. */
  static long digest(DoubleKernels k) {
    SplittableRandom rng = new SplittableRandom(2026);
    long h = 17;
    for (int n : new int[] {8, 13, 16, 20, 31, 64}) {
      double[] a = new double[n * n + 3];
      double[] x = new double[9 * n + 1];
      for (int i = 0; i < a.length; i++) {
        a[i] = rng.nextDouble(-1, 1);
      }
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextDouble(-1, 1);
      }
      double[] y = new double[n];
      double[] q = new double[4];
      k.gemv(a, 3, n, n, x, 1, y, 0);
      k.quadForms(a, 3, n, x, 1, 4, q, 0);
      double[] sq = new double[3];
      int m = DoubleKernels.upperSize(n);
      k.symQuadFormsPacked(a, 0, m, n, 1, x, 1, new double[m], sq, 0);
      k.symQuadFormsPacked(a, 0, DoubleKernels.upperSize(n / 2), n / 2, 3, x, 1, new double[n * n], sq, 0);
      for (double v : sq) {
        h = h * 31 + Double.doubleToLongBits(v);
      }
      // LinUCB's update on the packed triangle: V⁻¹x from it, then the rank-one downdate of it.
      double[] packed = java.util.Arrays.copyOf(a, m);
      double[] w = new double[n];
      k.symPackedGemv(packed, 0, n, x, 1, w, 0);
      k.packedRankOneDowndate(packed, 0, n, 0.37, w, 0);
      double[] g = java.util.Arrays.copyOf(a, n * n);
      k.gramUpdate(g, 0, n, x, 0, 9);
      for (double v : w) {
        h = h * 31 + Double.doubleToLongBits(v);
      }
      for (int i = 0; i < m; i += 7) {
        h = h * 31 + Double.doubleToLongBits(packed[i]);
      }
      for (int i = 0; i < n * n; i += 5) {
        h = h * 31 + Double.doubleToLongBits(g[i]);
      }
      h = h * 31 + Double.doubleToLongBits(k.dot(a, 1, x, 1, n));
      h = h * 31 + Double.doubleToLongBits(k.quadForm(a, 3, n, x, 1));
      for (double v : y) {
        h = h * 31 + Double.doubleToLongBits(v);
      }
      for (double v : q) {
        h = h * 31 + Double.doubleToLongBits(v);
      }
    }
    return h;
  }

  /** Entry point of the interpreted child: prints the digest of the kernels the JVM selected. */
  public static void main(String[] args) {
    System.out.println(digest(Kernels.get()));
  }

  @Test
  void interpretedAndCompiledKernelsAgreeBitForBit() throws IOException, InterruptedException {
    DoubleKernels k = Kernels.get();
    long compiled = 0;
    for (int i = 0; i < 20_000; i++) { // enough calls for C2 to compile the kernels
      compiled = digest(k);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xint", "--add-modules", "jdk.incubator.vector",
        "-D" + KernelProvider.MODE_PROPERTY + "=" + System.getProperty(KernelProvider.MODE_PROPERTY, "auto"),
        "-cp", System.getProperty("java.class.path"), TierDeterminismTest.class.getName());
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor(60, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), "child JVM failed");
    assertEquals(Long.toString(compiled), out, "kernels " + k.name() + " differ between -Xint and C2");
  }
}
