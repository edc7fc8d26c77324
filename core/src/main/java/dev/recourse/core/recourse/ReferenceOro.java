package dev.recourse.core.recourse;

import java.util.SplittableRandom;

/**
 * Slow reference for ORO-Arm, for tests and solver benchmarking. {@code g} is convex and the feasible
 * set is star-shaped around Δ = 0, so the maximum lies on the boundary, and every boundary point is
 * {@code t*(v)·v} for a direction v, with {@code t*} the largest feasible step. For {@code d_M ≤ 3} a
 * dense sweep of directions (a circle grid, or a Fibonacci sphere) finds the global optimum up to the
 * grid, then coordinate descent polishes it; in every dimension, coordinate descent also runs from
 * {@code starts} random boundary points. The best of all is returned. Deterministic (fixed seed).
 */
public final class ReferenceOro implements OroSolver {

  public static final int DEFAULT_STARTS = 64;
  public static final int DEFAULT_CIRCLE_POINTS = 20_000;
  public static final int DEFAULT_SPHERE_POINTS = 200_000;

  private final int starts;
  private final CoordinateDescentOro polish;
  private final double[] dir;
  private final double[] point;
  private final double[] best;
  private final long seed;
  private int iterations;

  public ReferenceOro(int dimM) {
    this(dimM, DEFAULT_STARTS, 12345L);
  }

  public ReferenceOro(int dimM, int starts, long seed) {
    this.starts = starts;
    this.seed = seed;
    this.polish = new CoordinateDescentOro(dimM, 0.0, 10_000);
    this.dir = new double[dimM];
    this.point = new double[dimM];
    this.best = new double[dimM];
  }

  @Override
  public double solve(OroProblem p, double[] delta) {
    int dimM = p.mutableDim();
    java.util.Arrays.fill(point, 0.0);
    double bestValue = polishFrom(p, point);
    System.arraycopy(point, 0, best, 0, dimM);
    int evaluations = 1;

    if (dimM <= 3) {
      int n = dimM == 1 ? 2 : dimM == 2 ? DEFAULT_CIRCLE_POINTS : DEFAULT_SPHERE_POINTS;
      double sweepBest = Double.NEGATIVE_INFINITY;
      double[] sweepDir = new double[dimM];
      for (int i = 0; i < n; i++) {
        direction(dimM, i, n, dir);
        double v = boundaryValue(p, dir);
        evaluations++;
        if (v > sweepBest) {
          sweepBest = v;
          System.arraycopy(dir, 0, sweepDir, 0, dimM);
        }
      }
      boundaryPoint(p, sweepDir, point);
      double v = polishFrom(p, point);
      if (v > bestValue) {
        bestValue = v;
        System.arraycopy(point, 0, best, 0, dimM);
      }
    }

    SplittableRandom rng = new SplittableRandom(seed);
    for (int s = 0; s < starts; s++) {
      for (int k = 0; k < dimM; k++) {
        dir[k] = rng.nextDouble(-1, 1);
      }
      normalise(dir);
      boundaryPoint(p, dir, point);
      double v = polishFrom(p, point);
      evaluations++;
      if (v > bestValue) {
        bestValue = v;
        System.arraycopy(point, 0, best, 0, dimM);
      }
    }
    System.arraycopy(best, 0, delta, 0, dimM);
    iterations = evaluations;
    return bestValue;
  }

  /** Runs CD from {@code start} (copied into {@link #point}); returns the value reached. */
  private double polishFrom(OroProblem p, double[] start) {
    if (start != point) {
      System.arraycopy(start, 0, point, 0, p.mutableDim());
    }
    return polish.iterate(p, point);
  }

  private double boundaryValue(OroProblem p, double[] v) {
    boundaryPoint(p, v, point);
    return p.objective(point);
  }

  /** {@code out = t*·v}, the farthest feasible point along v. */
  static void boundaryPoint(OroProblem p, double[] v, double[] out) {
    FeasibleSet set = p.feasibleSet();
    int dimM = p.mutableDim();
    double n = set.ball().norm(v);
    double t = n > 0 ? set.gamma() / n : 0.0;
    double[] lo = set.lowerDisplacement();
    double[] hi = set.upperDisplacement();
    if (lo != null) {
      for (int k = 0; k < dimM; k++) {
        if (v[k] > 0) {
          t = Math.min(t, hi[k] / v[k]);
        } else if (v[k] < 0) {
          t = Math.min(t, lo[k] / v[k]);
        }
      }
    }
    for (int k = 0; k < dimM; k++) {
      out[k] = t * v[k];
    }
  }

  /** The i-th of n directions: ±1 in 1-D, a circle grid in 2-D, a Fibonacci sphere in 3-D. */
  private static void direction(int dimM, int i, int n, double[] out) {
    if (dimM == 1) {
      out[0] = i == 0 ? 1 : -1;
    } else if (dimM == 2) {
      double phi = 2 * Math.PI * i / n;
      out[0] = Math.cos(phi);
      out[1] = Math.sin(phi);
    } else {
      double z = 1 - (2.0 * i + 1) / n;
      double r = Math.sqrt(Math.max(0, 1 - z * z));
      double phi = i * Math.PI * (3 - Math.sqrt(5));
      out[0] = r * Math.cos(phi);
      out[1] = r * Math.sin(phi);
      out[2] = z;
    }
  }

  private static void normalise(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    s = Math.sqrt(s);
    if (s == 0) {
      v[0] = 1;
      return;
    }
    for (int i = 0; i < v.length; i++) {
      v[i] /= s;
    }
  }

  @Override
  public boolean boundedByOroMaximum() {
    return true;
  }

  @Override
  public int lastIterations() {
    return iterations;
  }

  @Override
  public int mutableDim() {
    return dir.length;
  }

  @Override
  public String name() {
    return "reference";
  }
}
