package dev.recourse.bench.gambitts;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Thread-CPU time per decide + update round, on the same state as {@link GambittsBench}: a cross-check
 * of the JMH figures that is robust to a shared machine's load (JMH's average time is wall time, which
 * stretches when other processes hold the cores). Not a substitute for JMH (no forks, one JIT profile).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar \
 *   dev.recourse.bench.gambitts.GambittsCpuTime [agent ...]</pre>
 */
public final class GambittsCpuTime {

  private GambittsCpuTime() {}

  public static void main(String[] args) {
    String[] agents = args.length > 0 ? args : new String[] {"po", "fo", "stdts", "stdts-ctx", "ens"};
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int sink = 0;
    for (String agent : agents) {
      for (int arms : new int[] {5, 40}) {
        GambittsBench.Round s = new GambittsBench.Round();
        s.agent = agent;
        s.arms = arms;
        s.setUp();
        long budgetNs = 3_000_000_000L;
        // Warm-up: one budget of rounds, unmeasured.
        long batch = agent.equals("ens") ? 20 : 20_000;
        for (int rep = 0; rep < 2; rep++) {
          long rounds = 0;
          long c0 = threads.getCurrentThreadCpuTime();
          long w0 = System.nanoTime();
          while (threads.getCurrentThreadCpuTime() - c0 < budgetNs) {
            for (int i = 0; i < batch; i++) {
              sink += GambittsBench.round(s);
            }
            rounds += batch;
          }
          long cpu = threads.getCurrentThreadCpuTime() - c0;
          long wall = System.nanoTime() - w0;
          if (rep == 1) {
            System.out.printf("%-10s K=%-3d %12.1f ns cpu/round %12.1f ns wall/round (%d rounds)%n", agent, arms,
                (double) cpu / rounds, (double) wall / rounds, rounds);
          }
        }
      }
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
