package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.rng.Lxm64x128;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import dev.recourse.core.simd.MlpKernels;
import java.util.random.RandomGenerator;

/**
 * ens-poGAMBITTS (spec §5): the treatment model is the offline pool of each (context cell, prompt)
 * ({@link OfflineTreatments}, as for poGAMBITTS), the reward model an ensemble of {@code M} small MLPs
 * {@code z → H ReLU → 1} ({@link Mlp}) trained by perturbed-target ensemble sampling. The network reads
 * {@code z} only, never the context (as in the repo, even in its "ctx" configurations); the context
 * selects the cell whose pool is sampled.
 *
 * <p>Update: store {@code (Z_t, Y_t)} in a FIFO replay buffer with {@code M} fresh perturbations
 * {@code ε_{t,m} ~ N(0, σ²)}; once the buffer holds {@code warmupRounds} observations, draw one
 * mini-batch of indices with replacement and give every member one Adam step on the MSE against
 * {@code y + ε_m}. Decision: during the first {@code warmupRounds} decisions a uniformly random prompt;
 * afterwards pick a member {@code m} uniformly and score each prompt by the mean of {@code f_m(z)} over
 * {@code mcDraws} draws (with replacement) from the cell's offline pool; argmax, ties to the lowest index.
 * The decision's score is the winner's score (NaN while random); width is NaN.
 *
 * <p>Implementation: all members train at once through {@link MlpKernels} (members as vector lanes, one
 * flat weight array, one fused forward/backward pass over the shared mini-batch, Adam as one flat pass);
 * a decision copies the chosen member out of the lanes and scores the prompts with
 * {@link MlpKernels#hiddenSums}. The model's state is the block of fields under "Model state" (weights,
 * Adam's moments and step count, the replay buffer, the decision count) plus the RNG; everything else is
 * workspace. {@link Mlp} is the per-member reference (initialisation order, tests).
 *
 * <p>All buffers are sized at construction: decide and update (training included) allocate nothing.
 *
 * <p>Limits ({@link AgentChecks}): embedding entries, observed and offline, at most 1e4 in magnitude
 * (the networks start at unit scale and take fixed-size Adam steps), rewards at most 1e100. An outcome
 * beyond them is refused before anything changes, offline embeddings beyond them at construction.
 */
public final class EnsPoGambitts implements Policy, dev.recourse.core.policy.ServablePolicy, TreatmentAgent {

  /** Embedding entries at most 1e4 in magnitude: scale 1 ({@link AgentChecks}), whatever the options (no prior scale). */
  public static final double TREATMENT_LIMIT = AgentChecks.treatmentLimit(1.0);

  private final int numArms;
  private final int dim;
  private final ContextCells cells;
  private final OfflineTreatments offline;
  private final EnsembleOptions options;
  private final RandomGenerator rng;
  private final DoubleKernels kernels;

  private final MlpKernels mlp;
  /** Members per lane group: {@code M} rounded up to a multiple of 8 (the padding members stay zero). */
  private final int stride;
  /** Parameters per member ({@link MlpKernels#numParams}). */
  private final int numParams;

  // ---- Model state (everything a snapshot needs) ----
  /**
   * Every member's weights, members as lanes: parameter {@code p} of member {@code m} at
   * {@code weights[p·stride + m]}, {@code p} in the order W1 by coordinate, b1, w2, b2 ({@link MlpKernels}).
   */
  private final double[] weights;
  /** Adam's first and second moments, same layout (persistent optimiser only; empty with the reset). */
  private final double[] adamM;
  private final double[] adamV;
  /** Adam steps taken (the bias corrections' {@code t}). */
  private long adamSteps;
  /** Replay buffer (FIFO ring): inputs ({@code capacity×d_z}), rewards, perturbations ({@code capacity×M}). */
  private final double[] bufZ;
  private final double[] bufY;
  private final double[] bufEps;
  private int bufSize;
  private int bufHead;
  /** Decisions taken (the first {@code warmupRounds} are uniformly random). */
  private long decisions;

