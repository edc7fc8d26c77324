package dev.recourse.core.state;

/**
 * Reads back what a {@link StateSink} received, in the same order. A source that runs out of values
 * throws {@link IllegalArgumentException}; the caller restores into a fresh model so that a failure
 * leaves nothing half-loaded.
 */
public interface StateSource {

  long getLong();

  double getDouble();

  void getDoubles(double[] into, int off, int len);

  default void getDoubles(double[] into) {
    getDoubles(into, 0, into.length);
  }

  default void getLongs(long[] into) {
    for (int i = 0; i < into.length; i++) {
      into[i] = getLong();
    }
  }

  default void getInts(int[] into) {
    for (int i = 0; i < into.length; i++) {
      long v = getLong();
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("state value " + v + " does not fit an int");
      }
      into[i] = (int) v;
    }
  }

  /** Reads a shape value written by the exporter and checks it against this model's, naming {@code field}. */
  default void expect(String field, long expected) {
    long got = getLong();
    if (got != expected) {
      throw new IllegalArgumentException("state " + field + " is " + got + ", this model has " + expected);
    }
  }
}
