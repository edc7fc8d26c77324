package dev.recourse.bench.decision;

import java.lang.reflect.Field;

/**
 * Where an array's data start relative to a 64-byte cache line, for the log: 512-bit loads and stores of
 * rows that do not start on a line boundary are split across two lines. Reads the compressed reference
 * through {@code sun.misc.Unsafe}, which is exact for the unscaled compressed oops of a heap below 4 GB
 * (the benchmarks fork with {@code -Xmx1g}); returns -1 if that cannot be established.
 */
final class Alignment {

  private static final sun.misc.Unsafe UNSAFE = unsafe();

  private Alignment() {}

  private static sun.misc.Unsafe unsafe() {
    try {
      Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Byte offset of {@code a[0]} within its cache line, or -1. */
  @SuppressWarnings({"removal", "deprecation"})
  static int lineOffset(double[] a) {
    if (UNSAFE == null || UNSAFE.addressSize() != 8 || UNSAFE.arrayIndexScale(Object[].class) != 4) {
      return -1;
    }
    Object[] holder = {a};
    long narrow = UNSAFE.getInt(holder, (long) UNSAFE.arrayBaseOffset(Object[].class)) & 0xFFFF_FFFFL;
    long address = narrow + UNSAFE.arrayBaseOffset(double[].class);
    return (int) (address & 63);
  }
}
