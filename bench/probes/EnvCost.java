// The synthetic scenario's own work per round (context draw, optimal value, reward, noise), without
// a policy or the runner: the part of the noop study's round that any study needs. Run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac -cp sim/target/recourse.jar -d /tmp/envcost bench/probes/EnvCost.java
//   $J/java --add-modules jdk.incubator.vector -cp sim/target/recourse.jar:/tmp/envcost EnvCost
// (not a benchmark: CPU time of one thread over 4x10^7 rounds, printed twice; see BENCHMARKS.md).
import dev.recourse.sim.env.*;
import dev.recourse.core.policy.Decision;
public class EnvCost {
  public static void main(String[] a) {
    Scenario s = new SyntheticScenario();
    int reps = 40, horizon = 1_000_000;
    for (int round = 0; round < 2; round++) {
      long cpu0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      double sink = 0;
      for (int r = 0; r < reps; r++) {
        Environment env = s.create(1, r);
        double[] x = new double[s.dim()];
        double[] realised = new double[s.dim()];
        for (int t = 0; t < horizon; t++) {
          env.nextContext(x);
          double best = env.optimalValue(x);
          env.realise(x, 0, x, realised);
          double mean = env.expectedReward(0, realised);
          double reward = env.observe(mean);
          sink += best - mean + reward;
        }
      }
      long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
      System.out.printf("environment only: %.4f us/round (sink %.1f)%n", cpu / 1e3 / ((double) reps * horizon), sink);
    }
  }
}
