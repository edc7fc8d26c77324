package dev.recourse.api;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.policy.ServablePolicy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A policy to embed in a service: many threads decide while outcomes arrive, arms come and go, and the
 * learnt state survives restarts through snapshots. Built from the same policy mapping as a study file
 * ({@link ServiceConfig}); LinUCB, GLRB (plain, robust, ORO-NC) and LIBRA, identity or logistic link.
 *
 * <h2>Concurrency: one writer, published immutable versions, per-thread replicas</h2>
 * Updates (outcomes, arms added or retired, restores) are applied under one lock to a master policy that
 * no reader touches; after each, the writer exports the master's full state into a new array and
 * publishes it with an incremented version through a {@code volatile} reference: copy-on-write per arm,
 * an update of arm a exports only a's part (O(d²) words) and shares the other arms' arrays with the
 * previous version. A deciding thread owns a replica policy (thread-local): if the published version
 * differs from the one its replica holds, it imports the arrays that differ (by identity), then
 * decides on the replica with no lock. Readers never block and never see a torn model: a published
 * array is never written again, the volatile write/read orders its contents before their use, and a
 * decision reports the version it read.
 *
 * <h2>Delayed outcomes</h2>
 * Every decision gets an id; the arm and recommended context are kept in a bounded ring
 * ({@code pending.capacity}, oldest dropped first; {@code pending.expiry_seconds}), and
 * {@link #update(long, double)} learns from them. Drops are counted ({@link #stats()}).
 *
 * <h2>Bad input</h2>
 * Contexts with NaN/∞ or the wrong length, empty or unknown allowed sets, unknown or expired decision
 * ids and rewards outside the link's range throw {@link IllegalArgumentException} naming the field and
 * value; the model and the pending decisions are untouched.
 *
 * <h2>Snapshots</h2>
 * {@link #snapshot(Path)} writes the published version ({@link SnapshotFormat}: magic, format version,
 * policy type, configuration hash, CRC32C) atomically; {@link #restore(Path)} verifies everything
 * before it changes anything. A restored service decides exactly as the original would from the same
 * version on: LinUCB and GLRB have no randomness, and LIBRA's only randomness is its advisor's, which
 * is outside the snapshot (an embedded advisor is the caller's; an http advisor has no state). Pending
 * decisions are not saved: after a restart, report their outcomes with {@link #update(int, double[], double)}.
 */
public final class PolicyService {

  /** Counters of a running service. */
  public record Stats(long version, int activeArms, long pending, long evicted, long expired, long advisorQueries) {}

  /**
   * One model version, never written after publication: the policy's shared state and one array per
   * arm; an update of arm a shares every other arm's array with the previous version.
   */
  private record Published(long version, long[] shared, long[][] arms, int activeArms, boolean[] retired) {}

  /** A deciding thread's own replica and buffers. */
  private final class Reader {
    final ServablePolicy policy = newPolicy();
    final Decision scored = new Decision(config.dim(), config.maxArms());
    final Decision plain = new Decision(config.dim());
    final boolean[] mask = new boolean[config.maxArms()];
    final StateBuffer.Cursor cursor = new StateBuffer.Cursor();
    /** The published arrays this replica holds: a version's arrays are imported only where they differ. */
    long[] shared;
    final long[][] arms = new long[config.maxArms()][];
    long version = -1;

    void refresh(Published p) {
      if (shared != p.shared()) {
        policy.importShared(cursor.reset(p.shared()));
        shared = p.shared();
      }
      for (int a = 0; a < arms.length; a++) {
        if (arms[a] != p.arms()[a]) {
          policy.importArm(a, cursor.reset(p.arms()[a]));
          arms[a] = p.arms()[a];
        }
      }
      version = p.version();
    }
  }

  private final ServiceConfig config;
  private final Advisor advisor;
  private final int dim;
  private final int maxArms;
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Guarded by writeLock. */
  private final ServablePolicy master;
  private final StateBuffer exportBuffer = new StateBuffer();
  private final dev.recourse.core.policy.Outcome masterOutcome;
  private int activeArms;
  private final boolean[] retired;
  private volatile Published published;
  private final ThreadLocal<Reader> readers = ThreadLocal.withInitial(Reader::new);
  private final ThreadLocal<PendingDecisions.Entry> entries;
  private final PendingDecisions pending;
  private final AtomicLong nextId = new AtomicLong();
  private final LongAdder advisorQueries = new LongAdder();

  private PolicyService(ServiceConfig config, Advisor advisor, LongSupplier clock) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.needsEmbeddedAdvisor() && advisor == null) {
      throw new IllegalArgumentException("policy.advisor is {type: embedded}: give the builder an advisor");
    }
    if (advisor != null && !config.advised()) {
      throw new IllegalArgumentException("advisor given, but policy '" + config.policyType() + "' consults none");
    }
    this.advisor = advisor;
    this.dim = config.dim();
    this.maxArms = config.maxArms();
    this.master = newPolicy();
    this.masterOutcome = new dev.recourse.core.policy.Outcome(dim);
    this.activeArms = config.initialArms();
    this.retired = new boolean[maxArms];
    this.entries = ThreadLocal.withInitial(() -> new PendingDecisions.Entry(dim));
    this.pending = new PendingDecisions(config.pendingCapacity(), dim, config.pendingExpiry().toNanos(), clock);
    writeLock.lock();
    try {
      publishLocked(0, ALL_ARMS);
    } finally {
      writeLock.unlock();
    }
  }

  /** A service of {@code config} (LIBRA with {@code advisor: {type: embedded}} needs {@link Builder#advisor}). */
  public static Builder builder(ServiceConfig config) {
    return new Builder(config);
  }

  /** A service of {@code config} with the defaults. */
  public static PolicyService of(ServiceConfig config) {
    return builder(config).build();
  }

  /** Options beyond the configuration file. */
  public static final class Builder {
    private final ServiceConfig config;
    private Advisor advisor;
    private LongSupplier clock = System::nanoTime;

    private Builder(ServiceConfig config) {
      this.config = config;
    }

    /** LIBRA's advisor, called from deciding threads concurrently: it must be thread-safe. */
    public Builder advisor(Advisor advisor) {
      this.advisor = Objects.requireNonNull(advisor, "advisor");
      return this;
    }

    /** The clock pending decisions expire by, in nanoseconds (tests; default {@link System#nanoTime}). */
    public Builder clock(LongSupplier nanoClock) {
      this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
      return this;
    }

    public PolicyService build() {
      return new PolicyService(config, advisor, clock);
    }
  }

  private ServablePolicy newPolicy() {
    return config.newPolicy(advisor);
  }

  public ServiceConfig config() {
    return config;
  }

  /** The published model version; every update, arm change and restore increments it. */
  public long version() {
    return published.version();
  }

  /** Arm slots in use: arms {@code 0..activeArms()-1}, some perhaps retired. */
  public int activeArms() {
    return published.activeArms();
  }

  public boolean isRetired(int arm) {
    checkArmSlot(arm, published);
    return published.retired()[arm];
  }

  public Stats stats() {
    Published p = published;
    return new Stats(p.version(), p.activeArms(), pending.outstanding(), pending.evicted(), pending.expired(),
        advisorQueries.sum());
  }

  // ---------------------------------------------------------------- deciding

  /** Decides among every active arm; allocates the result. */
  public ServiceDecision decide(double[] context) {
    ServiceDecision out = new ServiceDecision(dim, maxArms);
    decide(context, null, out);
    return out;
  }

  /** Decides among {@code allowedArms}; allocates the result. */
  public ServiceDecision decide(double[] context, int... allowedArms) {
    ServiceDecision out = new ServiceDecision(dim, maxArms);
    decide(context, allowedArms, out);
    return out;
  }

  /**
   * Decides for {@code context} among {@code allowedArms} (null: every active, unretired arm) into
   * {@code out}, with every arm's score and width if {@code out} has room for them. Lock-free;
   * allocates nothing once the calling thread has its replica.
   */
  public void decide(double[] context, int[] allowedArms, ServiceDecision out) {
    checkContext(context, "context");
    if (out.recourse.length != dim || out.slots != maxArms) {
      throw new IllegalArgumentException("out must be a ServiceDecision(" + dim + ", " + maxArms + "), got ("
          + out.recourse.length + ", " + out.slots + ")");
    }
    Published p = published;
    Reader r = readers.get();
    fillMask(allowedArms, p, r.mask);
    if (r.version != p.version()) {
      r.refresh(p);
    }
    Decision d = out.scores != null ? r.scored : r.plain;
    r.policy.decide(context, r.mask, d);
    long id = nextId.getAndIncrement();
    pending.put(id, d.arm(), d.context(), p.version());
    out.id = id;
    out.version = p.version();
    out.arm = d.arm();
    out.score = d.score();
    out.width = d.width();
    out.advised = d.advised();
    out.advisorQueried = r.policy instanceof Libra l && l.lastQueried();
    if (out.advisorQueried) {
      advisorQueries.increment();
    }
    System.arraycopy(d.context(), 0, out.recourse, 0, dim);
    if (out.scores != null) {
      System.arraycopy(d.scores(), 0, out.scores, 0, maxArms);
      System.arraycopy(d.widths(), 0, out.widths, 0, maxArms);
    }
  }

  private void fillMask(int[] allowedArms, Published p, boolean[] mask) {
    boolean[] gone = p.retired();
    int active = p.activeArms();
    if (allowedArms == null) {
      for (int a = 0; a < maxArms; a++) {
        mask[a] = a < active && !gone[a];
      }
      return;
    }
    if (allowedArms.length == 0) {
      throw new IllegalArgumentException("allowedArms must name at least one arm, got []");
    }
    Arrays.fill(mask, false);
    for (int i = 0; i < allowedArms.length; i++) {
      int a = allowedArms[i];
      if (a < 0 || a >= active) {
        throw new IllegalArgumentException("allowedArms[" + i + "] must be an arm in [0, " + active + "), got " + a);
      }
      if (gone[a]) {
        throw new IllegalArgumentException("allowedArms[" + i + "] = " + a + " is retired");
      }
      mask[a] = true;
    }
  }

  // ---------------------------------------------------------------- learning

  /** The outcome of decision {@code decisionId}: the recommended context was realised as is. */
  public void update(long decisionId, double reward) {
    update(decisionId, reward, null);
  }

  /**
   * The outcome of decision {@code decisionId}, with the context the patient actually realised
   * ({@code null}: the recommended one). The decision is consumed; a second outcome for it is rejected.
   */
  public void update(long decisionId, double reward, double[] realisedContext) {
    update(decisionId, reward, realisedContext, null);
  }

  /**
   * What an outcome by decision id is about to teach the model, for a write-ahead log: called once the
   * outcome is valid and its decision taken, under the write lock (so calls come in the order the
   * updates apply), before the model changes. {@code played} and {@code realised} are borrowed for the
   * call. If it throws, the update is not applied (the decision stays consumed) and the exception
   * propagates. {@link #update(int, double[], double[], double)} replays what it saw.
   */
  @FunctionalInterface
  public interface OutcomeLog {
    void append(long decisionId, int arm, double[] played, double[] realised, double reward);
  }

  /**
   * {@link #update(long, double, double[])}, telling {@code log} (null: nobody) what it applies, before
   * it applies it.
   */
  public void update(long decisionId, double reward, double[] realisedContext, OutcomeLog log) {
    checkReward(reward);
    if (realisedContext != null) {
      checkContext(realisedContext, "realisedContext");
    }
    PendingDecisions.Entry e = entries.get();
    pending.take(decisionId, e);
    writeLock.lock();
    try {
      if (log != null) {
        log.append(decisionId, e.arm, e.context, realisedContext != null ? realisedContext : e.context, reward);
      }
      applyLocked(e.arm, realisedContext != null ? realisedContext : e.context, reward, e.context);
      publishLocked(published.version() + 1, e.arm);
    } finally {
      writeLock.unlock();
    }
  }

  /** Logged data: arm {@code arm} was played at {@code context} and earned {@code reward}. */
  public void update(int arm, double[] context, double reward) {
    checkContext(context, "context");
    checkReward(reward);
    writeLock.lock();
    try {
      checkArmSlot(arm, published);
      applyLocked(arm, context, reward, null);
      publishLocked(published.version() + 1, arm);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Replays an outcome as {@link OutcomeLog} saw it: arm {@code arm} was recommended {@code played} and
   * realised {@code realised}; the model changes exactly as that outcome's {@code update} changed it.
   */
  public void update(int arm, double[] played, double[] realised, double reward) {
    checkContext(played, "played");
    checkContext(realised, "realised");
    checkReward(reward);
    writeLock.lock();
    try {
      checkArmSlot(arm, published);
      applyLocked(arm, realised, reward, played);
      publishLocked(published.version() + 1, arm);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Issues no decision id below {@code floor} from now on (a server that restarts after a crash moves
   * past the ids it may have issued since its last snapshot, so an old id never names a new decision).
   */
  public void reserveDecisionIdsBelow(long floor) {
    nextId.accumulateAndGet(floor, Math::max);
  }

  private void applyLocked(int arm, double[] realised, double reward, double[] played) {
    switch (master) {
      case Glrb g -> {
        if (played != null) {
          g.recordPlayed(arm, played); // the robust variant learns realised − played
        }
        g.update(arm, realised, reward);
      }
      case Libra l -> {
        if (played != null) {
          l.glrb().recordPlayed(arm, played);
        }
        l.update(arm, realised, reward);
      }
      default -> master.update(outcomeFor(arm, realised, reward));
    }
  }

  private dev.recourse.core.policy.Outcome outcomeFor(int arm, double[] x, double reward) {
    dev.recourse.core.policy.Outcome o = masterOutcome;
    System.arraycopy(x, 0, o.context(), 0, dim);
    return o.set(arm, reward);
  }

  // ---------------------------------------------------------------- arms

  /** Activates the next arm slot (fresh prior) and returns its index; fails when all {@code max_arms} are used. */
  public int addArm() {
    writeLock.lock();
    try {
      if (activeArms == maxArms) {
        throw new IllegalStateException("all max_arms = " + maxArms + " arm slots are in use; configure more");
      }
      activeArms++;
      publishLocked(published.version() + 1, NO_ARM);
      return activeArms - 1;
    } finally {
      writeLock.unlock();
    }
  }

  /** Stops offering arm {@code arm}; outcomes of its past decisions are still learnt. */
  public void retireArm(int arm) {
    writeLock.lock();
    try {
      checkArmSlot(arm, published);
      if (retired[arm]) {
        throw new IllegalArgumentException("arm " + arm + " is already retired");
      }
      int left = 0;
      for (int a = 0; a < activeArms; a++) {
        left += retired[a] ? 0 : 1;
      }
      if (left == 1) {
        throw new IllegalArgumentException("arm " + arm + " is the last arm offered; add another before retiring it");
      }
      retired[arm] = true;
      publishLocked(published.version() + 1, NO_ARM);
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- snapshots

  /** The published version as snapshot bytes (the file format), without blocking anyone. */
  public byte[] snapshotBytes() {
    Published p = published;
    return SnapshotFormat.encode(config.policyType(), config.hash(), p.version(), p.activeArms(), p.retired(),
        nextId.get(), p.shared(), p.arms());
  }

  /** Writes the published version to {@code file} atomically (temporary, force, rename, directory force). */
  public void snapshot(Path file) {
    SnapshotFormat.writeAtomically(file, snapshotBytes());
  }

  /** Replaces the model with the snapshot in {@code file}; on any error nothing changes. */
  public void restore(Path file) {
    restore(SnapshotFormat.read(file), file.toString());
  }

  /** Replaces the model with snapshot bytes; on any error nothing changes. */
  public void restore(byte[] snapshot) {
    restore(snapshot, "snapshot");
  }

  private void restore(byte[] bytes, String source) {
    SnapshotFormat.Contents c = SnapshotFormat.decode(bytes, source, config.policyType(), config.hash());
    if (c.retired().length != maxArms) {
      throw new SnapshotException(source + ": has " + c.retired().length + " arm slots, this service " + maxArms);
    }
    // Into a fresh instance first: a state of the wrong shape fails here, before the master is touched.
    try {
      importAll(newPolicy(), c);
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(source + ": " + e.getMessage(), e);
    }
    writeLock.lock();
    try {
      importAll(master, c);
      activeArms = c.activeArms();
      System.arraycopy(c.retired(), 0, retired, 0, maxArms);
      nextId.accumulateAndGet(c.nextDecisionId(), Math::max);
      // Versions only grow within a process, so a reader never mistakes the restored model for one it holds.
      publishLocked(Math.max(published.version() + 1, c.modelVersion()), ALL_ARMS);
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- internals

  /** Imports every part of {@code c}, each of which must be read to its end. */
  private static void importAll(ServablePolicy p, SnapshotFormat.Contents c) {
    StateBuffer.Cursor cursor = new StateBuffer.Cursor();
    p.importShared(cursor.reset(c.shared()));
    cursor.finish();
    if (c.arms().length != p.stateArms()) {
      throw new IllegalArgumentException("state has " + c.arms().length + " arm parts, this policy " + p.stateArms());
    }
    for (int a = 0; a < c.arms().length; a++) {
      p.importArm(a, cursor.reset(c.arms()[a]));
      cursor.finish();
    }
  }

  private static final int ALL_ARMS = -1;
  private static final int NO_ARM = -2;

  /** Publishes the master as {@code version}; re-exports arm {@code changed}'s part (or all, or none) and the shared part. */
  private void publishLocked(long version, int changed) {
    Published previous = published;
    long[][] arms = previous == null ? new long[maxArms][] : previous.arms().clone();
    for (int a = 0; a < maxArms; a++) {
      if (changed == ALL_ARMS || a == changed) {
        exportBuffer.clear();
        master.exportArm(a, exportBuffer);
        arms[a] = exportBuffer.words();
      }
    }
    exportBuffer.clear();
    master.exportShared(exportBuffer);
    published = new Published(version, exportBuffer.words(), arms, activeArms, retired.clone());
  }

  private void checkContext(double[] x, String field) {
    if (x == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    if (x.length != dim) {
      throw new IllegalArgumentException(field + " must have length dim = " + dim + ", got " + x.length);
    }
    for (int i = 0; i < dim; i++) {
      if (!Double.isFinite(x[i])) {
        throw new IllegalArgumentException(field + "[" + i + "] must be finite, got " + x[i]);
      }
    }
  }

  private void checkReward(double reward) {
    if (config.logisticLink() ? !(reward >= 0 && reward <= 1) : !Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be " + (config.logisticLink()
          ? "in [0, 1] for the logistic link" : "finite") + ", got " + reward);
    }
  }

  private void checkArmSlot(int arm, Published p) {
    if (arm < 0 || arm >= p.activeArms()) {
      throw new IllegalArgumentException("arm must be in [0, " + p.activeArms() + "), got " + arm);
    }
  }
}
