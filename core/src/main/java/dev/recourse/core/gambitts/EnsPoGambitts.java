package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
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
 * <p>All buffers are sized at construction: decide and update (training included) allocate nothing.
 */
public final class EnsPoGambitts implements Policy, dev.recourse.core.policy.ServablePolicy {

  private final int numArms;
  private final int dim;
  private final ContextCells cells;
  private final OfflineTreatments offline;
  private final EnsembleOptions options;
  private final RandomGenerator rng;
  private final DoubleKernels kernels;

  private final Mlp[] members;
  /** Adam's moments per member (persistent optimiser only; empty with the reset), and the step count. */
  private final Mlp[] adamM;
  private final Mlp[] adamV;
  private long adamSteps;

  private final double[] bufZ;
  private final double[] bufY;
  private final double[] bufEps;
  private int bufSize;
  private int bufHead;
  private long decisions;

  /** The mini-batch: inputs (row-major {@code batch×d}), buffer indices, rewards, one member's targets. */
  private final double[] batchZ;
  private final int[] batchIdx;
  private final double[] batchY;
  private final double[] targets;
  private final double[] act;
  private final double[] actSum;
  private final double[][] hid;
  private final double[] outputs;
  private final double[] mask;
  private final Mlp grad;
  private final double[] lastScores;
  private double lastLoss = Double.NaN;

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
    if (offline.numCells() != cells.numCells()) {
      throw new IllegalArgumentException("offline numCells must equal the context's " + cells.numCells()
          + ", got " + offline.numCells());
    }
    this.kernels = Kernels.get();
    this.numArms = offline.numArms();
    this.dim = offline.dim();
    int m = options.members();
    int h = options.hidden();
    long total = (long) m * Mlp.numParams(dim, h);
    long eps = (long) options.bufferCapacity() * m;
    if (total > 1 << 28 || eps > 1 << 28 || (long) options.batchSize() * dim > 1 << 28) {
      throw new IllegalArgumentException("ensemble too large: members·params = " + total
          + ", bufferCapacity·members = " + eps + ", batch·d_z = " + (long) options.batchSize() * dim);
    }
    members = new Mlp[m];
    for (int i = 0; i < m; i++) {
      members[i] = new Mlp(dim, h);
      members[i].init(rng);
    }
    int moments = options.resetOptimizer() ? 0 : m;
    adamM = new Mlp[moments];
    adamV = new Mlp[moments];
    for (int i = 0; i < moments; i++) {
      adamM[i] = new Mlp(dim, h);
      adamV[i] = new Mlp(dim, h);
    }
    int cap = options.bufferCapacity();
    bufZ = new double[cap * dim];
    bufY = new double[cap];
    bufEps = new double[(int) eps];
    int n = options.batchSize();
    batchZ = new double[n * dim];
    batchIdx = new int[n];
    batchY = new double[n];
    targets = new double[n];
    act = new double[h];
    actSum = new double[h];
    hid = new double[n][h];
    outputs = new double[n];
    mask = new double[h];
    grad = new Mlp(dim, h);
    lastScores = new double[numArms];
  }

  @Override
  public int dim() {
    return cells.dim();
  }

  @Override
  public int numArms() {
    return numArms;
  }

  public int treatmentDim() {
    return dim;
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
    Mlp net = members[g.nextInt(options.members())];
    int h = options.hidden();
    int n = options.mcDraws();
    int d = dim;
    double[] pool = offline.samples();
    double[] a1 = act;
    double[] sum = actSum;
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < k; a++) {
      int slot = cell * k + a;
      int count = offline.count(slot);
      int first = offline.sampleOffset(slot, 0);
      // The output layer is linear, so the mean of f over the draws is b2 + w2·(mean hidden activation):
      // one dot per prompt instead of one per draw.
      java.util.Arrays.fill(sum, 0.0);
      int i = 0;
      for (; i + 1 < n; i += 2) {
        int z0 = first + g.nextInt(count) * d;
        int z1 = first + g.nextInt(count) * d;
        net.addHiddenPair(pool, z0, z1, sum, a1);
      }
      if (i < n) {
        net.hidden(pool, first + g.nextInt(count) * d, a1);
        for (int j = 0; j < h; j++) {
          sum[j] += a1[j];
        }
      }
      double s = net.b2 + kernels.dot(net.w2, 0, sum, 0, h) / n;
      lastScores[a] = s;
      if (s > bestScore) {
        bestScore = s;
        best = a;
      }
    }
    out.set(best, bestScore, Double.NaN, false, 0);
  }

  @Override
  public void update(Outcome outcome) {
    AgentChecks.outcome(outcome, numArms, cells);
    AgentChecks.treatment(outcome, dim);
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

  /** One mini-batch shared by all members, one Adam step each (spec §5). */
  private void train() {
    RandomGenerator g = rng;
    int n = options.batchSize();
    int d = dim;
    int size = bufSize;
    for (int i = 0; i < n; i++) {
      int idx = g.nextInt(size);
      batchIdx[i] = idx;
      batchY[i] = bufY[idx];
      System.arraycopy(bufZ, idx * d, batchZ, i * d, d);
    }
    int numMembers = members.length;
    double lossSum = 0.0;
    long step = ++adamSteps;
    for (int m = 0; m < numMembers; m++) {
      for (int i = 0; i < n; i++) {
        targets[i] = batchY[i] + bufEps[batchIdx[i] * numMembers + m];
      }
      lossSum += members[m].gradient(kernels, batchZ, 0, n, targets, grad, hid, outputs, mask);
      adamStep(m, step);
    }
    lastLoss = lossSum / numMembers;
  }

  /**
   * torch's Adam update {@code θ −= (lr/(1−β1^t))·m/(√v/√(1−β2^t) + ε)} of member {@code member} from
   * {@link #grad}; with the repo's reset the moments start at zero and {@code t = 1} every step.
   */
  private void adamStep(int member, long step) {
    double lr = options.learningRate();
    double b1 = EnsembleOptions.ADAM_BETA1;
    double b2 = EnsembleOptions.ADAM_BETA2;
    Mlp p = members[member];
    Mlp g = grad;
    if (options.resetOptimizer()) {
      double stepSize = lr / (1.0 - b1);
      double invSqrtBc2 = 1.0 / Math.sqrt(1.0 - b2);
      for (int c = 0; c < dim; c++) {
        adamReset(p.w1[c], g.w1[c], stepSize, invSqrtBc2);
      }
      adamReset(p.b1, g.b1, stepSize, invSqrtBc2);
      adamReset(p.w2, g.w2, stepSize, invSqrtBc2);
      double gi = g.b2;
      p.b2 -= stepSize * (1.0 - b1) * gi / (Math.sqrt((1.0 - b2) * gi * gi) * invSqrtBc2 + EnsembleOptions.ADAM_EPS);
      return;
    }
    double stepSize = lr / (1.0 - Math.pow(b1, step));
    double invSqrtBc2 = 1.0 / Math.sqrt(1.0 - Math.pow(b2, step));
    Mlp m = adamM[member];
    Mlp v = adamV[member];
    for (int c = 0; c < dim; c++) {
      adamPersistent(p.w1[c], g.w1[c], m.w1[c], v.w1[c], stepSize, invSqrtBc2);
    }
    adamPersistent(p.b1, g.b1, m.b1, v.b1, stepSize, invSqrtBc2);
    adamPersistent(p.w2, g.w2, m.w2, v.w2, stepSize, invSqrtBc2);
    double gi = g.b2;
    double mi = b1 * m.b2 + (1.0 - b1) * gi;
    double vi = b2 * v.b2 + (1.0 - b2) * gi * gi;
    m.b2 = mi;
    v.b2 = vi;
    p.b2 -= stepSize * mi / (Math.sqrt(vi) * invSqrtBc2 + EnsembleOptions.ADAM_EPS);
  }

  /** Adam from zero moments ({@code m = (1−β1)g}, {@code v = (1−β2)g²}), the repo's per-step reset. */
  private static void adamReset(double[] p, double[] g, double stepSize, double invSqrtBc2) {
    double c1 = 1.0 - EnsembleOptions.ADAM_BETA1;
    double c2 = 1.0 - EnsembleOptions.ADAM_BETA2;
    double eps = EnsembleOptions.ADAM_EPS;
    for (int i = 0; i < p.length; i++) {
      double gi = g[i];
      p[i] -= stepSize * (c1 * gi) / (Math.sqrt(c2 * gi * gi) * invSqrtBc2 + eps);
    }
  }

  private static void adamPersistent(double[] p, double[] g, double[] m, double[] v, double stepSize,
                                     double invSqrtBc2) {
    double b1 = EnsembleOptions.ADAM_BETA1;
    double b2 = EnsembleOptions.ADAM_BETA2;
    double eps = EnsembleOptions.ADAM_EPS;
    for (int i = 0; i < p.length; i++) {
      double gi = g[i];
      double mi = b1 * m[i] + (1.0 - b1) * gi;
      double vi = b2 * v[i] + (1.0 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= stepSize * mi / (Math.sqrt(vi) * invSqrtBc2 + eps);
    }
  }

  /** {@code f_m(z)} of member {@code member} at {@code z[0..d_z)} (diagnostics and tests; not the hot path). */
  public double predict(int member, double[] z) {
    return members[member].forward(kernels, z, 0, act);
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
        + ", perturbation_sd=" + o.perturbationSd() + ", kernels=" + kernels.name() + ")";
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
   * The whole state, shared: shape, the generator's position, the decision count, every member's
   * weights, Adam's step count and moments (persistent optimiser only), the replay buffer (Z, y and the
   * members' perturbations, head and size) and the last loss. The offline pool is configuration.
   */
  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    sink.putLong(numArms);
    sink.putLong(dim);
    sink.putLong(members.length);
    sink.putLong(adamM.length);
    sink.putLong(options.bufferCapacity());
    dev.recourse.core.rng.Lxm64x128.saveable(rng, "ens-poGAMBITTS").exportState(sink);
    sink.putLong(decisions);
    for (Mlp net : members) {
      net.exportState(sink);
    }
    sink.putLong(adamSteps);
    for (int i = 0; i < adamM.length; i++) {
      adamM[i].exportState(sink);
      adamV[i].exportState(sink);
    }
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
    source.expect("ens-poGAMBITTS members", members.length);
    source.expect("ens-poGAMBITTS optimiser moments", adamM.length);
    source.expect("ens-poGAMBITTS buffer capacity", options.bufferCapacity());
    dev.recourse.core.rng.Lxm64x128.saveable(rng, "ens-poGAMBITTS").importState(source);
    long n = source.getLong();
    for (Mlp net : members) {
      net.importState(source);
    }
    long steps = source.getLong();
    for (int i = 0; i < adamM.length; i++) {
      adamM[i].importState(source);
      adamV[i].importState(source);
    }
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
