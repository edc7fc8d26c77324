package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.ServablePolicy;
import dev.recourse.core.rng.Lxm64x128;
import dev.recourse.core.rng.Samplers;
import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.random.RandomGenerator;

/**
 * The StdTS baselines (spec §6): independent Gaussian arms with a Normal–Inverse-Gamma prior
 * ({@link NigPrior}), one model per arm ({@code StdTS}, context ignored) or per (context cell, arm)
 * ({@code StdTS:Contextual}, cells as in {@link ContextCells}). They see only {@code (x, a, y)} and never
 * read the treatment embedding {@code Z} (spec §9 check 8).
 *
 * <p>Per model: {@code N} pulls, running mean {@code ȳ} and {@code SS = Σ(y−ȳ)²} (Welford). Posterior
 * {@code αn = α + N/2}, {@code βn = β + SS/2 + N·ν(ȳ−m)²/(2(N+ν))}, {@code ρ = (ν·m + N·ȳ)/(ν+N)}.
 * Decision: per arm draw {@code σ̃² ~ InvGamma(αn, βn)} and {@code μ̃ ~ N(ρ, σ̃²/(N+ν))}; play the
 * argmax, ties to the lowest index. The decision's score is the winner's {@code μ̃}; width is NaN.
 *
 * <p>Limit ({@link AgentChecks}): rewards at most 1e100 in magnitude, so that {@code SS} (a sum of
 * squares) and {@code σ̃² = βn/Gamma(αn)} stay finite; an outcome beyond it is refused before anything
 * changes.
 */
public final class StdTs implements ServablePolicy {

  private final int numArms;
  private final ContextCells cells;
  private final boolean contextual;
  private final NigPrior prior;
  private final RandomGenerator rng;
  private final long[] counts;
  private final double[] means;
  private final double[] sumSquares;
  private final double[] lastDraws;

  /** StdTS with the repo's prior: one model per arm; {@code x} is checked against {@code cells} but ignored. */
  public static StdTs plain(int numArms, ContextCells cells, RandomGenerator rng) {
    return new StdTs(numArms, cells, false, NigPrior.DEFAULT, rng);
  }

  /** StdTS:Contextual with the repo's prior: one model per (cell, arm). */
  public static StdTs contextual(int numArms, ContextCells cells, RandomGenerator rng) {
    return new StdTs(numArms, cells, true, NigPrior.DEFAULT, rng);
  }

  /**
   * @param numArms {@code K ≥ 1}
   * @param cells the context columns ({@link #dim()} and, when contextual, the cell)
   * @param contextual one model per (cell, arm) rather than per arm
   * @param prior the NIG prior
   * @param rng this agent's stream
   */
  public StdTs(int numArms, ContextCells cells, boolean contextual, NigPrior prior, RandomGenerator rng) {
    this.numArms = AgentChecks.positive("numArms", numArms);
    this.cells = AgentChecks.nonNull("cells", cells);
    this.prior = AgentChecks.nonNull("prior", prior);
    this.rng = AgentChecks.nonNull("rng", rng);
    this.contextual = contextual;
    long slots = (long) (contextual ? cells.numCells() : 1) * numArms;
    if (slots > 1 << 24) {
      throw new IllegalArgumentException("numCells·numArms too large: " + cells.numCells() + "·" + numArms);
    }
    counts = new long[(int) slots];
    means = new double[(int) slots];
    sumSquares = new double[(int) slots];
    lastDraws = new double[numArms];
  }

  @Override
  public int dim() {
    return cells.dim();
  }

  @Override
  public int numArms() {
    return numArms;
  }

  public boolean contextual() {
    return contextual;
  }

  public NigPrior prior() {
    return prior;
  }

  @Override
  public void decide(double[] x, Decision out) {
    decide(x, null, out);
  }

