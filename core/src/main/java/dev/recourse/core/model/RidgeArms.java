package dev.recourse.core.model;

import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.linalg.LapackSpd;
import dev.recourse.core.linalg.SpectralBounds;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;

/**
 * Ridge-regression state of {@code K} independent arms in dimension {@code d}, in contiguous primitive
 * arrays (spec libra.md §3): {@code V_a = λI + Σ x xᵀ}, {@code b_a = Σ r x}, {@code θ̂_a = V_a⁻¹ b_a}.
 *
 * <p>An update is O(d²) and solves nothing: with {@code w = V⁻¹x} and {@code s = 1 + xᵀw},
 * Sherman–Morrison gives {@code V⁻¹ ← V⁻¹ − w wᵀ/s} and recursive least squares gives
 * {@code θ̂ ← θ̂ + (r − xᵀθ̂)·w/s}. {@code V} and {@code b} are accumulated alongside so that every
 * {@code refreshEvery} updates of an arm its {@code V⁻¹} and {@code θ̂} are recomputed from a fresh
 * Cholesky factorisation, which bounds the round-off drift of the rank-one chain.
 *
 * <p>Layout: arm {@code a}'s {@code d×d} blocks start at {@code a·d·d} in {@link #vInv()} (and in the
 * private {@code V}); its vectors start at {@code a·d} in {@link #thetaHat()}. With
 * {@link #keepPackedUpper} (LinUCB) {@code V⁻¹} lives in packed upper triangles instead and
 * {@link #vInv()} is brought up to them when called. Not thread-safe: one instance per policy per thread.
 */
public final class RidgeArms implements ArmModel, dev.recourse.core.state.Snapshottable {

  /**
   * The largest context entry or reward magnitude accepted: beyond about 1e154 the products in
   * {@code x xᵀ}, {@code V⁻¹x} and {@code reward·x} overflow, and the update would be silently lost
   * (V and b infinite, the Sherman–Morrison step a no-op). 1e150 leaves room for d and many updates.
   */
  public static final double MAX_MAGNITUDE = 1e150;

  /**
   * The refusal of a value outside {@link #MAX_MAGNITUDE} (or not finite), for every layer that checks
   * it: {@code "<name> must be finite, got NaN"} or {@code "<name> must be at most 1.0E150 in magnitude
   * (<product> would overflow), got 1.0E200"}. Built only when throwing.
   */
  public static IllegalArgumentException outsideMagnitude(String name, double value, String product) {
    return new IllegalArgumentException(name + (Double.isFinite(value)
        ? " must be at most " + MAX_MAGNITUDE + " in magnitude (" + product + " would overflow)"
        : " must be finite") + ", got " + value);
  }

  /** How a refresh recomputes {@code V⁻¹}: our Cholesky, or LAPACK dpotrf/dpotri via netlib. */
  public enum RefreshMethod { CHOLESKY, LAPACK }

  /** Default refresh period (updates per arm); 0 disables refreshes. */
  public static final int DEFAULT_REFRESH_EVERY = 1024;

  private final int numArms;
  private final int dim;
  private final int block;
  private final double lambda;
  private final int refreshEvery;
  private final RefreshMethod refreshMethod;
  private final DoubleKernels kernels;

