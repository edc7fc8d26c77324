package dev.recourse.core.gambitts;

/**
 * Settings of ens-poGAMBITTS (spec §5). {@link #repo(double)} gives the repo's: 60 members, 64 hidden
 * ReLU units, FIFO replay buffer of 1024, 100 uniformly random rounds (and no training before 100
 * stored observations), mini-batches of 100 drawn with replacement, one Adam step per member per round
 * with learning rate 0.1 and the optimiser state reset before every step (the repo re-creates its
 * torch optimiser each round), 100 Monte Carlo draws of {@code Z} per prompt and decision.
 *
 * @param members ensemble size {@code M ≥ 1}
 * @param hidden hidden units {@code H ≥ 1}
 * @param bufferCapacity replay buffer capacity ≥ 1
 * @param warmupRounds rounds played uniformly at random, and observations stored before training starts (≥ 0)
 * @param batchSize mini-batch size ≥ 1 (drawn with replacement)
 * @param mcDraws draws from the cell's offline pool per prompt and decision ≥ 1
 * @param learningRate Adam's step size (finite, > 0)
 * @param resetOptimizer {@code true}: Adam's moments and step count are reset before every step (the
 *     repo; Adam's first step is then {@code lr·g/(|g|+ε)}, close to sign descent); {@code false}: one
 *     persistent Adam state per member
 * @param perturbationSd {@code σ} of the per-observation target perturbations {@code ε_m ~ N(0, σ²)}
 *     (finite, ≥ 0); the repo uses the environment's true noise sd, an oracle (spec §9 check 8), so it is
 *     a configuration value here
 */
public record EnsembleOptions(int members, int hidden, int bufferCapacity, int warmupRounds, int batchSize,
                              int mcDraws, double learningRate, boolean resetOptimizer, double perturbationSd) {

  /** Adam's β1, β2, ε: torch's defaults, which the repo uses. */
  public static final double ADAM_BETA1 = 0.9;
  public static final double ADAM_BETA2 = 0.999;
  public static final double ADAM_EPS = 1e-8;

  public EnsembleOptions {
    AgentChecks.positive("members", members);
    AgentChecks.positive("hidden", hidden);
    AgentChecks.positive("bufferCapacity", bufferCapacity);
    if (warmupRounds < 0) {
      throw new IllegalArgumentException("warmupRounds must be >= 0, got " + warmupRounds);
    }
    if (warmupRounds > bufferCapacity) {
      throw new IllegalArgumentException("warmupRounds must be <= bufferCapacity (" + bufferCapacity
          + ") or training never starts, got " + warmupRounds);
    }
    AgentChecks.positive("batchSize", batchSize);
    AgentChecks.positive("mcDraws", mcDraws);
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be finite and > 0, got " + learningRate);
    }
    if (!(perturbationSd >= 0) || !Double.isFinite(perturbationSd)) {
      throw new IllegalArgumentException("perturbationSd must be finite and >= 0, got " + perturbationSd);
    }
  }

  /** The repo's settings with perturbation scale {@code perturbationSd}. */
  public static EnsembleOptions repo(double perturbationSd) {
    return new EnsembleOptions(60, 64, 1024, 100, 100, 100, 0.1, true, perturbationSd);
  }

  public EnsembleOptions withLearningRate(double lr) {
    return new EnsembleOptions(members, hidden, bufferCapacity, warmupRounds, batchSize, mcDraws, lr,
        resetOptimizer, perturbationSd);
  }

  public EnsembleOptions withResetOptimizer(boolean reset) {
    return new EnsembleOptions(members, hidden, bufferCapacity, warmupRounds, batchSize, mcDraws, learningRate,
        reset, perturbationSd);
  }

  public EnsembleOptions withMembers(int m) {
    return new EnsembleOptions(m, hidden, bufferCapacity, warmupRounds, batchSize, mcDraws, learningRate,
        resetOptimizer, perturbationSd);
  }

  public EnsembleOptions withWarmupRounds(int w) {
    return new EnsembleOptions(members, hidden, bufferCapacity, w, batchSize, mcDraws, learningRate,
        resetOptimizer, perturbationSd);
  }
}
