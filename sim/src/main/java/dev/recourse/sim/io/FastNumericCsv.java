package dev.recourse.sim.io;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  private static final long MAX_VALUES = NumericCsvReader.MAX_VALUES;
  /** Bytes each thread reads at a time (a line longer than this grows its buffer). */
  private static final int BUFFER_BYTES = 1 << 20;
  /** A longer header is left to the line reader. */
  private static final int MAX_HEADER_BYTES = 1 << 24;

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
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return tryRead(file, channel, headerCheck, threads, parallelMinBytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static NumericTable tryRead(Path file, FileChannel channel, NumericCsvReader.HeaderCheck headerCheck,
                                      int threads, int parallelMinBytes) throws IOException {
    long size = channel.size();
    if (size == 0) {
      return null;
    }
    // The header: the bytes up to the first line feed.
    byte[] head = new byte[(int) Math.min(size, 1 << 12)];
    int headLen = 0;
    int headerEnd;
    while (true) {
      int got = read(channel, head, headLen, head.length - headLen, headLen);
      headLen += Math.max(0, got);
      headerEnd = indexOf(head, 0, headLen, (byte) '\n');
      if (headerEnd >= 0 || headLen == size || got <= 0) {
        break;
      }
      if (headLen == head.length) {
        if (head.length >= MAX_HEADER_BYTES) {
          return null;
        }
        head = Arrays.copyOf(head, (int) Math.min(size, 2L * head.length));
      }
    }
    int lineEnd = headerEnd < 0 ? headLen : headerEnd;
    long dataStart = headerEnd < 0 ? size : headerEnd + 1;
    if (lineEnd > 0 && head[lineEnd - 1] == '\r') {
      lineEnd--;
    }
    if (indexOf(head, 0, lineEnd, (byte) '\r') >= 0) {
      return null; // a lone CR the line reader would split the header at
    }
    List<String> header = NumericCsvReader.parseHeader(file, new String(head, 0, lineEnd, StandardCharsets.UTF_8));
    headerCheck.check(file, header);
    int columns = header.size();

    // Part k parses the lines that start in [nominal_k, nominal_{k+1}): every line exactly once.
    long dataBytes = size - dataStart;
    int parts = dataBytes >= parallelMinBytes ? Math.max(1, threads) : 1;
    Chunk[] chunks = new Chunk[parts];
    for (int k = 0; k < parts; k++) {
      chunks[k] = new Chunk(channel, size, dataStart + dataBytes * k / parts, dataStart + dataBytes * (k + 1) / parts,
          k == 0, columns);
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
        // Out of memory here (several parts' arrays at once) is no verdict on the file: the line
        // reader, which needs less, decides. Any other Error is not ours to hide.
        if (c.failure instanceof Error err && !(err instanceof OutOfMemoryError)) {
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
    try {
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
    } catch (OutOfMemoryError e) {
      return null; // the parts' arrays go with this frame; the line reader, which needs less, decides
    }
    return new NumericTable(file, header, (int) rows, values);
  }

  /** Reads up to {@code len} bytes at file offset {@code position}; the count, or -1 at the end. */
  private static int read(FileChannel channel, byte[] into, int off, int len, long position) throws IOException {
    return len == 0 ? 0 : channel.read(ByteBuffer.wrap(into, off, len), position);
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

  private static int indexOf(byte[] b, int from, int to, byte value) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** {@link NumericCsvReader#isNumeric} as a table over bytes (the inner loop's one lookup). */
  private static final boolean[] NUMERIC = new boolean[256];

  static {
    for (int c = 0; c < NUMERIC.length; c++) {
      NUMERIC[c] = NumericCsvReader.isNumeric(c);
    }
  }

  /**
   * The rows of the lines that start in {@code [from, to)} of the file (the first at {@code from} itself
   * only for the first part; otherwise after the first line feed at or past {@code from - 1}), read
   * {@value #BUFFER_BYTES} bytes at a time.
   */
  private static final class Chunk implements Runnable {
    private final FileChannel channel;
    private final long size;
    private final long from;
    private final long to;
    private final boolean startsAtLine;
    private final int columns;
    private byte[] b = new byte[BUFFER_BYTES];
    /** File offset of {@code b[0]}, and how many bytes of {@code b} hold data. */
    private long base;
    private int len;
    double[] values;
    int rows;
    boolean blankSeen;
    boolean wellFormed;
    Throwable failure;

    Chunk(FileChannel channel, long size, long from, long to, boolean startsAtLine, int columns) {
      this.channel = channel;
      this.size = size;
      this.from = from;
      this.to = to;
      this.startsAtLine = startsAtLine;
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

    /** How far the last {@link #lineFeed} moved the buffer's contents to the left. */
    private int shift;

    /**
     * The index in {@code b} of the next line feed at or after {@code i}, reading on as needed (the
     * bytes from {@code i} move to the front of the buffer: the caller's indices drop by {@link #shift});
     * {@code len} if the file ends first.
     */
    private int lineFeed(int i) throws IOException {
      shift = 0;
      int scanned = i;
      while (true) {
        int nl = indexOf(b, scanned, len, (byte) '\n');
        if (nl >= 0 || base + len >= size) {
          return nl >= 0 ? nl : len;
        }
        // Keep [i, len), make room, read more.
        int keep = len - i;
        if (keep == b.length) {
          b = Arrays.copyOf(b, (int) Math.min(Integer.MAX_VALUE - 8, 2L * b.length));
        }
        System.arraycopy(b, i, b, 0, keep);
        base += i;
        shift += i;
        scanned = keep;
        i = 0;
        len = keep;
        int got = read(channel, b, len, (int) Math.min(b.length - len, size - (base + len)), base + len);
        if (got <= 0) {
          return len;
        }
        len += got;
      }
    }

    private boolean parse() throws IOException {
      base = startsAtLine ? from : from - 1;
      len = 0;
      int i = 0;
      if (!startsAtLine) {
        // Skip to the first line that starts at or after from: past the line feed at or after from - 1.
        int nl = lineFeed(0);
        if (nl >= len) {
          values = new double[0];
          return true;
        }
        i = nl + 1;
      }
      long span = Math.max(1, to - from);
      values = null;
      while (base + i < to && base + i < size) {
        int nl = lineFeed(i);
        i -= shift;
        if (values == null) {
          values = new double[(int) (Math.min(MAX_VALUES / columns, rowsGuess(i, nl, span)) * columns)];
        }
        int stop = nl;
        if (stop > i && b[stop - 1] == '\r') {
          stop--;
        }
        if (!parseLine(i, stop)) {
          return false;
        }
        i = nl + 1;
      }
      if (values == null) {
        values = new double[0];
      }
      return true;
    }

    /**
     * Rows this part may hold, from the mean length of the lines in the first 64 KiB read (one short
     * first row must not size the array for the whole part), plus 10 %; at most one per 2·columns
     * bytes (a digit and a separator per value). The array grows if the guess is short.
     */
    private long rowsGuess(int i, int firstLineFeed, long span) {
      int end = (int) Math.min(len, i + 65_536L);
      int lines = 0;
      int lastEnd = i;
      for (int p = i; p < end; p++) {
        if (b[p] == '\n') {
          lines++;
          lastEnd = p + 1;
        }
      }
      double mean = lines > 0 ? (double) (lastEnd - i) / lines : firstLineFeed - i + 1;
      long guess = (long) (span / Math.max(2.0, mean) * 1.1) + 16;
      return Math.min(guess, Math.max(1, span / (2L * columns)) + 1);
    }

    /** One line's content {@code b[i, end)}: a row, or a blank line. */
    private boolean parseLine(int i, int end) {
      int p = i;
      while (p < end && (b[p] == ' ' || b[p] == '\t')) {
        p++;
      }
      if (p == end) {
        blankSeen = true;
        return true;
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
        } else if (p != end) {
          return false;
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
      return true;
    }
  }
}