  private final double[] vInv;
  /**
   * Per arm {@code V}; only its upper triangle is maintained (see {@link #mirrorUpper}), and the last
   * {@code pendingGram[a]} contexts are held in {@code pendingX} until {@link #flushGram} adds them.
   */
  private final double[] v;
  static final int GRAM_BATCH = 32;
  private final double[] pendingX;
  private final int[] pendingGram;
  private final double[] b;
  private final double[] theta;
  private final long[] counts;
  /** Per arm: bumped by every change of θ̂ or V⁻¹ (update, refresh, reset); see {@link #stateVersion}. */
  private final long[] versions;
  private final int[] sinceRefresh;
  /** w = V⁻¹x of the update in progress. */
  private final double[] w;
  /**
   * Per arm: a Gershgorin bound on λ_max(V⁻¹). An update only shrinks V⁻¹ (V grows by xxᵀ), so a bound
   * stays valid through updates; it is recomputed (O(d²)) once {@code updatesSinceBound} reaches
   * {@value #BOUND_PERIOD} (to tighten it), which a refresh or reset forces.
   */
  private final double[] spectralBound;
  /** Per arm: {@code sqrt(spectralBound)}, taken once per bound rather than once per arm and decision. */
  private final double[] spectralBoundSqrt;
  private final int[] updatesSinceBound;
  static final int BOUND_PERIOD = 8;
  /** Scratch for a refresh: the factor and L⁻¹. */
  private final double[] factorWork;
  private final double[] inverseWork;
  /**
   * Every arm's {@code V⁻¹} upper triangle, chunk-aligned ({@link DoubleKernels#upperRowOffset}), arm
   * {@code a} at {@code a·packedStride}, zero-padded: once {@link #keepPackedUpper} asked for it (LinUCB),
   * the state of {@code V⁻¹} that updates and scoring work on, {@code vInv} then being a view of it.
   * Null otherwise.
   */
  private double[] packedVInv;
  private final int packedStride;
  /**
   * Per arm, once the packed triangles are the state ({@link #keepPackedUpper}): whether its block in
   * {@code vInv} is behind them (an update or a decision import moved on); {@link #vInv()} brings it up.
   */
  private boolean[] vInvStale;
  /** {@code x xᵀ} in the packed layout and the form, for {@link #normSqVInv} once the triangles are the state. */
  private double[] formWork;
  private final double[] formOut = new double[1];

  public RidgeArms(int numArms, int dim, double lambda) {
    this(numArms, dim, lambda, DEFAULT_REFRESH_EVERY, RefreshMethod.CHOLESKY, Kernels.get());
  }

  public RidgeArms(int numArms, int dim, double lambda, int refreshEvery, RefreshMethod refreshMethod,
                   DoubleKernels kernels) {
    if (numArms < 1) {
      throw new IllegalArgumentException("numArms must be >= 1, got " + numArms);
    }
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    if (!(lambda > 0) || !Double.isFinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
    }
    if (refreshEvery < 0) {
      throw new IllegalArgumentException("refreshEvery must be >= 0 (0 disables), got " + refreshEvery);
    }
    if ((long) numArms * dim * dim > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("numArms·dim² too large for one array: " + numArms + "·" + dim + "²");
    }
    this.numArms = numArms;
    this.dim = dim;
    this.block = dim * dim;
    // A multiple of 16 doubles: whole passes of the packed forms at every vector width, aligned arms.
    this.packedStride = (DoubleKernels.upperSize(dim) + 15) & -16;
    this.lambda = lambda;
    this.refreshEvery = refreshEvery;
    this.refreshMethod = java.util.Objects.requireNonNull(refreshMethod, "refreshMethod");
    this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
    this.vInv = new double[numArms * block];
    this.v = new double[numArms * block];
    this.b = new double[numArms * dim];
    this.theta = new double[numArms * dim];
    this.counts = new long[numArms];
    this.versions = new long[numArms];
    this.sinceRefresh = new int[numArms];
    this.w = new double[dim];
    this.spectralBound = new double[numArms];
    this.spectralBoundSqrt = new double[numArms];
    this.updatesSinceBound = new int[numArms];
    this.factorWork = new double[block];
    this.inverseWork = new double[block];
    this.pendingX = new double[numArms * GRAM_BATCH * dim];
    this.pendingGram = new int[numArms];
    reset();
  }

  /** Forgets all data: {@code V = λI}, {@code b = 0}, {@code θ̂ = 0}. */
  public void reset() {
    java.util.Arrays.fill(vInv, 0.0);
    java.util.Arrays.fill(v, 0.0);
    java.util.Arrays.fill(pendingGram, 0);
    java.util.Arrays.fill(b, 0.0);
    java.util.Arrays.fill(theta, 0.0);
    java.util.Arrays.fill(counts, 0L);
    for (int a = 0; a < numArms; a++) {
      versions[a]++; // not zeroed: a version must never repeat (reset goes back to an earlier state)
    }
    java.util.Arrays.fill(sinceRefresh, 0);
    java.util.Arrays.fill(updatesSinceBound, BOUND_PERIOD);
    double inv = 1.0 / lambda;
    for (int a = 0; a < numArms; a++) {
      for (int i = 0; i < dim; i++) {
        vInv[a * block + i * dim + i] = inv;
        v[a * block + i * dim + i] = lambda;
      }
    }
    repackAll();
    if (vInvStale != null) {
      java.util.Arrays.fill(vInvStale, false);
    }
  }

