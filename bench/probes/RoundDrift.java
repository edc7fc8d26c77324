// LinUCB rounds on JMH's DecisionState (20x10 etc.), timed in windows of rounds, with the pruning
// regime of each window: how many arms the bounds leave open over the ring's contexts, and how many
// passes of four the pruned decide would take (0 = falls back to scoring every arm). Run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac -cp bench/target/benchmarks.jar -d /tmp/rd bench/probes/RoundDrift.java
//   $J/java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar:/tmp/rd RoundDrift 20x10 12 500000
// (not a benchmark: System.nanoTime over windows; see BENCHMARKS.md "LinUCB at the floor").
import dev.recourse.bench.decision.DecisionState;
public class RoundDrift {
  public static void main(String[] a) {
    DecisionState s = DecisionState.played(a[0], 0);
    int windows = Integer.parseInt(a[1]); int per = Integer.parseInt(a[2]);
    long sink = 0;
    for (int w = 0; w < windows; w++) {
      long t0 = System.nanoTime();
      for (int r = 0; r < per; r++) {
        int i = s.nextSlot();
        double[] x = s.contexts[i];
        int arm = s.policy.decide(x);
        s.policy.update(arm, x, s.rewards[i * s.numArms + arm]);
        sink += arm;
      }
      long t1 = System.nanoTime();
      long t2 = System.nanoTime();
      for (int r = 0; r < per; r++) {
        sink += s.policy.decide(s.contexts[s.nextSlot()]);
      }
      long t3 = System.nanoTime();
      // pruning regime over the ring: open count histogram and passes
      int[] openHist = new int[s.numArms + 1]; int[] passHist = new int[s.numArms + 2];
      dev.recourse.core.model.RidgeArms m = s.arms;
      for (int c = 0; c < 1024; c++) {
        double[] x = s.contexts[c];
        double xx = 0; for (double v : x) xx += v * v;
        double[] means = new double[s.numArms]; double floor = -1e300;
        for (int k = 0; k < s.numArms; k++) { means[k] = m.mean(k, x, 0); floor = Math.max(floor, means[k]); }
        double[] b = new double[s.numArms]; int open = 0;
        for (int k = 0; k < s.numArms; k++) { b[k] = means[k] + Math.sqrt(m.vInvSpectralBound(k) * xx) * (1 + 1e-9); if (b[k] >= floor) open++; }
        openHist[open]++;
        if (open <= s.numArms / 2) {
          double[] sc = new double[s.numArms];
          for (int k = 0; k < s.numArms; k++) sc[k] = means[k] + Math.sqrt(Math.max(0, m.normSqVInv(k, x, 0)));
          Integer[] ord = new Integer[s.numArms]; for (int k = 0; k < s.numArms; k++) ord[k] = k;
          java.util.Arrays.sort(ord, (p, q) -> Double.compare(b[q], b[p]));
          double best = -1e300; int passes = 0; int idx = 0;
          while (idx < open) { if (passes > 0 && b[ord[idx]] < best) break; passes++; for (int j = 0; j < 4 && idx < open; j++, idx++) best = Math.max(best, sc[ord[idx]]); }
          passHist[passes]++;
        } else passHist[0]++;
      }
      System.out.printf("window %d: round %.1f ns, decide-only %.1f ns open %s passes(0=full) %s%n", w, (t1 - t0) / (double) per, (t3 - t2) / (double) per, java.util.Arrays.toString(openHist), java.util.Arrays.toString(passHist));
    }
    System.out.println(sink);
  }
}
