package dev.recourse.core.policy;

import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.simd.DoubleKernels;

/**
 * Disjoint LinUCB (Li et al. 2010; Chu et al. 2011): score {@code xᵀθ̂_a + α·sqrt(xᵀV_a⁻¹x)}, the
 * largest wins, ties go to the lowest arm index. Recommends no recourse ({@code x̃ = x}); in recourse
 * studies its regret is still measured against the recourse-optimal pair (spec libra.md §5).
 */
public final class LinUcb implements ServablePolicy {

  /**
   * From this dimension on, every arm is scored from the chunk-aligned upper triangles of V⁻¹ (half the
   * bytes, one stream; the update also writes that copy). Below it the copy costs the update more than
   * it saves the decide (8×2: round 261 ns without, 288 with; 20×10: 1,737 → 808 ns; 100×50: 112 → 56 µs;
   * thread CPU time, old and new code alternating in one JVM).
   */
  public static final int PACKED_SCORING_MIN_DIM = 12;

  /**
   * Arms scored per pass of the pruned decide ({@link #argmaxPruned}): the forms kernel's group. With
   * no more arms than this, pruning cannot skip a pass and is not tried.
   */
  private static final int PRUNE_BATCH = 4;

  /**
   * Factor on the pruning bound's width. The computed form exceeds the exact one by at most
   * ≈ m·2⁻⁵³·λ̄·xᵀx (m ≤ d² terms; λ̄ bounds the absolute row sums of V⁻¹), i.e. a relative 10⁻¹² at
   * d = 100: a margin of 10⁻⁹ keeps every computed score below its bound, so pruning never changes a
   * decision, ties included.
   */
  private static final double PRUNE_MARGIN = 1.0 + 1e-9;

  /** {@link #argmaxPruned}'s answer when pruning would not pay: score every arm. */
  private static final int NOT_PRUNED = -2;

  /** Block of contexts processed together by {@link #predict}. */
  private static final int PREDICT_BLOCK = 64;

  private final RidgeArms arms;
  private final double alpha;
  private final double[] blockQuad;
  private final double[] blockBest;
  /** Per decision: every arm's xᵀV⁻¹x and θ̂ᵀx, and the outer product the forms share. */
  private final double[] quads;
  private final double[] means;
  private final double[] outerWork;
  /** One context of a {@link #predict} block, where it is scored as a decision. */
  private final double[] predictRow;
  private final boolean packedScoring;
  /** Per pruned decision: each arm's upper bound on its score (NaN once scored or not allowed). */
  private final double[] bounds;
  private final int[] batch = new int[PRUNE_BATCH];
  private final double[] batchQuads = new double[PRUNE_BATCH];
  /** Mean and xᵀV⁻¹x of the arm the last {@link #argmaxScore} chose (read by decide, not recomputed). */
  private double bestMean;
  private double bestQuad;

  /** LinUCB with α = 1, λ = 1 (the documented defaults). */
  public LinUcb(int numArms, int dim) {
    this(new RidgeArms(numArms, dim, 1.0), 1.0);
  }

  public LinUcb(int numArms, int dim, double alpha, double lambda) {
    this(new RidgeArms(numArms, dim, lambda), alpha);
  }

  /** LinUCB on a caller-configured arm model (refresh period, kernels). */
  public LinUcb(RidgeArms arms, double alpha) {
    if (!(alpha >= 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("alpha must be finite and >= 0, got " + alpha);
    }
    this.arms = java.util.Objects.requireNonNull(arms, "arms");
    this.alpha = alpha;
    this.blockQuad = new double[PREDICT_BLOCK];
    this.blockBest = new double[PREDICT_BLOCK];
    this.quads = new double[arms.numArms()];
    this.means = new double[arms.numArms()];
    this.packedScoring = arms.dim() >= PACKED_SCORING_MIN_DIM;
    this.bounds = new double[arms.numArms()];
    if (packedScoring) {
      arms.keepPackedUpper();
    }
    // Zero wherever the kernel does not write, as it requires.
    this.outerWork = packedScoring ? new double[arms.packedStride()] : null;
    this.predictRow = packedScoring ? new double[arms.dim()] : null;
  }

  @Override
  public int dim() {
    return arms.dim();
  }

  @Override
  public int numArms() {
    return arms.numArms();
  }

  public double alpha() {
    return alpha;
  }

  /** The arm model (read access for tests, diagnostics and benchmarks). */
  public RidgeArms arms() {
    return arms;
  }

  /** The chosen arm for {@code x}; allocates nothing. */
  public int decide(double[] x) {
    arms.checkContext(x);
    return argmaxScore(x, null, null, null, false);
  }

  @Override
  public void decide(double[] x, Decision out) {
    decide(x, null, out, false);
  }

  /** Among the allowed arms; fills {@link Decision#scores()} and {@link Decision#widths()} when present. */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    ServablePolicy.checkAllowed(allowed, arms.numArms());
    decide(x, allowed, out, true);
  }