  /** As {@link #decide(double[], Decision)} among the allowed arms; an arm not allowed draws nothing. */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    int cell = cells.checkedCell(x);
    AgentChecks.decision(out, cells.dim());
    if (allowed != null) {
      ServablePolicy.checkAllowed(allowed, numArms);
    }
    ServedArms.checkScores(out, numArms);
    int base = contextual ? cell * numArms : 0;
    double m0 = prior.mean();
    double nu = prior.count();
    double alpha = prior.shape();
    double beta = prior.scale();
    RandomGenerator g = rng;
    int best = ServedArms.first(allowed);
    double bestDraw = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < numArms; a++) {
      if (!ServedArms.allowed(allowed, a)) {
        lastDraws[a] = Double.NaN;
        continue;
      }
      int s = base + a;
      long n = counts[s];
      double ybar = means[s];
      double nNu = n + nu;
      double dev = ybar - m0;
      double alphaN = alpha + 0.5 * n;
      double betaN = beta + 0.5 * sumSquares[s] + n * nu * dev * dev / (2.0 * nNu);
      double rho = (nu * m0 + n * ybar) / nNu;
      double sigma2 = Samplers.inverseGamma(g, alphaN, betaN);
      double draw = rho + Math.sqrt(sigma2 / nNu) * g.nextGaussian();
      lastDraws[a] = draw;
      if (draw > bestDraw) {
        bestDraw = draw;
        best = a;
      }
    }
    System.arraycopy(x, 0, out.context(), 0, x.length);
    ServedArms.report(out, lastDraws, allowed, numArms);
    out.set(best, bestDraw, Double.NaN, false, 0);
  }

  /** Learns {@code (x, a, y)} from the outcome; never touches {@link Outcome#treatment()}. */
  @Override
  public void update(Outcome outcome) {
    int cell = AgentChecks.outcome(outcome, numArms, cells);
    int s = (contextual ? cell * numArms : 0) + outcome.arm();
    double y = outcome.reward();
    long n = ++counts[s];
    double delta = y - means[s];
    means[s] += delta / n;
    sumSquares[s] += delta * (y - means[s]);
  }

  /** Pulls of the model of {@code (cell, arm)} (cell ignored unless contextual). */
  public long count(int cell, int arm) {
    return counts[slot(cell, arm)];
  }

  /** The model index of {@code (cell, arm)}; checked, as an out-of-range cell or arm could name another model. */
  private int slot(int cell, int arm) {
    if (cell < 0 || cell >= cells.numCells()) {
      throw new IllegalArgumentException("cell must be in [0, " + cells.numCells() + "), got " + cell);
    }
    if (arm < 0 || arm >= numArms) {
      throw new IllegalArgumentException("arm must be in [0, " + numArms + "), got " + arm);
    }
    return (contextual ? cell * numArms : 0) + arm;
  }

  /** Writes {@code (αn, βn, ρ, N+ν)} of the model of {@code (cell, arm)} into {@code out[0..4)}. */
  public void posterior(int cell, int arm, double[] out) {
    int s = slot(cell, arm);
    long n = counts[s];
    double nu = prior.count();
    double dev = means[s] - prior.mean();
    out[0] = prior.shape() + 0.5 * n;
    out[1] = prior.scale() + 0.5 * sumSquares[s] + n * nu * dev * dev / (2.0 * (n + nu));
    out[2] = (nu * prior.mean() + n * means[s]) / (nu + n);
    out[3] = n + nu;
  }

  /** Copies the last decision's draw {@code μ̃} of every arm into {@code out[0..K)}. */
  public void copyLastDraws(double[] out) {
    System.arraycopy(lastDraws, 0, out, 0, numArms);
  }

  /** Shape (K, models), the generator's state, then every model's count, mean and sum of squares. */
  @Override
  public void exportShared(StateSink sink) {
    sink.putLong(numArms);
    sink.putLong(counts.length);
    Lxm64x128.saveable(rng, "StdTS").exportState(sink);
    sink.putLongs(counts);
    sink.putDoubles(means);
    sink.putDoubles(sumSquares);
  }

  @Override
  public void importShared(StateSource source) {
    source.expect("StdTS numArms", numArms);
    source.expect("StdTS models", counts.length);
    Lxm64x128.saveable(rng, "StdTS").importState(source);
    source.getLongs(counts);
    source.getDoubles(means);
    source.getDoubles(sumSquares);
    // A negative count or sum of squares makes the posterior's shape or scale invalid (NaN draws).
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] < 0) {
        throw new IllegalArgumentException("state StdTS count of model " + s + " must be >= 0, got " + counts[s]);
      }
      if (!(sumSquares[s] >= 0) || !Double.isFinite(sumSquares[s])) {
        throw new IllegalArgumentException("state StdTS sum of squares of model " + s
            + " must be finite and >= 0, got " + sumSquares[s]);
      }
    }
  }

  /** None: the generator, advanced by every decision, is shared; the models are small. */
  @Override
  public int stateArms() {
    return 0;
  }

  @Override
  public void exportArm(int arm, StateSink sink) {
    throw new IndexOutOfBoundsException("StdTS has no per-arm state, arm " + arm);
  }

  @Override
  public void importArm(int arm, StateSource source) {
    throw new IndexOutOfBoundsException("StdTS has no per-arm state, arm " + arm);
  }

  @Override
  public String describe() {
    return (contextual ? "StdTS:Contextual" : "StdTS") + "(K=" + numArms + ", context=" + cells.describe()
        + (contextual ? ", cells=" + cells.numCells() : "") + ", nig(m=" + prior.mean() + ", nu="
        + prior.count() + ", alpha=" + prior.shape() + ", beta=" + prior.scale() + "))";
  }
}
