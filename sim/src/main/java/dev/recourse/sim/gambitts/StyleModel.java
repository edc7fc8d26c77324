package dev.recourse.sim.gambitts;

import dev.recourse.core.rng.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A synthetic stand-in for the authors' (unpublished) response database, in the paper's layout (spec
 * gambitts.md §7): 20 style dimensions, 40 prompts (each style at two poles, "make the message mildly
 * optimistic / pessimistic"), 12 context cells ({@code curr_loc} ∈ {home, other, work} ×
 * {@code prev_steps} bins 0–3), and per response a 20-dimensional style score vector.
 *
 * <p>Prompt {@code p} (1-based) targets style {@code (p−1)/2} at pole {@code +1} (odd p) or {@code −1}:
 * its mean on that style is {@code ±shift}, on every other style a small prompt-specific offset, and each
 * cell adds a small shift. Three styles are built as proxies of optimism, as the paper's DB has them:
 * severity and encouragement follow optimism at the prompt level (+0.8 and −0.95 of its prompt mean) and
 * within prompts (text-level correlations near +0.8 and −0.95); formality follows it weakly (−0.3 of
 * the prompt mean, about −0.1 within prompts). Clarity is correlated with optimism within prompts
 * (about +0.2) but its prompt means are U-shaped in optimism's (the most and least optimistic prompts
 * are the clearest), so it does not order the prompts the way an optimism-driven reward does (spec §9
 * check 6). Everything is drawn from {@code seed}.
 */
public final class StyleModel {

  /** The style dimensions, in column order; the first five are the ones the paper's studies use. */
  public static final List<String> STYLES = List.of("optimism", "formality", "severity", "encouragement", "clarity",
      "humor", "urgency", "empathy", "directness", "enthusiasm", "politeness", "specificity", "warmth", "confidence",
      "simplicity", "personalization", "assertiveness", "curiosity", "calmness", "playfulness");
  /** {@code curr_loc} levels and {@code prev_steps} bins of the context (12 cells). */
  public static final List<String> LOCATIONS = List.of("home", "other", "work");
  public static final List<String> STEP_BINS = List.of("0", "1", "2", "3");

  private static final int OPT = 0;
  private static final int FORM = 1;
  private static final int SEV = 2;
  private static final int ENC = 3;
  private static final int CLAR = 4;

  private final int numPrompts;
  private final int dims;
  private final double[] promptMean;
  private final double[] cellShift;
  private final double withinSd;

  /** The default model: 40 prompts, shift 1, within-prompt sd 0.5. */
  public StyleModel(long seed) {
    this(seed, 1.0, 0.5);
  }

  public StyleModel(long seed, double shift, double withinSd) {
    this.numPrompts = 2 * STYLES.size();
    this.dims = STYLES.size();
    this.withinSd = withinSd;
    RandomGenerator rng = RandomStreams.stream(seed, 0x57e1);
    this.promptMean = new double[numPrompts * dims];
    for (int p = 0; p < numPrompts; p++) {
      int style = p / 2;
      double pole = p % 2 == 0 ? 1 : -1;
      int off = p * dims;
      for (int k = 0; k < dims; k++) {
        promptMean[off + k] = 0.15 * rng.nextGaussian();
      }
      promptMean[off + style] += pole * shift;
      double opt = promptMean[off + OPT];
      promptMean[off + SEV] += 0.8 * opt;
      promptMean[off + ENC] += -0.95 * opt;
      promptMean[off + FORM] += -0.3 * opt;
      // U-shaped in optimism: the most and the least optimistic prompts are equally clear, so no linear
      // model of clarity can order them (spec §9 check 6).
      promptMean[off + CLAR] = (style == CLAR ? pole * shift : 0) + opt * opt + 0.1 * rng.nextGaussian();
    }
    this.cellShift = new double[numCells() * dims];
    for (int i = 0; i < cellShift.length; i++) {
      cellShift[i] = 0.05 * rng.nextGaussian();
    }
  }

  public int numPrompts() {
    return numPrompts;
  }

  public int numCells() {
    return LOCATIONS.size() * STEP_BINS.size();
  }

  /** A short name of prompt {@code p} (1-based), e.g. {@code optimism+}. */
  public static String promptName(int p) {
    return STYLES.get((p - 1) / 2) + ((p - 1) % 2 == 0 ? "+" : "-");
  }

  /** The instruction text of prompt {@code p} (1-based). */
  public static String promptText(int p) {
    return "Write a 2-3 sentence message encouraging more steps; make it mildly "
        + ((p - 1) % 2 == 0 ? "high" : "low") + " in " + STYLES.get((p - 1) / 2) + ".";
  }

