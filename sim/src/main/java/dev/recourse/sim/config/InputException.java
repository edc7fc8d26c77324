package dev.recourse.sim.config;

import java.nio.file.Path;

/**
 * Bad user input (a malformed file, an inconsistent header, an option out of range). The message is
 * complete and meant for the user as is: the CLI prints it without a stack trace and exits with 2.
 * Positions, when known, are 1-based: line 1 is the header, column 1 the first field.
 */
public final class InputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** No line or column. */
  public static final int UNKNOWN = 0;

  private final transient Path file;
  private final long line;
  private final int column;

  public InputException(String message) {
    this(message, null, UNKNOWN, UNKNOWN, null);
  }

  public InputException(String message, Throwable cause) {
    this(message, null, UNKNOWN, UNKNOWN, cause);
  }

  private InputException(String message, Path file, long line, int column, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  /** An error about a whole file: {@code "<file>: <problem>"}. */
  public static InputException inFile(Path file, String problem) {
    return new InputException(file + ": " + problem, file, UNKNOWN, UNKNOWN, null);
  }

  /** An error about one line: {@code "<file>: line <n>: <problem>"}. */
  public static InputException atLine(Path file, long line, String problem) {
    return new InputException(file + ": line " + line + ": " + problem, file, line, UNKNOWN, null);
  }

  /**
   * An error about one field: {@code "<file>: line <n>, column <c> (<name>): <problem>"}; the name is
   * left out when {@code columnName} is null (a column the header does not have).
   */
  public static InputException atField(Path file, long line, int column, String columnName, String problem) {
    String where = columnName == null ? "column " + column : "column " + column + " (" + columnName + ")";
    return new InputException(file + ": line " + line + ", " + where + ": " + problem, file, line, column, null);
  }

  /** The file at fault, or null. */
  public Path file() {
    return file;
  }

  /** 1-based line, or {@link #UNKNOWN}. */
  public long line() {
    return line;
  }

  /** 1-based column, or {@link #UNKNOWN}. */
  public int column() {
    return column;
  }
}