  private void decide(double[] x, boolean[] allowed, Decision out, boolean fillScores) {
    arms.checkContext(x);
    int dim = arms.dim();
    PolicyChecks.decision(out, dim);
    double[] scores = fillScores ? out.scores() : null;
    if (scores != null && scores.length != arms.numArms()) {
      throw new IllegalArgumentException("decision scores length must be " + arms.numArms() + ", got " + scores.length);
    }
    boolean scored = out.scoreWanted();
    int best = argmaxScore(x, allowed, scores, scores == null ? null : out.widths(), scored);
    System.arraycopy(x, 0, out.context(), 0, dim);
    if (scored) {
      double width = 2.0 * alpha * Math.sqrt(bestQuad);
      out.set(best, bestMean + 0.5 * width, width, false, 0);
    } else {
      out.set(best, Double.NaN, Double.NaN, false, 0);
    }
  }

  /**
   * The best allowed arm ({@code allowed} null: every arm). One loop serves both paths, so that with
   * every arm allowed the arithmetic, and hence the decision, is the plain path's bit for bit.
   * {@code wantForm}: the caller reads the chosen arm's form ({@link #bestQuad}); without it a pruned
   * decision may leave it NaN.
   */
  private int argmaxScore(double[] x, boolean[] allowed, double[] scores, double[] widths, boolean wantForm) {
    RidgeArms m = arms;
    DoubleKernels k = m.kernels();
    int dim = m.dim();
    int numArms = m.numArms();
    // Every arm, allowed or not, so that the arithmetic and hence the decision do not depend on the
    // allowed set: in two fused passes (the upper triangles of V⁻¹ streamed once; θ̂ as one K×d gemv),
    // or arm by arm at small d. The plain decide first tries to score only the arms that could win.
    if (packedScoring) {
      k.gemv(m.thetaHat(), 0, numArms, dim, x, 0, means, 0);
      if (scores == null && numArms > PRUNE_BATCH) {
        int best = argmaxPruned(x, allowed, wantForm);
        if (best != NOT_PRUNED) {
          return best;
        }
      }
      k.symQuadFormsPacked(m.packedVInv(), 0, m.packedStride(), dim, numArms, x, 0, outerWork, quads, 0);
    } else {
      double[] vInv = m.vInv();
      double[] theta = m.thetaHat();
      for (int arm = 0; arm < numArms; arm++) {
        quads[arm] = k.quadForm(vInv, arm * dim * dim, dim, x, 0);
        means[arm] = k.dot(theta, arm * dim, x, 0, dim);
      }
    }
    double a = alpha;
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int arm = 0; arm < numArms; arm++) {
      if (allowed != null && !allowed[arm]) {
        if (scores != null) {
          scores[arm] = Double.NaN;
          widths[arm] = Double.NaN;
        }
        continue;
      }
      // Round-off can push a tiny xᵀV⁻¹x below zero; V⁻¹ is positive definite.
      double q = Math.max(0.0, quads[arm]);
      double mean = means[arm];
      double score = mean + a * Math.sqrt(q);
      if (scores != null) {
        scores[arm] = score;
        widths[arm] = 2.0 * a * Math.sqrt(q);
      }
      if (score > bestScore || best < 0) {
        bestScore = score;
        best = arm;
        bestMean = mean;
        bestQuad = q;
      }
    }
    return best;
  }

  /**
   * The arm {@link #argmaxScore} would choose, scoring only arms that could win. An arm's score is at
   * most {@code θ̂ᵀx + α·sqrt(λ̄·xᵀx)} with {@code λ̄ ≥ λ_max(V⁻¹)} (Gershgorin's bound,
   * {@link RidgeArms#vInvSpectralBound}, widened by {@link #PRUNE_MARGIN}). Arms are scored
   * {@value #PRUNE_BATCH} at a time in decreasing order of that bound until the next bound is below the
   * best score; ties go to the lowest index. The forms are the full loop's bit for bit
   * ({@link DoubleKernels#symQuadFormsPackedAt}), so are the chosen arm, its mean and its form. It pays
   * once every arm has been played in every direction (an arm with fewer plays than features has
   * λ_max(V⁻¹) = 1/λ, and its bound prunes nothing): on a 20×10 linear problem after 20,000 rounds one
   * pass of four settles 96–100 % of decisions. When more than half the arms stay open it returns
   * {@link #NOT_PRUNED} and the caller scores every arm in index order.
   */
  private int argmaxPruned(double[] x, boolean[] allowed, boolean wantForm) {
    RidgeArms m = arms;
    DoubleKernels k = m.kernels();
    int dim = m.dim();
    int numArms = m.numArms();
    // ‖x‖ once; per arm sqrt(λ̄) is kept with λ̄. The product may differ from sqrt(λ̄·xᵀx) by a few ulps,
    // far inside PRUNE_MARGIN.
    double normX = Math.sqrt(k.dot(x, 0, x, 0, dim));
    double a = alpha;
    // The best score is at least the best mean (a width is never negative): arms whose bound is below
    // it are out before any form.
    double floor = Double.NEGATIVE_INFINITY;
    for (int arm = 0; arm < numArms; arm++) {
      if (allowed == null || allowed[arm]) {
        floor = Math.max(floor, means[arm]);
      }
    }
    int open = 0;
    int lastOpen = -1;
    for (int arm = 0; arm < numArms; arm++) {
      double b = Double.NaN;
      if (allowed == null || allowed[arm]) {
        b = means[arm] + a * (m.vInvSpectralBoundSqrt(arm) * normX * PRUNE_MARGIN);
        if (b < floor) {
          b = Double.NaN;
        } else {
          open++;
          lastOpen = arm;
        }
      }
      bounds[arm] = b;
    }
    // One arm open: the best mean, alone (a tie would leave both open), beats every other arm's bound, so
    // it wins without a form, unless the caller wants its width. Once the arms have learnt, the usual case
    // (20×10 linear problem: 95 % of decisions after 10⁶ rounds).
    if (open == 1 && !wantForm) {
      bestMean = means[lastOpen];
      bestQuad = Double.NaN;
      return lastOpen;
    }
    // Until every arm has learnt about as many directions as it has features, λ̄ is 1/λ and nothing is
    // pruned: then all arms in index order (the stream the prefetcher follows) are cheaper.
    if (open > numArms / 2) {
      return NOT_PRUNED;
    }
    k.upperOuter(x, 0, dim, outerWork);
    int best = -1;
    double bestScore = Double.NEGATIVE_INFINITY;
    while (open > 0) {
      // The open arms with the largest bounds, in decreasing order (lowest index first among equals).
      int count = 0;
      for (int arm = 0; arm < numArms; arm++) {
        double b = bounds[arm];
        if (Double.isNaN(b) || (count == PRUNE_BATCH && !(b > bounds[batch[PRUNE_BATCH - 1]]))) {
          continue;
        }
        int at = count < PRUNE_BATCH ? count++ : PRUNE_BATCH - 1;
        while (at > 0 && bounds[batch[at - 1]] < b) {
          batch[at] = batch[at - 1];
          at--;
        }
        batch[at] = arm;
      }
      if (best >= 0 && bounds[batch[0]] < bestScore) {
        break;
      }
      for (int j = 0; j < count; j++) {
        bounds[batch[j]] = Double.NaN;
      }
      open -= count;
      // A short batch is padded with its last arm and scored as four: the kernel's one- and two-matrix
      // tails would run only here, too rarely for C2 to compile them before they are needed, and the
      // Vector API allocates in the lower tiers (JFR: 100-380 B per round at 100×50). The padded forms
      // are the same arm's, bit for bit, and are ignored.
      for (int j = count; j < PRUNE_BATCH; j++) {
        batch[j] = batch[count - 1];
      }
      k.symQuadFormsPackedAt(m.packedVInv(), 0, m.packedStride(), dim, batch, PRUNE_BATCH, outerWork,
          batchQuads);
      for (int j = 0; j < count; j++) {
        int arm = batch[j];
        double q = Math.max(0.0, batchQuads[j]);
        double mean = means[arm];
        double score = mean + a * Math.sqrt(q);
        if (score > bestScore || best < 0 || (score == bestScore && arm < best)) {
          bestScore = score;
          best = arm;
          bestMean = mean;
          bestQuad = q;
        }
      }
    }
    return best;
  }

  @Override
  public void update(Outcome outcome) {
    PolicyChecks.outcome(outcome, arms.dim());
    update(outcome.arm(), outcome.context(), outcome.reward());
  }

  /** Learns from arm {@code arm} played at realised context {@code x} (length d) with reward {@code reward}. */
  public void update(int arm, double[] x, double reward) {
    PolicyChecks.contextLength(x, arms.dim());
    arms.update(arm, x, 0, reward);
  }

  /**
   * Batch prediction without learning: {@code armsOut[j]} is the arm LinUCB would choose for row
   * {@code j} of the row-major {@code count×d} block {@code xs}. Below {@value #PACKED_SCORING_MIN_DIM}
   * features it uses the blocked quadratic-form kernel, one pass over each {@code V_a⁻¹} per block of
   * {@value #PREDICT_BLOCK} contexts; from there on it scores each context as {@link #decide} does.
   */
  public void predict(double[] xs, int count, int[] armsOut) {
    int dim = arms.dim();
    if (count < 0 || (long) count * dim > xs.length) {
      throw new IllegalArgumentException("xs holds " + xs.length / dim + " contexts of dim " + dim
          + ", count is " + count);
    }
    if (armsOut.length < count) {
      throw new IllegalArgumentException("armsOut length " + armsOut.length + " < count " + count);
    }
    for (int j = 0; j < count; j++) {
      arms.checkContext(xs, j * dim);
    }
    if (packedScoring) {
      // V⁻¹ lives in the packed triangles: score each context as decide does (same arithmetic, same arm).
      for (int j = 0; j < count; j++) {
        System.arraycopy(xs, j * dim, predictRow, 0, dim);
        armsOut[j] = argmaxScore(predictRow, null, null, null, false);
      }
      return;
    }
    DoubleKernels k = arms.kernels();
    double[] vInv = arms.vInv();
    double[] theta = arms.thetaHat();
    for (int start = 0; start < count; start += PREDICT_BLOCK) {
      int n = Math.min(PREDICT_BLOCK, count - start);
      java.util.Arrays.fill(blockBest, 0, n, Double.NEGATIVE_INFINITY);
      for (int arm = 0; arm < arms.numArms(); arm++) {
        k.quadForms(vInv, arm * dim * dim, dim, xs, start * dim, n, blockQuad, 0);
        for (int j = 0; j < n; j++) {
          double score = k.dot(theta, arm * dim, xs, (start + j) * dim, dim)
              + alpha * Math.sqrt(Math.max(0.0, blockQuad[j]));
          if (score > blockBest[j]) {
            blockBest[j] = score;
            armsOut[start + j] = arm;
          }
        }
      }
    }
  }

  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    arms.exportShared(sink);
  }

  @Override
  public void importShared(dev.recourse.core.state.StateSource source) {
    arms.importShared(source);
  }

  @Override
  public int stateArms() {
    return arms.numArms();
  }

  @Override
  public void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    arms.exportArm(arm, sink);
  }

  @Override
  public void importArm(int arm, dev.recourse.core.state.StateSource source) {
    arms.importArm(arm, source);
  }

  /**
   * What scoring reads: the arm's scoring copy of {@code V⁻¹} (packed from d =
   * {@value #PACKED_SCORING_MIN_DIM} on), {@code θ̂}, the count and the pruned decide's bound on
   * {@code λ_max(V⁻¹)} ({@link RidgeArms#exportArmDecision}).
   */
  @Override
  public void exportArmDecision(int arm, dev.recourse.core.state.StateSink sink) {
    arms.exportArmDecision(arm, sink);
  }

  @Override
  public void importArmDecision(int arm, dev.recourse.core.state.StateSource source) {
    arms.importArmDecision(arm, source);
  }

  /** A decision reads no shared state (the shape is configuration). */
  @Override
  public void exportSharedDecision(dev.recourse.core.state.StateSink sink) {}

  @Override
  public void importSharedDecision(dev.recourse.core.state.StateSource source) {}

  @Override
  public String describe() {
    return "LinUCB(alpha=" + alpha + ", lambda=" + arms.lambda() + ", refreshEvery=" + arms.refreshEvery()
        + ", refresh=" + arms.refreshMethod() + ", kernels=" + arms.kernels().name() + ")";
  }
}
