package dev.recourse.sim.run;

/**
 * Holds results that finished out of order until all earlier ones have arrived, then releases them in
 * index order. A ring of fixed capacity: the caller never lets an index run more than
 * {@code capacity} ahead of the next one to release. Not thread-safe.
 */
final class ReorderBuffer<T> {

  private final Object[] slots;
  private long nextIndex;

  ReorderBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.slots = new Object[capacity];
  }

  /** Stores result {@code index}; {@code nextIndex() <= index < nextIndex() + capacity}. */
  void put(long index, T item) {
    if (index < nextIndex || index >= nextIndex + slots.length) {
      throw new IllegalStateException("index " + index + " outside the window [" + nextIndex + ", "
          + (nextIndex + slots.length) + ")");
    }
    int slot = (int) (index % slots.length);
    if (slots[slot] != null) {
      throw new IllegalStateException("index " + index + " stored twice");
    }
    slots[slot] = item;
  }

  /** The next result in index order if it has arrived, else null. */
  @SuppressWarnings("unchecked")
  T poll() {
    int slot = (int) (nextIndex % slots.length);
    T item = (T) slots[slot];
    if (item != null) {
      slots[slot] = null;
      nextIndex++;
    }
    return item;
  }

  /** Index of the next result to release. */
  long nextIndex() {
    return nextIndex;
  }

  int capacity() {
    return slots.length;
  }
}
