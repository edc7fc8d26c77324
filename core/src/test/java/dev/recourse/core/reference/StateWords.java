package dev.recourse.core.reference;

import dev.recourse.core.state.Snapshottable;
import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.Arrays;

/**
 * An export as a list of words (doubles by their raw bits), to compare states bit for bit ("bad input
 * left the model as it was") and to feed an import a hand-edited part.
 */
public final class StateWords implements StateSink {

  private long[] words = new long[64];
  private int size;

  /** The whole state of {@code model}. */
  public static long[] of(Snapshottable model) {
    StateWords w = new StateWords();
    model.exportState(w);
    return w.toArray();
  }

  /** Arm {@code arm}'s part of {@code model}. */
  public static StateWords arm(Snapshottable model, int arm) {
    StateWords w = new StateWords();
    model.exportArm(arm, w);
    return w;
  }

  @Override
  public void putLong(long value) {
    if (size == words.length) {
      words = Arrays.copyOf(words, size * 2);
    }
    words[size++] = value;
  }

  @Override
  public void putDouble(double value) {
    putLong(Double.doubleToRawLongBits(value));
  }

  @Override
  public void putDoubles(double[] values, int off, int len) {
    for (int i = 0; i < len; i++) {
      putDouble(values[off + i]);
    }
  }

  public int size() {
    return size;
  }

  public long[] toArray() {
    return Arrays.copyOf(words, size);
  }

  /** Overwrites word {@code i} with a long. */
  public StateWords setLong(int i, long value) {
    words[i] = value;
    return this;
  }

  /** Overwrites word {@code i} with a double. */
  public StateWords setDouble(int i, double value) {
    words[i] = Double.doubleToRawLongBits(value);
    return this;
  }

  /** A source reading the words from the start; running out throws as a real source does. */
  public StateSource reader() {
    return new StateSource() {
      private int pos;

      @Override
      public long getLong() {
        if (pos >= size) {
          throw new IllegalArgumentException("state ran out at word " + pos);
        }
        return words[pos++];
      }

      @Override
      public double getDouble() {
        return Double.longBitsToDouble(getLong());
      }

      @Override
      public void getDoubles(double[] into, int off, int len) {
        for (int i = 0; i < len; i++) {
          into[off + i] = getDouble();
        }
      }
    };
  }
}
