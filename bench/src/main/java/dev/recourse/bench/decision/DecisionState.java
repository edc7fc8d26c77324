package dev.recourse.bench.decision;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.model.RidgeArms.RefreshMethod;
import dev.recourse.core.policy.LinUcb;
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A warmed LinUCB model plus a ring of pre-drawn rounds, shared by {@link LinUcbBench}, {@link FloorBench}
 * and {@link DecideVariantsBench} so that they read the same arrays.
 *
 * <p>The ring holds {@value #RING} contexts {@code x ~ N(0, I_d)}, for each of them one reward per arm
 * ({@code r = θ*_aᵀx + 0.1·ε}, {@code θ*_a ~ N(0, I/d)}) and a uniformly drawn arm for the bare update
 * benchmark. Each benchmark call consumes the next slot, wrapping around, so consecutive calls see
 * different data (no branch predictor or value memorisation on one context).
 *
 * <p>The model is warmed in the trial set-up: every arm gets {@value #ROUND_ROBIN_PER_ARM} round-robin
 * updates, then the policy plays {@value #PLAYED_ROUNDS} rounds of decide + update, so {@code V⁻¹} and
 * {@code θ̂} are far from their prior ({@code λ⁻¹I}, {@code 0}). An update costs the same whatever the
 * data, so the state reached by repeated updates during measurement is a steady state.
 */
@State(Scope.Thread)
public class DecisionState {

  /** Slots in the ring of pre-drawn rounds; a power of two so the index wraps with a mask. */
  public static final int RING = 1024;
  static final int ROUND_ROBIN_PER_ARM = 8;
  static final int PLAYED_ROUNDS = 512;
  static final int LEARNED_ROUNDS = 200_000;
  static final long SEED = 20_240_611L;

  /** {@code d x K}: context dimension by number of arms. */
  @Param({"8x2", "20x10", "100x50"})
  public String shape;

  /** Kernel implementation the model is built on. */
  @Param({"panama", "scalar"})
  public String kernels;

  /**
   * Doubles allocated just before the model, to move its arrays relative to cache lines (an experiment
   * knob: 512-bit accesses are sensitive to it). 0 in the published runs.
   */
  @Param({"0"})
  public int padDoubles;

  /**
   * The model when measured: {@code early}, the warm-up above (≈ 60 updates per arm at 20×10, where
   * LinUCB's bounds still leave most arms to score), or {@code learned}, {@value #LEARNED_ROUNDS} more
   * played rounds (at 20×10 the bounds then leave one arm open in ≈ 95 % of decisions). A decide does
   * not change the model, so {@code decide} measures the state it is given; {@code decideUpdate} moves
   * from the given state towards the learned one during its own iterations.
   */
  @Param({"early"})
  public String state;

  /** Keeps the padding array reachable. */
  public double[] pad;
  public int dim;
  public int numArms;
  public DoubleKernels impl;
  public RidgeArms arms;
  public LinUcb policy;
  /** The model's V⁻¹ blocks (same array the policy reads), for the floor. */
  public double[] vInv;
  public double[][] contexts;
  /** {@code rewards[slot·K + arm]}. */
  public double[] rewards;
  public int[] updateArms;
  /** Next ring slot. */
  public int slot;

  @Setup(Level.Trial)
  public void setUp() {
    String[] dk = shape.split("x");
    dim = Integer.parseInt(dk[0]);
    numArms = Integer.parseInt(dk[1]);
    impl = kernelsByName(kernels);
    pad = new double[padDoubles];
    arms = new RidgeArms(numArms, dim, 1.0, RidgeArms.DEFAULT_REFRESH_EVERY, RefreshMethod.CHOLESKY, impl);
    policy = new LinUcb(arms, 1.0);
    vInv = arms.vInv();

    RandomGenerator rng = RandomStreams.stream(SEED, dim, numArms);
    double[] thetaStar = new double[numArms * dim];
    RandomStreams.fillGaussian(rng, thetaStar, 0, thetaStar.length);
    double scale = 1.0 / Math.sqrt(dim);
    for (int i = 0; i < thetaStar.length; i++) {
      thetaStar[i] *= scale;
    }
    contexts = new double[RING][dim];
    rewards = new double[RING * numArms];
    updateArms = new int[RING];
    for (int s = 0; s < RING; s++) {
      RandomStreams.fillGaussian(rng, contexts[s], 0, dim);
      for (int a = 0; a < numArms; a++) {
        double mean = 0;
        for (int i = 0; i < dim; i++) {
          mean += thetaStar[a * dim + i] * contexts[s][i];
        }
        rewards[s * numArms + a] = mean + 0.1 * rng.nextGaussian();
      }
      updateArms[s] = rng.nextInt(numArms);
    }

    int s = 0;
    for (int r = 0; r < ROUND_ROBIN_PER_ARM; r++) {
      for (int a = 0; a < numArms; a++, s = (s + 1) & (RING - 1)) {
        policy.update(a, contexts[s], rewards[s * numArms + a]);
      }
    }
    for (int r = 0; r < PLAYED_ROUNDS; r++, s = (s + 1) & (RING - 1)) {
      int a = policy.decide(contexts[s]);
      policy.update(a, contexts[s], rewards[s * numArms + a]);
    }
    int more = switch (state) {
      case "early" -> 0;
      case "learned" -> LEARNED_ROUNDS;
      default -> throw new IllegalArgumentException("state must be early or learned, got " + state);
    };
    for (int r = 0; r < more; r++, s = (s + 1) & (RING - 1)) {
      int a = policy.decide(contexts[s]);
      policy.update(a, contexts[s], rewards[s * numArms + a]);
    }
    slot = s;
    // JMH copies the fork's output into the log: the record of which kernels were really measured.
    System.out.println("# kernels: " + impl.name() + ", d=" + dim + ", K=" + numArms + ", state " + state
        + ", V⁻¹ data at byte " + Alignment.lineOffset(vInv) + " of a cache line");
  }

  /** {@code Kernels.panama()} (cut-over as configured by {@code -Drecourse.simd.minLength}) or scalar. */
  public static DoubleKernels kernelsByName(String name) {
    return switch (name) {
      case "panama" -> Kernels.panama().orElseThrow(
          () -> new IllegalStateException("Panama kernels unavailable: run the fork with --add-modules jdk.incubator.vector"));
      case "scalar" -> Kernels.scalar();
      default -> throw new IllegalArgumentException("kernels must be panama or scalar, got " + name);
    };
  }

  /** Returns the current ring slot and advances to the next one. */
  /**
   * The early model of {@code shape} on the Panama kernels, after {@code moreRounds} further rounds played
   * over the ring ({@link #playRound}): the state the diagnostics in {@code bench/probes} read.
   */
  public static DecisionState played(String shape, int moreRounds) {
    DecisionState s = new DecisionState();
    s.shape = shape;
    s.kernels = "panama";
    s.padDoubles = 0;
    s.state = "early";
    s.setUp();
    for (int r = 0; r < moreRounds; r++) {
      s.playRound();
    }
    return s;
  }

  /** One round on the next slot: decide, then update the chosen arm with its reward; returns the arm. */
  public int playRound() {
    int i = nextSlot();
    double[] x = contexts[i];
    int arm = policy.decide(x);
    policy.update(arm, x, rewards[i * numArms + arm]);
    return arm;
  }

  public int nextSlot() {
    int s = slot;
    slot = (s + 1) & (RING - 1);
    return s;
  }
}
