package dev.recourse.core.policy;

import dev.recourse.core.model.ArmModel;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.OroProblem;
import dev.recourse.core.recourse.OroSolver;

/**
 * Generalized Linear Recourse Bandit (Algorithm 1): for every arm solve ORO-Arm, play the arm with the
 * largest optimistic value together with its recourse, and learn from the context the patient
 * realises. The link is increasing, so optimism is taken on the linear predictor {@code x̃ᵀθ}.
 *
 * <p>{@link Decision#width()} is the confidence width at the chosen pair,
 * {@code CI = 2·L_μ·ρ_a·‖x̃‖_{V_a⁻¹}} (L_μ = 1 for the identity link, 1/4 for the logistic), which
 * LIBRA compares with its threshold Δ. {@link Decision#iterations()} sums the solver's iterations over
 * the arms it solved. Allocates nothing per round.
 *
 * <p>Pruning (exact): for a solver of ORO itself ({@link OroSolver#boundedByOroMaximum()}) each arm's
 * optimistic value is bounded from above in O(d_M) after its {@code V⁻¹x}
 * ({@link OroProblem#upperBound}, with the model's bound on {@code λ_max(V⁻¹)}); arms are solved in
 * decreasing order of their bounds and the loop stops at the first bound below the best value found.
 * Once the model has learnt which arms are poor, most rounds solve one or two arms instead of K; the
 * decision is the one the full loop makes.
 *
 * <p>Non-compliance (paper §4, spec §6): the model always learns from the realised context. With
 * {@link #learnDeviations} on (random non-compliance, the robust-ORO rule), the policy keeps per arm
 * the mean deviation {@code ε̄ = mean(x̄_M − x̃_M)} between what was realised and what was played
 * (Remark 1) and decides on the robust objective {@code (x̃ + ε̄)ᵀθ} (identity link): ORO is solved at
 * the shifted context while the feasible set stays centred on the patient's {@code x_M}. The
 * adversarial rule (ORO-NC) is this class with a {@code NonComplianceOro} solver.
 */
public final class Glrb implements ServablePolicy {

  private final ArmModel model;
  private final FeasibleSet set;
  private final ConfidenceRadius radius;
  private final OroSolver solver;
  /** One loaded problem per arm: the bounds pass loads them all, the solve pass reuses them. */
  private final OroProblem[] problems;
  private final double[] upperBounds;
  private final int[] order;
  private final boolean prune;
  private final double linkLipschitz;
  private final double[] delta;
  private final double[] bestDelta;
  private final boolean learnDeviations;
  private final double[] deviationSum;
  private final long[] deviationCount;
  private final double[] shifted;
  private final double[] played;
  /** A candidate's recommended context, for its width when every arm's scores are asked for. */
  private final double[] candidateContext;
  private int playedArm = -1;

  public Glrb(ArmModel model, FeasibleSet set, ConfidenceRadius radius, OroSolver solver) {
    this(model, set, radius, solver, false);
  }

  /**
   * @param learnDeviations estimate the mean non-compliance per arm and decide on the robust objective
   *                        (random non-compliance); off for full compliance and for ORO-NC
   */
  public Glrb(ArmModel model, FeasibleSet set, ConfidenceRadius radius, OroSolver solver,
              boolean learnDeviations) {
    if (set.dim() != model.dim()) {
      throw new IllegalArgumentException("feasible set has dim " + set.dim() + " but the model has " + model.dim());
    }
    java.util.Objects.requireNonNull(solver, "solver");
    if (solver.mutableDim() >= 0 && solver.mutableDim() < set.mutableDim()) {
      throw new IllegalArgumentException("solver " + solver.name() + " is sized for " + solver.mutableDim()
          + " mutable features, but the feasible set has " + set.mutableDim());
    }
    this.model = model;
    this.set = set;
    this.radius = java.util.Objects.requireNonNull(radius, "radius");
    this.solver = solver;
    this.problems = new OroProblem[model.numArms()];
    for (int a = 0; a < problems.length; a++) {
      problems[a] = new OroProblem(set, model.kernels());
    }
    this.upperBounds = new double[model.numArms()];
    this.order = new int[model.numArms()];
    this.prune = solver.boundedByOroMaximum();
    this.linkLipschitz = model.linkLipschitz();
    this.delta = new double[set.mutableDim()];
    this.bestDelta = new double[set.mutableDim()];
    this.learnDeviations = learnDeviations;
    this.deviationSum = new double[model.numArms() * set.mutableDim()];
    this.deviationCount = new long[model.numArms()];
    this.shifted = new double[model.dim()];
    this.played = new double[model.dim()];
    this.candidateContext = new double[model.dim()];
  }

  @Override
  public int dim() {
    return model.dim();
  }