  // ---- Workspaces (no state) ----
  /** The mini-batch: inputs (row-major {@code batch×d}) and buffer indices. */
  private final double[] batchZ;
  private final int[] batchIdx;
  /** Every member's targets on the batch, and its outputs, then {@code ∂L/∂f} ({@code batch×stride} each). */
  private final double[] batchTargets;
  private final double[] batchOut;
  /** The kernels' scratch ({@link MlpKernels#workSize}). */
  private final double[] work;
  /** Per-member sum of squared residuals ({@code stride}). */
  private final double[] memberLoss;
  /** The gradient, same layout as {@link #weights}. */
  private final double[] grad;
  /** The deciding member, copied out of {@link #weights} (stride 1), and its Monte Carlo draws' rows. */
  private final double[] member;
  private final int[] drawIdx;
  /** One member in per-unit arrays, for {@link #predict}. */
  private final Mlp net;
  private final double[] act;
  private final double[] actSum;
  private final double[] lastScores;
  private double lastLoss = Double.NaN;
  /** {@link #rng} when it is an {@link Lxm64x128} (whose {@code nextInt(bound)} is the JDK default), else null. */
  private final Lxm64x128 lxm;
  /** Sink of the decision's pool touches (never read). */
  private double touched;

  /**
   * @param cells the context columns (their cell selects the offline pool; {@code numCells} must match)
   * @param offline the offline embeddings per (cell, prompt): {@code K} and {@code d_z} are theirs
   * @param options the ensemble's settings ({@link EnsembleOptions#repo(double)} for the repo's)
   * @param rng this agent's stream: member initialisation, perturbations, batches, member choice, Z draws
   */
  public EnsPoGambitts(ContextCells cells, OfflineTreatments offline, EnsembleOptions options, RandomGenerator rng) {
    this.cells = AgentChecks.nonNull("cells", cells);
    this.offline = AgentChecks.nonNull("offline", offline);
    this.options = AgentChecks.nonNull("options", options);
    this.rng = AgentChecks.nonNull("rng", rng);
    this.lxm = rng instanceof Lxm64x128 l ? l : null;
    if (offline.numCells() != cells.numCells()) {
      throw new IllegalArgumentException("offline numCells must equal the context's " + cells.numCells()
          + ", got " + offline.numCells());
    }
    this.kernels = Kernels.get();
    this.numArms = offline.numArms();
    this.dim = offline.dim();
    AgentChecks.offline(offline, TREATMENT_LIMIT);
    int m = options.members();
    int h = options.hidden();
    long total = (long) MlpKernels.stride(m) * Mlp.numParams(dim, h);
    long eps = (long) options.bufferCapacity() * m;
    long batchLanes = (long) options.batchSize() * MlpKernels.stride(m);
    long scratch = (long) options.batchSize() * h * MlpKernels.STRIDE_MULTIPLE;
    if (total > 1 << 28 || eps > 1 << 28 || batchLanes > 1 << 28 || scratch > 1 << 28
        || (long) numArms * options.mcDraws() * dim > 1 << 28) {
      throw new IllegalArgumentException("ensemble too large: members·params = " + total
          + ", bufferCapacity·members = " + eps + ", batch·members = " + batchLanes + ", batch·hidden·8 = " + scratch
          + ", K·draws·d_z = " + (long) numArms * options.mcDraws() * dim);
    }
    this.mlp = MlpKernels.get();
    this.stride = MlpKernels.stride(m);
    this.numParams = Mlp.numParams(dim, h);
    weights = new double[numParams * stride];
    net = new Mlp(dim, h);
    for (int i = 0; i < m; i++) {
      // Member by member, as before the lane layout: the same draws give the same initial weights.
      net.init(rng);
      scatter(net, i);
    }
    int moments = options.resetOptimizer() ? 0 : numParams * stride;
    adamM = new double[moments];
    adamV = new double[moments];
    grad = new double[numParams * stride];
    int cap = options.bufferCapacity();
    bufZ = new double[cap * dim];
    bufY = new double[cap];
    bufEps = new double[(int) eps];
    int n = options.batchSize();
    batchZ = new double[n * dim];
    batchIdx = new int[n];
    batchOut = new double[n * stride];
    batchTargets = new double[n * stride];
    work = new double[MlpKernels.workSize(h, n)];
    memberLoss = new double[stride];
    member = new double[numParams];
    drawIdx = new int[numArms * options.mcDraws()];
    act = new double[h];
    actSum = new double[h];
    lastScores = new double[numArms];
  }

