package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumericCsvReaderTest {

  @TempDir
  Path dir;

  private Path file(String content) throws IOException {
    Path f = dir.resolve("data.csv");
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  /** Reads {@code content} expecting an error at {@code (line, column)} whose message contains all {@code parts}. */
  private InputException fails(String content, long line, int column, String... parts) throws IOException {
    Path f = file(content);
    InputException e = assertThrows(InputException.class, () -> NumericCsvReader.read(f));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), () -> "expected '" + part + "' in: " + e.getMessage());
    }
    return e;
  }

  @Test
  void readsRowMajorWithTrimmedFieldsAndDecimalForms() throws IOException {
    Path f = file("\uFEFF a , b,c\r\n1, -2.5 ,3e2\r\n.5,5.,-0\n+1E-3,  7 ,1.25e+1\n\n  \n");
    NumericTable t = NumericCsvReader.read(f);
    assertEquals(List.of("a", "b", "c"), t.header());
    assertEquals(3, t.rows());
    assertArrayEquals(new double[] {1, -2.5, 300, 0.5, 5, -0.0, 0.001, 7, 12.5}, t.values());
    assertEquals(-2.5, t.value(0, 1));
    assertEquals(4, NumericTable.lineOf(2));
  }

  @Test
  void roundTripsDoubleToString() throws IOException {
    double[] values = {Math.PI, -1e-300, 4.9e-324, Double.MAX_VALUE, 1.0 / 3, -123456789.123456789};
    StringBuilder text = new StringBuilder("v\n");
    for (double v : values) {
      text.append(Double.toString(v)).append('\n');
    }
    assertArrayEquals(values, NumericCsvReader.read(file(text.toString())).values());
  }

  @Test
  void headerOnlyGivesZeroRows() throws IOException {
    NumericTable t = NumericCsvReader.read(file("a,b\n"));
    assertEquals(0, t.rows());
    assertEquals(0, t.values().length);
  }

  @Test
  void growsPastTheInitialCapacity() throws IOException {
    int rows = 5000;
    StringBuilder text = new StringBuilder("i,twice\n");
    for (int i = 0; i < rows; i++) {
      text.append(i).append(',').append(2 * i).append('\n');
    }
    NumericTable t = NumericCsvReader.read(file(text.toString()));
    assertEquals(rows, t.rows());
    for (int i = 0; i < rows; i++) {
      assertEquals(i, t.value(i, 0));
      assertEquals(2 * i, t.value(i, 1));
    }
  }

  @Test
  void headerCheckRunsBeforeRowsAreRead() throws IOException {
    Path f = file("a,b\nnot,numbers\n");
    InputException e = assertThrows(InputException.class, () -> NumericCsvReader.read(f, (file, names) -> {
      throw InputException.atField(file, 1, 2, names.get(1), "rejected");
    }));
    assertTrue(e.getMessage().endsWith("line 1, column 2 (b): rejected"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "+inf"})
  void rejectsNonFiniteValues(String value) throws IOException {
    fails("a,b\n1,2\n3," + value + "\n", 3, 2, "column 2 (b)", "finite", value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1.2.3", "0x1p3", "1d", "2f", "1e", "--1", "1 2"})
  void rejectsWhatIsNotAPlainDecimal(String value) throws IOException {
    fails("a,b\n7," + value + "\n", 2, 2, "column 2 (b)", "not a number", "\"" + value + "\"");
  }

  @Test
  void rejectsOverflow() throws IOException {
    fails("a\n1e400\n", 2, 1, "column 1 (a)", "1e400", "overflows");
  }

  @Test
  void rejectsEmptyValue() throws IOException {
    fails("a,b,c\n1,,3\n", 2, 2, "column 2 (b)", "empty value");
  }

  @Test
  void rejectsQuotedValue() throws IOException {
    fails("a,b\n1,\"2\"\n", 2, 2, "column 2 (b)", "quoted");
  }

  @Test
  void rejectsShortRowNamingTheFirstMissingColumn() throws IOException {
    fails("a,b,c,d\n1,2,3,4\n1,2\n", 3, 3, "column 3 (c)", "missing value", "2 values", "4 columns");
  }

  @Test
  void rejectsLongRowNamingTheFirstExtraColumn() throws IOException {
    InputException e = fails("a,b\n1,2,3,4\n", 2, 3, "column 3:", "\"3\"", "4 values", "2 columns");
    assertTrue(!e.getMessage().contains("column 3 ("), e.getMessage());
  }

  @Test
  void trailingCommaIsAnExtraColumn() throws IOException {
    fails("a,b\n1,2,\n", 2, 3, "column 3", "3 values");
  }

  @Test
  void rejectsBlankLineBeforeMoreData() throws IOException {
    fails("a\n1\n\n2\n", 3, InputException.UNKNOWN, "line 3", "blank line");
  }

  @Test
  void rejectsEmptyFile() throws IOException {
    fails("", InputException.UNKNOWN, InputException.UNKNOWN, "empty file");
  }

  @Test
  void rejectsBlankHeader() throws IOException {
    fails(" \n1\n", 1, InputException.UNKNOWN, "line 1", "blank header");
  }

  @Test
  void rejectsDuplicateEmptyAndQuotedColumnNames() throws IOException {
    fails("a,b,a\n", 1, 3, "column 3 (a)", "duplicate", "column 1");
    fails("a,,c\n", 1, 2, "column 2", "empty column name");
    fails("a,\"b\"\n", 1, 2, "quoted column names");
  }

  @Test
  void rejectsInvalidUtf8() throws IOException {
    Path f = dir.resolve("bytes.csv");
    Files.write(f, new byte[] {'a', ',', 'b', '\n', '1', ',', '2', '\n', '3', ',', (byte) 0xC3, (byte) 0x28, '\n'});
    InputException e = assertThrows(InputException.class, () -> NumericCsvReader.read(f));
    assertEquals(3, e.line(), e.getMessage());
    assertEquals(2, e.column(), e.getMessage());
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }

  @Test
  void missingFileIsAnInputError() {
    Path f = dir.resolve("absent.csv");
    InputException e = assertThrows(InputException.class, () -> NumericCsvReader.read(f));
    assertEquals(f + ": no such file", e.getMessage());
  }
}