  @Override
  public int numArms() {
    return model.numArms();
  }

  public ArmModel model() {
    return model;
  }

  public FeasibleSet feasibleSet() {
    return set;
  }

  @Override
  public void decide(double[] x, Decision out) {
    decide(x, null, out, false);
  }

  /**
   * Among the allowed arms. When {@code out} has room for every arm's score, pruning is off and every
   * allowed arm is solved (pruning is exact, so the chosen pair is unchanged; only the iteration count
   * grows); an arm's score is its optimistic value and its width {@code 2·L_μ·ρ_a·‖x̃_a‖_{V_a⁻¹}} at its
   * own recourse.
   */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    ServablePolicy.checkAllowed(allowed, model.numArms());
    decide(x, allowed, out, true);
  }

  /** One path for both overloads: with {@code allowed == null} and no scores it is the plain decide. */
  private void decide(double[] x, boolean[] allowed, Decision out, boolean fillScores) {
    model.checkContext(x);
    int dim = model.dim();
    PolicyChecks.decision(out, dim);
    double[] scores = fillScores ? out.scores() : null;
    double[] widths = scores == null ? null : out.widths();
    if (scores != null && scores.length != model.numArms()) {
      throw new IllegalArgumentException("decision scores length must be " + model.numArms() + ", got " + scores.length);
    }
    boolean pruneNow = prune && scores == null;
    set.prepare(x);
    double[] theta = model.thetaHat();
    double[] vInv = model.vInv();
    int numArms = model.numArms();
    int dimM = delta.length;
    // Bounds pass: load every arm (u = V⁻¹x, O(d²)) and bound its optimistic value from above.
    int candidates = 0;
    for (int arm = 0; arm < numArms; arm++) {
      if (allowed != null && !allowed[arm]) {
        if (scores != null) {
          scores[arm] = Double.NaN;
          widths[arm] = Double.NaN;
        }
        continue;
      }
      OroProblem p = problems[arm];
      p.load(contextFor(arm, x), theta, arm * dim, vInv, arm * dim * dim, radius.rho(model.count(arm)),
          arm, model.stateVersion(arm));
      double bound = pruneNow ? p.upperBound(model.vInvSpectralBound(arm)) : Double.POSITIVE_INFINITY;
      upperBounds[arm] = Double.isNaN(bound) ? Double.POSITIVE_INFINITY : bound; // NaN would break the order
      int i = candidates++; // insertion sort by decreasing bound; equal bounds keep index order
      while (i > 0 && upperBounds[order[i - 1]] < upperBounds[arm]) {
        order[i] = order[i - 1];
        i--;
      }
      order[i] = arm;
    }
    // Solve pass, best bound first. An arm whose bound is below the best value so far cannot win, nor
    // can any after it: the chosen arm is exactly the full loop's (largest value, lowest index on ties).
    // Lowest index by default, as the plain loop always had; a mask may exclude arm 0.
    int best = allowed == null ? 0 : order[0];
    double bestValue = Double.NEGATIVE_INFINITY;
    int iterations = 0;
    for (int i = 0; i < candidates; i++) {
      int arm = order[i];
      if (upperBounds[arm] < bestValue) {
        break;
      }
      double value = solver.solve(problems[arm], delta);
      iterations += solver.lastIterations();
      if (scores != null) {
        scores[arm] = value;
        set.apply(x, delta, candidateContext);
        double qa = Math.max(0.0, model.kernels().quadForm(vInv, arm * dim * dim, dim, candidateContext, 0));
        widths[arm] = 2.0 * linkLipschitz * problems[arm].rho() * Math.sqrt(qa);
      }
      if (value > bestValue || (value == bestValue && arm < best)) {
        bestValue = value;
        best = arm;
        System.arraycopy(delta, 0, bestDelta, 0, dimM);
      }
    }
    double bestRho = problems[best].rho();
    double[] chosen = out.context();
    set.apply(x, bestDelta, chosen);
    double q = Math.max(0.0, model.kernels().quadForm(vInv, best * dim * dim, dim, chosen, 0));
    out.set(best, bestValue, 2.0 * linkLipschitz * bestRho * Math.sqrt(q), false, iterations);
    record(best, chosen); // finite: the set's image of a checked context
  }

  /** The context ORO is solved at for {@code arm}: {@code x}, shifted by the arm's mean deviation. */
  private double[] contextFor(int arm, double[] x) {
    long n = deviationCount[arm];
    if (!learnDeviations || n == 0) {
      return x;
    }
    System.arraycopy(x, 0, shifted, 0, x.length);
    int dimM = delta.length;
    for (int k = 0; k < dimM; k++) {
      shifted[set.mutableIndex(k)] += deviationSum[arm * dimM + k] / n;
    }
    return shifted;
  }

  /**
   * Records the pair actually played this round, against which the next {@link #update}'s realised
   * context is compared. {@link #decide} records its own choice; a wrapper that plays another pair
   * (LIBRA playing the advisor's) records that one instead.
   */
  public void recordPlayed(int arm, double[] context) {
    if (arm < 0 || arm >= model.numArms()) {
      throw new IllegalArgumentException("played arm must be in [0, " + model.numArms() + "), got " + arm);
    }
    if (context == null) {
      throw new IllegalArgumentException("played context must not be null");
    }
    if (context.length != played.length) {
      throw new IllegalArgumentException("played context must have length " + played.length + ", got " + context.length);
    }
    // A non-finite value would make the robust variant's deviation sum NaN for good.
    for (int i = 0; i < context.length; i++) {
      if (!Double.isFinite(context[i])) {
        throw new IllegalArgumentException("played context x" + i + " must be finite, got " + context[i]);
      }
    }
    record(arm, context);
  }

  private void record(int arm, double[] context) {
    playedArm = arm;
    System.arraycopy(context, 0, played, 0, played.length);
  }

  @Override
  public void update(Outcome outcome) {
    PolicyChecks.outcome(outcome, model.dim());
    update(outcome.arm(), outcome.context(), outcome.reward());
  }

  /** Learns from arm {@code arm} played at realised context {@code x} (length d) with reward {@code reward}. */
  public void update(int arm, double[] x, double reward) {
    PolicyChecks.contextLength(x, model.dim());
    model.update(arm, x, 0, reward); // validates everything before any state changes
    if (learnDeviations && arm == playedArm) {
      int dimM = delta.length;
      for (int k = 0; k < dimM; k++) {
        int m = set.mutableIndex(k);
        deviationSum[arm * dimM + k] += x[m] - played[m];
      }
      deviationCount[arm]++;
    }
    playedArm = -1;
  }

  /**
   * The model's shape, the mutable dimension and the pair last played (which the next update compares
   * its realised context with). The radius, solver and feasible set are configuration.
   */
  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    model.exportShared(sink);
    sink.putLong(delta.length);
    sink.putLong(playedArm);
    sink.putDoubles(played);
  }

  @Override
  public void importShared(dev.recourse.core.state.StateSource source) {
    model.importShared(source);
    source.expect("mutableDim", delta.length);
    long arm = source.getLong();
    if (arm < -1 || arm >= model.numArms()) {
      throw new IllegalArgumentException("state playedArm must be in [-1, " + model.numArms() + "), got " + arm);
    }
    playedArm = (int) arm;
    source.getDoubles(played);
  }

  @Override
  public int stateArms() {
    return model.numArms();
  }

  /** The arm's model part and its deviation estimate. */
  @Override
  public void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    model.exportArm(arm, sink);
    sink.putDoubles(deviationSum, arm * delta.length, delta.length);
    sink.putLong(deviationCount[arm]);
  }

  @Override
  public void importArm(int arm, dev.recourse.core.state.StateSource source) {
    model.importArm(arm, source);
    source.getDoubles(deviationSum, arm * delta.length, delta.length);
    deviationCount[arm] = source.getLong();
  }

  /**
   * What a decision reads of the arm: the model's decision part ({@code V⁻¹}, {@code θ̂}, count) and the
   * deviation estimate the robust variant shifts by.
   */
  @Override
  public void exportArmDecision(int arm, dev.recourse.core.state.StateSink sink) {
    model.exportArmDecision(arm, sink);
    sink.putDoubles(deviationSum, arm * delta.length, delta.length);
    sink.putLong(deviationCount[arm]);
  }

  @Override
  public void importArmDecision(int arm, dev.recourse.core.state.StateSource source) {
    model.importArmDecision(arm, source);
    source.getDoubles(deviationSum, arm * delta.length, delta.length);
    deviationCount[arm] = source.getLong();
  }

  /** A decision reads no shared state: the pair last played is read by the next update only. */
  @Override
  public void exportSharedDecision(dev.recourse.core.state.StateSink sink) {}

  @Override
  public void importSharedDecision(dev.recourse.core.state.StateSource source) {}

  /** Mean deviation (realised − played) of arm {@code arm}'s mutable feature {@code k}; 0 before data. */
  public double meanDeviation(int arm, int k) {
    long n = deviationCount[arm];
    return n == 0 ? 0.0 : deviationSum[arm * delta.length + k] / n;
  }

  @Override
  public String describe() {
    return "GLRB(model=" + model.describe() + ", link=" + model.link() + ", radius=" + radius.describe()
        + ", solver=" + solver.name() + ", set=" + set.describe()
        + (learnDeviations ? ", robust=mean-deviation" : "") + ")";
  }
}