  /**
   * From now on every arm's {@code V⁻¹} is kept as its chunk-aligned upper triangle ({@link #packedVInv()})
   * and only there: an update computes {@code V⁻¹x} from the triangle and downdates the triangle
   * ({@link DoubleKernels#symPackedGemv}, {@link DoubleKernels#packedRankOneDowndate}), half the bytes of
   * the full block read once and written once. The full blocks of {@link #vInv()} are then a view brought
   * up to date when asked for (O(d²) per arm that moved). Idempotent.
   */
  public void keepPackedUpper() {
    if (packedVInv == null) {
      if ((long) numArms * packedStride > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("numArms·packed size too large for one array");
      }
      packedVInv = new double[numArms * packedStride];
      repackAll();
      vInvStale = new boolean[numArms];
      formWork = new double[packedStride];
    }
  }

  /** Whether the packed triangles are the state of {@code V⁻¹} ({@link #keepPackedUpper}). */
  public boolean packedOnly() {
    return packedVInv != null;
  }

  /** Brings arm {@code arm}'s full block of {@code vInv} up to its packed triangle (both halves). */
  private void syncBlock(int arm) {
    if (vInvStale == null || !vInvStale[arm]) {
      return;
    }
    int m = arm * block;
    int p = arm * packedStride;
    for (int i = 0; i < dim; i++) {
      int row = p + DoubleKernels.upperRowOffset(dim, i) - (i & -DoubleKernels.UPPER_CHUNK);
      for (int j = i; j < dim; j++) {
        double a = packedVInv[row + j];
        vInv[m + i * dim + j] = a;
        vInv[m + j * dim + i] = a;
      }
    }
    vInvStale[arm] = false;
  }

  /** The packed {@code V⁻¹} upper triangles (arm {@code a} at {@code a·}{@link #packedStride()}), or null. */
  public double[] packedVInv() {
    return packedVInv;
  }

  /** Doubles per arm in {@link #packedVInv()}: {@link DoubleKernels#upperSize} rounded up to a multiple of 16. */
  public int packedStride() {
    return packedStride;
  }

  private void repackAll() {
    for (int a = 0; a < numArms; a++) {
      repack(a);
    }
  }

