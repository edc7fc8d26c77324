package dev.recourse.sim.gambitts;

import dev.recourse.sim.config.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 CSV file read record by record: fields separated by commas, a field in double quotes may
 * hold commas, line breaks and doubled quotes (the generated texts of a response database do). Every
 * record must have as many fields as the header; errors name the file and the line a record starts on.
 */
final class CsvRows implements AutoCloseable {

  private final Path file;
  private final BufferedReader in;
  private final List<String> header;
  private long line = 1;
  private long recordLine;

  CsvRows(Path file) {
    this.file = file;
    try {
      this.in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    } catch (NoSuchFileException e) {
      throw InputException.inFile(file, "no such file");
    } catch (AccessDeniedException e) {
      throw InputException.inFile(file, "permission denied");
    } catch (IOException e) {
      throw InputException.inFile(file, "cannot read: " + e.getMessage());
    }
    List<String> h = next();
    if (h == null) {
      close();
      throw InputException.inFile(file, "empty file: expected a header of column names");
    }
    for (int i = 0; i < h.size(); i++) {
      String name = h.get(i).strip();
      if (name.isEmpty()) {
        close();
        throw InputException.atField(file, 1, i + 1, null, "empty column name");
      }
      if (h.subList(0, i).stream().map(String::strip).anyMatch(name::equals)) {
        close();
        throw InputException.atField(file, 1, i + 1, name, "duplicated column '" + name + "'");
      }
      h.set(i, name);
    }
    this.header = List.copyOf(h);
  }

  List<String> header() {
    return header;
  }

  /** The line the last record returned by {@link #record} started on. */
  long recordLine() {
    return recordLine;
  }

  /** The next record with exactly as many fields as the header, or null at the end; blank lines are skipped. */
  List<String> record() {
    while (true) {
      List<String> r = next();
      if (r == null) {
        return null;
      }
      if (r.size() == 1 && r.get(0).isBlank()) {
        continue;
      }
      if (r.size() != header.size()) {
        throw InputException.atLine(file, recordLine, "expected " + header.size() + " fields as in the header, got "
            + r.size());
      }
      return r;
    }
  }

  private List<String> next() {
    try {
      int c = in.read();
      if (c < 0) {
        return null;
      }
      recordLine = line;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean quoted = false;
      boolean wasQuoted = false;
      while (true) {
        if (c < 0) {
          if (quoted) {
            throw InputException.atLine(file, recordLine, "a quoted field is not closed before the end of the file");
          }
          fields.add(field.toString());
          return fields;
        }
        char ch = (char) c;
        if (quoted) {
          if (ch == '"') {
            in.mark(1);
            int d = in.read();
            if (d == '"') {
              field.append('"');
            } else {
              quoted = false;
              if (d >= 0) {
                in.reset();
              }
            }
          } else {
            if (ch == '\n') {
              line++;
            }
            field.append(ch);
          }
        } else if (ch == ',') {
          fields.add(field.toString());
          field.setLength(0);
          wasQuoted = false;
        } else if (ch == '\n' || ch == '\r') {
          if (ch == '\r') {
            in.mark(1);
            if (in.read() != '\n') {
              in.reset();
            }
          }
          line++;
          fields.add(field.toString());
          return fields;
        } else if (ch == '"' && field.length() == 0 && !wasQuoted) {
          quoted = true;
          wasQuoted = true;
        } else {
          field.append(ch);
        }
        c = in.read();
      }
    } catch (CharacterCodingException e) {
      throw InputException.atLine(file, line, "not UTF-8 text");
    } catch (IOException e) {
      throw InputException.inFile(file, "cannot read: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Nothing to lose: the file was only read.
    }
  }
}