  /** Writes {@code src}'s parameters into member {@code member}'s lane of {@link #weights}. */
  private void scatter(Mlp src, int member) {
    for (int p = 0; p < numParams; p++) {
      weights[p * stride + member] = src.get(p);
    }
  }

  /** Copies member {@code member}'s parameters out of {@link #weights} into {@code dst[0..numParams)}. */
  private void gatherFlat(int member, double[] dst) {
    int s = stride;
    double[] w = weights;
    for (int p = 0, q = member; p < numParams; p++, q += s) {
      dst[p] = w[q];
    }
  }

  /** Copies member {@code member}'s parameters out of {@link #weights} into {@code dst}. */
  private void gather(int member, Mlp dst) {
    int h = dst.hidden;
    int s = stride;
    double[] w = weights;
    for (int c = 0; c < dim; c++) {
      double[] row = dst.w1[c];
      int base = c * h * s + member;
      for (int j = 0; j < h; j++) {
        row[j] = w[base + j * s];
      }
    }
    int b1o = dim * h * s + member;
    int w2o = (dim + 1) * h * s + member;
    for (int j = 0; j < h; j++) {
      dst.b1[j] = w[b1o + j * s];
      dst.w2[j] = w[w2o + j * s];
    }
    dst.b2 = w[(dim + 2) * h * s + member];
  }

