package dev.recourse.api;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Decisions awaiting their outcome, bounded in number and in age, without allocation: a ring of
 * {@code capacity} (a power of two) slots indexed by {@code id & (capacity − 1)}. Ids are consecutive,
 * so a new decision lands on the slot of the one made {@code capacity} decisions earlier, the oldest
 * possible, which is dropped if still unanswered: counted as expired when older than the expiry, else
 * as evicted (the cap). A decider delayed past {@code capacity} newer decisions finds its slot holding a
 * newer one and drops its own (the older), counted as evicted. An outcome older than the expiry is
 * rejected and the decision left in place (bad input changes nothing): it is counted as expired when a
 * new decision drops it, like any decision that expired unanswered.
 *
 * <p>Thread safety: slots are guarded by 256 striped monitors, held
 * for a copy of d doubles; deciders touch distinct consecutive slots, so they rarely share a stripe.
 * Each monitor is an object of its own cache line (a padded array), so that two deciders locking
 * neighbouring stripes do not pass one line back and forth, and the count of outstanding decisions is
 * a {@link LongAdder} that a full ring does not touch (a decision that drops another leaves it as it
 * was), so that deciders do not contend on one counter. A slot's fields and context are one record of
 * whole cache lines ({@code 4 + dim} words rounded up to 8), not five arrays in which neighbouring
 * slots, which concurrent deciders write, would share a line each.
 *
 * <p>Each decision also records its arm slot's epoch (the service's count of that slot's incarnations:
 * a restore replaces every slot's model, an added arm takes a slot afresh), and an outcome is refused
 * when the slot's epoch has moved since: it was decided on a model the slot no longer holds.
 */
final class PendingDecisions {

  private static final long EMPTY = -1L;
  private static final int STRIPES = 256;

  /** What {@link #take} found. */
  static final class Entry {
    final double[] context;
    int arm;
    long version;

    Entry(int dim) {
      context = new double[dim];
    }
  }

  private final int mask;
  private final int dim;
  private final long expiryNanos;
  private final LongSupplier clock;
  /**
   * Per slot, at {@code slot · stride}: id, arm and epoch (one word: the arm in the low 32 bits, its
   * slot's epoch in the high 32, so that a record stays at {@code 4 + dim} words), model version, time,
   * then the context's raw bits.
   */
  private final long[] slots;
  private final int stride;
  private static final int ID = 0;
  private static final int ARM = 1;
  private static final int VERSION = 2;
  private static final int TIME = 3;
  private static final int CONTEXT = 4;
  private final Object[] locks = new Object[STRIPES];
  private final LongAdder outstanding = new LongAdder();
  private final LongAdder evicted = new LongAdder();
  private final LongAdder expired = new LongAdder();

