// Would one stream beat eight at 100×50? The decide's forms over 48 triangles of d = 100 (5,200 doubles
// each, 2 MB: L3) eight at a time, as stored (eight regions 41.6 KB apart) against the same arithmetic on
// a layout that interleaves each group of eight arms line by line (one sequential stream). Plain timing
// in one JVM (a probe, not a benchmark); BENCHMARKS.md "Session 9". Run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac --add-modules jdk.incubator.vector -d /tmp/il bench/probes/Interleave.java
//   $J/java --add-modules jdk.incubator.vector -Xms1g -Xmx1g -cp /tmp/il Interleave
import jdk.incubator.vector.*;
public class Interleave {
  static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
  static final int M = 5200, K = 48;
  static double passA(double[] p, double[] w, double[] out) {
    for (int g = 0; g < K; g += 8) {
      DoubleVector z = DoubleVector.zero(S);
      DoubleVector a0=z,a1=z,b0=z,b1=z,c0=z,c1=z,d0=z,d1=z,e0=z,e1=z,f0=z,f1=z,h0=z,h1=z,i0=z,i1=z;
      int p0=g*M,p1=p0+M,p2=p1+M,p3=p2+M,p4=p3+M,p5=p4+M,p6=p5+M,p7=p6+M;
      for (int t = 0; t < M; t += 8) {
        DoubleVector w0 = DoubleVector.fromArray(S, w, t), w1 = DoubleVector.fromArray(S, w, t + 4);
        a0 = DoubleVector.fromArray(S, p, p0+t).fma(w0, a0); b0 = DoubleVector.fromArray(S, p, p1+t).fma(w0, b0);
        c0 = DoubleVector.fromArray(S, p, p2+t).fma(w0, c0); d0 = DoubleVector.fromArray(S, p, p3+t).fma(w0, d0);
        e0 = DoubleVector.fromArray(S, p, p4+t).fma(w0, e0); f0 = DoubleVector.fromArray(S, p, p5+t).fma(w0, f0);
        h0 = DoubleVector.fromArray(S, p, p6+t).fma(w0, h0); i0 = DoubleVector.fromArray(S, p, p7+t).fma(w0, i0);
        a1 = DoubleVector.fromArray(S, p, p0+t+4).fma(w1, a1); b1 = DoubleVector.fromArray(S, p, p1+t+4).fma(w1, b1);
        c1 = DoubleVector.fromArray(S, p, p2+t+4).fma(w1, c1); d1 = DoubleVector.fromArray(S, p, p3+t+4).fma(w1, d1);
        e1 = DoubleVector.fromArray(S, p, p4+t+4).fma(w1, e1); f1 = DoubleVector.fromArray(S, p, p5+t+4).fma(w1, f1);
        h1 = DoubleVector.fromArray(S, p, p6+t+4).fma(w1, h1); i1 = DoubleVector.fromArray(S, p, p7+t+4).fma(w1, i1);
      }
      out[g]=a0.add(a1).reduceLanes(VectorOperators.ADD); out[g+1]=b0.add(b1).reduceLanes(VectorOperators.ADD);
      out[g+2]=c0.add(c1).reduceLanes(VectorOperators.ADD); out[g+3]=d0.add(d1).reduceLanes(VectorOperators.ADD);
      out[g+4]=e0.add(e1).reduceLanes(VectorOperators.ADD); out[g+5]=f0.add(f1).reduceLanes(VectorOperators.ADD);
      out[g+6]=h0.add(h1).reduceLanes(VectorOperators.ADD); out[g+7]=i0.add(i1).reduceLanes(VectorOperators.ADD);
    }
    return out[0];
  }
  // group of 8 arms interleaved per 8 doubles (one cache line): arm j's doubles [t, t+8) at base + t*8 + j*8
  static double passB(double[] p, double[] w, double[] out) {
    for (int g = 0; g < K; g += 8) {
      DoubleVector z = DoubleVector.zero(S);
      DoubleVector a0=z,a1=z,b0=z,b1=z,c0=z,c1=z,d0=z,d1=z,e0=z,e1=z,f0=z,f1=z,h0=z,h1=z,i0=z,i1=z;
      int base = g * M;
      for (int t = 0; t < M; t += 8) {
        DoubleVector w0 = DoubleVector.fromArray(S, w, t), w1 = DoubleVector.fromArray(S, w, t + 4);
        int q = base + t * 8;
        a0 = DoubleVector.fromArray(S, p, q).fma(w0, a0); a1 = DoubleVector.fromArray(S, p, q+4).fma(w1, a1);
        b0 = DoubleVector.fromArray(S, p, q+8).fma(w0, b0); b1 = DoubleVector.fromArray(S, p, q+12).fma(w1, b1);
        c0 = DoubleVector.fromArray(S, p, q+16).fma(w0, c0); c1 = DoubleVector.fromArray(S, p, q+20).fma(w1, c1);
        d0 = DoubleVector.fromArray(S, p, q+24).fma(w0, d0); d1 = DoubleVector.fromArray(S, p, q+28).fma(w1, d1);
        e0 = DoubleVector.fromArray(S, p, q+32).fma(w0, e0); e1 = DoubleVector.fromArray(S, p, q+36).fma(w1, e1);
        f0 = DoubleVector.fromArray(S, p, q+40).fma(w0, f0); f1 = DoubleVector.fromArray(S, p, q+44).fma(w1, f1);
        h0 = DoubleVector.fromArray(S, p, q+48).fma(w0, h0); h1 = DoubleVector.fromArray(S, p, q+52).fma(w1, h1);
        i0 = DoubleVector.fromArray(S, p, q+56).fma(w0, i0); i1 = DoubleVector.fromArray(S, p, q+60).fma(w1, i1);
      }
      out[g]=a0.add(a1).reduceLanes(VectorOperators.ADD); out[g+1]=b0.add(b1).reduceLanes(VectorOperators.ADD);
      out[g+2]=c0.add(c1).reduceLanes(VectorOperators.ADD); out[g+3]=d0.add(d1).reduceLanes(VectorOperators.ADD);
      out[g+4]=e0.add(e1).reduceLanes(VectorOperators.ADD); out[g+5]=f0.add(f1).reduceLanes(VectorOperators.ADD);
      out[g+6]=h0.add(h1).reduceLanes(VectorOperators.ADD); out[g+7]=i0.add(i1).reduceLanes(VectorOperators.ADD);
    }
    return out[0];
  }
  public static void main(String[] a) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(1);
    double[] pA = new double[K * M], pB = new double[K * M], w = new double[M], outA = new double[K], outB = new double[K];
    for (int i = 0; i < pA.length; i++) pA[i] = r.nextDouble();
    for (int i = 0; i < M; i++) w[i] = r.nextDouble();
    for (int g = 0; g < K; g += 8) for (int j = 0; j < 8; j++) for (int t = 0; t < M; t += 8) for (int l = 0; l < 8; l++) pB[g*M + t*8 + j*8 + l] = pA[(g+j)*M + t + l];
    passA(pA, w, outA); passB(pB, w, outB);
    for (int k = 0; k < K; k++) if (Math.abs(outA[k]-outB[k]) > 1e-9*Math.abs(outA[k])) throw new AssertionError(k + " " + outA[k] + " " + outB[k]);
    double sink = 0;
    for (int round = 0; round < 12; round++) {
      int reps = 3000;
      long t0 = System.nanoTime(); for (int i = 0; i < reps; i++) sink += passA(pA, w, outA); long t1 = System.nanoTime();
      for (int i = 0; i < reps; i++) sink += passB(pB, w, outB); long t2 = System.nanoTime();
      System.out.printf("round %d: contiguous %.0f ns/pass, interleaved %.0f ns/pass%n", round, (t1-t0)/(double)reps, (t2-t1)/(double)reps);
    }
    System.out.println(sink > 0);
  }
}
