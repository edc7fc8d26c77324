package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import dev.recourse.sim.run.ReplayData;
import dev.recourse.sim.run.ReplayResult;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/**
 * The CSV files of an offline replay.
 *
 * <ul>
 *   <li>Stream: header {@code x0..x{d-1},r0..r{K-1}}, one row per round: the context, then every arm's
 *       reward. {@code d} and {@code K} are read from this header.
 *   <li>Warm-up (optional): header {@code arm,reward,x0..x{d-1}} with the stream's {@code d}, one
 *       observation per row, applied in file order; arms must be integers in {@code [0, K)}.
 *   <li>Rounds (output): {@code t,arm,reward}, {@code t} from 0.
 * </ul>
 */
public final class ReplayCsv {

  public static final String ARM_COLUMN = "arm";
  public static final String REWARD_COLUMN = "reward";
  public static final String ROUNDS_HEADER = "t,arm,reward";

  private ReplayCsv() {}

  /** The {@code (d, K)} a stream header declares. */
  public record StreamShape(int dim, int numArms) {}

  /**
   * Reads and validates both files completely (stream first, since it fixes {@code d} and {@code K}).
   * {@code warmup} may be null: the policy then starts from its prior. Throws {@link InputException}
   * naming the file, line and column of the first problem.
   */
  public static ReplayData load(Path warmup, Path stream) {
    StreamShape[] shape = new StreamShape[1];
    NumericTable streamTable = NumericCsvReader.read(stream, (file, names) -> shape[0] = streamShape(file, names));
    if (streamTable.rows() == 0) {
      throw InputException.atLine(stream, 2, "empty stream: no data rows after the header");
    }
    int dim = shape[0].dim();
    int numArms = shape[0].numArms();
    if (warmup == null) {
      return new ReplayData(dim, numArms, new int[0], new double[0], new double[0],
          streamTable.rows(), streamTable.values());
    }
    NumericTable warm = NumericCsvReader.read(warmup, (file, names) -> checkWarmupHeader(file, names, dim));
    int n = warm.rows();
    int width = warm.columns();
    double[] values = warm.values();
    checkStreamCoversWarmupArms(stream, warm, numArms);
    int[] arms = new int[n];
    double[] rewards = new double[n];
    double[] contexts = new double[n * dim];
    for (int i = 0; i < n; i++) {
      arms[i] = armAt(warm, i, numArms);
      rewards[i] = values[i * width + 1];
      System.arraycopy(values, i * width + 2, contexts, i * dim, dim);
    }
    return new ReplayData(dim, numArms, arms, rewards, contexts, streamTable.rows(), streamTable.values());
  }

  /**
   * Parses a stream header {@code x0..x{d-1},r0..r{K-1}} ({@code d, K >= 1}); the first column that
   * breaks the pattern is reported with what was expected there.
   */
  public static StreamShape streamShape(Path file, List<String> names) {
    int dim = 0;
    while (dim < names.size() && names.get(dim).equals("x" + dim)) {
      dim++;
    }
    if (dim == names.size()) {
      throw InputException.atField(file, 1, dim + 1, null, "missing column r0: a stream header is "
          + "x0..x{d-1},r0..r{K-1}, with at least one reward column after x" + (dim - 1));
    }
    String found = names.get(dim);
    if (!found.equals("r0")) {
      String expected = dim == 0 ? "\"x0\"" : "\"x" + dim + "\" or \"r0\"";
      throw InputException.atField(file, 1, dim + 1, found, "expected " + expected
          + ": a stream header is x0..x{d-1},r0..r{K-1}");
    }
    if (dim == 0) {
      throw InputException.atField(file, 1, 1, found, "expected \"x0\": a stream header is "
          + "x0..x{d-1},r0..r{K-1}, with at least one context column");
    }
    for (int col = dim; col < names.size(); col++) {
      String want = "r" + (col - dim);
      if (!names.get(col).equals(want)) {
        throw InputException.atField(file, 1, col + 1, names.get(col), "expected \"" + want
            + "\": after x0..x" + (dim - 1) + " a stream header has only reward columns r0..r{K-1}");
      }
    }
    return new StreamShape(dim, names.size() - dim);
  }

  /** Checks a warm-up header is exactly {@code arm,reward,x0..x{d-1}}. */
  public static void checkWarmupHeader(Path file, List<String> names, int dim) {
    String layout = "the warm-up header must be arm,reward," + (dim == 1 ? "x0" : "x0..x" + (dim - 1))
        + " (d=" + dim + " from the stream header)";
    int expectedColumns = dim + 2;
    for (int col = 0; col < expectedColumns; col++) {
      String want = col == 0 ? ARM_COLUMN : col == 1 ? REWARD_COLUMN : "x" + (col - 2);
      if (col >= names.size()) {
        throw InputException.atField(file, 1, col + 1, want, "missing column; " + layout);
      }
      if (!names.get(col).equals(want)) {
        throw InputException.atField(file, 1, col + 1, names.get(col), "expected \"" + want + "\"; " + layout);
      }
    }
    if (names.size() > expectedColumns) {
      throw InputException.atField(file, 1, expectedColumns + 1, names.get(expectedColumns),
          "unexpected column; " + layout);
    }
  }

  /**
   * A warm-up arm at or above the stream's K is reported against the stream's header first: a stream
   * that lost reward columns (or was generated with fewer arms) is the likelier cause than a warm-up
   * whose rows are all valid integers. Arms that are negative or not integers stay the warm-up's fault.
   */
  private static void checkStreamCoversWarmupArms(Path stream, NumericTable warm, int numArms) {
    int highestRow = -1;
    double highest = -1;
    for (int i = 0; i < warm.rows(); i++) {
      double v = warm.value(i, 0);
      if (v == Math.rint(v) && v >= numArms && v > highest) {
        highest = v;
        highestRow = i;
      }
    }
    if (highestRow >= 0) {
      throw InputException.atLine(stream, 1, "the header has K=" + numArms + " reward column"
          + (numArms == 1 ? " (r0)" : "s (r0..r" + (numArms - 1) + ")") + ", but " + warm.file() + " line "
          + NumericTable.lineOf(highestRow) + " has arm " + formatArm(highest) + ": a stream row needs a reward"
          + " for every arm (r0..r" + formatArm(highest) + " at least), or the warm-up is from another problem");
    }
  }

  private static int armAt(NumericTable warm, int row, int numArms) {
    double v = warm.values()[row * warm.columns()];
    if (v != Math.rint(v)) {
      throw warm.fieldError(row, 0, "arm must be an integer in [0, " + numArms + "), got " + v);
    }
    if (v < 0 || v >= numArms) {
      throw warm.fieldError(row, 0, "arm " + formatArm(v) + " is out of range [0, " + numArms
          + "): the stream has K=" + numArms + " reward columns");
    }
    return (int) v;
  }

  /** An integral value without the ".0", unless it is too large to be printed exactly as a long. */
  private static String formatArm(double v) {
    return Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** Writes {@code t,arm,reward} for every round, atomically: all of it or nothing. */
  public static void writeRounds(Path out, ReplayResult result) throws IOException {
    int[] arms = result.arms();
    double[] rewards = result.rewards();
    AtomicFileWriter.write(out, false, (Writer w) -> {
      w.write(ROUNDS_HEADER);
      w.write('\n');
      StringBuilder line = new StringBuilder(64);
      for (int t = 0; t < arms.length; t++) {
        line.setLength(0);
        line.append(t).append(',').append(arms[t]).append(',').append(Double.toString(rewards[t])).append('\n');
        w.append(line);
      }
    });
  }
}