  private void repack(int arm) {
    if (packedVInv == null) {
      return;
    }
    int m = arm * block;
    int p = arm * packedStride;
    for (int i = 0; i < dim; i++) {
      int first = i & -DoubleKernels.UPPER_CHUNK;
      System.arraycopy(vInv, m + i * dim + first, packedVInv, p + DoubleKernels.upperRowOffset(dim, i), dim - first);
    }
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public int dim() {
    return dim;
  }

  public double lambda() {
    return lambda;
  }

  public int refreshEvery() {
    return refreshEvery;
  }

  public RefreshMethod refreshMethod() {
    return refreshMethod;
  }

  /** The kernels this model runs on. */
  @Override
  public DoubleKernels kernels() {
    return kernels;
  }

  /**
   * All arms' {@code V⁻¹} blocks, arm {@code a} at {@link #blockOffset(int)}. Read only. Once the packed
   * triangles are the state ({@link #keepPackedUpper}) the blocks are brought up to them first (both
   * halves from the upper triangle), O(d²) per arm updated since the last call.
   */
  @Override
  public double[] vInv() {
    if (vInvStale != null) {
      for (int a = 0; a < numArms; a++) {
        syncBlock(a);
      }
    }
    return vInv;
  }

  /** All arms' {@code θ̂}, arm {@code a} at {@link #vectorOffset(int)}. Read only. */
  @Override
  public double[] thetaHat() {
    return theta;
  }

  public int blockOffset(int arm) {
    return arm * block;
  }

  public int vectorOffset(int arm) {
    return arm * dim;
  }

  @Override
  public String link() {
    return "identity";
  }

  @Override
  public double linkLipschitz() {
    return 1.0;
  }

  @Override
  public String describe() {
    return "ridge(lambda=" + lambda + ", refreshEvery=" + refreshEvery + ", refresh=" + refreshMethod
        + ", kernels=" + kernels.name() + ")";
  }

  @Override
  public long stateVersion(int arm) {
    checkArm(arm);
    return versions[arm];
  }

  /** Number of updates arm {@code arm} has received. */
  @Override
  public long count(int arm) {
    checkArm(arm);
    return counts[arm];
  }

  /** {@code θ̂_aᵀx} for {@code x} at {@code x[xOff..xOff+d)}. */
  public double mean(int arm, double[] x, int xOff) {
    return kernels.dot(theta, arm * dim, x, xOff, dim);
  }

  /** {@code ‖x‖²_{V_a⁻¹} = xᵀV_a⁻¹x}. */
  public double normSqVInv(int arm, double[] x, int xOff) {
    if (packedVInv != null) {
      kernels.symQuadFormsPacked(packedVInv, arm * packedStride, packedStride, dim, 1, x, xOff, formWork, formOut, 0);
      return formOut[0];
    }
    return kernels.quadForm(vInv, arm * block, dim, x, xOff);
  }

  /**
   * Adds the observation {@code (x, r)} to arm {@code arm}. Rejects a bad arm, a short {@code x}, or a
   * non-finite value with an {@link IllegalArgumentException}, leaving the state unchanged.
   */
  @Override
  public void update(int arm, double[] x, int xOff, double reward) {
    checkArm(arm);
    checkContext(x, xOff);
    if (!(Math.abs(reward) <= MAX_MAGNITUDE)) {
      throw outsideMagnitude("reward", reward, "reward·x");
    }
    int m = arm * block;
    int vo = arm * dim;
    DoubleKernels k = kernels;
    double[] packed = packedVInv;
    if (packed != null) {
      k.symPackedGemv(packed, arm * packedStride, dim, x, xOff, w, 0);
    } else {
      k.gemv(vInv, m, dim, dim, x, xOff, w, 0);
    }
    double s = 1.0 + k.dot(x, xOff, w, 0, dim);
    double residual = reward - k.dot(theta, vo, x, xOff, dim);
    k.axpy(residual / s, w, 0, theta, vo, dim);
    if (packed != null) {
      k.packedRankOneDowndate(packed, arm * packedStride, dim, 1.0 / s, w, 0);
      vInvStale[arm] = true;
    } else {
      k.rankOneDowndateCopy(vInv, m, dim, 1.0 / s, w, 0, null, 0);
    }
    // V (read only by a refresh, a copy or a snapshot) takes its rank-one terms in batches.
    int pending = pendingGram[arm];
    System.arraycopy(x, xOff, pendingX, (arm * GRAM_BATCH + pending) * dim, dim);
    pendingGram[arm] = ++pending;
    if (pending == GRAM_BATCH) {
      flushGram(arm);
    }
    k.axpy(reward, x, xOff, b, vo, dim);
    counts[arm]++;
    versions[arm]++;
    if (updatesSinceBound[arm] < BOUND_PERIOD) {
      updatesSinceBound[arm]++;
    }
    if (refreshEvery > 0 && ++sinceRefresh[arm] >= refreshEvery) {
      refresh(arm);
    }
  }

  /**
   * Recomputes arm {@code arm}'s {@code V⁻¹} from a Cholesky factorisation of the accumulated {@code V}
   * and {@code θ̂ = V⁻¹b}. {@code V ⪰ λI} by construction, so a failed factorisation means the data
   * were not finite; the Sherman–Morrison state is then kept.
   */
  public void refresh(int arm) {
    checkArm(arm);
    flushGram(arm);
    int m = arm * block;
    int vo = arm * dim;
    boolean ok;
    if (refreshMethod == RefreshMethod.LAPACK) {
      ok = LapackSpd.invert(v, m, dim, factorWork, 0);
      if (ok) {
        System.arraycopy(factorWork, 0, vInv, m, block);
      }
    } else {
      System.arraycopy(v, m, factorWork, 0, block);
      mirrorUpper(factorWork, 0, dim);
      ok = CholeskyOps.factor(factorWork, 0, dim);
      if (ok) {
        CholeskyOps.inverseFromFactor(factorWork, 0, dim, vInv, m, inverseWork, 0);
      }
    }
    if (ok) {
      repack(arm);
      if (vInvStale != null) {
        vInvStale[arm] = false;
      }
      versions[arm]++;
      kernels.gemv(vInv, m, dim, dim, b, vo, theta, vo);
      updatesSinceBound[arm] = BOUND_PERIOD;
    }
    sinceRefresh[arm] = 0;
  }

  /**
   * Gershgorin's bound on {@code λ_max(V_a⁻¹)} ({@link SpectralBounds#gershgorinMax}) of this or an
   * earlier state of the arm (at most {@value #BOUND_PERIOD} updates old, which only makes it looser).
   */
  @Override
  public double vInvSpectralBound(int arm) {
    checkArm(arm);
    refreshBoundIfDue(arm);
    return spectralBound[arm];
  }

  /**
   * {@code sqrt(}{@link #vInvSpectralBound}{@code )}: a bound on {@code sqrt(xᵀV_a⁻¹x)/‖x‖} for every
   * {@code x} (LinUCB's pruning multiplies it by {@code ‖x‖}, one square root per decision).
   */
  public double vInvSpectralBoundSqrt(int arm) {
    checkArm(arm);
    refreshBoundIfDue(arm);
    return spectralBoundSqrt[arm];
  }

  private void refreshBoundIfDue(int arm) {
    if (updatesSinceBound[arm] >= BOUND_PERIOD) {
      double bound = freshSpectralBound(arm);
      spectralBound[arm] = bound;
      spectralBoundSqrt[arm] = Math.sqrt(bound);
      updatesSinceBound[arm] = 0;
    }
  }

  /** Gershgorin's bound of the arm's current {@code V⁻¹}, from whichever form is the state. */
  private double freshSpectralBound(int arm) {
    return packedVInv != null
        ? SpectralBounds.gershgorinMaxPacked(packedVInv, arm * packedStride, dim, w)
        : SpectralBounds.gershgorinMax(vInv, arm * block, dim, w);
  }

  /** Copies arm {@code arm}'s accumulated {@code V} into {@code out[outOff..outOff+d²)}. */
  public void copyGram(int arm, double[] out, int outOff) {
    checkArm(arm);
    flushGram(arm);
    System.arraycopy(v, arm * block, out, outOff, block);
    mirrorUpper(out, outOff, dim);
  }

  /** Adds arm {@code arm}'s pending contexts to its {@code V} (entry by entry in arrival order: same bits). */
  private void flushGram(int arm) {
    int pending = pendingGram[arm];
    if (pending > 0) {
      kernels.gramUpdate(v, arm * block, dim, pendingX, arm * GRAM_BATCH * dim, pending);
      pendingGram[arm] = 0;
    }
  }

  /**
   * Copies the upper triangle of the {@code n×n} block at {@code off} onto its lower triangle. The
   * update keeps only the upper triangle of {@code V} ({@link DoubleKernels#gramUpdate});
   * whoever reads {@code V} whole (a refresh's Cholesky, a copy, a snapshot) mirrors it first. (LAPACK's
   * {@code dpotrf("L")} on the row-major block reads the upper triangle only.)
   */
  static void mirrorUpper(double[] a, int off, int n) {
    for (int i = 1; i < n; i++) {
      for (int j = 0; j < i; j++) {
        a[off + i * n + j] = a[off + j * n + i];
      }
    }
  }

  /** Copies arm {@code arm}'s {@code b = Σ r x} into {@code out[outOff..outOff+d)}. */
  public void copyResponse(int arm, double[] out, int outOff) {
    checkArm(arm);
    System.arraycopy(b, arm * dim, out, outOff, dim);
  }

  /** The shape: arm count and dimension. */
  @Override
  public void exportShared(dev.recourse.core.state.StateSink sink) {
    sink.putLong(numArms);
    sink.putLong(dim);
  }

  @Override
  public void importShared(dev.recourse.core.state.StateSource source) {
    source.expect("numArms", numArms);
    source.expect("dim", dim);
  }

  @Override
  public int stateArms() {
    return numArms;
  }

  /** The arm's V⁻¹, V, b, θ̂, count, and refresh and bound bookkeeping (the bound only steers pruning). */
  @Override
  public void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    checkArm(arm);
    syncBlock(arm);
    sink.putDoubles(vInv, arm * block, block);
    flushGram(arm);
    // V with its lower triangle mirrored, in the refresh's scratch (a refresh never runs inside an export).
    System.arraycopy(v, arm * block, factorWork, 0, block);
    mirrorUpper(factorWork, 0, dim);
    sink.putDoubles(factorWork, 0, block);
    sink.putDoubles(b, arm * dim, dim);
    sink.putDoubles(theta, arm * dim, dim);
    sink.putLong(counts[arm]);
    sink.putLong(sinceRefresh[arm]);
    sink.putDouble(spectralBound[arm]);
    sink.putLong(updatesSinceBound[arm]);
  }

