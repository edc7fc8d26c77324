package dev.recourse.core.state;

/**
 * Where a model writes its full learnt state, value by value, for a snapshot or for a replica
 * ({@link Snapshottable#exportState}). The order of calls is the format: {@link StateSource} reads
 * the same values back in the same order. Implementations live outside core (the api module writes to
 * a byte buffer); core only knows this interface.
 */
public interface StateSink {

  void putLong(long value);

  void putDouble(double value);

  /** {@code values[off..off+len)}, preceded by nothing: the reader knows the length from the model's shape. */
  void putDoubles(double[] values, int off, int len);

  default void putDoubles(double[] values) {
    putDoubles(values, 0, values.length);
  }

  default void putLongs(long[] values) {
    for (long v : values) {
      putLong(v);
    }
  }

  default void putInts(int[] values) {
    for (int v : values) {
      putLong(v);
    }
  }
}