  /**
   * One response's 20 style scores for prompt {@code p} (1-based) in cell {@code cell} (location-major:
   * {@code cell = loc·4 + bin}), written into {@code out} (length 20); draws 20 Gaussians.
   */
  public void sample(int p, int cell, RandomGenerator rng, double[] out) {
    int off = (p - 1) * dims;
    int coff = cell * dims;
    for (int k = 0; k < dims; k++) {
      out[k] = promptMean[off + k] + cellShift[coff + k] + withinSd * rng.nextGaussian();
    }
    double w = out[OPT] - promptMean[off + OPT] - cellShift[coff + OPT]; // this response's own optimism
    out[SEV] += 0.8 * w - (1 - Math.sqrt(1 - 0.64)) * (out[SEV] - promptMean[off + SEV] - cellShift[coff + SEV]);
    out[ENC] += -0.95 * w - (1 - Math.sqrt(1 - 0.9025)) * (out[ENC] - promptMean[off + ENC] - cellShift[coff + ENC]);
    out[FORM] += -0.1 * w;
    out[CLAR] += 0.2 * w;
  }

  /**
   * An in-memory database of {@code perSlot} responses per (cell, prompt) for the given prompts (1-based,
   * in arm order), keeping only the {@code embedding} columns as the working embedding and evaluating
   * {@code reward} on its input columns, with reward noise {@code noiseSd}. Context columns: curr_loc,
   * prev_steps (or none when {@code withContext} is false: one cell, responses of every cell pooled).
   */
  public ResponseDb database(List<Integer> prompts, List<String> embedding, RewardFunction reward, double noiseSd,
                             int perSlot, boolean withContext, long seed) {
    int[] zAt = indices(embedding);
    int[] rAt = indices(reward.inputs());
    List<String> ctxCols = withContext ? List.of("curr_loc", "prev_steps") : List.of();
    List<List<String>> levels = withContext ? List.of(LOCATIONS, STEP_BINS) : List.of();
    int cells = withContext ? numCells() : 1;
    int k = prompts.size();
    int dz = embedding.size();
    int total = cells * k * perSlot;
    double[] z = new double[total * dz];
    double[] f = new double[total];
    int[] start = new int[cells * k + 1];
    double[] row = new double[dims];
    double[] in = new double[rAt.length];
    List<String> rc = reward.contextInputs();
    String[] labels = new String[rc.size()];
    RandomGenerator rng = RandomStreams.stream(seed, 0xdb);
    int i = 0;
    for (int c = 0; c < cells; c++) {
      for (int a = 0; a < k; a++) {
        start[c * k + a] = i;
        for (int n = 0; n < perSlot; n++) {
          int cell = withContext ? c : rng.nextInt(numCells());
          sample(prompts.get(a), cell, rng, row);
          for (int j = 0; j < dz; j++) {
            z[i * dz + j] = row[zAt[j]];
          }
          for (int j = 0; j < rAt.length; j++) {
            in[j] = row[rAt[j]];
          }
          for (int j = 0; j < labels.length; j++) {
            labels[j] = rc.get(j).equals("curr_loc") ? LOCATIONS.get(cell / 4) : STEP_BINS.get(cell % 4);
          }
          f[i] = reward.value(in, labels);
          i++;
        }
      }
    }
    start[cells * k] = i;
    List<String> names = new ArrayList<>();
    for (int p : prompts) {
      names.add(Integer.toString(p));
    }
    return ResponseDb.of(names, ctxCols, levels, embedding, start, z, f, noiseSd);
  }

  private static int[] indices(List<String> columns) {
    int[] at = new int[columns.size()];
    for (int j = 0; j < at.length; j++) {
      at[j] = STYLES.indexOf(columns.get(j));
      if (at[j] < 0) {
        throw new IllegalArgumentException("unknown style '" + columns.get(j) + "' (known: " + STYLES + ")");
      }
    }
    return at;
  }

  /**
   * Writes the database in the paper's layout to {@code out}: a header {@code prompt,prompt_id,prev_steps,
   * curr_loc,<20 styles>,text}, then {@code perCell} responses per (prompt, cell), prompts 1..40 as
   * {@code prompt}, their short names as {@code prompt_id}, a placeholder response text last (quoted, with
   * a comma, as generated texts have). Numbers round-trip exactly.
   */
  public void write(java.io.Writer out, int perCell, long seed) throws java.io.IOException {
    StringBuilder line = new StringBuilder("prompt,prompt_id,prev_steps,curr_loc");
    for (String style : STYLES) {
      line.append(',').append(style);
    }
    out.append(line.append(",text\n"));
    RandomGenerator rng = RandomStreams.stream(seed, 0xdb);
    double[] row = new double[dims];
    for (int p = 1; p <= numPrompts; p++) {
      for (int cell = 0; cell < numCells(); cell++) {
        for (int n = 0; n < perCell; n++) {
          sample(p, cell, rng, row);
          line.setLength(0);
          line.append(p).append(',').append(promptName(p)).append(',').append(STEP_BINS.get(cell % 4)).append(',')
              .append(LOCATIONS.get(cell / 4));
          for (double v : row) {
            line.append(',').append(v);
          }
          line.append(",\"Synthetic message ").append(n + 1).append(", prompt ").append(p).append(".\"\n");
          out.append(line);
        }
      }
    }
  }
}