  /**
   * Reads what {@link #exportArm} wrote. The bookkeeping is checked (a field out of range throws naming
   * it), and the bound on {@code λ_max(V⁻¹)} is kept only if it provably bounds the imported
   * {@code V⁻¹} ({@link #boundHolds}); otherwise it is recomputed before the next pruned decision, so
   * no snapshot can make pruning change a decision. A sound bound is kept as it came, so a restored
   * model exports the words it was restored from.
   */
  @Override
  public void importArm(int arm, dev.recourse.core.state.StateSource source) {
    checkArm(arm);
    source.getDoubles(vInv, arm * block, block);
    source.getDoubles(v, arm * block, block);
    pendingGram[arm] = 0;
    source.getDoubles(b, arm * dim, dim);
    source.getDoubles(theta, arm * dim, dim);
    long count = source.getLong();
    if (count < 0) {
      throw new IllegalArgumentException("state count of arm " + arm + " must be >= 0, got " + count);
    }
    long since = source.getLong();
    if (since < 0 || since > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("state sinceRefresh of arm " + arm + " must be in [0, "
          + Integer.MAX_VALUE + "], got " + since);
    }
    double bound = source.getDouble();
    checkBound(arm, bound);
    long boundAge = source.getLong();
    if (boundAge < 0 || boundAge > BOUND_PERIOD) {
      throw new IllegalArgumentException("state updatesSinceBound of arm " + arm + " must be in [0, "
          + BOUND_PERIOD + "], got " + boundAge);
    }
    counts[arm] = count;
    sinceRefresh[arm] = (int) since;
    repack(arm);
    if (vInvStale != null) {
      vInvStale[arm] = false;
    }
    spectralBound[arm] = bound;
    spectralBoundSqrt[arm] = Math.sqrt(bound);
    // A due bound is recomputed before it is read; an unproven one is made due.
    updatesSinceBound[arm] = boundAge < BOUND_PERIOD && !boundHolds(arm, bound) ? BOUND_PERIOD : (int) boundAge;
    versions[arm]++; // θ̂ and V⁻¹ were replaced: caches keyed on the version must not survive an import
  }

