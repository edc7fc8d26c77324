// The K forms of a decide (symQuadFormsPacked) on copies of JMH's DecisionState model whose packed
// data start at each 8-byte offset of a cache line (found with the bench's Unsafe-based Alignment, which
// is why this lives in its package). Run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   mkdir -p /tmp/ap && $J/javac -cp bench/target/benchmarks.jar -d /tmp/ap bench/probes/AlignProbe.java
//   $J/java --add-modules jdk.incubator.vector -Xmx1g -cp bench/target/benchmarks.jar:/tmp/ap dev.recourse.bench.decision.AlignProbe 20x10
// (best of 10 repetitions of System.nanoTime loops; see BENCHMARKS.md "LinUCB at the floor").
package dev.recourse.bench.decision;
import dev.recourse.core.simd.DoubleKernels;
public class AlignProbe {
  public static void main(String[] a) {
    DecisionState s = DecisionState.played(a[0], 0);
    DoubleKernels k = s.impl;
    double[] src = s.arms.packedVInv();
    int stride = s.arms.packedStride();
    int len = s.numArms * stride;
    double[] p = new double[len + 64];
    double[] work = new double[stride + 64];
    double[] out = new double[s.numArms];
    int pl = Alignment.lineOffset(p), wl = Alignment.lineOffset(work);
    System.out.println("p line offset " + pl + ", work " + wl);
    long sink = 0; final int ITER = s.dim > 50 ? 300 : 20000;
    double[][] works = new double[8][];
    java.util.List<double[]> keep = new java.util.ArrayList<>();
    for (int tries = 0; tries < 1000; tries++) { double[] w = new double[stride + (tries % 3)]; keep.add(w); int o = Alignment.lineOffset(w) / 8; if (works[o] == null) works[o] = w; }
    for (int round = 0; round < 2; round++) {
     for (int wsel = 0; wsel < 8; wsel += 8) {  wl = Alignment.lineOffset(work);
      for (int shiftBytes = 0; shiftBytes < 64; shiftBytes += 8) {
        int po = ((64 - pl + shiftBytes) & 63) / 8;   // p[po] at line offset shiftBytes
        System.arraycopy(src, 0, p, po, len);
        // work: aligned to 64 always
        int wo = ((64 - wl) & 63) / 8;
        double[] w2 = work;
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 10; rep++) {
          long t0 = System.nanoTime();
          for (int i = 0; i < ITER; i++) {
            double[] x = s.contexts[i & 1023];
            // work offset wo: symQuadFormsPacked writes work from 0, so pass a view: not possible; use pOff only
            k.symQuadFormsPacked(p, po, stride, s.dim, s.numArms, x, 0, w2, out, 0);
            sink += (long) out[3];
          }
          best = Math.min(best, System.nanoTime() - t0);
        }
        if (round == 1) System.out.printf("p data at line byte %2d: %.1f ns per 10 forms (work at %d)%n", shiftBytes, best / (double) ITER, wl);
      }}
    }
    System.out.println(sink);
  }
}
