package dev.recourse.bench.recourse;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.advisor.QualityAdvisor;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.OroSolvers;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.rng.RandomStreams;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
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
 *
 * <p>{@code rewards}: {@code linear} is the §6.1 problem (θ_a ~ N(0, I), reward θ_aᵀx̃ + N(0, 1));
 * every iteration starts from a model that played {@value #WARM_ROUNDS} GLRB rounds of it (the
 * horizon of {@code reproduce synthetic}), so the state is a learnt one and the same in every
 * iteration. {@code noise} is the earlier, adversarial set-up: 200 random updates per arm, then rewards
 * of pure noise, so θ̂ stays near 0, no arm stands out and pruning rarely applies (CD's worst case).
 * In {@code glrbDecideUpdate} the reward's θ_aᵀx̃ (20 FMAs) is part of the measured round.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class GlrbBench {

  static final int WARM_ROUNDS = 10_000;

  @Param({"synthetic", "hypertension"})
  public String size;

  @Param({"linear", "noise"})
  public String rewards;

  /** GLRB's ORO solver choice ({@code OroSolvers.Choice}: cd, exact, auto); LIBRA keeps CD. */
  @Param({"cd"})
  public String solver;

  private Glrb glrb;
  private Libra libra;
  private Advisor advisor;
  private Decision decision;
  private double[][] contexts;
  private double[] noise;
  private double[] theta;
  private boolean linear;
  private int dim;
  private int[] adviceArm;
  private double[] adviceContext;
  private int slot;

  @Setup(Level.Trial)
  public void setUpTrial() {
    dim = size.equals("synthetic") ? 20 : 9;
    int numArms = size.equals("synthetic") ? 10 : 2;
    linear = rewards.equals("linear");
    theta = new double[numArms * dim];
    RandomStreams.fillGaussian(RandomStreams.stream(2), theta, 0, theta.length);
    contexts = Instances.contexts(1024, dim, 4);
    noise = new double[1024];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = RandomStreams.stream(5, i).nextGaussian();
    }
    decision = new Decision(dim);
    adviceArm = new int[1];
    adviceContext = new double[dim];
  }

  /** A fresh GLRB and LIBRA in the warmed state, so that every iteration measures the same rounds. */
  @Setup(Level.Iteration)
  public void setUpIteration() {
    int numArms = theta.length / dim;
    int[] mutable = size.equals("synthetic") ? Instances.firstIndices(20) : new int[] {5, 6};
    FeasibleSet set = new FeasibleSet(dim, mutable, new L2Ball(mutable.length, 3.0));
    glrb = new Glrb(warmedArms(numArms, set), set, ConfidenceRadius.constant(3.0),
        OroSolvers.create(set, OroSolvers.Choice.parse(solver)));
    advisor = new QualityAdvisor(theta, numArms, set, 0.8, RandomStreams.stream(3));
    FeasibleSet libraSet = set.copy();
    libra = new Libra(new Glrb(warmedArms(numArms, libraSet), libraSet, ConfidenceRadius.constant(3.0),
        new CoordinateDescentOro(mutable.length)), advisor, Double.POSITIVE_INFINITY);
    slot = 0;
  }

  private RidgeArms warmedArms(int numArms, FeasibleSet set) {
    RidgeArms arms = new RidgeArms(numArms, dim, 1.0);
    if (!linear) {
      Instances.warm(arms, 200, 1);
      return arms;
    }
    Glrb warm = new Glrb(arms, set.copy(), ConfidenceRadius.constant(3.0), new CoordinateDescentOro(set.mutableDim()));
    RandomGenerator rng = RandomStreams.stream(6);
    double[] x = new double[dim];
    Decision d = new Decision(dim);
    for (int t = 0; t < WARM_ROUNDS; t++) {
      RandomStreams.fillGaussian(rng, x, 0, dim);
      warm.decide(x, d);
      warm.update(d.arm(), d.context(), meanReward(d.arm(), d.context()) + rng.nextGaussian());
    }
    return arms;
  }

  private double meanReward(int arm, double[] context) {
    double m = 0;
    for (int i = 0; i < dim; i++) {
      m += theta[arm * dim + i] * context[i];
    }
    return m;
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
    int arm = decision.arm();
    double reward = linear ? meanReward(arm, decision.context()) + noise[i] : noise[i];
    glrb.update(arm, decision.context(), reward);
    return arm;
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
