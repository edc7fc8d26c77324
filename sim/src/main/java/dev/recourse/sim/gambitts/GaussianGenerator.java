package dev.recourse.sim.gambitts;

import dev.recourse.core.gambitts.OfflineTreatments;
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.sim.config.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A generator without a database (for studies of the embedding dimension, spec gambitts.md §7 "dimension
 * scaling"): prompt {@code a} in cell {@code c} yields {@code Z ~ N(μ_a + δ_c, s²I)} with prompt means
 * {@code μ_a ~ N(0, p²I)} and cell shifts {@code δ_c ~ N(0, q²I)}, and the reward is linear in all
 * {@code d_z} dimensions, {@code f = c0 + βᵀZ} with {@code β ~ N(0, b²/d_z·I)} (so that the spread of
 * prompt rewards does not grow with {@code d_z}). The means and β are drawn once from
 * {@code worldSeed}: one fixed world per configuration, as a database is. Slot means are exact.
 */
final class GaussianGenerator implements Generator {

  private final int numArms;
  private final int dz;
  private final int[] levels;
  private final int numCells;
  private final double treatmentSd;
  private final double noiseSd;
  private final double[] slotMeanZ;
  private final double[] beta;
  private final double intercept;
  private final double[] slotMean;
  private final double[] bestMean;

  GaussianGenerator(int numArms, int dz, int[] levels, double promptSd, double cellSd, double treatmentSd,
                    double intercept, double coefficientSd, double noiseSd, long worldSeed) {
    this.numArms = numArms;
    this.dz = dz;
    this.levels = levels.clone();
    int cells = 1;
    for (int l : levels) {
      cells *= l;
    }
    this.numCells = cells;
    this.treatmentSd = treatmentSd;
    this.noiseSd = noiseSd;
    this.intercept = intercept;
    RandomGenerator rng = RandomStreams.stream(worldSeed, 0x6a5d);
    double[] promptMean = new double[numArms * dz];
    for (int i = 0; i < promptMean.length; i++) {
      promptMean[i] = promptSd * rng.nextGaussian();
    }
    double[] cellShift = new double[numCells * dz];
    for (int i = 0; i < cellShift.length; i++) {
      cellShift[i] = cellSd * rng.nextGaussian();
    }
    this.beta = new double[dz];
    for (int k = 0; k < dz; k++) {
      beta[k] = coefficientSd / Math.sqrt(dz) * rng.nextGaussian();
    }
    this.slotMeanZ = new double[numCells * numArms * dz];
    this.slotMean = new double[numCells * numArms];
    this.bestMean = new double[numCells];
    for (int c = 0; c < numCells; c++) {
      double best = Double.NEGATIVE_INFINITY;
      for (int a = 0; a < numArms; a++) {
        int s = c * numArms + a;
        double f = intercept;
        for (int k = 0; k < dz; k++) {
          slotMeanZ[s * dz + k] = promptMean[a * dz + k] + cellShift[c * dz + k];
          f += beta[k] * slotMeanZ[s * dz + k];
        }
        slotMean[s] = f;
        best = Math.max(best, f);
      }
      bestMean[c] = best;
    }
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
    List<String> names = new ArrayList<>();
    for (int a = 1; a <= numArms; a++) {
      names.add(Integer.toString(a));
    }
    return names;
  }

  @Override
  public List<String> contextColumns() {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < levels.length; j++) {
      names.add("c" + j);
    }
    return names;
  }

  @Override
  public int[] contextLevels() {
    return levels.clone();
  }

  @Override
  public List<String> treatmentNames() {
    List<String> names = new ArrayList<>();
    for (int k = 0; k < dz; k++) {
      names.add("z" + k);
    }
    return names;
  }

  @Override
  public double noiseSd() {
    return noiseSd;
  }

  @Override
  public double respond(int cell, int arm, RandomGenerator rng, double[] z) {
    int s = (cell * numArms + arm) * dz;
    double f = intercept;
    for (int k = 0; k < dz; k++) {
      z[k] = slotMeanZ[s + k] + treatmentSd * rng.nextGaussian();
      f += beta[k] * z[k];
    }
    return f;
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
   * The prompt-and-cell means of Z and of the reward: the draws spread around them by {@code treatment_sd},
   * which the agents' own checks are left to catch in a round.
   */
  @Override
  public List<Extreme> extremes(String settings) {
    List<Extreme> out = new ArrayList<>();
    for (int k = 0; k <= dz; k++) {
      boolean reward = k == dz;
      int best = 0;
      for (int s = 1; s < slotMean.length; s++) {
        if (Generator.above(value(s, k), value(best, k))) {
          best = s;
        }
      }
      String what = (reward ? "the mean reward" : "the mean of z" + k) + " of prompt " + (best % numArms + 1)
          + (numCells > 1 ? " in cell " + best / numArms : "");
      out.add(new Extreme(reward, value(best, k),
          problem -> new InputException(settings + ": " + what + ": " + problem)));
    }
    return out;
  }

  /** Slot {@code s}'s mean of {@code z_k}, or its mean reward for {@code k = d_z}. */
  private double value(int s, int k) {
    return k == dz ? slotMean[s] : slotMeanZ[s * dz + k];
  }

  @Override
  public double treatmentSd() {
    return treatmentSd;
  }

  @Override
  public OfflineTreatments offline(int perSlot, RandomGenerator rng) {
    int n = perSlot <= 0 ? 1000 : perSlot;
    int slots = numCells * numArms;
    int[] counts = new int[slots];
    double[] samples = new double[slots * n * dz];
    double[] z = new double[dz];
    for (int s = 0; s < slots; s++) {
      counts[s] = n;
      for (int i = 0; i < n; i++) {
        respond(s / numArms, s % numArms, rng, z);
        System.arraycopy(z, 0, samples, (s * n + i) * dz, dz);
      }
    }
    return new OfflineTreatments(numCells, numArms, dz, samples, counts);
  }
}
