package dev.recourse.api;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.advisor.SaveableAdvisor;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.AdvisorOnly;
import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.policy.ServablePolicy;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A policy to embed in a service: many threads decide while outcomes arrive, arms come and go, and the
 * learnt state survives restarts through snapshots. Built from the same policy mapping as a study file
 * ({@link ServiceConfig}); LinUCB, GLRB (plain, robust, ORO-NC) and LIBRA, identity or logistic link;
 * LLM-only; the GAMBITTS agents (po-, fo-, ens-poGAMBITTS, StdTS, StdTS:Contextual).
 *
 * <h2>Concurrency: one writer, published immutable versions, decision-only replicas</h2>
 * Updates (outcomes, arms added or retired, restores) are applied under one lock to a master policy that no
 * reader touches; after each, the writer exports the changed part of the master's state and publishes it
 * with an incremented version through a {@code volatile} reference: copy-on-write per arm, an update of arm
 * a exports only a's part and shares the other arms' arrays with the previous version. A version carries
 * each part twice. The <em>state</em> parts ({@code long[]} words, {@link
 * dev.recourse.core.state.Snapshottable#exportArm}: for LinUCB V⁻¹, V, b, θ̂ and counters) are what {@link
 * #snapshot} encodes. The <em>decision</em> parts ({@code double[]}, {@link
 * dev.recourse.core.state.Snapshottable#exportArmDecision}) hold only what a decision reads, laid out as it
 * reads it, prepared once per update by the writer: for LinUCB the arm's packed scoring copy of V⁻¹ (exactly
 * {@code RidgeArms.packedVInv()}'s), θ̂, the count and the pruning bound, 263 doubles at d = 20 against the
 * state part's 844 words; for GLRB V⁻¹, θ̂, the count and the deviation estimate, but not V, b or (logistic
 * link) H⁻¹ and the refit rows. A deciding thread owns a replica policy (thread-local): if the published
 * version differs from the one its replica holds, it imports the decision parts that differ (by identity),
 * each a few {@link System#arraycopy} calls with no word conversion and no repacking, then decides on the
 * replica with no lock. Why: with outcomes arriving back to back a reader refreshes on nearly every
 * decision, and importing the whole arm part (and rebuilding the packed copy) cost about 1 µs against a
 * 0.35 µs LinUCB decide; the decision part moves a third of the bytes and converts nothing (2 deciders + 1
 * updater: LinUCB decide p50 0.95 µs before, 0.36–0.39 µs now on a quiet machine, BENCHMARKS.md), and the
 * writer, which exports the state part anyway, pays one more O(d²) copy per update. A replica's other state
 * (V, b, the update's bookkeeping) is stale and never read: replicas never update, and snapshots come from
 * the published state parts. Policies that define no decision part (LIBRA, LLM-only) publish their whole
 * state parts as their decision parts (the interface's default). Readers never block and never see a torn
 * model: a published array is never written again, the volatile write/read orders its contents before their
 * use, and a decision reports the version it read; a replica's decisions are the master's bit for bit
 * (tested after random update sequences).
 *
 * <h2>Samplers: decisions under the lock</h2>
 * The GAMBITTS agents and baselines ({@link ServiceConfig#gambitts()}) draw from their generator at
 * every decision, and that generator is learnt state too: a restored agent must continue its stream to
 * decide as the original would. So they have no replicas: a decision takes the same lock as an update
 * and decides on the master, and the generator advances in one total order of decisions. Nothing is
 * published per update for them (the published version carries arms and counters only); a snapshot
 * exports the master under the lock. Their state is whole, not per arm ({@code stateArms() == 0}).
 * Thread safety is the lock's: every read and write of the master and its generator happens while it
 * is held, so each sees the last one's effects (happens-before through the lock), and the pending ring
 * has its own striped locks. Decisions of one sampler therefore do not run in parallel; each is
 * microseconds (po, fo, StdTS), but ens-poGAMBITTS trains its ensemble in the update, under the lock,
 * and its decisions wait for that training.
 * Their outcomes carry the observed treatment embedding {@code Z}
 * ({@link #update(long, double, double[], double[], OutcomeLog)}). LIBRA and LLM-only with an embedded
 * {@link SaveableAdvisor} (an advisor with its own generator) decide the same way, for the same reason:
 * the advisor's state is in the snapshot and advances in one order.
 *
 * <h2>Delayed outcomes</h2>
 * Every decision gets an id; the arm and recommended context are kept in a bounded ring
 * ({@code pending.capacity}, oldest dropped first; {@code pending.expiry_seconds}), and
 * {@link #update(long, double)} learns from them. Drops are counted ({@link #stats()}).
 *
 * <h2>Bad input</h2>
 * Contexts with NaN/∞ or the wrong length (for a GAMBITTS agent, a value that is not a level of its
 * column), empty or unknown allowed sets, unknown or expired decision ids (or ids of decisions in flight
 * across a restore: for an arm slot no longer active, or decided on a model the slot no longer holds,
 * which an {@code addArm} that takes the slot again does not change), rewards outside the link's
 * range (for a GAMBITTS agent, beyond 1e100 in magnitude) and treatment embeddings missing, of the wrong
 * length, not finite or with an entry beyond the agent's limit ({@code AgentChecks}) throw
 * {@link IllegalArgumentException} naming the field and value; the model and the pending decisions are
 * untouched.
 *
 * <h2>Snapshots</h2>
 * {@link #snapshot(Path)} writes the published version ({@link SnapshotFormat}: magic, format version,
 * policy type, configuration hash, CRC32C) atomically; {@link #restore(Path)} verifies everything
 * before it changes anything. A restored service decides exactly as the original would from the same
 * version on: LinUCB and GLRB have no randomness, and LIBRA's only randomness is its advisor's: an
 * http advisor has no state, and a {@link SaveableAdvisor}'s state is in the snapshot. A
 * sampler's snapshot holds its generator's position, so it too decides exactly as the original. The
 * pending decisions are saved with their age (format version 2): after a restore their outcomes are
 * still accepted, until they expire as they would have.
 */
public final class PolicyService {

  /** Counters of a running service. */
  public record Stats(long version, int activeArms, long pending, long evicted, long expired, long advisorQueries) {}

  /**
   * One model version, never written after publication: the policy's shared state and one array per
   * arm (what snapshots encode), and the decision parts, shared and per arm (what replicas import; see
   * the class comment); an update of arm a shares every other arm's arrays with the previous version,
   * and a shared decision part that did not change is the previous version's array. When this version
   * differs from {@code previousVersion} in arm {@code changedArm}'s parts alone (an update), that arm's
   * decision part is also {@code changedDecision} (else null): a replica one version behind imports it
   * without reading {@code decisionArms}, one dependent cache miss fewer.
   */
  private record Published(long version, long[] shared, long[][] arms, double[] decisionShared,
                           double[][] decisionArms, int activeArms, boolean[] retired, int[] epochs,
                           long previousVersion, int changedArm, double[] changedDecision) {}

  /**
   * A deciding thread's own replica and buffers. Static, with no reference back to the service: a
   * thread's ThreadLocal map holds it strongly, and a reference to the service (which holds the
   * ThreadLocal, the map's weak key) would keep a discarded service alive as long as the thread.
   */
  private static final class Reader {
    /** Null for a sampler, which decides on the master. */
    final ServablePolicy policy;
    final Decision scored;
    final Decision plain;
    final boolean[] mask;
    final DecisionBuffer.Cursor cursor = new DecisionBuffer.Cursor();
    /** The published decision parts this replica holds: a version's are imported only where they differ. */
    double[] shared;
    final double[][] arms;
    long version = -1;

    Reader(ServablePolicy policy, int dim, int maxArms, int armParts) {
      this.policy = policy;
      this.scored = new Decision(dim, maxArms);
      this.plain = new Decision(dim);
      this.mask = new boolean[maxArms];
      this.arms = new double[armParts][];
    }

    void refresh(Published p) {
      double[] s = p.decisionShared();
      double[] one = p.changedDecision();
      if (one != null && version == p.previousVersion() && shared == s) {
        int a = p.changedArm();
        policy.importArmDecision(a, cursor.reset(one));
        cursor.finish();
        arms[a] = one;
        version = p.version();
        return;
      }
      if (shared != s) {
        policy.importSharedDecision(cursor.reset(s));
        cursor.finish();
        shared = s;
      }
      double[][] parts = p.decisionArms();
      for (int a = 0; a < arms.length; a++) {
        double[] part = parts[a];
        if (arms[a] != part) {
          policy.importArmDecision(a, cursor.reset(part));
          cursor.finish();
          arms[a] = part;
        }
      }
      version = p.version();
    }
  }

  private final ServiceConfig config;
  /** A GAMBITTS agent's context columns, or null. */
  private final dev.recourse.core.gambitts.ContextCells cells;
  private final Advisor advisor;
  private final int dim;
  private final int maxArms;
  /** Whether decisions run on the master under the lock (the samplers; see the class comment). */
  private final boolean serialised;
  private final int treatmentDim;
  /** The largest |Z_i| the agent learns from ({@link dev.recourse.core.gambitts.TreatmentAgent}), else +∞. */
  private final double treatmentLimit;
  /** The policy's per-arm state parts (0 for a policy whose state is all shared). */
  private final int armParts;
  private final ReentrantLock writeLock = new ReentrantLock();
  /** Guarded by writeLock. */
  private final ServablePolicy master;
  private final StateBuffer exportBuffer = new StateBuffer();
  private final DecisionBuffer decisionBuffer = new DecisionBuffer();
  private final dev.recourse.core.policy.Outcome masterOutcome;
  private int activeArms;
  private final boolean[] retired;
  /**
   * Per arm slot, its epoch: which incarnation of the slot's model it holds (guarded by writeLock). A
   * restore replaces every slot's model and an added arm takes its slot afresh; each gives the slot a
   * new epoch from {@link #epochCount}, and a pending decision of an older epoch is refused (its
   * outcome would teach a model it was not decided on). Retiring keeps the epoch: a retired arm's
   * past decisions are still learnt.
   */
  private final int[] epochs;
  /** The last epoch given out (guarded by writeLock). */
  private int epochCount;
  private volatile Published published;
  /**
   * A sampler's model version (written under the lock): its updates publish no new {@link Published}
   * (nobody reads its state from one), so that an outcome allocates nothing.
   */
  private volatile long samplerVersion;
  private final ThreadLocal<Reader> readers;
  private final ThreadLocal<PendingDecisions.Entry> entries;
  private final PendingDecisions pending;
  /**
   * The next decision id, at {@link #NEXT_ID} in the middle of 16 longs: every decider increments it,
   * and alone on its cache line it does not take a line of read-mostly state (objects allocated next to
   * it, such as {@link #readers}) back and forth with it.
   */
  private final AtomicLongArray nextId = new AtomicLongArray(16);
  private static final int NEXT_ID = 8;
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
    this.cells = config.contextCells().orElse(null);
    this.dim = config.dim();
    this.maxArms = config.maxArms();
    // A saveable advisor's generator is state too: it must advise in one order, the master's.
    this.serialised = config.gambitts() || advisor instanceof SaveableAdvisor;
    this.treatmentDim = config.treatmentDim();
    this.master = newPolicy();
    this.treatmentLimit = master instanceof dev.recourse.core.gambitts.TreatmentAgent t ? t.treatmentLimit()
        : Double.POSITIVE_INFINITY;
    this.armParts = master.stateArms();
    this.masterOutcome = new dev.recourse.core.policy.Outcome(dim, treatmentDim);
    this.activeArms = config.initialArms();
    this.retired = new boolean[maxArms];
    this.epochs = new int[maxArms];
    this.readers = ThreadLocal.withInitial(() -> new Reader(serialised ? null : newPolicy(), dim, maxArms, armParts));
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
    return versionNow();
  }

  private long versionNow() {
    return serialised ? samplerVersion : published.version();
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
    return new Stats(serialised ? samplerVersion : p.version(), p.activeArms(), pending.outstanding(),
        pending.evicted(), pending.expired(),
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
    checkCells(context, "context");
    if (out == null) {
      throw new IllegalArgumentException("out must not be null: give a ServiceDecision(" + dim + ", " + maxArms + ")");
    }
    if (out.recourse.length != dim || out.slots != maxArms) {
      throw new IllegalArgumentException("out must be a ServiceDecision(" + dim + ", " + maxArms + "), got ("
          + out.recourse.length + ", " + out.slots + ")");
    }
    Reader r = readers.get();
    Decision d = out.scores != null ? r.scored : r.plain;
    long id;
    long version;
    boolean queried;
    if (serialised) {
      writeLock.lock();
      try {
        Published p = published;
        fillMask(allowedArms, p, r.mask);
        master.decide(context, r.mask, d);
        queried = queried(master);
        id = nextId.getAndIncrement(NEXT_ID);
        version = samplerVersion;
        pending.put(id, d.arm(), d.context(), version, p.epochs()[d.arm()]);
      } finally {
        writeLock.unlock();
      }
    } else {
      Published p = published;
      fillMask(allowedArms, p, r.mask);
      if (r.version != p.version()) {
        r.refresh(p);
      }
      r.policy.decide(context, r.mask, d);
      queried = queried(r.policy);
      id = nextId.getAndIncrement(NEXT_ID);
      version = p.version();
      // The epoch of the version decided on: after a restore published meanwhile, it is an old one.
      pending.put(id, d.arm(), d.context(), version, p.epochs()[d.arm()]);
    }
    out.id = id;
    out.version = version;
    out.arm = d.arm();
    out.score = d.score();
    out.width = d.width();
    out.advised = d.advised();
    out.advisorQueried = queried;
    if (out.advisorQueried) {
      advisorQueries.increment();
    }
    System.arraycopy(d.context(), 0, out.recourse, 0, dim);
    if (out.scores != null) {
      System.arraycopy(d.scores(), 0, out.scores, 0, maxArms);
      System.arraycopy(d.widths(), 0, out.widths, 0, maxArms);
    }
  }

  private static boolean queried(ServablePolicy p) {
    return p instanceof Libra l ? l.lastQueried() : p instanceof AdvisorOnly;
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
    update(decisionId, reward, null, null, null);
  }

  /**
   * The outcome of decision {@code decisionId}, with the context the patient actually realised
   * ({@code null}: the recommended one). The decision is consumed; a second outcome for it is rejected.
   */
  public void update(long decisionId, double reward, double[] realisedContext) {
    update(decisionId, reward, realisedContext, null, null);
  }

  /**
   * The outcome of decision {@code decisionId} of a GAMBITTS agent: the reward and the observed embedding
   * {@code treatment} of the generated text (length {@link ServiceConfig#treatmentDim()}, finite).
   */
  public void updateWithTreatment(long decisionId, double reward, double[] treatment) {
    update(decisionId, reward, null, treatment, null);
  }

  /**
   * What an outcome by decision id is about to teach the model, for a write-ahead log: called once the
   * outcome is valid and its decision taken, under the write lock (so calls come in the order the
   * updates apply), before the model changes. {@code played} and {@code realised} are borrowed for the
   * call. If it throws, the update is not applied (the decision stays consumed) and the exception
   * propagates. {@link #replay} replays what it saw.
   */
  @FunctionalInterface
  public interface OutcomeLog {
    void append(long decisionId, int arm, double[] played, double[] realised, double reward);

    /**
     * As {@link #append(long, int, double[], double[], double)} with the observed treatment embedding
     * (null for the recourse policies; borrowed). A log that cannot record one must not accept it, or
     * its replay would learn something else: the default refuses a non-null treatment.
     */
    default void append(long decisionId, int arm, double[] played, double[] realised, double[] treatment,
                        double reward) {
      if (treatment != null) {
        throw new IllegalStateException("this outcome log cannot record a treatment embedding; override "
            + "append(decisionId, arm, played, realised, treatment, reward)");
      }
      append(decisionId, arm, played, realised, reward);
    }
  }

  /**
   * {@link #update(long, double, double[])}, telling {@code log} (null: nobody) what it applies, before
   * it applies it.
   */
  public void update(long decisionId, double reward, double[] realisedContext, OutcomeLog log) {
    update(decisionId, reward, realisedContext, null, log);
  }

  /**
   * The outcome of decision {@code decisionId}: {@code reward}, the realised context (null: the
   * recommended one), the observed treatment embedding {@code Z} (required by po- and fo-GAMBITTS,
   * optional and unread for StdTS, rejected by the recourse policies), and the log to tell first (null:
   * none). Bad input throws before the decision is consumed.
   */
  public void update(long decisionId, double reward, double[] realisedContext, double[] treatment, OutcomeLog log) {
    checkReward(reward);
    if (realisedContext != null) {
      checkContext(realisedContext, "realisedContext");
      checkCells(realisedContext, "realisedContext");
    }
    checkTreatment(treatment);
    PendingDecisions.Entry e = entries.get();
    writeLock.lock();
    try {
      // Taken under the lock a snapshot holds: it sees the decision pending or its outcome learnt, never neither.
      pending.take(decisionId, activeArms, epochs, e);
      double[] realised = realisedContext != null ? realisedContext : e.context;
      if (log != null) {
        log.append(decisionId, e.arm, e.context, realised, treatment, reward);
      }
      applyLocked(e.arm, realised, reward, e.context, treatment);
      publishLocked(versionNow() + 1, e.arm);
    } finally {
      writeLock.unlock();
    }
  }

  /** Logged data: arm {@code arm} was played at {@code context} and earned {@code reward}. */
  public void update(int arm, double[] context, double reward) {
    update(arm, context, reward, null);
  }

  /**
   * Logged data of a GAMBITTS agent: prompt {@code arm} at {@code context} generated {@code treatment}
   * and earned {@code reward}.
   */
  public void update(int arm, double[] context, double reward, double[] treatment) {
    checkContext(context, "context");
    checkCells(context, "context");
    checkReward(reward);
    checkTreatment(treatment);
    writeLock.lock();
    try {
      checkArmSlot(arm, published);
      applyLocked(arm, context, reward, null, treatment);
      publishLocked(versionNow() + 1, arm);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Replays an outcome as {@link OutcomeLog} saw it: arm {@code arm} was recommended {@code played} and
   * realised {@code realised}; the model changes exactly as that outcome's {@code update} changed it.
   */
  public void update(int arm, double[] played, double[] realised, double reward) {
    update(arm, played, realised, null, reward);
  }

  /** {@link #update(int, double[], double[], double)} with the treatment embedding the log saw (null: none). */
  public void update(int arm, double[] played, double[] realised, double[] treatment, double reward) {
    checkLoggedOutcome(played, realised, treatment, reward);
    writeLock.lock();
    try {
      checkArmSlot(arm, published);
      applyLocked(arm, realised, reward, played, treatment);
      publishLocked(versionNow() + 1, arm);
    } finally {
      writeLock.unlock();
    }
  }

  /** The checks of a logged outcome (played and realised contexts, cells, reward, treatment), before any lock. */
  private void checkLoggedOutcome(double[] played, double[] realised, double[] treatment, double reward) {
    checkContext(played, "played");
    checkContext(realised, "realised");
    checkCells(realised, "realised");
    checkReward(reward);
    checkTreatment(treatment);
  }

  /**
   * Replays the outcome of decision {@code decisionId} from a write-ahead log, as {@link OutcomeLog} saw
   * it: learns exactly as {@link #update(int, double[], double[], double[], double)}, and answers the
   * decision if it is pending. A snapshot keeps the decisions pending when it was taken, so without
   * this a decision answered after the snapshot would come back from a restart unanswered and could be
   * learnt from twice.
   */
  public void replay(long decisionId, int arm, double[] played, double[] realised, double[] treatment,
                     double reward) {
    checkLoggedOutcome(played, realised, treatment, reward);
    writeLock.lock();
    try {
      checkArmSlot(arm, published);
      pending.discard(decisionId);
      applyLocked(arm, realised, reward, played, treatment);
      publishLocked(versionNow() + 1, arm);
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Issues no decision id below {@code floor} from now on (a server that restarts after a crash moves
   * past the ids it may have issued since its last snapshot, so an old id never names a new decision).
   */
  public void reserveDecisionIdsBelow(long floor) {
    nextId.accumulateAndGet(NEXT_ID, floor, Math::max);
  }

  private void applyLocked(int arm, double[] realised, double reward, double[] played, double[] treatment) {
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
      default -> master.update(outcomeFor(arm, realised, reward, treatment));
    }
  }

  private dev.recourse.core.policy.Outcome outcomeFor(int arm, double[] x, double reward, double[] treatment) {
    dev.recourse.core.policy.Outcome o = masterOutcome;
    System.arraycopy(x, 0, o.context(), 0, dim);
    o.set(arm, reward);
    if (treatment != null) {
      System.arraycopy(treatment, 0, o.treatment(), 0, treatmentDim);
      o.withTreatment();
    }
    return o;
  }

  // ---------------------------------------------------------------- arms

  /** Activates the next arm slot (fresh prior) and returns its index; fails when all {@code max_arms} are used. */
  public int addArm() {
    writeLock.lock();
    try {
      if (activeArms == maxArms) {
        throw new IllegalStateException("all max_arms = " + maxArms + " arm slots are in use; configure more");
      }
      // A decision still pending for this slot (in flight across a restore to fewer arms) was made for
      // another model: a new epoch refuses its outcome.
      epochs[activeArms] = ++epochCount;
      activeArms++;
      publishLocked(versionNow() + 1, NO_ARM);
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
      publishLocked(versionNow() + 1, NO_ARM);
    } finally {
      writeLock.unlock();
    }
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * The published version and the pending decisions as snapshot bytes (the file format). Updates wait
   * while the pending decisions are copied (so that each outcome is in the snapshot either as learnt or
   * as its decision pending); decisions do not, except a sampler's.
   */
  public byte[] snapshotBytes() {
    if (serialised) {
      // A sampler's generator moves with every decision: export the master itself, decisions held off.
      writeLock.lock();
      try {
        long[] saved = pending.export(activeArms, epochs);
        long next = nextId.get(NEXT_ID);
        Published p = published;
        exportBuffer.clear();
        master.exportShared(exportBuffer);
        long[] shared = exportBuffer.words();
        long[][] arms = new long[armParts][];
        for (int a = 0; a < armParts; a++) {
          exportBuffer.clear();
          master.exportArm(a, exportBuffer);
          arms[a] = exportBuffer.words();
        }
        return SnapshotFormat.encode(config.policyType(), config.hash(), samplerVersion, p.activeArms(), p.retired(),
            next, shared, arms, dim, saved);
      } finally {
        writeLock.unlock();
      }
    }
    long[] saved;
    long next;
    Published p;
    writeLock.lock();
    try {
      saved = pending.export(activeArms, epochs);
      // Read after the export: every id in it is below, so a restore never issues one of them again.
      next = nextId.get(NEXT_ID);
      p = published;
    } finally {
      writeLock.unlock();
    }
    return SnapshotFormat.encode(config.policyType(), config.hash(), p.version(), p.activeArms(), p.retired(),
        next, p.shared(), p.arms(), dim, saved);
  }

  /** Writes the published version to {@code file} atomically (temporary, force, rename, directory force). */
  public void snapshot(Path file) {
    SnapshotFormat.writeAtomically(file, snapshotBytes());
  }

  /**
   * Replaces the model, arms and pending decisions with the snapshot's in {@code file} (pending decisions
   * are replaced, not merged); decision ids keep growing, above every restored one. On any error nothing
   * changes.
   */
  public void restore(Path file) {
    restore(SnapshotFormat.read(file), file.toString());
  }

  /** As {@link #restore(Path)}, from snapshot bytes. */
  public void restore(byte[] snapshot) {
    restore(snapshot, "snapshot");
  }

  private void restore(byte[] bytes, String source) {
    SnapshotFormat.Contents c = SnapshotFormat.decode(bytes, source, config.policyType(), config.hash());
    if (c.retired().length != maxArms) {
      throw new SnapshotException(source + ": has " + c.retired().length + " arm slots, this service " + maxArms);
    }
    if (c.pending().length > 0 && c.pendingDim() != dim) {
      throw new SnapshotException(source + ": pending decisions of dim " + c.pendingDim() + ", this service " + dim);
    }
    // Into a fresh instance first: a state of the wrong shape fails here, before the master is touched
    // (with a copy of a saveable advisor, which the fresh instance would otherwise share).
    try {
      importAll(advisor instanceof SaveableAdvisor s ? config.newPolicy(s.copy()) : newPolicy(), c);
      if (c.pending().length > 0) {
        pending.checkSaved(c.pending(), maxArms);
      }
    } catch (IllegalArgumentException e) {
      throw new SnapshotException(source + ": " + e.getMessage(), e);
    }
    writeLock.lock();
    try {
      importAll(master, c);
      activeArms = c.activeArms();
      System.arraycopy(c.retired(), 0, retired, 0, maxArms);
      // Every slot's model is replaced: decisions in flight from before carry the old epochs.
      Arrays.fill(epochs, ++epochCount);
      // Above every restored id too: a snapshot of an older version may record a next id below them.
      long next = Math.max(c.nextDecisionId(), pending.idsAbove(c.pending()));
      nextId.accumulateAndGet(NEXT_ID, next, Math::max);
      pending.restore(c.pending(), epochs); // replaces the pending decisions: the state is the snapshot's
      // Versions only grow within a process, so a reader never mistakes the restored model for one it holds.
      publishLocked(Math.max(versionNow() + 1, c.modelVersion()), ALL_ARMS);
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

  private static final long[] NO_STATE = new long[0];
  private static final long[][] NO_ARM_PARTS = new long[0][];
  private static final double[] NO_DECISION = new double[0];
  private static final double[][] NO_DECISION_PARTS = new double[0][];
  private static final int ALL_ARMS = -1;
  private static final int NO_ARM = -2;

  /** Publishes the master as {@code version}; re-exports arm {@code changed}'s part (or all, or none) and the shared part. */
  private void publishLocked(long version, int changed) {
    if (serialised) {
      // Nobody reads a sampler's state from a published version (see the class comment); arms and
      // retirements change only with an arm change or a restore.
      samplerVersion = version;
      if (changed < 0 || published == null) {
        published = new Published(version, NO_STATE, NO_ARM_PARTS, NO_DECISION, NO_DECISION_PARTS, activeArms,
            retired.clone(), epochs.clone(), -1, NO_ARM, null);
      }
      return;
    }
    Published previous = published;
    long[][] arms = previous == null ? new long[armParts][] : previous.arms().clone();
    double[][] decisions = previous == null ? new double[armParts][] : previous.decisionArms().clone();
    for (int a = 0; a < armParts; a++) {
      if (changed == ALL_ARMS || a == changed) {
        exportBuffer.clear();
        master.exportArm(a, exportBuffer);
        arms[a] = exportBuffer.words();
        decisionBuffer.clear();
        master.exportArmDecision(a, decisionBuffer);
        decisions[a] = decisionBuffer.doubles();
      }
    }
    exportBuffer.clear();
    master.exportShared(exportBuffer);
    decisionBuffer.clear();
    master.exportSharedDecision(decisionBuffer);
    // Unchanged (LinUCB, GLRB: empty), the previous array again: a replica then skips its import.
    double[] decisionShared = previous != null && decisionBuffer.sameAs(previous.decisionShared())
        ? previous.decisionShared() : decisionBuffer.doubles();
    // Retirements change with arm changes only: an update shares the previous array (one line fewer to miss).
    boolean[] gone = previous != null && Arrays.equals(previous.retired(), retired) ? previous.retired()
        : retired.clone();
    int[] slotEpochs = previous != null && Arrays.equals(previous.epochs(), epochs) ? previous.epochs()
        : epochs.clone();
    boolean one = previous != null && changed >= 0 && changed < armParts;
    published = new Published(version, exportBuffer.words(), arms, decisionShared, decisions, activeArms, gone,
        slotEpochs, previous == null ? -1 : previous.version(), one ? changed : NO_ARM, one ? decisions[changed] : null);
  }

  private void checkContext(double[] x, String field) {
    if (x == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    if (x.length != dim) {
      throw new IllegalArgumentException(field + " must have length dim = " + dim + ", got " + x.length);
    }
    for (int i = 0; i < dim; i++) {
      // The model's own limit too (x xᵀ overflows beyond it), here where nothing is taken or logged yet.
      if (!(Math.abs(x[i]) <= RidgeArms.MAX_MAGNITUDE)) {
        throw RidgeArms.outsideMagnitude(field + "[" + i + "]", x[i], "x xᵀ");
      }
    }
  }

  /** A GAMBITTS context is a cell: every value a level index of its column. */
  private void checkCells(double[] x, String field) {
    if (cells != null) {
      try {
        cells.check(x);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
      }
    }
  }

  private void checkTreatment(double[] z) {
    if (z == null) {
      if (config.needsTreatment()) {
        throw new IllegalArgumentException("treatment must be given: " + config.policyType() + " learns from the"
            + " observed embedding Z (length d_z = " + treatmentDim + ")");
      }
      return;
    }
    if (treatmentDim == 0) {
      throw new IllegalArgumentException("treatment must be null: " + config.policyType() + " takes no treatment"
          + " embedding, got one of length " + z.length);
    }
    if (z.length != treatmentDim) {
      throw new IllegalArgumentException("treatment must have length d_z = " + treatmentDim + ", got " + z.length);
    }
    // The agent's own check (finite, within its limit, a squared norm that does not overflow): the agent
    // would refuse such a Z too, but only once the decision is taken; refuse it while it is pending.
    dev.recourse.core.gambitts.AgentChecks.treatment("treatment", z, 0, z.length, treatmentLimit);
  }

  /**
   * The model's own limits (a finite reward of at most {@link RidgeArms#MAX_MAGNITUDE} in magnitude,
   * beyond which reward·x overflows; for the GAMBITTS agents {@code AgentChecks.MAX_REWARD}), checked
   * before the decision is taken and logged.
   */
  private void checkReward(double reward) {
    if (config.gambitts()) {
      dev.recourse.core.gambitts.AgentChecks.reward("reward", reward);
    } else if (config.logisticLink()) {
      if (!(reward >= 0 && reward <= 1)) {
        throw new IllegalArgumentException("reward must be in [0, 1] for the logistic link, got " + reward);
      }
    } else if (!(Math.abs(reward) <= RidgeArms.MAX_MAGNITUDE)) {
      throw RidgeArms.outsideMagnitude("reward", reward, "reward·x");
    }
  }

  private void checkArmSlot(int arm, Published p) {
    if (arm < 0 || arm >= p.activeArms()) {
      throw new IllegalArgumentException("arm must be in [0, " + p.activeArms() + "), got " + arm);
    }
  }
}
