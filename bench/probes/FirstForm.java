// On JMH's DecisionState model (after N more played rounds): how many arms stay open (Gershgorin bound at
// least the threshold) against the best mean (the engine's first test), against the score of the arm with
// the largest bound or with the best mean (one form first), and against the winner's score (the least
// possible). A diagnostic for BENCHMARKS.md "Session 9"; run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac -cp bench/target/benchmarks.jar -d /tmp/ff bench/probes/FirstForm.java
//   $J/java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar:/tmp/ff FirstForm 20x10 0
import dev.recourse.bench.decision.DecisionState;
public class FirstForm {
  public static void main(String[] a) {
    DecisionState s = DecisionState.played(a[0], Integer.parseInt(a[1]));
    dev.recourse.core.model.RidgeArms m = s.arms;
    int d = s.dim, K = s.numArms;
    double[] vinv = m.vInv();
    int[][] h = new int[3][K+1]; int firstWins = 0, meanFirstWins = 0; int[] h2 = new int[K+1];
    for (int c = 0; c < 1024; c++) {
      double[] x = s.contexts[c]; double xx = 0; for (double v : x) xx += v*v;
      double[] mean = new double[K], sc = new double[K], b = new double[K]; double fl = -1e300, best = -1e300; int bArm = 0, mArm = 0, win = 0;
      for (int k = 0; k < K; k++) { mean[k] = m.mean(k, x, 0); double q = 0; for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) q += x[i]*vinv[k*d*d+i*d+j]*x[j];
        sc[k] = mean[k] + Math.sqrt(q); b[k] = mean[k] + Math.sqrt(m.vInvSpectralBound(k)*xx);
        if (mean[k] > fl) { fl = mean[k]; mArm = k; } if (sc[k] > best) { best = sc[k]; win = k; } if (b[k] > b[bArm]) bArm = k; }
      int o0 = 0, o1 = 0, o2 = 0, o3 = 0; for (int k = 0; k < K; k++) { if (b[k] >= fl) o0++; if (b[k] >= sc[bArm]) o1++; if (b[k] >= best) o2++; if (b[k] >= sc[mArm]) o3++; }
      h[0][o0]++; h[1][o1]++; h[2][o2]++; h2[o3]++; if (win == bArm) firstWins++; if (win == mArm) meanFirstWins++;
    }
    System.out.println("open vs best mean   " + java.util.Arrays.toString(h[0]));
    System.out.println("open vs top-bound's " + java.util.Arrays.toString(h[1]) + " top-bound wins " + firstWins);
    System.out.println("open vs best-mean's " + java.util.Arrays.toString(h2) + " best-mean wins " + meanFirstWins);
    System.out.println("open vs winner's    " + java.util.Arrays.toString(h[2]));
  }
}
