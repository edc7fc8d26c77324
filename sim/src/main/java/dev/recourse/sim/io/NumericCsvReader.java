package dev.recourse.sim.io;

import com.fasterxml.jackson.core.io.NumberInput;
import dev.recourse.sim.config.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a numeric CSV file (a header of column names, then rows of finite decimal numbers) into a
 * {@link NumericTable}. Deliberately strict, because a silently misread value would corrupt a study:
 *
 * <ul>
 *   <li>fields are split on {@code ','} and trimmed; quotes are rejected, not interpreted;
 *   <li>a value is a plain decimal number ({@code [+-]digits[.digits][e[+-]digits]}): no NaN, no
 *       infinity, no hexadecimal, no Java suffixes such as {@code 1d}, and nothing that overflows;
 *   <li>every row has exactly as many fields as the header; column names are non-empty and distinct;
 *   <li>blank lines are allowed only at the end of the file (so row {@code i} is line {@code i + 2}).
 * </ul>
 *
 * Every error is an {@link InputException} naming the file, the 1-based line and the column.
 */
public final class NumericCsvReader {

  /** Validates a header before any row is read; throws {@link InputException} to reject it. */
  @FunctionalInterface
  public interface HeaderCheck {
    void check(Path file, List<String> names);
  }

  /** Accepts any header that passes the generic checks. */
  public static final HeaderCheck ANY_HEADER = (file, names) -> { };

  private static final int INITIAL_ROWS = 1024;
  /** The largest array the JVM reliably allocates. */
  static final long MAX_VALUES = Integer.MAX_VALUE - 8;
  private static final int READ_BUFFER_CHARS = 1 << 16;
  /** What the decoder puts in place of bytes that are not UTF-8. */
  private static final char REPLACEMENT_CHAR = '\uFFFD';

  private NumericCsvReader() {}

  /** Reads {@code file}, accepting any well-formed header. */
  public static NumericTable read(Path file) {
    return read(file, ANY_HEADER);
  }

  /**
   * Reads {@code file}, rejecting it unless {@code headerCheck} accepts its header. A well-formed file
   * takes {@link FastNumericCsv}'s path (bytes, several threads for a large file); anything else is
   * read line by line below, which finds and reports the problem ({@code headerCheck} may then run
   * twice on the same header).
   */
  public static NumericTable read(Path file, HeaderCheck headerCheck) {
    NumericTable fast = FastNumericCsv.tryRead(file, headerCheck, FastNumericCsv.threads());
    return fast != null ? fast : readLines(file, headerCheck);
  }

