package dev.recourse.sim.gambitts;

import com.carrotsearch.hppc.DoubleArrayList;
import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.LongArrayList;
import dev.recourse.core.gambitts.OfflineTreatments;
import dev.recourse.sim.config.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * A database of generated responses (spec gambitts.md §7): per (context cell, prompt) the stored
 * responses' working embeddings {@code Z} and true mean rewards {@code f(Z*)}, grouped by slot
 * {@code cell·K + prompt}, read once per study and shared read-only by every replication and thread.
 * Each round draws one stored response of the (prompt, cell) uniformly; regret is measured in the
 * slots' mean {@code f} over all their responses.
 */
public final class ResponseDb implements Generator {

  /**
   * Which columns play which role.
   *
   * @param promptColumn   the prompt (the action)
   * @param contextColumns the context cell's columns (may be empty)
   * @param embedding      the agent's working embedding
   * @param prompts        the prompts to keep, in arm order; empty for all, in sorted order
   * @param reward         the true mean reward
   * @param noiseSd        σ of the reward noise
   */
  public record Layout(String promptColumn, List<String> contextColumns, List<String> embedding, List<String> prompts,
                       RewardFunction reward, double noiseSd) {}

  /** Where a layout's names came from, so that errors name the study file's keys. */
  public interface KeyErrors {
    InputException error(String key, String problem);
  }

  private final List<String> prompts;
  private final List<String> contextColumns;
  private final List<List<String>> levelLabels;
  private final int[] levels;
  private final List<String> embedding;
  private final int dz;
  private final int numCells;
  private final int numArms;
  private final int[] slotStart;
  private final double[] z;
  private final double[] f;
  private final double[] slotMean;
  private final double[] bestMean;
  private final double noiseSd;
  /** Per embedding column, then for f: the response with the largest magnitude, what {@link #extremes} reports. */
  private final int[] largest;
  /** The file the responses were read from (null: generated in memory), to name the line of a value. */
  private final FileOrigin origin;

  /**
   * Where a database read from a file has its {@link #largest} values: each embedding column's position
   * (1-based) and the line each of them is on.
   */
  private record FileOrigin(Path file, int[] columns, long[] lines) {}

