// LinUCB d = 20, K = 10 in a fresh JVM, 1,000 rounds per window: the bytes each window allocates and its
// time per round, to see how long the vector kernels run boxed before C2 has compiled them (the reason
// a short `replay` is slow and the allocation tests warm up until a window is clean). Run with
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar -d /tmp/wp bench/probes/WarmProbe.java
//   $J/java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar:/tmp/wp WarmProbe
// (not a benchmark: System.nanoTime and the thread's allocation counter; see BENCHMARKS.md "Session 8").
import dev.recourse.core.policy.*;
import dev.recourse.core.simd.Kernels;
import java.util.SplittableRandom;
public class WarmProbe {
  public static void main(String[] a) {
    int d = 20, k = 10;
    LinUcb p = new LinUcb(k, d, 1.0, 1.0);
    SplittableRandom rng = new SplittableRandom(1);
    double[][] theta = new double[k][d];
    for (double[] t : theta) for (int i = 0; i < d; i++) t[i] = rng.nextGaussian() / Math.sqrt(d);
    double[] x = new double[d];
    Decision dec = new Decision(d).withoutScore();
    var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long t0 = System.nanoTime();
    for (int w = 0; w < 200; w++) {
      long b0 = bean.getThreadAllocatedBytes(id); long s0 = System.nanoTime();
      for (int r = 0; r < 1000; r++) {
        for (int i = 0; i < d; i++) x[i] = rng.nextGaussian();
        p.decide(x, dec);
        int arm = dec.arm();
        double rew = 0; for (int i = 0; i < d; i++) rew += theta[arm][i] * x[i];
        p.update(arm, x, rew + 0.1 * rng.nextGaussian());
      }
      long bytes = bean.getThreadAllocatedBytes(id) - b0; long ns = System.nanoTime() - s0;
      if (w < 10 || w % 10 == 0 || bytes > 0) System.out.printf("window %3d (t=%.3f s): %8d B, %.2f us/round%n", w, (System.nanoTime() - t0) / 1e9, bytes, ns / 1000.0 / 1000);
    }
  }
}