  @Override
  public int dim() {
    return cells.dim();
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public int treatmentDim() {
    return dim;
  }

  /** 1e4: the networks have no prior scale but their own, 1 ({@link AgentChecks}). */
  @Override
  public double treatmentLimit() {
    return TREATMENT_LIMIT;
  }

  public EnsembleOptions options() {
    return options;
  }

  /** Observations in the replay buffer. */
  public int bufferSize() {
    return bufSize;
  }

  /** Mean over members of the last training step's mini-batch loss (NaN before training). */
  public double lastLoss() {
    return lastLoss;
  }

  @Override
  public void decide(double[] x, Decision out) {
    int cell = cells.checkedCell(x);
    AgentChecks.decision(out, cells.dim());
    RandomGenerator g = rng;
    int k = numArms;
    long round = decisions++;
    System.arraycopy(x, 0, out.context(), 0, x.length);
    if (round < options.warmupRounds()) {
      int arm = g.nextInt(k);
      java.util.Arrays.fill(lastScores, Double.NaN);
      out.set(arm, Double.NaN, Double.NaN, false, 0);
      return;
    }
    double[] w = member;
    gatherFlat(g.nextInt(options.members()), w);
    int h = options.hidden();
    int n = options.mcDraws();
    int d = dim;
    double[] pool = offline.samples();
    double[] sum = actSum;
    double b2 = w[(d + 2) * h];
    int w2o = (d + 1) * h;
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    // All K·n draws first, in the order of the RNG calls (prompt by prompt); the kernel then reads the
    // rows straight from the pool by index.
    int[] idx = drawIdx;
    double touch = 0.0;
    for (int a = 0, q = 0; a < k; a++) {
      int slot = cell * k + a;
      int count = offline.count(slot);
      int first = offline.sampleOffset(slot, 0);
      if (lxm != null) {
        q = drawRows(lxm, count, first, d, n, idx, q);
      } else {
        for (int i = 0; i < n; i++) {
          idx[q++] = first + g.nextInt(count) * d;
        }
      }
    }
    // Touch every drawn row first, in one tight loop: their cache misses (random rows of a pool of a few
    // MB that the training step evicted) overlap each other, and the kernel reads them from cache.
    for (int i = 0, e = k * n; i < e; i++) {
      touch += pool[idx[i]];
    }
    touched = touch;
    for (int a = 0; a < k; a++) {
      // The output layer is linear, so the mean of f over the draws is b2 + w2·(mean hidden activation):
      // one dot per prompt instead of one per draw.
      mlp.hiddenSums(w, d, h, pool, idx, a * n, n, sum);
      double s = b2 + kernels.dot(w, w2o, sum, 0, h) / n;
      lastScores[a] = s;
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
    out.set(best, bestScore, Double.NaN, false, 0);
  }

  /**
   * {@code n} rows {@code first + g.nextInt(count)·d} into {@code idx[q..q+n)}, returns {@code q + n}: the
   * JDK's {@code RandomGenerator.nextInt(bound)} ({@code RandomSupport.boundedNextInt}: a mask for a power
   * of two, else {@code u = nextInt() >>> 1} and {@code r = u % count}, rejecting while
   * {@code u + count − 1 − r} overflows) call for call and result for result, with the remainder by a
   * multiply and a shift instead of an integer division: for {@code 0 ≤ u < 2³¹} and
   * {@code ℓ = ⌈log₂ count⌉}, {@code ⌊u/count⌋ = ⌊u·mult / 2^(31+ℓ)⌋} with
   * {@code mult = ⌊2^(31+ℓ)/count⌋ + 1} (Granlund and Montgomery 1994, Theorem 4.2: {@code mult·count} lies
   * in {@code (2^(31+ℓ), 2^(31+ℓ) + 2^ℓ]}); the product is below {@code 2⁶⁴} and is shifted unsigned.
   */
  static int drawRows(Lxm64x128 g, int count, int first, int d, int n, int[] idx, int q) {
    int m = count - 1;
    if ((count & m) == 0) {
      for (int i = 0; i < n; i++) {
        idx[q++] = first + (g.nextInt() & m) * d;
      }
      return q;
    }
    int shift = 31 + (32 - Integer.numberOfLeadingZeros(m));
    long mult = (1L << shift) / count + 1;
    // A rejected draw (u + m − r overflows) leaves the slot to the next draw, without a branch: the JDK
    // rejects about count/2³¹ of draws, so rarely that C2 would compile a `while` for it as an
    // uncommon trap, and the first rejection after compilation deoptimised the whole decide (the
    // ensemble then ran its vector code in C1, allocating, until recompiled; JMH saw ≈ 60 B/op).
    for (int end = q + n; q < end; ) {
      int u = g.nextInt() >>> 1;
      int r = u - (int) ((u * mult) >>> shift) * count;
      idx[q] = first + r * d;
      q += ~(u + m - r) >>> 31; // 1 when accepted, 0 when rejected
    }
    return q;
  }

  @Override
  public void update(Outcome outcome) {
    AgentChecks.outcome(outcome, numArms, cells);
    AgentChecks.treatment(outcome, dim, TREATMENT_LIMIT);
    store(outcome.treatment(), outcome.reward());
    if (bufSize >= Math.max(1, options.warmupRounds())) {
      train();
    }
  }

  private void store(double[] z, double y) {
    int m = options.members();
    int slot = bufHead;
    System.arraycopy(z, 0, bufZ, slot * dim, dim);
    bufY[slot] = y;
    double sd = options.perturbationSd();
    int e = slot * m;
    for (int i = 0; i < m; i++) {
      bufEps[e + i] = sd * rng.nextGaussian();
    }
    bufHead = slot + 1 == options.bufferCapacity() ? 0 : slot + 1;
    if (bufSize < options.bufferCapacity()) {
      bufSize++;
    }
  }

  /**
   * One mini-batch shared by all members, one Adam step each (spec §5), all members at once: a forward
   * pass of the ensemble on the batch, the residuals against each member's perturbed targets, a backward
   * pass and Adam over the flat parameter array ({@link MlpKernels}).
   */
  private void train() {
    RandomGenerator g = rng;
    int n = options.batchSize();
    int d = dim;
    int size = bufSize;
    for (int i = 0; i < n; i++) {
      int idx = g.nextInt(size);
      batchIdx[i] = idx;
      for (int c = 0, src = idx * d, dst = i * d; c < d; c++) {
        batchZ[dst + c] = bufZ[src + c];
      }
    }
    int h = options.hidden();
    int s = stride;
    int numMembers = options.members();
    // Each member's targets y_i + ε_{i,m}; the padding members' stay 0 (so do their outputs).
    double[] t = batchTargets;
    double[] epsBuf = bufEps;
    for (int i = 0; i < n; i++) {
      int idx = batchIdx[i];
      double y = bufY[idx];
      int e = idx * numMembers;
      int o = i * s;
      for (int m = 0; m < numMembers; m++) {
        t[o + m] = y + epsBuf[e + m];
      }
    }
    double[] loss = memberLoss;
    mlp.lossGradient(weights, d, h, s, batchZ, n, t, 2.0 / n, batchOut, loss, grad, work);
    long step = ++adamSteps;
    adamStep(step);
    double lossSum = 0.0;
    for (int m = 0; m < numMembers; m++) {
      lossSum += loss[m] / n;
    }
    lastLoss = lossSum / numMembers;
  }

  /**
   * torch's Adam update {@code θ −= (lr/(1−β1^t))·m/(√v/√(1−β2^t) + ε)} of every member from
   * {@link #grad}; with the repo's reset the moments start at zero and {@code t = 1} every step.
   */
  private void adamStep(long step) {
    double lr = options.learningRate();
    double b1 = EnsembleOptions.ADAM_BETA1;
    double b2 = EnsembleOptions.ADAM_BETA2;
    int len = weights.length;
    if (options.resetOptimizer()) {
      double stepSize = lr / (1.0 - b1);
      double invSqrtBc2 = 1.0 / Math.sqrt(1.0 - b2);
      mlp.adamReset(weights, grad, len, stepSize, 1.0 - b1, 1.0 - b2, invSqrtBc2, EnsembleOptions.ADAM_EPS);
      return;
    }
    double stepSize = lr / (1.0 - Math.pow(b1, step));
    double invSqrtBc2 = 1.0 / Math.sqrt(1.0 - Math.pow(b2, step));
    mlp.adamPersistent(weights, grad, adamM, adamV, len, b1, b2, stepSize, invSqrtBc2, EnsembleOptions.ADAM_EPS);
  }

  /** {@code f_m(z)} of member {@code member} at {@code z[0..d_z)} (diagnostics and tests; not the hot path). */
  public double predict(int member, double[] z) {
    // Padding lanes (members..lane group) exist and are zero: an index past M is a mistake, not a member.
    if (member < 0 || member >= options.members()) {
      throw new IllegalArgumentException("member must be in [0, " + options.members() + "), got " + member);
    }
    if (z == null || z.length < dim) {
      throw new IllegalArgumentException("z must hold d_z = " + dim + " values, got "
          + (z == null ? "null" : String.valueOf(z.length)));
    }
    gather(member, net);
    return net.forward(kernels, z, 0, act);
  }

  /** Copies the last decision's score of every prompt into {@code out[0..K)} (NaN while random). */
  public void copyLastScores(double[] dst) {
    System.arraycopy(lastScores, 0, dst, 0, numArms);
  }

  @Override
  public String describe() {
    EnsembleOptions o = options;
    return "ens-poGAMBITTS(K=" + numArms + ", d_z=" + dim + ", context=" + cells.describe() + ", cells="
        + cells.numCells() + ", offline_min_per_cell=" + offline.minCount() + ", members=" + o.members()
        + ", hidden=" + o.hidden() + ", buffer=" + o.bufferCapacity() + ", warmup=" + o.warmupRounds()
        + ", batch=" + o.batchSize() + ", mc_draws=" + o.mcDraws() + ", lr=" + o.learningRate()
        + ", optimiser=" + (o.resetOptimizer() ? "adam-reset-every-step" : "adam-persistent")
        + ", perturbation_sd=" + o.perturbationSd() + ", kernels=" + kernels.name() + ", mlp_kernels=" + mlp.name() + ")";
  }

  // ---------------------------------------------------------------- serving (appended: decide and training above stay as they are)

  /**
   * Among the allowed prompts: the plain decision, whose scores cover every prompt, then the best allowed
   * one (ties to the lowest index). With every prompt allowed it is the plain decision itself. In the
   * warm-up a uniform draw outside the set is redrawn uniformly within it, so each allowed prompt keeps
   * probability 1/|allowed|. The Monte Carlo of a prompt not allowed is spent all the same: the plain
   * decide's draws, and so its stream, do not depend on the set.
   */
  @Override
  public void decide(double[] x, boolean[] allowed, Decision out) {
    dev.recourse.core.policy.ServablePolicy.checkAllowed(allowed, numArms);
    double[] scores = out.scores();
    if (scores != null && scores.length != numArms) {
      throw new IllegalArgumentException("decision scores length must be numArms = " + numArms + ", got "
          + scores.length);
    }
    decide(x, out);
    int k = numArms;
    int allowedCount = 0;
    for (int a = 0; a < k; a++) {
      allowedCount += allowed[a] ? 1 : 0;
    }
    int arm = out.arm();
    double score = out.score();
    if (allowedCount < k) {
      if (decisions - 1 < options.warmupRounds()) { // that was a warm-up round: a random prompt
        if (!allowed[arm]) {
          int pick = rng.nextInt(allowedCount);
          arm = 0;
          while (!allowed[arm] || pick-- > 0) {
            arm++;
          }
        }
      } else {
        arm = 0;
        while (!allowed[arm]) {
          arm++;
        }
        score = Double.NEGATIVE_INFINITY;
        for (int a = arm; a < k; a++) {
          if (allowed[a] && lastScores[a] > score) {
            score = lastScores[a];
            arm = a;
          }
        }
      }
      out.set(arm, score, Double.NaN, false, 0);
    }
    if (scores != null) {
      for (int a = 0; a < k; a++) {
        scores[a] = allowed[a] ? lastScores[a] : Double.NaN;
        out.widths()[a] = Double.NaN;
      }
    }
  }

  /**
   * The whole state, shared: shape, the generator's position, the decision count, every member's weights
   * (the lane layout, padding lanes included), Adam's step count and moments (persistent optimiser only),
   * the replay buffer (Z, y and the members' perturbations, head and size) and the last loss. The offline
   * pool is configuration.
   */
  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    sink.putLong(numArms);
    sink.putLong(dim);
    sink.putLong(options.members());
    sink.putLong(adamM.length);
    sink.putLong(options.bufferCapacity());
    dev.recourse.core.rng.Lxm64x128.saveable(rng, "ens-poGAMBITTS").exportState(sink);
    sink.putLong(decisions);
    sink.putDoubles(weights);
    sink.putLong(adamSteps);
    sink.putDoubles(adamM);
    sink.putDoubles(adamV);
    sink.putLong(bufSize);
    sink.putLong(bufHead);
    sink.putDoubles(bufZ);
    sink.putDoubles(bufY);
    sink.putDoubles(bufEps);
    sink.putDouble(lastLoss);
  }

  @Override
  public void importShared(dev.recourse.core.state.StateSource source) {
    source.expect("ens-poGAMBITTS numArms", numArms);
    source.expect("ens-poGAMBITTS d_z", dim);
    source.expect("ens-poGAMBITTS members", options.members());
    source.expect("ens-poGAMBITTS optimiser moments", adamM.length);
    source.expect("ens-poGAMBITTS buffer capacity", options.bufferCapacity());
    dev.recourse.core.rng.Lxm64x128.saveable(rng, "ens-poGAMBITTS").importState(source);
    long n = source.getLong();
    source.getDoubles(weights);
    long steps = source.getLong();
    source.getDoubles(adamM);
    source.getDoubles(adamV);
    long size = source.getLong();
    long head = source.getLong();
    int cap = options.bufferCapacity();
    if (size < 0 || size > cap || head < 0 || head >= cap || n < 0 || steps < 0) {
      throw new IllegalArgumentException("state ens-poGAMBITTS buffer size " + size + ", head " + head
          + " (capacity " + cap + "), decisions " + n + " or steps " + steps + " out of range");
    }
    source.getDoubles(bufZ);
    source.getDoubles(bufY);
    source.getDoubles(bufEps);
    lastLoss = source.getDouble();
    decisions = n;
    adamSteps = steps;
    bufSize = (int) size;
    bufHead = (int) head;
  }

  /** None: the ensemble learns from every prompt's outcomes alike. */
  @Override
  public int stateArms() {
    return 0;
  }

  @Override
  public void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    throw new IndexOutOfBoundsException("ens-poGAMBITTS has no per-arm state, arm " + arm);
  }

  @Override
  public void importArm(int arm, dev.recourse.core.state.StateSource source) {
    throw new IndexOutOfBoundsException("ens-poGAMBITTS has no per-arm state, arm " + arm);
  }
}
