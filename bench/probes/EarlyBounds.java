// Per arm of JMH's DecisionState (after N more played rounds): λ_max(V⁻¹) by power iteration against
// Gershgorin's bound, the Collatz–Wielandt bound ρ(|V⁻¹|) and Gershgorin's bound of D^-1/2 V⁻¹ D^-1/2 times
// xᵀDx (D = diag V⁻¹), and how many arms each bound leaves open
// over the ring's contexts (histogram by count). Run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac -cp bench/target/benchmarks.jar -d /tmp/eb bench/probes/EarlyBounds.java
//   $J/java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar:/tmp/eb EarlyBounds 20x10 0
// (a diagnostic; see BENCHMARKS.md "LinUCB at the floor").
import dev.recourse.bench.decision.DecisionState;
public class EarlyBounds {
  public static void main(String[] a) {
    DecisionState s = DecisionState.played(a[0], Integer.parseInt(a[1]));
    dev.recourse.core.model.RidgeArms m = s.arms;
    int d = s.dim, K = s.numArms;
    double[] vinv = m.vInv();
    double[] lmax = new double[K], gers = new double[K], frob = new double[K];
    for (int k = 0; k < K; k++) {
      double[] v = new double[d]; java.util.Arrays.fill(v, 1.0); double lam = 0;
      for (int it = 0; it < 500; it++) { double[] w = new double[d]; for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) w[i] += vinv[k*d*d+i*d+j]*v[j]; double n = 0; for (double t : w) n += t*t; n = Math.sqrt(n); for (int i = 0; i < d; i++) v[i] = w[i]/n; lam = n; }
      lmax[k] = lam; gers[k] = m.vInvSpectralBound(k);
      { double[] u = new double[d]; java.util.Arrays.fill(u, 1.0); double rho = 0;
        for (int it = 0; it < 300; it++) { double[] w = new double[d]; for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) w[i] += Math.abs(vinv[k*d*d+i*d+j])*u[j]; double mx = 0; for (int i = 0; i < d; i++) mx = Math.max(mx, w[i]/u[i]); double n = 0; for (double t : w) n = Math.max(n, t); for (int i = 0; i < d; i++) u[i] = w[i]/n; rho = mx; }
        frob[k] = rho; }
      double f = 0; for (int i = 0; i < d*d; i++) f += vinv[k*d*d+i]*vinv[k*d*d+i]; frob[k] = Math.sqrt(f);
      System.out.printf("arm %d count %d lmax %.4f gersh %.4f cw %.4f%n", k, m.count(k), lmax[k], gers[k], frob[k]);
    }
    double[] gs = new double[K];
    for (int k = 0; k < K; k++) { double mx = 0; for (int i = 0; i < d; i++) { double r = 0; for (int j = 0; j < d; j++) r += Math.abs(vinv[k*d*d+i*d+j]) / Math.sqrt(vinv[k*d*d+i*d+i]*vinv[k*d*d+j*d+j]); mx = Math.max(mx, r); } gs[k] = mx; }
    { int[] openHist = new int[K + 1];
      for (int c = 0; c < 1024; c++) {
        double[] x = s.contexts[c];
        double floor = -1e300; double[] means = new double[K];
        for (int k = 0; k < K; k++) { means[k] = m.mean(k, x, 0); floor = Math.max(floor, means[k]); }
        int open = 0; for (int k = 0; k < K; k++) { double xdx = 0; for (int i = 0; i < d; i++) xdx += vinv[k*d*d+i*d+i]*x[i]*x[i]; if (means[k] + Math.sqrt(gs[k]*xdx) >= floor) open++; }
        openHist[open]++;
      }
      System.out.println("scaled-gersh " + java.util.Arrays.toString(openHist)); }
    for (int mode = 0; mode < 3; mode++) {
      int[] openHist = new int[K + 1];
      for (int c = 0; c < 1024; c++) {
        double[] x = s.contexts[c]; double xx = 0; for (double v : x) xx += v*v;
        double floor = -1e300; double[] means = new double[K];
        for (int k = 0; k < K; k++) { means[k] = m.mean(k, x, 0); floor = Math.max(floor, means[k]); }
        int open = 0; for (int k = 0; k < K; k++) { double lb = mode == 0 ? gers[k] : mode == 1 ? lmax[k] : frob[k]; if (means[k] + Math.sqrt(lb*xx) >= floor) open++; }
        openHist[open]++;
      }
      System.out.println((mode == 0 ? "gershgorin " : mode == 1 ? "exact lmax " : "collatz-w  ") + java.util.Arrays.toString(openHist));
    }
  }
}
