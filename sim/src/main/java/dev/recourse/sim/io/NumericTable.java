package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A numeric CSV file held in memory: its header and its data as one flat row-major array, value
 * {@code (row, col)} at {@code values[row·columns + col]}. Row {@code i} was line {@code i + 2} of the
 * file (line 1 is the header; {@link NumericCsvReader} allows blank lines only at the end).
 *
 * @param file   where the table was read from, for error messages
 * @param header the column names, in file order
 * @param rows   the number of data rows
 * @param values {@code rows × header.size()} values, row-major; owned by the table's user
 */
public record NumericTable(Path file, List<String> header, int rows, double[] values) {

  public NumericTable {
    Objects.requireNonNull(file, "file");
    header = List.copyOf(header);
    Objects.requireNonNull(values, "values");
    if (header.isEmpty()) {
      throw new IllegalArgumentException("header must not be empty");
    }
    if (rows < 0 || (long) rows * header.size() != values.length) {
      throw new IllegalArgumentException("values length " + values.length + " != rows " + rows
          + " × columns " + header.size());
    }
  }

  public int columns() {
    return header.size();
  }

  public double value(int row, int column) {
    Objects.checkIndex(row, rows);
    Objects.checkIndex(column, header.size());
    return values[row * header.size() + column];
  }

  /** The 1-based file line that held data row {@code row}. */
  public static long lineOf(int row) {
    return row + 2L;
  }

  /** An error about the value at {@code (row, column)}, naming the file, line and column. */
  public InputException fieldError(int row, int column, String problem) {
    return InputException.atField(file, lineOf(row), column + 1, header.get(column), problem);
  }
}
