package dev.recourse.sim.env;

import dev.recourse.sim.config.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The UCI Fertility data (Gil et al. 2012) exactly as UCI distributes it: no header, one patient per
 * line, nine numeric attributes then the diagnosis {@code N} (normal) or {@code O} (altered). Strict:
 * any other shape is an {@link InputException} naming file, line and column.
 *
 * @param file      where it was read from
 * @param rows      number of patients
 * @param values    the nine numeric attributes, row-major {@code rows×9}, in {@link #COLUMNS} order
 * @param normal    per patient, whether the diagnosis is N
 */
public record FertilityData(Path file, int rows, double[] values, boolean[] normal) {

  /** The numeric attributes in file order (UCI's coding; see shared/data/README.md). */
  public static final List<String> COLUMNS = List.of("season", "age", "childish_diseases", "accident",
      "surgical_intervention", "high_fevers", "alcohol", "smoking", "sitting_hours");
  public static final int SURGERY_COLUMN = 4;
  private static final int FIELDS = COLUMNS.size() + 1;
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  /** Reads and validates {@code file}. */
  public static FertilityData read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw InputException.inFile(file, "no such file (the UCI fertility_Diagnosis.txt)");
    } catch (AccessDeniedException e) {
      throw InputException.inFile(file, "permission denied");
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
    int n = lines.size();
    while (n > 0 && lines.get(n - 1).isBlank()) {
      n--;
    }
    if (n == 0) {
      throw InputException.inFile(file, "empty file: expected the UCI fertility rows");
    }
    int numeric = COLUMNS.size();
    double[] values = new double[n * numeric];
    boolean[] normal = new boolean[n];
    for (int r = 0; r < n; r++) {
      long lineNo = r + 1;
      String[] fields = lines.get(r).split(",", -1);
      if (fields.length != FIELDS) {
        throw InputException.atLine(file, lineNo, "expected " + FIELDS + " comma-separated fields, got " + fields.length);
      }
      for (int c = 0; c < numeric; c++) {
        String f = fields[c].trim();
        if (!NUMBER.matcher(f).matches()) {
          throw InputException.atField(file, lineNo, c + 1, COLUMNS.get(c), "not a number: '" + f + "'");
        }
        values[r * numeric + c] = Double.parseDouble(f);
      }
      String diagnosis = fields[numeric].trim();
      if (!diagnosis.equals("N") && !diagnosis.equals("O")) {
        throw InputException.atField(file, lineNo, FIELDS, "diagnosis", "expected N or O, got '" + diagnosis + "'");
      }
      normal[r] = diagnosis.equals("N");
      double surgery = values[r * numeric + SURGERY_COLUMN];
      if (surgery != 0 && surgery != 1) {
        throw InputException.atField(file, lineNo, SURGERY_COLUMN + 1, COLUMNS.get(SURGERY_COLUMN),
            "expected 0 or 1, got " + fields[SURGERY_COLUMN].trim());
      }
    }
    return new FertilityData(file, n, values, normal);
  }

  public double value(int row, int column) {
    return values[row * COLUMNS.size() + column];
  }

  /** The treatment arm of a patient: 1 if they had surgery, else 0. */
  public int arm(int row) {
    return (int) value(row, SURGERY_COLUMN);
  }
}
