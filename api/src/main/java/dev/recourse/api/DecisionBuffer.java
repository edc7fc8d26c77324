package dev.recourse.api;

import dev.recourse.core.state.StateSink;
import dev.recourse.core.state.StateSource;
import java.util.Arrays;

/**
 * A policy's decision parts ({@link dev.recourse.core.state.Snapshottable#exportArmDecision}) as
 * {@code double[]}, as a replica's import wants them: a run of doubles goes in and comes out with one
 * {@link System#arraycopy} each way, no word conversion. A long (a count) takes two doubles, its high
 * and low 32 bits, each an exact integer-valued double, so every long value survives (a long's raw
 * bits as a double could be a NaN pattern, which the JVM does not promise to keep). The writer fills
 * one ({@link #clear}, the sink methods) and publishes {@link #doubles()}; readers replay a published
 * array through a reusable {@link Cursor}. Not part of the snapshot format: snapshots are written
 * from the state parts ({@link StateBuffer}).
 */
final class DecisionBuffer implements StateSink {

  private double[] values = new double[256];
  private int size;

  void clear() {
    size = 0;
  }

  private void ensure(int more) {
    if (size + more > values.length) {
      values = Arrays.copyOf(values, Math.max(values.length * 2, size + more));
    }
  }

  @Override
  public void putLong(long value) {
    ensure(2);
    values[size] = (int) (value >> 32);
    values[size + 1] = (int) value;
    size += 2;
  }

  @Override
  public void putDouble(double value) {
    ensure(1);
    values[size++] = value;
  }

  @Override
  public void putDoubles(double[] from, int off, int len) {
    ensure(len);
    System.arraycopy(from, off, values, size, len);
    size += len;
  }

  /** A copy of what was written, to publish. */
  double[] doubles() {
    return Arrays.copyOf(values, size);
  }

  /** Whether what was written equals {@code published} bit for bit (then that array can be published again). */
  boolean sameAs(double[] published) {
    if (published == null || published.length != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(published[i])) {
        return false;
      }
    }
    return true;
  }

  /** Reads a published array back; reusable ({@link #reset}), so that a replica's refresh allocates nothing. */
  static final class Cursor implements StateSource {
    private double[] values;
    private int pos;

    Cursor reset(double[] values) {
      this.values = values;
      this.pos = 0;
      return this;
    }

    private void need(int n) {
      if (pos + n > values.length) {
        throw new IllegalStateException("decision part ends after " + values.length + " values, " + (pos + n)
            + " needed: it was written by a differently shaped policy");
      }
    }

    @Override
    public long getLong() {
      need(2);
      long v = ((long) (int) values[pos] << 32) | ((int) values[pos + 1] & 0xFFFF_FFFFL);
      pos += 2;
      return v;
    }

    @Override
    public double getDouble() {
      need(1);
      return values[pos++];
    }

    @Override
    public void getDoubles(double[] into, int off, int len) {
      need(len);
      System.arraycopy(values, pos, into, off, len);
      pos += len;
    }

    /** Throws unless every value was read: importer and exporter disagree on the part's shape. */
    void finish() {
      if (pos != values.length) {
        throw new IllegalStateException("decision part has " + (values.length - pos)
            + " values beyond what the replica read: it was written by a differently shaped policy");
      }
    }
  }
}
