// LinUCB decide / update / round of two builds of core alternated in ONE JVM (each in its own class
// loader), thread CPU time, medians of 10 alternations: a same-conditions A/B on a machine others share,
// where separate JMH runs minutes apart are not comparable. Not a benchmark of record (see JMH).
//   J=$(bash -c 'source .mvn/find-jdk.sh; recourse_find_jdk')/bin
//   $J/javac -cp core/target/classes -d /tmp/ab bench/probes/AlternatingLinUcb.java
//   $J/java --add-modules jdk.incubator.vector -cp /tmp/ab AlternatingLinUcb 20 10 100000 OLD NEW
// OLD and NEW: class path entries holding core's classes (a benchmarks.jar, core/target/classes, ...),
// each also needing this probe's own classes, which the probe adds (/tmp/ab above). A sixth argument
// "linear" draws rewards θ*ᵀx + 0.1·ε (θ* ~ N(0, I/d), as the JMH DecisionState) instead of pure noise:
// LinUCB's plain decide scores only the arms that could win, which depends on the arms differing.
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

public class AlternatingLinUcb {

  /** Loaded once per build; only core's public API. */
  public static final class Subject {
    static dev.recourse.core.policy.LinUcb p;
    static double[][] xs;
    static double[] rw;
    static int[] ua;
    static int k;

    public static void setup(int d, int numArms, boolean linear) {
      k = numArms;
      p = new dev.recourse.core.policy.LinUcb(new dev.recourse.core.model.RidgeArms(k, d, 1.0, 1024,
          dev.recourse.core.model.RidgeArms.RefreshMethod.CHOLESKY, dev.recourse.core.simd.Kernels.get()), 1.0);
      SplittableRandom rng = new SplittableRandom(7);
      xs = new double[1024][d];
      rw = new double[1024 * k];
      ua = new int[1024];
      SplittableRandom signal = new SplittableRandom(11); // its own stream: the noise mode's data unchanged
      double[] thetaStar = new double[k * d];
      for (int i = 0; i < thetaStar.length; i++) {
        thetaStar[i] = signal.nextGaussian() / Math.sqrt(d);
      }
      for (int s = 0; s < 1024; s++) {
        for (int i = 0; i < d; i++) {
          xs[s][i] = rng.nextGaussian();
        }
        for (int a = 0; a < k; a++) {
          double mean = 0;
          for (int i = 0; linear && i < d; i++) {
            mean += thetaStar[a * d + i] * xs[s][i];
          }
          rw[s * k + a] = linear ? mean + 0.1 * rng.nextGaussian() : rng.nextGaussian();
        }
        ua[s] = rng.nextInt(k);
      }
      for (int s = 0; s < 4096; s++) {
        int a = p.decide(xs[s & 1023]);
        p.update(a, xs[s & 1023], rw[(s & 1023) * k + a]);
      }
    }

    public static double[] run(int n) {
      var mx = ManagementFactory.getThreadMXBean();
      long sink = 0;
      long t0 = mx.getCurrentThreadCpuTime();
      for (int s = 0; s < n; s++) {
        sink += p.decide(xs[s & 1023]);
      }
      long t1 = mx.getCurrentThreadCpuTime();
      for (int s = 0; s < n; s++) {
        int i = s & 1023;
        p.update(ua[i], xs[i], rw[i * k + ua[i]]);
      }
      long t2 = mx.getCurrentThreadCpuTime();
      for (int s = 0; s < n; s++) {
        int i = s & 1023;
        int a = p.decide(xs[i]);
        p.update(a, xs[i], rw[i * k + a]);
        sink += a;
      }
      long t3 = mx.getCurrentThreadCpuTime();
      return new double[] {(t1 - t0) / (double) n, (t2 - t1) / (double) n, (t3 - t2) / (double) n, sink};
    }
  }

  public static void main(String[] args) throws Exception {
    int d = Integer.parseInt(args[0]);
    int numArms = Integer.parseInt(args[1]);
    int n = Integer.parseInt(args[2]);
    URL self = AlternatingLinUcb.class.getProtectionDomain().getCodeSource().getLocation();
    Method[] run = new Method[2];
    for (int v = 0; v < 2; v++) {
      URL[] urls = {Path.of(args[3 + v]).toUri().toURL(), self};
      ClassLoader cl = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
      Class<?> c = Class.forName(Subject.class.getName(), true, cl);
      c.getMethod("setup", int.class, int.class, boolean.class).invoke(null, d, numArms,
          args.length > 5 && args[5].equals("linear"));
      run[v] = c.getMethod("run", int.class);
    }
    List<List<double[]>> res = List.of(new ArrayList<>(), new ArrayList<>());
    for (int r = 0; r < 14; r++) {
      for (int v = 0; v < 2; v++) {
        double[] x = (double[]) run[v].invoke(null, n);
        if (r >= 4) {
          res.get(v).add(x);
        }
      }
    }
    for (int v = 0; v < 2; v++) {
      double[] med = new double[3];
      for (int j = 0; j < 3; j++) {
        final int jj = j;
        double[] s = res.get(v).stream().mapToDouble(a -> a[jj]).sorted().toArray();
        med[j] = s[s.length / 2];
      }
      System.out.printf("%s %dx%d median thread-CPU ns: decide %.0f update %.0f round %.0f%n",
          v == 0 ? "OLD" : "NEW", d, numArms, med[0], med[1], med[2]);
    }
  }
}
