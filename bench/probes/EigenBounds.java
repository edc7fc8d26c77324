// On JMH's DecisionState model (after N more played rounds): how many arms a pruned LinUCB decide must
// score when the bounds are compared with the winner's score (the least any order of scoring can do),
// for Gershgorin's bound (the engine's) and for certified bounds from the exact eigen-decomposition of
// V⁻¹ keeping r components (r = 0: the exact λ_max). A diagnostic for BENCHMARKS.md "Session 9"; run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac -cp bench/target/benchmarks.jar -d /tmp/eb bench/probes/EigenBounds.java
//   $J/java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar:/tmp/eb EigenBounds 20x10 0
import dev.recourse.bench.decision.DecisionState;
public class EigenBounds {
  // Jacobi eigen of symmetric a (d×d, row-major); returns eigenvalues in w, eigenvectors in columns of v.
  static void jacobi(double[] a0, int d, double[] w, double[] v) {
    double[] a = a0.clone();
    for (int i = 0; i < d*d; i++) v[i] = 0; for (int i = 0; i < d; i++) v[i*d+i] = 1;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0; for (int i = 0; i < d; i++) for (int j = i+1; j < d; j++) off += a[i*d+j]*a[i*d+j];
      if (off < 1e-40) break;
      for (int p = 0; p < d; p++) for (int q = p+1; q < d; q++) {
        double apq = a[p*d+q]; if (Math.abs(apq) < 1e-300) continue;
        double theta = (a[q*d+q]-a[p*d+p])/(2*apq);
        double t = Math.signum(theta)/(Math.abs(theta)+Math.sqrt(theta*theta+1)); if (theta==0) t=1;
        double c = 1/Math.sqrt(t*t+1), s = t*c;
        for (int k = 0; k < d; k++) { double akp=a[k*d+p], akq=a[k*d+q]; a[k*d+p]=c*akp-s*akq; a[k*d+q]=s*akp+c*akq; }
        for (int k = 0; k < d; k++) { double apk=a[p*d+k], aqk=a[q*d+k]; a[p*d+k]=c*apk-s*aqk; a[q*d+k]=s*apk+c*aqk; }
        for (int k = 0; k < d; k++) { double vkp=v[k*d+p], vkq=v[k*d+q]; v[k*d+p]=c*vkp-s*vkq; v[k*d+q]=s*vkp+c*vkq; }
      }
    }
    for (int i = 0; i < d; i++) w[i] = a[i*d+i];
  }
  public static void main(String[] a) {
    DecisionState s = DecisionState.played(a[0], Integer.parseInt(a[1]));
    dev.recourse.core.model.RidgeArms m = s.arms;
    int d = s.dim, K = s.numArms;
    double[] vinv = m.vInv();
    double[][] ev = new double[K][d], vec = new double[K][d*d]; int[][] order = new int[K][d];
    for (int k = 0; k < K; k++) {
      double[] blk = java.util.Arrays.copyOfRange(vinv, k*d*d, (k+1)*d*d);
      jacobi(blk, d, ev[k], vec[k]);
      Integer[] o = new Integer[d]; for (int i = 0; i < d; i++) o[i] = i; final double[] e = ev[k];
      java.util.Arrays.sort(o, (p,q) -> Double.compare(e[q], e[p]));
      for (int i = 0; i < d; i++) order[k][i] = o[i];
      System.out.printf("arm %d count %d eig %s%n", k, m.count(k), java.util.Arrays.toString(java.util.Arrays.stream(o).mapToDouble(i->Math.round(e[i]*1e4)/1e4).toArray()));
    }
    for (int r = 0; r <= 6; r++) {
      // choose per arm window: top t and bottom r-t in S minimizing sum over complement (max - mu)
      int[] top = new int[K];
      for (int k = 0; k < K; k++) { double bestSl = 1e300; for (int t = 0; t <= r; t++) { double mx = ev[k][order[k][t]]; double sl = 0; for (int i = t; i < d-(r-t); i++) sl += mx - ev[k][order[k][i]]; if (sl < bestSl) { bestSl = sl; top[k] = t; } } }
      int[] hist = new int[K+1]; long tot = 0;
      for (int c = 0; c < 1024; c++) {
        double[] x = s.contexts[c]; double xx = 0; for (double v : x) xx += v*v;
        double best = -1e300; double[] b = new double[K];
        for (int k = 0; k < K; k++) {
          double mean = m.mean(k, x, 0); double q = 0;
          for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) q += x[i]*vinv[k*d*d+i*d+j]*x[j];
          best = Math.max(best, mean + Math.sqrt(q));
          int t = top[k]; double rest = ev[k][order[k][t]]; double proj = 0, bsum = 0;
          for (int ii = 0; ii < d; ii++) { if (ii >= t && ii < d-(r-t)) continue; int col = order[k][ii]; double cc = 0; for (int j = 0; j < d; j++) cc += vec[k][j*d+col]*x[j]; proj += cc*cc; bsum += ev[k][col]*cc*cc; }
          double bound = bsum + rest*Math.max(0, xx-proj);
          b[k] = mean + Math.sqrt(bound*(1+1e-9));
        }
        int open = 0; for (int k = 0; k < K; k++) if (b[k] >= best) open++;
        hist[open]++; tot += open;
      }
      System.out.printf("r=%d forms/decision %.2f hist %s%n", r, tot/1024.0, java.util.Arrays.toString(hist));
    }
    // gershgorin under same rule
    int[] hist = new int[K+1]; long tot = 0;
    for (int c = 0; c < 1024; c++) { double[] x = s.contexts[c]; double xx = 0; for (double v : x) xx += v*v; double best = -1e300; double[] b = new double[K];
      for (int k = 0; k < K; k++) { double mean = m.mean(k, x, 0); double q = 0; for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) q += x[i]*vinv[k*d*d+i*d+j]*x[j]; best = Math.max(best, mean+Math.sqrt(q)); b[k] = mean + Math.sqrt(m.vInvSpectralBound(k)*xx); }
      int open = 0; for (int k = 0; k < K; k++) if (b[k] >= best) open++; hist[open]++; tot += open; }
    System.out.printf("gersh forms/decision %.2f hist %s%n", tot/1024.0, java.util.Arrays.toString(hist));
  }
}