  /** The strict line-by-line reader: the reference of {@link FastNumericCsv} and the one that reports errors. */
  static NumericTable readLines(Path file, HeaderCheck headerCheck) {
    // Malformed bytes become U+FFFD rather than an exception: the reader decodes ahead of the line it
    // returns, so only the parsed field can say where the bad bytes are.
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(Files.newInputStream(file), decoder), READ_BUFFER_CHARS)) {
      String headerLine = in.readLine();
      if (headerLine == null) {
        throw InputException.inFile(file, "empty file: expected a header line");
      }
      List<String> header = parseHeader(file, headerLine);
      headerCheck.check(file, header);
      return readRows(file, header, in);
    } catch (NoSuchFileException e) {
      throw InputException.inFile(file, "no such file");
    } catch (AccessDeniedException e) {
      throw InputException.inFile(file, "permission denied");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  static List<String> parseHeader(Path file, String line) {
    if (!line.isEmpty() && line.charAt(0) == '\uFEFF') {
      line = line.substring(1);
    }
    if (line.isBlank()) {
      throw InputException.atLine(file, 1, "blank header line: expected column names");
    }
    List<String> names = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    int start = 0;
    while (true) {
      int comma = line.indexOf(',', start);
      int end = comma < 0 ? line.length() : comma;
      String name = line.substring(start, end).trim();
      int column = names.size() + 1;
      if (name.isEmpty()) {
        throw InputException.atField(file, 1, column, null, "empty column name");
      }
      if (name.indexOf('"') >= 0 || name.indexOf('\'') >= 0) {
        throw InputException.atField(file, 1, column, name, "quoted column names are not supported");
      }
      if (name.indexOf(REPLACEMENT_CHAR) >= 0) {
        throw InputException.atField(file, 1, column, null, "column name is not valid UTF-8");
      }
      Integer previous = seen.putIfAbsent(name, column);
      if (previous != null) {
        throw InputException.atField(file, 1, column, name, "duplicate column name (also column " + previous + ")");
      }
      names.add(name);
      if (comma < 0) {
        return names;
      }
      start = comma + 1;
    }
  }

  private static NumericTable readRows(Path file, List<String> header, BufferedReader in) throws IOException {
    int columns = header.size();
    double[] values = new double[(int) Math.min((long) INITIAL_ROWS * columns, MAX_VALUES / columns * columns)];
    int rows = 0;
    long lineNo = 1;
    long firstBlankLine = 0;
    String line;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        if (firstBlankLine == 0) {
          firstBlankLine = lineNo;
        }
        continue;
      }
      if (firstBlankLine != 0) {
        throw InputException.atLine(file, firstBlankLine,
            "blank line before more data (blank lines are allowed only at the end of the file)");
      }
      int offset = rows * columns;
      if (offset + columns > values.length) {
        values = grow(file, values, columns);
      }
      parseRow(file, lineNo, header, line, values, offset);
      rows++;
    }
    return new NumericTable(file, header, rows, values.length == rows * columns
        ? values : Arrays.copyOf(values, rows * columns));
  }

  private static double[] grow(Path file, double[] values, int columns) {
    long maxRows = MAX_VALUES / columns;
    long currentRows = values.length / columns;
    if (currentRows >= maxRows) {
      throw InputException.inFile(file, "too large: more than " + maxRows + " rows of " + columns
          + " values do not fit in one array");
    }
    long newRows = Math.min(maxRows, Math.max(1, currentRows * 2));
    return Arrays.copyOf(values, (int) (newRows * columns));
  }

  /** Parses one data line into {@code out[offset..offset+columns)}. */
  private static void parseRow(Path file, long lineNo, List<String> header, String line, double[] out, int offset) {
    int columns = header.size();
    int start = 0;
    for (int col = 0; col < columns; col++) {
      int comma = line.indexOf(',', start);
      boolean last = col == columns - 1;
      if (comma < 0 && !last) {
        throw InputException.atField(file, lineNo, col + 2, header.get(col + 1),
            "missing value: the line has " + (col + 1) + " values, the header has " + columns + " columns");
      }
      if (comma >= 0 && last) {
        int extra = countFields(line, comma + 1);
        throw InputException.atField(file, lineNo, columns + 1, null, "unexpected value "
            + quote(line.substring(comma + 1, endOfField(line, comma + 1)).trim()) + ": the line has "
            + (columns + extra) + " values, the header has " + columns + " columns");
      }
      int end = comma < 0 ? line.length() : comma;
      out[offset + col] = parseValue(file, lineNo, col, header.get(col), line, start, end);
      start = end + 1;
    }
  }

  private static int countFields(String line, int from) {
    int n = 1;
    for (int i = from; i < line.length(); i++) {
      if (line.charAt(i) == ',') {
        n++;
      }
    }
    return n;
  }

  private static int endOfField(String line, int from) {
    int comma = line.indexOf(',', from);
    return comma < 0 ? line.length() : comma;
  }

  private static double parseValue(Path file, long lineNo, int col, String name, String line, int start, int end) {
    while (start < end && line.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && line.charAt(end - 1) <= ' ') {
      end--;
    }
    if (start == end) {
      throw InputException.atField(file, lineNo, col + 1, name, "empty value");
    }
    // Only the characters of a plain decimal number: this keeps out what Double.parseDouble would
    // also accept (NaN, Infinity, 0x1p3, 1d, 1f) but a CSV of numbers should never contain.
    for (int i = start; i < end; i++) {
      char c = line.charAt(i);
      if (!isNumeric(c)) {
        String text = line.substring(start, end);
        throw InputException.atField(file, lineNo, col + 1, name, describeNonNumber(text, c));
      }
    }
    String text = line.substring(start, end);
    double v;
    try {
      v = parseDouble(text);
    } catch (NumberFormatException e) {
      throw InputException.atField(file, lineNo, col + 1, name, "not a number: " + quote(text));
    }
    if (!Double.isFinite(v)) {
      throw InputException.atField(file, lineNo, col + 1, name, "value " + quote(text) + " overflows a double");
    }
    return v;
  }

  /**
   * {@link Double#parseDouble} (the same value, bit for bit, and the same strings rejected), about three
   * times faster on the 17-digit values a {@code %.17g} writer produces (~100 ns instead of ~300 ns here;
   * it was most of a large replay's wall time): Jackson's copy of FastDoubleParser (Eisel–Lemire, with a
   * fallback for the hard cases), which the CLI already ships. NumericCsvReaderFastParseTest holds it to
   * the JDK's results.
   */
  static double parseDouble(String text) {
    return NumberInput.parseDouble(text, true);
  }

  /** A character of a plain decimal number ({@code [+-]digits[.digits][e[+-]digits]}); both readers use it. */
  static boolean isNumeric(int c) {
    return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E';
  }

  private static String describeNonNumber(String text, char offending) {
    if (offending == REPLACEMENT_CHAR) {
      return "not valid UTF-8 (bytes shown as \uFFFD): " + quote(text);
    }
    if (offending == '"' || offending == '\'') {
      return "quoted values are not supported: " + quote(text);
    }
    String bare = text.toLowerCase(Locale.ROOT);
    if (bare.startsWith("+") || bare.startsWith("-")) {
      bare = bare.substring(1);
    }
    if (bare.equals("nan") || bare.equals("inf") || bare.equals("infinity")) {
      return "value must be a finite number, got " + quote(text);
    }
    return "not a number: " + quote(text);
  }

  private static String quote(String text) {
    return '"' + text + '"';
  }
}