  private static void checkBound(int arm, double bound) {
    // +∞ is excluded too: LinUCB's pruned decide multiplies it by α·‖x‖, which may be 0.
    if (!(bound >= 0) || bound == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("state spectralBound of arm " + arm + " must be finite and >= 0, got "
          + bound);
    }
  }

  /** Relative slack of {@link #boundHolds}: far above the factorisation's round-off, far below LinUCB's pruning margin. */
  private static final double BOUND_CHECK_SLACK = 1e-10;

  /**
   * Whether {@code bound ≥ λ_max(V⁻¹)} of the arm's (just imported) {@code V⁻¹}: at once when it is at
   * least the current Gershgorin bound (O(d²)), else when {@code bound·(1+ε)·I − V⁻¹} factorises
   * (O(d³), an import only). A stale bound from a few updates back (V⁻¹ only shrank since, but its
   * Gershgorin bound may have grown) passes the second test.
   */
  private boolean boundHolds(int arm, double bound) {
    if (bound >= freshSpectralBound(arm)) {
      return true;
    }
    int m = arm * block;
    double diagonal = bound * (1.0 + BOUND_CHECK_SLACK);
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j <= i; j++) {
        factorWork[i * dim + j] = (i == j ? diagonal : 0.0) - vInv[m + i * dim + j];
      }
    }
    return CholeskyOps.factor(factorWork, 0, dim);
  }

  /**
   * What a decision reads of the arm, as it reads it: {@code V⁻¹} as the scoring copy when one is kept
   * ({@link #keepPackedUpper}: the packed upper triangle, exactly {@link #packedVInv()}'s
   * {@link #packedStride()} doubles, padding included), else the {@code d×d} block; then {@code θ̂},
   * the count and the bound on {@code λ_max(V⁻¹)} the pruned decide reads. Two copies in, no repack.
   * With a packed copy kept the block is not carried (the triangle is the state; {@link #vInv()} is
   * brought up to it): an instance that imported this way holds no {@code V} or {@code b} and must not
   * update or export (see
   * {@link dev.recourse.core.state.Snapshottable#exportArmDecision}).
   */
  @Override
  public void exportArmDecision(int arm, dev.recourse.core.state.StateSink sink) {
    checkArm(arm);
    if (packedVInv != null) {
      sink.putDoubles(packedVInv, arm * packedStride, packedStride);
    } else {
      sink.putDoubles(vInv, arm * block, block);
    }
    sink.putDoubles(theta, arm * dim, dim);
    sink.putLong(counts[arm]);
    // The pruning bound travels with the part: a replica's V⁻¹ block is stale when it scores from the
    // packed copy, so it could not recompute the bound itself. Computed without caching it: the arm's
    // state (exportArm) must not depend on whether a decision part was exported.
    sink.putDouble(updatesSinceBound[arm] >= BOUND_PERIOD ? freshSpectralBound(arm) : spectralBound[arm]);
  }

  @Override
  public void importArmDecision(int arm, dev.recourse.core.state.StateSource source) {
    checkArm(arm);
    if (packedVInv != null) {
      source.getDoubles(packedVInv, arm * packedStride, packedStride);
    } else {
      source.getDoubles(vInv, arm * block, block);
    }
    source.getDoubles(theta, arm * dim, dim);
    long count = source.getLong();
    if (count < 0) {
      throw new IllegalArgumentException("state count of arm " + arm + " must be >= 0, got " + count);
    }
    counts[arm] = count;
    // O(1) checks only: a replica imports a part per update, from its own master (not a file).
    double bound = source.getDouble();
    checkBound(arm, bound);
    spectralBound[arm] = bound;
    spectralBoundSqrt[arm] = Math.sqrt(bound);
    updatesSinceBound[arm] = 0; // the exporter's bound holds for the imported V⁻¹ (never updated here)
    if (vInvStale != null) {
      vInvStale[arm] = true;
    }
    versions[arm]++;
  }

  private void checkArm(int arm) {
    if (arm < 0 || arm >= numArms) {
      throw new IllegalArgumentException("arm must be in [0, " + numArms + "), got " + arm);
    }
  }

  /**
   * Checks that {@code x} is a single finite context: exactly {@code d} values (a longer array is a
   * caller's mistake here; rows of a block go through {@link #checkContext(double[], int)}).
   */
  @Override
  public void checkContext(double[] x) {
    if (x != null && x.length != dim) {
      throw new IllegalArgumentException("context length must be " + dim + ", got " + x.length);
    }
    checkContext(x, 0);
  }

  /**
   * Checks that {@code x} holds a finite context of length {@code d} at {@code xOff}, else throws
   * {@link IllegalArgumentException} naming the feature. O(d), negligible beside an O(d²) step.
   */
  public void checkContext(double[] x, int xOff) {
    if (x == null) {
      throw new IllegalArgumentException("context must not be null");
    }
    if (xOff < 0 || xOff + dim > x.length) {
      throw new IllegalArgumentException("context needs " + dim + " values from offset " + xOff
          + ", array length is " + x.length);
    }
    for (int i = 0; i < dim; i++) {
      double xi = x[xOff + i];
      // One comparison rejects NaN, ±∞ and magnitudes whose products would overflow V or b.
      if (!(Math.abs(xi) <= MAX_MAGNITUDE)) {
        throw outsideMagnitude("context x" + i, xi, "x xᵀ");
      }
    }
  }
}
