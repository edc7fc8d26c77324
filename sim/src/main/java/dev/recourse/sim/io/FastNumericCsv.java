package dev.recourse.sim.io;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The fast path of {@link NumericCsvReader}: the whole file as bytes, its rows parsed in place (no
 * line or field strings) on up to {@link #threads()} threads, each value with FastDoubleParser's byte
 * parser (bit for bit {@link Double#parseDouble}). It accepts only what the strict reader accepts
 * without comment, in its plainest form: ASCII numeric fields, spaces or tabs around them, {@code \n} or
 * {@code \r\n} line ends, blank lines only at the end. Anything else (a bad value, a missing field, a
 * blank line in the middle, a byte that is not ASCII, a form feed...) makes it return {@code null}, and
 * the strict line-by-line reader reads the file again and reports the problem exactly as before. So the
 * two paths give the same table or the same error; only well-formed files take this one (issue #17: the
 * line reader took about 0.9 s of a 200,000-round replay's 2 s).
 */
final class FastNumericCsv {

  /** Below this many bytes of rows one thread parses them (a thread start costs more than it saves). */
  static final int PARALLEL_MIN_BYTES = 1 << 22;
  private static final int MAX_THREADS = 8;
  /** The largest array the JVM reliably allocates. */
  private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

  private FastNumericCsv() {}

  /** Threads a large file's rows are parsed on: the available processors, at most {@value #MAX_THREADS}. */
  static int threads() {
    return Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * The table, or {@code null} when the strict reader must decide (also when the file cannot be read:
   * that reader names the reason). The header goes through {@link NumericCsvReader#parseHeader} and
   * {@code headerCheck} exactly as there, and their exceptions propagate.
   */
  static NumericTable tryRead(Path file, NumericCsvReader.HeaderCheck headerCheck, int threads) {
    return tryRead(file, headerCheck, threads, PARALLEL_MIN_BYTES);
  }

  /** {@link #tryRead(Path, NumericCsvReader.HeaderCheck, int)} splitting from {@code parallelMinBytes} (tests). */
  static NumericTable tryRead(Path file, NumericCsvReader.HeaderCheck headerCheck, int threads, int parallelMinBytes) {
    byte[] bytes;
    try {
      if (Files.size(file) > Integer.MAX_VALUE - 16) {
        return null;
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException | OutOfMemoryError e) {
      return null;
    }
    int headerEnd = indexOf(bytes, 0, (byte) '\n');
    int dataStart = headerEnd < 0 ? bytes.length : headerEnd + 1;
    int lineEnd = headerEnd < 0 ? bytes.length : headerEnd;
    if (lineEnd > 0 && bytes[lineEnd - 1] == '\r') {
      lineEnd--;
    }
    if (bytes.length == 0 || indexOf(bytes, 0, lineEnd, (byte) '\r') >= 0) {
      return null; // empty, or a lone CR the line reader would split the header at
    }
    List<String> header = NumericCsvReader.parseHeader(file, new String(bytes, 0, lineEnd, StandardCharsets.UTF_8));
    headerCheck.check(file, header);
    int columns = header.size();

    int parts = bytes.length - dataStart >= parallelMinBytes ? Math.max(1, threads) : 1;
    int[] bounds = new int[parts + 1];
    bounds[0] = dataStart;
    bounds[parts] = bytes.length;
    for (int k = 1; k < parts; k++) {
      int at = dataStart + (int) ((long) (bytes.length - dataStart) * k / parts);
      int nl = indexOf(bytes, Math.max(at, bounds[k - 1]), (byte) '\n');
      bounds[k] = nl < 0 ? bytes.length : nl + 1;
    }
    Chunk[] chunks = new Chunk[parts];
    for (int k = 0; k < parts; k++) {
      chunks[k] = new Chunk(bytes, bounds[k], bounds[k + 1], columns);
    }
    Thread[] workers = new Thread[parts];
    for (int k = 1; k < parts; k++) {
      workers[k] = Thread.ofPlatform().name("recourse-csv-" + k).daemon().start(chunks[k]);
    }
    chunks[0].run();
    joinAll(workers);

    long rows = 0;
    boolean blankSeen = false;
    for (Chunk c : chunks) {
      if (c.failure != null) {
        if (c.failure instanceof Error err) {
          throw err;
        }
        return null;
      }
      if (!c.wellFormed || (blankSeen && c.rows > 0)) {
        return null;
      }
      blankSeen |= c.blankSeen;
      rows += c.rows;
    }
    if (rows * columns > MAX_VALUES) {
      return null;
    }
    double[] values;
    if (parts == 1) {
      values = chunks[0].values.length == rows * columns ? chunks[0].values
          : Arrays.copyOf(chunks[0].values, (int) (rows * columns));
    } else {
      values = new double[(int) (rows * columns)];
      int at = 0;
      for (Chunk c : chunks) {
        int n = c.rows * columns;
        System.arraycopy(c.values, 0, values, at, n);
        at += n;
      }
    }
    return new NumericTable(file, header, (int) rows, values);
  }

  private static void joinAll(Thread[] workers) {
    boolean interrupted = false;
    for (Thread t : workers) {
      while (t != null) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the workers end on their own, quickly; the flag is restored below
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static int indexOf(byte[] b, int from, byte value) {
    return indexOf(b, from, b.length, value);
  }

  private static int indexOf(byte[] b, int from, int to, byte value) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** Characters of a plain decimal number, as the strict reader allows them. */
  private static final boolean[] NUMERIC = new boolean[256];

  static {
    for (char c : "0123456789.+-eE".toCharArray()) {
      NUMERIC[c] = true;
    }
  }

  /** The rows of {@code bytes[from, to)}, which starts at a line start and ends after a {@code \n} or at EOF. */
  private static final class Chunk implements Runnable {
    private final byte[] b;
    private final int from;
    private final int to;
    private final int columns;
    double[] values;
    int rows;
    boolean blankSeen;
    boolean wellFormed;
    Throwable failure;

    Chunk(byte[] b, int from, int to, int columns) {
      this.b = b;
      this.from = from;
      this.to = to;
      this.columns = columns;
    }

    @Override
    public void run() {
      try {
        wellFormed = parse();
      } catch (Throwable t) {
        failure = t;
      }
    }

    private boolean parse() {
      int firstLine = indexOf(b, from, to, (byte) '\n');
      int lineGuess = Math.max(16, (firstLine < 0 ? to : firstLine) - from + 1);
      // Rows this chunk may hold, from its first line's length; at most one per 2·columns bytes (a digit
      // and a separator per value), so a short first line cannot ask for a huge array.
      long maxRows = Math.max(1, (to - from) / (2L * columns));
      long cap = Math.min(MAX_VALUES / columns, Math.min(maxRows, (to - from) / lineGuess + 16)) * columns;
      values = new double[(int) Math.max(columns, cap)];
      int i = from;
      int end = to;
      while (i < end) {
        // Leading spaces and tabs; a line of nothing else is blank.
        int p = i;
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
          p++;
        }
        int after = lineEnd(p, end);
        if (after >= 0) {
          blankSeen = true;
          i = after;
          continue;
        }
        if (blankSeen) {
          return false;
        }
        int at = rows * columns;
        if (at + columns > values.length) {
          long grown = Math.min(MAX_VALUES / columns * columns, (long) values.length + values.length / 2 + columns);
          if (at + columns > grown) {
            return false;
          }
          values = Arrays.copyOf(values, (int) grown);
        }
        for (int col = 0; col < columns; col++) {
          while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
          }
          int start = p;
          while (p < end && NUMERIC[b[p] & 0xFF]) {
            p++;
          }
          int stop = p;
          while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
          }
          if (stop == start) {
            return false;
          }
          if (col < columns - 1) {
            if (p >= end || b[p] != ',') {
              return false;
            }
            p++;
          } else {
            after = lineEnd(p, end);
            if (after < 0) {
              return false;
            }
          }
          double v;
          try {
            v = JavaDoubleParser.parseDouble(b, start, stop - start);
          } catch (NumberFormatException e) {
            return false;
          }
          if (!Double.isFinite(v)) {
            return false;
          }
          values[at + col] = v;
        }
        rows++;
        i = after;
      }
      return true;
    }

    /** Where the next line starts if a line ends at {@code p} ({@code \n}, {@code \r\n}, or EOF), else -1. */
    private int lineEnd(int p, int end) {
      if (p >= end) {
        return end;
      }
      if (b[p] == '\n') {
        return p + 1;
      }
      if (b[p] == '\r') {
        if (p + 1 == end) {
          return end;
        }
        if (b[p + 1] == '\n') {
          return p + 2;
        }
      }
      return -1;
    }
  }
}
