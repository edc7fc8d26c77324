package dev.recourse.api;

import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.Arrays;

/**
 * A policy's exported state as a sequence of 64-bit words (a double as its raw bits, so NaN payloads
 * and signed zeros survive): the writer fills one ({@link #sink}), publishes {@link #words()} as an
 * immutable array, and readers replay it through a {@link Cursor}. The snapshot body is these words.
 */
final class StateBuffer implements StateSink {

  private long[] words = new long[256];
  private int size;

  void clear() {
    size = 0;
  }

  private void ensure(int more) {
    if (size + more > words.length) {
      words = Arrays.copyOf(words, Math.max(words.length * 2, size + more));
    }
  }

  @Override
  public void putLong(long value) {
    ensure(1);
    words[size++] = value;
  }

  @Override
  public void putDouble(double value) {
    putLong(Double.doubleToRawLongBits(value));
  }

  @Override
  public void putDoubles(double[] values, int off, int len) {
    ensure(len);
    for (int i = 0; i < len; i++) {
      words[size + i] = Double.doubleToRawLongBits(values[off + i]);
    }
    size += len;
  }

  /** A copy of the words written, to publish. */
  long[] words() {
    return Arrays.copyOf(words, size);
  }

  /** Reads a word array back; reusable ({@link #reset}) so that a reader's refresh allocates nothing. */
  static final class Cursor implements StateSource {
    private long[] words;
    private int pos;

    Cursor reset(long[] words) {
      this.words = words;
      this.pos = 0;
      return this;
    }

    private void need(int n) {
      if (pos + n > words.length) {
        throw new IllegalArgumentException("state ends after " + words.length + " words, " + (pos + n)
            + " needed: it was written by a differently shaped policy");
      }
    }

    @Override
    public long getLong() {
      need(1);
      return words[pos++];
    }

    @Override
    public double getDouble() {
      return Double.longBitsToDouble(getLong());
    }

    @Override
    public void getDoubles(double[] into, int off, int len) {
      need(len);
      for (int i = 0; i < len; i++) {
        into[off + i] = Double.longBitsToDouble(words[pos + i]);
      }
      pos += len;
    }

    /** Throws unless every word was read (a longer state is another shape too). */
    void finish() {
      if (pos != words.length) {
        throw new IllegalArgumentException("state has " + (words.length - pos) + " words beyond this policy's shape");
      }
    }
  }
}
