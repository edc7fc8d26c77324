package dev.recourse.core.gambitts;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The context convention of the GAMBITTS agents and their baselines (spec §2, §3, §6).
 *
 * <p><b>Context vector.</b> {@code x} holds one value per configured column, in configuration order.
 * A <em>discrete</em> column with {@code L} levels carries its level index {@code 0..L−1} as a double
 * (an exact integer); a <em>continuous</em> column carries any finite value. With no columns at all the
 * agents still take a context of length 1 (the round protocol's {@code Decision} and {@code Outcome}
 * need {@code dim ≥ 1}) whose value is ignored.
 *
 * <p><b>Cell.</b> The context combination that the treatment model (foGAMBITTS' NIW cells, the offline
 * pools of po/ens-poGAMBITTS) and StdTS:Contextual condition on is the mixed-radix index of the discrete
 * columns, the first discrete column most significant: with levels {@code L_1, L_2} the cell of
 * {@code (l_1, l_2)} is {@code l_1·L_2 + l_2}. Continuous columns never enter the cell. With no discrete
 * column there is one cell, 0.
 *
 * <p><b>Covariates ψ(x).</b> Each column contributes to the reward model's feature vector as configured:
 * {@link Covariate#NONE} (the default, as in most of the paper's runs), {@link Covariate#ONE_HOT}
 * (discrete only: {@code L} indicators) or {@link Covariate#RAW} (the value itself). The repo's
 * "other" one-hot slot is left out: a level outside {@code 0..L−1} is rejected here, so that slot
 * could only ever hold zero.
 *
 * <p>Immutable and shareable between agents and threads.
 */
public final class ContextCells {

  /** How a column enters the reward model's covariates ψ(x). */
  public enum Covariate { NONE, ONE_HOT, RAW }

  /** One configured context column: {@code levels ≥ 1} for discrete, 0 for continuous. */
  public record Column(String name, int levels, Covariate covariate) {
    public Column {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("column name must be non-blank, got " + name);
      }
      if (levels < 0) {
        throw new IllegalArgumentException("column '" + name + "': levels must be >= 0 (0 = continuous), got "
            + levels);
      }
      if (covariate == null) {
        throw new IllegalArgumentException("column '" + name + "': covariate must be non-null");
      }
      if (levels == 0 && covariate == Covariate.ONE_HOT) {
        throw new IllegalArgumentException("column '" + name + "': covariate ONE_HOT needs a discrete column,"
            + " got a continuous one");
      }
    }

    /** A discrete column with {@code levels} levels. */
    public static Column discrete(String name, int levels, Covariate covariate) {
      if (levels < 1) {
        throw new IllegalArgumentException("column '" + name + "': levels must be >= 1, got " + levels);
      }
      return new Column(name, levels, covariate);
    }

    /** A discrete column that enters only the cell. */
    public static Column discrete(String name, int levels) {
      return discrete(name, levels, Covariate.NONE);
    }

    /** A continuous column (never part of the cell). */
    public static Column continuous(String name, Covariate covariate) {
      return new Column(name, 0, covariate);
    }

    public boolean isDiscrete() {
      return levels > 0;
    }
  }

  private static final ContextCells NONE = new ContextCells(List.of());

  private final List<Column> columns;
  private final String[] names;
  private final int[] levels;
  /** Mixed-radix weight of each column (0 for continuous ones). */
  private final int[] strides;
  private final Covariate[] covariates;
  private final int numCells;
  private final int covariateDim;
  private final int dim;

  public ContextCells(List<Column> columns) {
    if (columns == null) {
      throw new IllegalArgumentException("columns must be non-null");
    }
    this.columns = List.copyOf(columns);
    int n = this.columns.size();
    names = new String[n];
    levels = new int[n];
    strides = new int[n];
    covariates = new Covariate[n];
    Set<String> seen = new HashSet<>();
    long cells = 1;
    int cov = 0;
    for (int j = 0; j < n; j++) {
      Column c = this.columns.get(j);
      if (!seen.add(c.name())) {
        throw new IllegalArgumentException("column '" + c.name() + "' is configured twice");
      }
      names[j] = c.name();
      levels[j] = c.levels();
      covariates[j] = c.covariate();
      if (c.isDiscrete()) {
        cells *= c.levels();
        if (cells > 1 << 24) {
          throw new IllegalArgumentException("too many context cells (> 2^24) at column '" + c.name() + "'");
        }
      }
      cov += switch (c.covariate()) {
        case NONE -> 0;
        case ONE_HOT -> c.levels();
        case RAW -> 1;
      };
    }
    // Strides: last discrete column least significant.
    int stride = 1;
    for (int j = n - 1; j >= 0; j--) {
      if (levels[j] > 0) {
        strides[j] = stride;
        stride *= levels[j];
      }
    }
    this.numCells = (int) cells;
    this.covariateDim = cov;
    this.dim = Math.max(1, n);
  }

  public ContextCells(Column... columns) {
    this(Arrays.asList(columns));
  }

  /** No context columns: one cell, no covariates, a context of length 1 that is ignored. */
  public static ContextCells none() {
    return NONE;
  }

  /** Length of the context vector: the number of columns, at least 1. */
  public int dim() {
    return dim;
  }

  public int numColumns() {
    return names.length;
  }

  public List<Column> columns() {
    return columns;
  }

  /** Number of cells, the product of the discrete columns' levels (1 without any). */
  public int numCells() {
    return numCells;
  }

  /** Length of ψ(x). */
  public int covariateDim() {
    return covariateDim;
  }

  /**
   * Checks {@code x} against the columns: length {@link #dim()}, discrete values exact integers in
   * {@code 0..L−1}, continuous values finite. Throws {@link IllegalArgumentException} naming the column
   * and the value. Allocates nothing unless it throws.
   */
  public void check(double[] x) {
    if (x == null || x.length != dim) {
      throw new IllegalArgumentException("context length must be " + dim + ", got "
          + (x == null ? "null" : String.valueOf(x.length)));
    }
    for (int j = 0; j < names.length; j++) {
      double v = x[j];
      int l = levels[j];
      if (l > 0) {
        if (!(v >= 0 && v < l) || v != Math.rint(v)) {
          throw new IllegalArgumentException("context column '" + names[j] + "' (x[" + j + "]) must be a level index"
              + " in 0.." + (l - 1) + ", got " + v);
        }
      } else if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("context column '" + names[j] + "' (x[" + j + "]) must be finite, got "
            + v);
      }
    }
  }

  /** The cell of a context already {@link #check checked}. */
  public int cell(double[] x) {
    int c = 0;
    for (int j = 0; j < strides.length; j++) {
      c += strides[j] * (int) x[j];
    }
    return c;
  }

  /** Checks {@code x} and returns its cell. */
  public int checkedCell(double[] x) {
    check(x);
    return cell(x);
  }

  /** Writes ψ(x) of a checked context into {@code out[off..off+covariateDim)}. */
  public void writeCovariates(double[] x, double[] out, int off) {
    int o = off;
    for (int j = 0; j < covariates.length; j++) {
      switch (covariates[j]) {
        case NONE -> { }
        case RAW -> out[o++] = x[j];
        case ONE_HOT -> {
          int l = levels[j];
          int level = (int) x[j];
          for (int i = 0; i < l; i++) {
            out[o + i] = i == level ? 1.0 : 0.0;
          }
          o += l;
        }
      }
    }
  }

  /** {@code "[]"} or e.g. {@code "[curr_loc:3, prev_steps:4/one-hot, temp:raw]"}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (Column c : columns) {
      String s = c.name() + (c.isDiscrete() ? ":" + c.levels() : ":continuous");
      if (c.covariate() != Covariate.NONE) {
        s += "/" + (c.covariate() == Covariate.ONE_HOT ? "one-hot" : "raw");
      }
      parts.add(s);
    }
    return parts.toString();
  }

  @Override
  public String toString() {
    return "ContextCells" + describe();
  }
}
