package dev.recourse.bench.recourse;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.advisor.QualityAdvisor;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.rng.RandomStreams;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GLRB (Algorithm 1) and LIBRA (Algorithm 3) per-decision latency at the paper's two sizes:
 * {@code synthetic} (d = 20 all mutable, K = 10, ℓ2 γ = 3) and {@code hypertension} (d = 9 with the
 * constant, K = 2, 2 mutable, ℓ2 γ = 3). LIBRA runs with Δ = ∞ (never consults) so that its decide is
 * GLRB's plus the width test; {@code adviceQuality} is one call of the simulated q-quality advisor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class GlrbBench {

  @Param({"synthetic", "hypertension"})
  public String size;

  private Glrb glrb;
  private Libra libra;
  private Advisor advisor;
  private Decision decision;
  private double[][] contexts;
  private double[] rewards;
  private int[] adviceArm;
  private double[] adviceContext;
  private int slot;

  @Setup(Level.Trial)
  public void setUp() {
    int dim = size.equals("synthetic") ? 20 : 9;
    int numArms = size.equals("synthetic") ? 10 : 2;
    int[] mutable = size.equals("synthetic") ? Instances.firstIndices(20) : new int[] {5, 6};
    FeasibleSet set = new FeasibleSet(dim, mutable, new L2Ball(mutable.length, 3.0));
    RidgeArms arms = new RidgeArms(numArms, dim, 1.0);
    Instances.warm(arms, 200, 1);
    glrb = new Glrb(arms, set, ConfidenceRadius.constant(3.0), new CoordinateDescentOro(mutable.length));
    RidgeArms libraArms = new RidgeArms(numArms, dim, 1.0);
    Instances.warm(libraArms, 200, 1);
    double[] theta = new double[numArms * dim];
    RandomStreams.fillGaussian(RandomStreams.stream(2), theta, 0, theta.length);
    advisor = new QualityAdvisor(theta, numArms, set, 0.8, RandomStreams.stream(3));
    libra = new Libra(new Glrb(libraArms, set.copy(), ConfidenceRadius.constant(3.0),
        new CoordinateDescentOro(mutable.length)), advisor, Double.POSITIVE_INFINITY);
    decision = new Decision(dim);
    contexts = Instances.contexts(1024, dim, 4);
    rewards = new double[1024];
    for (int i = 0; i < rewards.length; i++) {
      rewards[i] = RandomStreams.stream(5, i).nextGaussian();
    }
    adviceArm = new int[1];
    adviceContext = new double[dim];
  }

  private int next() {
    slot = (slot + 1) & 1023;
    return slot;
  }

  @Benchmark
  public int glrbDecide() {
    glrb.decide(contexts[next()], decision);
    return decision.arm();
  }

  @Benchmark
  public int glrbDecideUpdate() {
    int i = next();
    glrb.decide(contexts[i], decision);
    glrb.update(decision.arm(), decision.context(), rewards[i]);
    return decision.arm();
  }

  @Benchmark
  public int libraDecide() {
    libra.decide(contexts[next()], decision);
    return decision.arm();
  }

  @Benchmark
  public boolean adviceQuality() {
    return advisor.advise(contexts[next()], adviceArm, adviceContext);
  }
}
