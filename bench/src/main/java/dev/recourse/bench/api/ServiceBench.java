package dev.recourse.bench.api;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import dev.recourse.api.ServiceDecision;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.ServablePolicy;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedding API's decide against today's single-threaded core decide, in the same run, at d = 20,
 * K = 10 (GLRB: the last 4 features mutable, ℓ2 γ = 1): {@code coreDecide} is the core policy's plain
 * {@code decide(x, out)} on one thread; {@code serviceDecide} one thread through
 * {@link PolicyService#decide(double[], int[], ServiceDecision)} with every arm allowed (records the
 * pending decision), {@code serviceDecideScores} the same with every arm's score and width (GLRB then
 * solves every arm instead of pruning); group {@code contended} has 2 threads
 * deciding while 1 applies logged updates as fast as it can (each publishes a new model version, so
 * nearly every decide refreshes its replica). Both models learnt {@value #WARM} rounds of a linear
 * problem first. Sample time gives p50/p99/p99.9; throughput the rate.
 */
@BenchmarkMode({Mode.SampleTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class ServiceBench {

  static final int DIM = 20;
  static final int ARMS = 10;
  static final int WARM = 2_000;
  static final int CONTEXTS = 1024;

  @Param({"linucb", "glrb"})
  public String type;

  PolicyService service;
  ServablePolicy core;
  double[][] contexts;
  double[][] theta;

  static String yaml(String type) {
    String policy = type.equals("linucb") ? "{type: linucb, radius: 1.0, lambda: 1.0}"
        : "{type: glrb, radius: 1.0, lambda: 1.0}";
    String feasible = type.equals("linucb") ? "" : "feasible: {mutable: [16, 17, 18, 19], ball: l2, radius: 1.0}\n";
    return "dim: " + DIM + "\narms: " + ARMS + "\n" + feasible + "policy: " + policy + "\n";
  }

  @Setup
  public void setUp() {
    ServiceConfig config = ServiceConfig.parse(yaml(type));
    service = PolicyService.of(config);
    core = config.newPolicy(null);
    SplittableRandom rng = new SplittableRandom(20);
    theta = new double[ARMS][DIM];
    for (double[] t : theta) {
      for (int i = 0; i < DIM; i++) {
        t[i] = rng.nextGaussian() / Math.sqrt(DIM);
      }
    }
    contexts = new double[CONTEXTS][DIM];
    for (double[] x : contexts) {
      for (int i = 0; i < DIM; i++) {
        x[i] = rng.nextDouble(-1, 1);
      }
    }
    Decision d = new Decision(DIM);
    for (int t = 0; t < WARM; t++) {
      double[] x = contexts[t % CONTEXTS];
      core.decide(x, d);
      double r = reward(d.arm(), d.context(), rng);
      core.update(outcome(d.arm(), d.context(), r));
      service.update(d.arm(), d.context(), r); // the same data: the same model
    }
  }

  private static final ThreadLocal<dev.recourse.core.policy.Outcome> OUTCOME =
      ThreadLocal.withInitial(() -> new dev.recourse.core.policy.Outcome(DIM));

  static dev.recourse.core.policy.Outcome outcome(int arm, double[] x, double r) {
    dev.recourse.core.policy.Outcome o = OUTCOME.get();
    System.arraycopy(x, 0, o.context(), 0, DIM);
    return o.set(arm, r);
  }

  double reward(int arm, double[] x, SplittableRandom rng) {
    double r = rng.nextGaussian() * 0.1;
    for (int i = 0; i < DIM; i++) {
      r += theta[arm][i] * x[i];
    }
    return r;
  }

  /** Per-thread buffers and position in the context cycle. */
  @State(Scope.Thread)
  public static class Local {
    final Decision decision = new Decision(DIM);
    final ServiceDecision out = new ServiceDecision(DIM, ARMS, false);
    final ServiceDecision scored = new ServiceDecision(DIM, ARMS, true);
    final SplittableRandom rng = new SplittableRandom(Thread.currentThread().threadId());
    int next;
  }

  @Benchmark
  @Threads(1)
  public int coreDecide(Local l) {
    core.decide(contexts[l.next++ & (CONTEXTS - 1)], l.decision);
    return l.decision.arm();
  }

  @Benchmark
  @Threads(1)
  public int serviceDecide(Local l) {
    service.decide(contexts[l.next++ & (CONTEXTS - 1)], null, l.out);
    return l.out.arm();
  }

  @Benchmark
  @Threads(1)
  public int serviceDecideScores(Local l) {
    service.decide(contexts[l.next++ & (CONTEXTS - 1)], null, l.scored);
    return l.scored.arm();
  }

  @Benchmark
  @Group("contended")
  @GroupThreads(2)
  public int contendedDecide(Local l) {
    service.decide(contexts[l.next++ & (CONTEXTS - 1)], null, l.out);
    return l.out.arm();
  }

  @Benchmark
  @Group("contended")
  @GroupThreads(1)
  public long contendedUpdate(Local l) {
    double[] x = contexts[l.next++ & (CONTEXTS - 1)];
    int arm = l.rng.nextInt(ARMS);
    service.update(arm, x, reward(arm, x, l.rng));
    return service.version();
  }
}