  PendingDecisions(int capacity, int dim, long expiryNanos, LongSupplier clock) {
    if (capacity < 1 || capacity > 1 << 30) {
      throw new IllegalArgumentException("pending capacity must be in [1, 2^30], got " + capacity);
    }
    int cap = 1;
    while (cap < capacity) {
      cap <<= 1;
    }
    this.mask = cap - 1;
    this.dim = dim;
    this.expiryNanos = expiryNanos;
    this.clock = clock;
    this.stride = (CONTEXT + dim + 7) & -8;
    if ((long) cap * stride > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("pending capacity " + capacity + " × (dim + 4) is too large for one array");
    }
    this.slots = new long[cap * stride];
    for (int i = 0; i < cap; i++) {
      slots[i * stride + ID] = EMPTY;
    }
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new long[7]; // 72 bytes: no two monitors' headers share a 64-byte line
    }
  }

  int capacity() {
    return mask + 1;
  }

  /**
   * Records decision {@code id}: the arm and recommended context played, the model version it read and
   * the epoch its arm slot had in that version.
   */
  void put(long id, int arm, double[] context, long version, int epoch) {
    int slot = (int) (id & mask);
    int at = slot * stride;
    long now = clock.getAsLong();
    boolean added;
    long[] s = slots;
    synchronized (locks[slot & (STRIPES - 1)]) {
      long held = s[at + ID];
      if (held >= id) { // a newer decision took the slot while this one was delayed: drop this one, the older
        evicted.increment();
        return;
      }
      added = held == EMPTY;
      if (!added) { // dropped for this one: outstanding unchanged
        if (now - s[at + TIME] > expiryNanos) {
          expired.increment();
        } else {
          evicted.increment();
        }
      }
      s[at + ID] = id;
      s[at + ARM] = armWord(arm, epoch);
      s[at + VERSION] = version;
      s[at + TIME] = now;
      for (int i = 0; i < dim; i++) {
        s[at + CONTEXT + i] = Double.doubleToRawLongBits(context[i]);
      }
    }
    if (added) {
      outstanding.increment();
    }
  }

  private static long armWord(int arm, int epoch) {
    return (long) epoch << 32 | (arm & 0xFFFF_FFFFL);
  }

  /**
   * Removes decision {@code id} into {@code out}, or throws {@link IllegalArgumentException} naming the
   * id, with the slot untouched: unknown (never made, already answered, or dropped), expired, made for
   * an arm slot at or above {@code activeArms} (a decision in flight across a restore to fewer arms), or
   * made for an earlier incarnation of its slot, whose epoch is no longer {@code epochs[arm]} (in flight
   * across a restore; or across one to fewer arms and an {@code addArm} that took the slot again).
   */
  void take(long id, int activeArms, int[] epochs, Entry out) {
    int slot = (int) (id & mask);
    int at = slot * stride;
    long now = clock.getAsLong();
    synchronized (locks[slot & (STRIPES - 1)]) {
      if (id < 0 || slots[at + ID] != id) {
        throw new IllegalArgumentException("decisionId " + id + " is unknown: never issued, already answered, "
            + "or dropped when more than " + capacity() + " decisions were pending");
      }
      long age = now - slots[at + TIME];
      if (age > expiryNanos) {
        throw new IllegalArgumentException("decisionId " + id + " expired: its outcome came " + age / 1_000_000
            + " ms after the decision, the expiry is " + expiryNanos / 1_000_000 + " ms");
      }
      long word = slots[at + ARM];
      int arm = (int) word;
      if (arm >= activeArms) {
        throw new IllegalArgumentException("decisionId " + id + " was made for arm " + arm
            + ", which is not active: arms are [0, " + activeArms + ")");
      }
      int epoch = (int) (word >>> 32);
      if (epoch != epochs[arm]) {
        // Learning it would teach the slot's present model from a decision another model made.
        throw new IllegalArgumentException("decisionId " + id + " was made for arm " + arm + " at epoch " + epoch
            + ", but that arm slot has been replaced since (by a restore, or by addArm after a restore to fewer"
            + " arms; epoch now " + epochs[arm] + "): its outcome would teach another arm's model");
      }
      slots[at + ID] = EMPTY;
      outstanding.decrement();
      out.arm = arm;
      out.version = slots[at + VERSION];
      for (int i = 0; i < dim; i++) {
        out.context[i] = Double.longBitsToDouble(slots[at + CONTEXT + i]);
      }
    }
  }

  /** Drops decision {@code id} if it is pending (a replayed outcome answers it); else does nothing. */
  void discard(long id) {
    int slot = (int) (id & mask);
    synchronized (locks[slot & (STRIPES - 1)]) {
      if (id >= 0 && slots[slot * stride + ID] == id) {
        slots[slot * stride + ID] = EMPTY;
        outstanding.decrement();
      }
    }
  }

  /** Words per saved entry beyond the context: id, arm, model version, age in nanoseconds. */
  static final int SAVED_HEADER = 4;

  /**
   * The outstanding decisions that can still be answered, for a snapshot: per entry {@code id, arm,
   * version, ageNanos} and the context's {@code dim} doubles as raw bits, in slot order. Each entry is
   * read under its stripe, so each is whole; decisions made or answered meanwhile may or may not be in
   * it. Decisions for an inactive slot or of an earlier epoch of their slot are left out: the saved
   * format has no epochs, and a restore gives every saved decision its slot's new epoch.
   */
  long[] export(int activeArms, int[] epochs) {
    long now = clock.getAsLong();
    int entry = SAVED_HEADER + dim;
    long[] out = new long[(int) Math.min((long) Integer.MAX_VALUE - 16, Math.max(0, outstanding.sum() + 16) * entry)];
    int n = 0;
    for (int slot = 0; slot <= mask; slot++) {
      synchronized (locks[slot & (STRIPES - 1)]) {
        int at = slot * stride;
        if (slots[at + ID] == EMPTY) {
          continue;
        }
        long word = slots[at + ARM];
        int arm = (int) word;
        if (arm >= activeArms || (int) (word >>> 32) != epochs[arm]) {
          continue;
        }
        if (n + entry > out.length) {
          out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, n + entry));
        }
        out[n] = slots[at + ID];
        out[n + 1] = arm;
        out[n + 2] = slots[at + VERSION];
        out[n + 3] = Math.max(0, now - slots[at + TIME]);
        System.arraycopy(slots, at + CONTEXT, out, n + SAVED_HEADER, dim);
        n += entry;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /** Refuses saved decisions {@link #restore} could not take, before anything is changed. */
  void checkSaved(long[] saved, int maxArms) {
    int entry = SAVED_HEADER + dim;
    if (saved.length % entry != 0) {
      throw new IllegalArgumentException("saved pending decisions of " + saved.length + " words are not whole"
          + " entries of " + entry);
    }
    for (int n = 0; n < saved.length; n += entry) {
      if (saved[n] < 0) { // EMPTY is −1, and the ids a service issues are never negative
        throw new IllegalArgumentException("saved pending decision " + n / entry + " has id " + saved[n]
            + ", ids are never negative");
      }
      if (saved[n + 1] < 0 || saved[n + 1] >= maxArms) {
        throw new IllegalArgumentException("saved pending decision " + n / entry + " has arm " + saved[n + 1]
            + ", arm slots are [0, " + maxArms + ")");
      }
    }
  }

  /**
   * Replaces the pending decisions with what {@link #export} saved, each aged as it was: it expires when
   * it would have, and with its arm slot's epoch in {@code epochs} (the restored model's). A saved
   * decision lands in its slot unless a newer decision holds it (a smaller ring keeps the newer; so does
   * a decision made meanwhile, whose epoch is then an earlier one).
   */
  void restore(long[] saved, int[] epochs) {
    checkSaved(saved, epochs.length);
    for (int slot = 0; slot <= mask; slot++) {
      synchronized (locks[slot & (STRIPES - 1)]) {
        if (slots[slot * stride + ID] != EMPTY) {
          slots[slot * stride + ID] = EMPTY;
          outstanding.decrement();
        }
      }
    }
    int entry = SAVED_HEADER + dim;
    long now = clock.getAsLong();
    for (int n = 0; n < saved.length; n += entry) {
      long id = saved[n];
      int slot = (int) (id & mask);
      synchronized (locks[slot & (STRIPES - 1)]) {
        int at = slot * stride;
        if (slots[at + ID] != EMPTY && slots[at + ID] >= id) {
          continue;
        }
        if (slots[at + ID] == EMPTY) {
          outstanding.increment();
        }
        slots[at + ID] = id;
        int arm = (int) saved[n + 1];
        slots[at + ARM] = armWord(arm, epochs[arm]);
        slots[at + VERSION] = saved[n + 2];
        slots[at + TIME] = now - saved[n + 3];
        System.arraycopy(saved, n + SAVED_HEADER, slots, at + CONTEXT, dim);
      }
    }
  }

  /** One above the highest id in {@code saved} (0 if none): a restored service must issue none of them again. */
  long idsAbove(long[] saved) {
    long next = 0;
    for (int n = 0; n < saved.length; n += SAVED_HEADER + dim) {
      next = Math.max(next, saved[n] + 1);
    }
    return next;
  }

  long outstanding() {
    return outstanding.sum();
  }

  long evicted() {
    return evicted.sum();
  }

  long expired() {
    return expired.sum();
  }
}
