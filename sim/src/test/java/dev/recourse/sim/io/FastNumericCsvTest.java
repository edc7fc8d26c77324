package dev.recourse.sim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recourse.sim.config.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte-level reader gives the strict line reader's table bit for bit on well-formed files, however
 * the rows are split between threads, and declines (so that the strict reader reports the problem,
 * with its message) on everything it does not handle.
 */
class FastNumericCsvTest {

  @TempDir
  Path dir;

  private Path write(String name, byte[] content) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, content);
    return f;
  }

  private Path write(String name, String content) throws IOException {
    return write(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertSameTable(NumericTable expected, NumericTable actual, String what) {
    assertNotNull(actual, what + ": the fast path declined a well-formed file");
    assertEquals(expected.header(), actual.header(), what);
    assertEquals(expected.rows(), actual.rows(), what);
    double[] e = expected.values();
    double[] a = actual.values();
    assertEquals(e.length, a.length, what);
    for (int i = 0; i < e.length; i++) {
      if (Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i])) {
        throw new AssertionError(what + ": value " + i + " is " + a[i] + ", the line reader read " + e[i]);
      }
    }
  }

  /** A random well-formed table in the formats writers produce, with the spacing and line ends allowed. */
  private static String randomTable(SplittableRandom rng, int rows, int columns, boolean crlf, boolean spaces,
                                    int trailingBlankLines, boolean finalNewline) {
    String nl = crlf ? "\r\n" : "\n";
    StringBuilder s = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      s.append(c == 0 ? "" : ",").append("c").append(c);
    }
    s.append(nl);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        if (c > 0) {
          s.append(',');
        }
        if (spaces && rng.nextInt(4) == 0) {
          s.append(rng.nextBoolean() ? " " : "\t ");
        }
        double v = switch (rng.nextInt(5)) {
          case 0 -> rng.nextGaussian();
          case 1 -> rng.nextDouble() * Math.pow(10, rng.nextInt(-300, 300));
          case 2 -> rng.nextInt(-1000, 1000);
          case 3 -> -rng.nextDouble() * 1e-5;
          default -> Double.longBitsToDouble(rng.nextLong() & 0x7fefffffffffffffL);
        };
        s.append(switch (rng.nextInt(5)) {
          case 0 -> String.format(Locale.ROOT, "%.17g", v);
          case 1 -> Double.toString(v);
          case 2 -> String.format(Locale.ROOT, "%.3e", v).replace("e", rng.nextBoolean() ? "e" : "E");
          case 3 -> v == Math.rint(v) && Math.abs(v) < 1e6 ? Long.toString((long) v) : Double.toString(v);
          default -> String.format(Locale.ROOT, "%+.6f", v).replace("+0.", rng.nextBoolean() ? "+." : "0.");
        });
        if (spaces && rng.nextInt(4) == 0) {
          s.append(rng.nextBoolean() ? " " : " \t");
        }
      }
      if (r < rows - 1 || finalNewline || trailingBlankLines > 0) {
        s.append(nl);
      }
    }
    for (int b = 0; b < trailingBlankLines; b++) {
      s.append(b % 2 == 0 ? "" : "  \t").append(nl);
    }
    return s.toString();
  }

  @Test
  void wellFormedFilesGiveTheLineReadersTableOnAnySplit() throws IOException {
    SplittableRandom rng = new SplittableRandom(2026);
    for (int trial = 0; trial < 40; trial++) {
      int rows = trial == 0 ? 0 : rng.nextInt(1, 400);
      int columns = rng.nextInt(1, 12);
      String text = randomTable(rng, rows, columns, trial % 3 == 1, trial % 2 == 0, trial % 4, trial % 5 != 0);
      Path f = write("t" + trial + ".csv", text);
      NumericTable expected = NumericCsvReader.readLines(f, NumericCsvReader.ANY_HEADER);
      for (int threads : new int[] {1, 2, 3, 7}) {
        // parallelMinBytes 0: even a tiny file is split, so chunk edges fall everywhere.
        assertSameTable(expected, FastNumericCsv.tryRead(f, NumericCsvReader.ANY_HEADER, threads, 0),
            "trial " + trial + ", " + threads + " threads");
      }
      assertSameTable(expected, NumericCsvReader.read(f), "trial " + trial + ", read()");
    }
  }

  @Test
  void aLargeStreamIsSplitAndEqual() throws IOException {
    SplittableRandom rng = new SplittableRandom(7);
    String text = randomTable(rng, 30_000, 30, false, false, 0, true);
    Path f = write("large.csv", text);
    NumericTable expected = NumericCsvReader.readLines(f, NumericCsvReader.ANY_HEADER);
    assertEquals(30_000, expected.rows());
    assertSameTable(expected, FastNumericCsv.tryRead(f, NumericCsvReader.ANY_HEADER, 2), "two threads");
    assertSameTable(expected, FastNumericCsv.tryRead(f, NumericCsvReader.ANY_HEADER, 5), "five threads");
  }

  /** Lines longer than a thread's read buffer (1 MiB), and a header longer than its first read. */
  @Test
  void linesLongerThanTheReadBuffer() throws IOException {
    SplittableRandom rng = new SplittableRandom(11);
    String text = randomTable(rng, 5, 70_000, true, true, 1, false);
    Path f = write("wide.csv", text);
    NumericTable expected = NumericCsvReader.readLines(f, NumericCsvReader.ANY_HEADER);
    assertEquals(5, expected.rows());
    for (int threads : new int[] {1, 2, 3}) {
      assertSameTable(expected, FastNumericCsv.tryRead(f, NumericCsvReader.ANY_HEADER, threads, 0), threads + " threads");
    }
  }

  /** Files the fast path must leave to the line reader, which reports them as it always has. */
  @Test
  void declinesWhatItDoesNotHandleAndTheErrorIsTheLineReaders() throws IOException {
    String[] bad = {
        "a,b\n1,2\n3,x\n",           // not a number
        "a,b\n1,2\n3,NaN\n",         // not finite
        "a,b\n1,2\n3,1e400\n",       // overflows
        "a,b\n1,2\n3\n",             // missing value
        "a,b\n1,2\n3,4,5\n",         // extra value
        "a,b\n1,2\n\n3,4\n",         // blank line before data
        "a,b\n1,2\n3,\n",            // empty value
        "a,b\n1,2\n\"3\",4\n",       // quoted
        "a,b\n1,2\n3,4\f\n",         // form feed: the line reader trims it (a good file, read there)
        "a,b\n1,2\r3,4\n",           // lone CR: a line end for the line reader (also good)
        "a,b\n1,2\n1e,4\n",          // malformed exponent
        "a,b\n1,2\n--1,4\n",         // two signs
        "a,b\n1.2.3,4\n",            // two points
        "a\n",                       // header only: a table of no rows (accepted below)
    };
    for (int i = 0; i < bad.length; i++) {
      Path f = write("bad" + i + ".csv", bad[i]);
      if (i == bad.length - 1) {
        assertSameTable(NumericCsvReader.readLines(f, NumericCsvReader.ANY_HEADER),
            FastNumericCsv.tryRead(f, NumericCsvReader.ANY_HEADER, 2, 0), "header only");
        continue;
      }
      for (int threads : new int[] {1, 2, 4}) {
        assertNull(FastNumericCsv.tryRead(f, NumericCsvReader.ANY_HEADER, threads, 0),
            "case " + i + " with " + threads + " threads: " + bad[i]);
      }
      assertEquals(outcome(() -> NumericCsvReader.readLines(f, NumericCsvReader.ANY_HEADER)),
          outcome(() -> NumericCsvReader.read(f)), "case " + i);
    }
    // Bytes that are not UTF-8 in a value, and an empty file.
    Path latin = write("latin.csv", new byte[] {'a', '\n', '1', (byte) 0xE9, '\n'});
    assertNull(FastNumericCsv.tryRead(latin, NumericCsvReader.ANY_HEADER, 1, 0));
    assertEquals(message(() -> NumericCsvReader.readLines(latin, NumericCsvReader.ANY_HEADER)),
        message(() -> NumericCsvReader.read(latin)));
    Path empty = write("empty.csv", new byte[0]);
    assertNull(FastNumericCsv.tryRead(empty, NumericCsvReader.ANY_HEADER, 1, 0));
    assertThrows(InputException.class, () -> NumericCsvReader.read(empty));
    assertNull(FastNumericCsv.tryRead(dir.resolve("absent.csv"), NumericCsvReader.ANY_HEADER, 1, 0));
  }

  /** A blank line at the end of one thread's rows and data in the next: the split must not hide it. */
  @Test
  void aBlankLineBeforeAnotherChunksRowsIsCaught() throws IOException {
    StringBuilder s = new StringBuilder("a,b\n");
    for (int r = 0; r < 200; r++) {
      s.append(r).append(",1.5\n");
      if (r == 99) {
        s.append("\n");
      }
    }
    Path f = write("blank-mid.csv", s.toString());
    for (int threads = 1; threads <= 8; threads++) {
      assertNull(FastNumericCsv.tryRead(f, NumericCsvReader.ANY_HEADER, threads, 0), threads + " threads");
    }
    InputException e = assertThrows(InputException.class, () -> NumericCsvReader.read(f));
    assertEquals(102, e.line(), e.getMessage());
  }

  /** The header check runs on the same names, and its rejection is the caller's error. */
  @Test
  void theHeaderCheckSeesTheSameNames() throws IOException {
    Path f = write("h.csv", "\uFEFF x , y\r\n1,2\r\n");
    NumericTable t = FastNumericCsv.tryRead(f, (file, names) -> assertEquals(java.util.List.of("x", "y"), names), 1);
    assertNotNull(t);
    InputException e = assertThrows(InputException.class, () -> NumericCsvReader.read(f, (file, names) -> {
      throw InputException.inFile(file, "no thanks");
    }));
    assertEquals(f + ": no thanks", e.getMessage());
  }

  private static String message(org.junit.jupiter.api.function.Executable run) {
    return assertThrows(InputException.class, run).getMessage();
  }

  /** The table's header and values as text, or the error message. */
  private static String outcome(java.util.function.Supplier<NumericTable> read) {
    try {
      NumericTable t = read.get();
      return t.header() + " " + t.rows() + " " + java.util.Arrays.toString(t.values());
    } catch (InputException e) {
      return "error: " + e.getMessage();
    }
  }
}