  private ResponseDb(List<String> prompts, List<String> contextColumns, List<List<String>> levelLabels,
                     List<String> embedding, int[] slotStart, double[] z, double[] f, double noiseSd, int[] largest,
                     FileOrigin origin) {
    this.prompts = List.copyOf(prompts);
    this.contextColumns = List.copyOf(contextColumns);
    this.levelLabels = levelLabels.stream().map(List::copyOf).toList();
    this.levels = levelLabels.stream().mapToInt(List::size).toArray();
    this.embedding = List.copyOf(embedding);
    this.dz = embedding.size();
    this.numArms = prompts.size();
    int cells = 1;
    for (int l : levels) {
      cells *= l;
    }
    this.numCells = cells;
    this.slotStart = slotStart;
    this.z = z;
    this.f = f;
    this.noiseSd = noiseSd;
    this.largest = largest;
    this.origin = origin;
    this.slotMean = new double[numCells * numArms];
    this.bestMean = new double[numCells];
    for (int c = 0; c < numCells; c++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < numArms; a++) {
        int s = c * numArms + a;
        double sum = 0;
        for (int i = slotStart[s]; i < slotStart[s + 1]; i++) {
          sum += f[i];
        }
        slotMean[s] = sum / (slotStart[s + 1] - slotStart[s]);
        best = Math.max(best, slotMean[s]);
      }
      bestMean[c] = best;
    }
  }

  /** Reads {@code file} with {@code layout}; every problem is an {@link InputException} naming the file and line or key. */
  public static ResponseDb load(Path file, Layout layout, KeyErrors keys) {
    try (CsvRows rows = new CsvRows(file)) {
      List<String> header = rows.header();
      int promptAt = require(header, layout.promptColumn(), "prompt_column", file, keys);
      int[] contextAt = new int[layout.contextColumns().size()];
      for (int j = 0; j < contextAt.length; j++) {
        contextAt[j] = require(header, layout.contextColumns().get(j), "context_columns", file, keys);
      }
      List<String> numeric = new ArrayList<>(new LinkedHashSet<>(concat(layout.embedding(), layout.reward().inputs())));
      int[] numericAt = new int[numeric.size()];
      for (int j = 0; j < numericAt.length; j++) {
        String key = layout.embedding().contains(numeric.get(j)) ? "embedding" : "reward";
        numericAt[j] = require(header, numeric.get(j), key, file, keys);
      }
      for (String c : layout.reward().contextInputs()) {
        if (!layout.contextColumns().contains(c)) {
          throw keys.error("reward", "context term '" + c + "' is not one of context_columns " + layout.contextColumns());
        }
      }
      java.util.Set<String> keep = layout.prompts().isEmpty() ? null : new java.util.HashSet<>(layout.prompts());
      List<String> promptOfRow = new ArrayList<>();
      List<String[]> contextOfRow = new ArrayList<>();
      LongArrayList lineOfRow = new LongArrayList();
      DoubleArrayList values = new DoubleArrayList();
      List<String> record;
      while ((record = rows.record()) != null) {
        String prompt = record.get(promptAt).strip();
        if (keep != null && !keep.contains(prompt)) {
          continue;
        }
        String[] ctx = new String[contextAt.length];
        for (int j = 0; j < ctx.length; j++) {
          ctx[j] = record.get(contextAt[j]).strip();
          if (ctx[j].isEmpty()) {
            throw InputException.atField(file, rows.recordLine(), contextAt[j] + 1, header.get(contextAt[j]),
                "empty context value");
          }
        }
        for (int j = 0; j < numericAt.length; j++) {
          values.add(number(record.get(numericAt[j]), file, rows.recordLine(), numericAt[j] + 1, header.get(numericAt[j])));
        }
        promptOfRow.add(prompt);
        contextOfRow.add(ctx);
        lineOfRow.add(rows.recordLine());
      }
      if (promptOfRow.isEmpty()) {
        throw InputException.inFile(file, keep == null ? "no responses" : "no responses of the prompts " + layout.prompts());
      }
      List<String> prompts = layout.prompts().isEmpty() ? sortedDistinct(promptOfRow) : layout.prompts();
      if (keep != null) {
        java.util.Set<String> seen = new java.util.HashSet<>(promptOfRow);
        for (String p : prompts) {
          if (!seen.contains(p)) {
            throw keys.error("prompts", "unknown prompt '" + p + "': " + file + " has no responses of it in column '"
                + layout.promptColumn() + "'");
          }
        }
      }
      List<List<String>> levelLabels = new ArrayList<>();
      for (int j = 0; j < contextAt.length; j++) {
        List<String> labels = new ArrayList<>();
        for (String[] c : contextOfRow) {
          labels.add(c[j]);
        }
        levelLabels.add(sortedDistinct(labels));
      }
      for (String c : layout.reward().contextInputs()) {
        RewardFunction.Linear lin = (RewardFunction.Linear) layout.reward();
        if (lin.contextSlopes().containsKey(c)) {
          for (String label : levelLabels.get(layout.contextColumns().indexOf(c))) {
            if (!isNumber(label)) {
              throw keys.error("reward", "context." + c + " is a slope, but column '" + c + "' has the non-numeric level '"
                  + label + "': give one effect per level instead");
            }
          }
        }
      }
      return build(file, layout, prompts, levelLabels, promptOfRow, contextOfRow, lineOfRow.toArray(), numeric,
          numericAt, values.toArray());
    }
  }

  private static ResponseDb build(Path file, Layout layout, List<String> prompts, List<List<String>> levelLabels,
                                  List<String> promptOfRow, List<String[]> contextOfRow, long[] lineOfRow,
                                  List<String> numeric, int[] numericAt, double[] values) {
    int numArms = prompts.size();
    int numCells = 1;
    for (List<String> l : levelLabels) {
      numCells *= l.size();
    }
    Map<String, Integer> armOf = new HashMap<>();
    for (int a = 0; a < numArms; a++) {
      armOf.put(prompts.get(a), a);
    }
    List<Map<String, Integer>> levelOf = new ArrayList<>();
    for (List<String> labels : levelLabels) {
      Map<String, Integer> m = new HashMap<>();
      for (int i = 0; i < labels.size(); i++) {
        m.put(labels.get(i), i);
      }
      levelOf.add(m);
    }
    int n = promptOfRow.size();
    int width = numeric.size();
    int[] slotOfRow = new int[n];
    int[] counts = new int[numCells * numArms];
    for (int r = 0; r < n; r++) {
      int cell = 0;
      String[] ctx = contextOfRow.get(r);
      for (int j = 0; j < ctx.length; j++) {
        cell = cell * levelLabels.get(j).size() + levelOf.get(j).get(ctx[j]);
      }
      slotOfRow[r] = cell * numArms + armOf.get(promptOfRow.get(r));
      counts[slotOfRow[r]]++;
    }
    for (int s = 0; s < counts.length; s++) {
      if (counts[s] == 0) {
        int cell = s / numArms;
        throw InputException.inFile(file, "no responses of prompt '" + prompts.get(s % numArms) + "' in context cell "
            + cellName(layout.contextColumns(), levelLabels, cell) + ": every (prompt, cell) needs at least one");
      }
    }
    int[] start = new int[counts.length + 1];
    for (int s = 0; s < counts.length; s++) {
      start[s + 1] = start[s] + counts[s];
    }
    int[] next = Arrays.copyOf(start, counts.length);
    int dz = layout.embedding().size();
    int[] zAt = new int[dz];
    for (int k = 0; k < dz; k++) {
      zAt[k] = numeric.indexOf(layout.embedding().get(k));
    }
    List<String> rewardInputs = layout.reward().inputs();
    int[] rAt = new int[rewardInputs.size()];
    for (int k = 0; k < rAt.length; k++) {
      rAt[k] = numeric.indexOf(rewardInputs.get(k));
    }
    List<String> rewardContext = layout.reward().contextInputs();
    int[] rcAt = new int[rewardContext.size()];
    for (int k = 0; k < rcAt.length; k++) {
      rcAt[k] = layout.contextColumns().indexOf(rewardContext.get(k));
    }
    double[] z = new double[n * dz];
    double[] f = new double[n];
    double[] in = new double[rAt.length];
    String[] labels = new String[rcAt.length];
    int[] rowOf = new int[n];
    for (int r = 0; r < n; r++) {
      int i = next[slotOfRow[r]]++;
      rowOf[i] = r;
      for (int k = 0; k < dz; k++) {
        z[i * dz + k] = values[r * width + zAt[k]];
      }
      for (int k = 0; k < rAt.length; k++) {
        in[k] = values[r * width + rAt[k]];
      }
      for (int k = 0; k < rcAt.length; k++) {
        labels[k] = contextOfRow.get(r)[rcAt[k]];
      }
      f[i] = layout.reward().value(in, labels);
      if (!Double.isFinite(f[i])) {
        throw InputException.inFile(file, "the reward of a response of prompt '" + promptOfRow.get(r)
            + "' is not finite (" + f[i] + ")");
      }
    }
    int[] largest = largest(z, dz, f);
    int[] columns = new int[dz];
    long[] lines = new long[dz + 1];
    for (int k = 0; k <= dz; k++) {
      lines[k] = lineOfRow[rowOf[largest[k]]];
      if (k < dz) {
        columns[k] = numericAt[zAt[k]] + 1;
      }
    }
    return new ResponseDb(prompts, layout.contextColumns(), levelLabels, layout.embedding(), start, z, f,
        layout.noiseSd(), largest, new FileOrigin(file, columns, lines));
  }

  /** Per embedding column, then for {@code f}: the first response with the largest magnitude (NaN above all). */
  private static int[] largest(double[] z, int dz, double[] f) {
    int[] at = new int[dz + 1];
    for (int i = 0; i < f.length; i++) {
      for (int k = 0; k < dz; k++) {
        if (Generator.above(z[i * dz + k], z[at[k] * dz + k])) {
          at[k] = i;
        }
      }
      if (Generator.above(f[i], f[at[dz]])) {
        at[dz] = i;
      }
    }
    return at;
  }

  /**
   * A database from responses already in memory (a generated one): {@code slotStart} (length
   * {@code numCells·K + 1}) delimits each slot's responses in {@code z} ({@code d_z} values each) and
   * {@code f}; every slot must be non-empty.
   */
  static ResponseDb of(List<String> prompts, List<String> contextColumns, List<List<String>> levelLabels,
                       List<String> embedding, int[] slotStart, double[] z, double[] f, double noiseSd) {
    for (int s = 0; s + 1 < slotStart.length; s++) {
      if (slotStart[s + 1] <= slotStart[s]) {
        throw new IllegalArgumentException("slot " + s + " has no responses");
      }
    }
    return new ResponseDb(prompts, contextColumns, levelLabels, embedding, slotStart, z, f, noiseSd,
        largest(z, embedding.size(), f), null);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static int require(List<String> header, String name, String key, Path file, KeyErrors keys) {
    int at = header.indexOf(name);
    if (at < 0) {
      throw keys.error(key, "no column '" + name + "' in " + file + " (columns: " + String.join(", ", header) + ")");
    }
    return at;
  }

  private static double number(String text, Path file, long line, int column, String name) {
    String t = text.strip();
    double v;
    try {
      v = t.isEmpty() ? Double.NaN : Double.parseDouble(t);
    } catch (NumberFormatException e) {
      v = Double.NaN;
    }
    if (!Double.isFinite(v) || t.endsWith("d") || t.endsWith("D") || t.endsWith("f") || t.endsWith("F")) {
      throw InputException.atField(file, line, column, name, "expected a finite number, got '" + t + "'");
    }
    return v;
  }

  private static boolean isNumber(String s) {
    try {
      return Double.isFinite(Double.parseDouble(s));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Distinct values, numerically sorted when all are numbers, else lexicographically. */
  static List<String> sortedDistinct(List<String> values) {
    List<String> d = new ArrayList<>(new LinkedHashSet<>(values));
    if (d.stream().allMatch(ResponseDb::isNumber)) {
      d.sort(Comparator.comparingDouble(Double::parseDouble));
    } else {
      d.sort(Comparator.naturalOrder());
    }
    return d;
  }

  private static String cellName(List<String> columns, List<List<String>> levelLabels, int cell) {
    if (columns.isEmpty()) {
      return "(none)";
    }
    String[] parts = new String[columns.size()];
    int rest = cell;
    for (int j = columns.size() - 1; j >= 0; j--) {
      int l = levelLabels.get(j).size();
      parts[j] = columns.get(j) + "=" + levelLabels.get(j).get(rest % l);
      rest /= l;
    }
    return "(" + String.join(", ", parts) + ")";
  }

  /** Responses stored in total. */
  public int responses() {
    return f.length;
  }

  /** Responses of one (cell, prompt). */
  public int count(int cell, int arm) {
    int s = cell * numArms + arm;
    return slotStart[s + 1] - slotStart[s];
  }

  /** The level labels of each context column. */
  public List<List<String>> levelLabels() {
    return levelLabels;
  }

  @Override
  public int numCells() {
    return numCells;
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public List<String> promptNames() {
    return prompts;
  }

  @Override
  public List<String> contextColumns() {
    return contextColumns;
  }

  @Override
  public int[] contextLevels() {
    return levels.clone();
  }

  @Override
  public List<String> treatmentNames() {
    return embedding;
  }

  @Override
  public double noiseSd() {
    return noiseSd;
  }

  @Override
  public double respond(int cell, int arm, RandomGenerator rng, double[] out) {
    int s = cell * numArms + arm;
    int i = slotStart[s] + rng.nextInt(slotStart[s + 1] - slotStart[s]);
    System.arraycopy(z, i * dz, out, 0, dz);
    return f[i];
  }

  @Override
  public double slotMean(int cell, int arm) {
    return slotMean[cell * numArms + arm];
  }

  @Override
  public double bestMean(int cell) {
    return bestMean[cell];
  }

  /**
   * Each embedding column's entry of largest magnitude and the largest true reward: they bound every
   * response a round or an offline sample draws. Read from a file, each names its line and column;
   * generated, its response, prompt and cell after {@code settings}.
   */
  @Override
  public List<Extreme> extremes(String settings) {
    List<Extreme> out = new ArrayList<>();
    for (int k = 0; k <= dz; k++) {
      boolean reward = k == dz;
      int i = largest[k];
      Function<String, InputException> at;
      if (origin != null) {
        long line = origin.lines()[k];
        int column = reward ? 0 : origin.columns()[k];
        String name = reward ? null : embedding.get(k);
        at = reward
            ? problem -> InputException.atLine(origin.file(), line, "its true reward (scenario.reward): " + problem)
            : problem -> InputException.atField(origin.file(), line, column, name, problem);
      } else {
        String what = (reward ? "the true reward" : embedding.get(k)) + " of " + response(i);
        at = problem -> new InputException(settings + ": " + what + ": " + problem);
      }
      out.add(new Extreme(reward, reward ? f[i] : z[i * dz + k], at));
    }
    return out;
  }

  /** {@code "response 3 of prompt '2' in cell (curr_loc=home, prev_steps=0)"} for response {@code i} (slot order). */
  private String response(int i) {
    int s = 0;
    while (slotStart[s + 1] <= i) {
      s++;
    }
    return "response " + (i - slotStart[s] + 1) + " of prompt '" + prompts.get(s % numArms) + "' in cell "
        + cellName(contextColumns, levelLabels, s / numArms);
  }

  /** Embedding means of one slot over all its responses (for reports and tests). */
  public double[] slotEmbeddingMean(int cell, int arm) {
    int s = cell * numArms + arm;
    double[] m = new double[dz];
    for (int i = slotStart[s]; i < slotStart[s + 1]; i++) {
      for (int k = 0; k < dz; k++) {
        m[k] += z[i * dz + k];
      }
    }
    for (int k = 0; k < dz; k++) {
      m[k] /= slotStart[s + 1] - slotStart[s];
    }
    return m;
  }

  @Override
  public OfflineTreatments offline(int perSlot, RandomGenerator rng) {
    int slots = numCells * numArms;
    int[] counts = new int[slots];
    int total = 0;
    for (int s = 0; s < slots; s++) {
      int n = slotStart[s + 1] - slotStart[s];
      counts[s] = perSlot <= 0 ? n : Math.min(perSlot, n);
      total += counts[s];
    }
    double[] samples = new double[total * dz];
    IntArrayList index = new IntArrayList();
    int at = 0;
    for (int s = 0; s < slots; s++) {
      int n = slotStart[s + 1] - slotStart[s];
      index.clear();
      for (int i = 0; i < n; i++) {
        index.add(i);
      }
      int[] idx = index.buffer;
      for (int i = 0; i < counts[s]; i++) { // partial Fisher–Yates: a uniform subsample without replacement
        int j = i + (counts[s] == n ? 0 : rng.nextInt(n - i));
        int tmp = idx[i];
        idx[i] = idx[j];
        idx[j] = tmp;
        System.arraycopy(z, (slotStart[s] + idx[i]) * dz, samples, at * dz, dz);
        at++;
      }
    }
    return new OfflineTreatments(numCells, numArms, dz, samples, counts);
  }
}
