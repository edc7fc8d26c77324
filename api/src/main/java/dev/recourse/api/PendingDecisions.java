package dev.recourse.api;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Decisions awaiting their outcome, bounded in number and in age, without allocation: a ring of
 * {@code capacity} (a power of two) slots indexed by {@code id & (capacity − 1)}. Ids are consecutive,
 * so a new decision lands on the slot of the one made {@code capacity} decisions earlier, the oldest
 * possible, which is dropped if still unanswered: counted as expired when older than the expiry, else
 * as evicted (the cap). An outcome older than the expiry is rejected and counted as expired.
 *
 * <p>Thread safety: slots are guarded by 256 striped monitors, held
 * for a copy of d doubles; deciders touch distinct consecutive slots, so they rarely share a stripe.
 * Each monitor is an object of its own cache line (a padded array), so that two deciders locking
 * neighbouring stripes do not pass one line back and forth, and the count of outstanding decisions is
 * a {@link LongAdder} that a full ring does not touch (a decision that drops another leaves it as it
 * was), so that deciders do not contend on one counter.
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
  private final long[] ids;
  private final int[] arms;
  private final long[] versions;
  private final long[] times;
  private final double[] contexts;
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
    this.ids = new long[cap];
    java.util.Arrays.fill(ids, EMPTY);
    this.arms = new int[cap];
    this.versions = new long[cap];
    this.times = new long[cap];
    this.contexts = new double[cap * dim];
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new long[7]; // 72 bytes: no two monitors' headers share a 64-byte line
    }
  }

  int capacity() {
    return mask + 1;
  }

  /** Records decision {@code id}: the arm and recommended context played, the model version it read. */
  void put(long id, int arm, double[] context, long version) {
    int slot = (int) (id & mask);
    long now = clock.getAsLong();
    boolean added;
    synchronized (locks[slot & (STRIPES - 1)]) {
      added = ids[slot] == EMPTY;
      if (!added) { // dropped for this one: outstanding unchanged
        if (now - times[slot] > expiryNanos) {
          expired.increment();
        } else {
          evicted.increment();
        }
      }
      ids[slot] = id;
      arms[slot] = arm;
      versions[slot] = version;
      times[slot] = now;
      System.arraycopy(context, 0, contexts, slot * dim, dim);
    }
    if (added) {
      outstanding.increment();
    }
  }

  /**
   * Removes decision {@code id} into {@code out}, or throws {@link IllegalArgumentException} naming the
   * id: unknown (never made, already answered, or dropped for the cap) or expired (dropped, counted).
   */
  void take(long id, Entry out) {
    int slot = (int) (id & mask);
    long now = clock.getAsLong();
    synchronized (locks[slot & (STRIPES - 1)]) {
      if (id < 0 || ids[slot] != id) {
        throw new IllegalArgumentException("decisionId " + id + " is unknown: never issued, already answered, "
            + "or dropped when more than " + capacity() + " decisions were pending");
      }
      ids[slot] = EMPTY;
      outstanding.decrement();
      long age = now - times[slot];
      if (age > expiryNanos) {
        expired.increment();
        throw new IllegalArgumentException("decisionId " + id + " expired: its outcome came " + age / 1_000_000
            + " ms after the decision, the expiry is " + expiryNanos / 1_000_000 + " ms");
      }
      out.arm = arms[slot];
      out.version = versions[slot];
      System.arraycopy(contexts, slot * dim, out.context, 0, dim);
    }
  }

  /** Drops decision {@code id} if it is pending (a replayed outcome answers it); else does nothing. */
  void discard(long id) {
    int slot = (int) (id & mask);
    synchronized (locks[slot & (STRIPES - 1)]) {
      if (id >= 0 && ids[slot] == id) {
        ids[slot] = EMPTY;
        outstanding.decrement();
      }
    }
  }

  /** Words per saved entry beyond the context: id, arm, model version, age in nanoseconds. */
  static final int SAVED_HEADER = 4;

  /**
   * The outstanding decisions, for a snapshot: per entry {@code id, arm, version, ageNanos} and the
   * context's {@code dim} doubles as raw bits, in slot order. Each entry is read under its stripe, so
   * each is whole; decisions made or answered meanwhile may or may not be in it.
   */
  long[] export() {
    long now = clock.getAsLong();
    int stride = SAVED_HEADER + dim;
    long[] out = new long[(int) Math.min((long) Integer.MAX_VALUE - 16, Math.max(0, outstanding.sum() + 16) * stride)];
    int n = 0;
    for (int slot = 0; slot <= mask; slot++) {
      synchronized (locks[slot & (STRIPES - 1)]) {
        if (ids[slot] == EMPTY) {
          continue;
        }
        if (n + stride > out.length) {
          out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, n + stride));
        }
        out[n] = ids[slot];
        out[n + 1] = arms[slot];
        out[n + 2] = versions[slot];
        out[n + 3] = Math.max(0, now - times[slot]);
        for (int i = 0; i < dim; i++) {
          out[n + SAVED_HEADER + i] = Double.doubleToRawLongBits(contexts[slot * dim + i]);
        }
        n += stride;
      }
    }
    return java.util.Arrays.copyOf(out, n);
  }

  /**
   * Puts back what {@link #export} saved, each decision aged as it was: it expires when it would have.
   * A saved decision lands in its slot unless a newer decision holds it (a smaller ring keeps the newer).
   */
  void restore(long[] saved) {
    int stride = SAVED_HEADER + dim;
    if (saved.length % stride != 0) {
      throw new IllegalArgumentException("saved pending decisions of " + saved.length + " words are not whole"
          + " entries of " + stride);
    }
    long now = clock.getAsLong();
    for (int n = 0; n < saved.length; n += stride) {
      long id = saved[n];
      int slot = (int) (id & mask);
      synchronized (locks[slot & (STRIPES - 1)]) {
        if (ids[slot] != EMPTY && ids[slot] >= id) {
          continue;
        }
        if (ids[slot] == EMPTY) {
          outstanding.increment();
        }
        ids[slot] = id;
        arms[slot] = (int) saved[n + 1];
        versions[slot] = saved[n + 2];
        times[slot] = now - saved[n + 3];
        for (int i = 0; i < dim; i++) {
          contexts[slot * dim + i] = Double.longBitsToDouble(saved[n + SAVED_HEADER + i]);
        }
      }
    }
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
