package dev.recourse.sim.env;

import java.util.random.RandomGenerator;

/**
 * Patients drawn uniformly with replacement from a fixed cohort (paper §5.3: "we bootstrap the
 * patients at each time step"): one {@code nextInt} per context.
 */
final class BootstrapContexts implements ContextSource {

  private final double[] rows;
  private final int numRows;
  private final int dim;

  /** {@code rows} is row-major {@code numRows×dim}; not copied. */
  BootstrapContexts(double[] rows, int numRows, int dim) {
    if (numRows < 1 || rows.length != numRows * dim) {
      throw new IllegalArgumentException("cohort must hold numRows·dim = " + numRows + "·" + dim + " values, got "
          + rows.length);
    }
    this.rows = rows;
    this.numRows = numRows;
    this.dim = dim;
  }

  @Override
  public void next(RandomGenerator rng, double[] x) {
    System.arraycopy(rows, rng.nextInt(numRows) * dim, x, 0, dim);
  }

  /** Largest row norm ‖x‖₂ of the cohort. */
  double maxRowNorm() {
    double max = 0;
    for (int r = 0; r < numRows; r++) {
      double s = 0;
      for (int i = 0; i < dim; i++) {
        double v = rows[r * dim + i];
        s += v * v;
      }
      max = Math.max(max, Math.sqrt(s));
    }
    return max;
  }
}
