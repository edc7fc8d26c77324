package dev.recourse.sim.recourse;

import dev.recourse.sim.config.ConfigNode;
import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.recourse.Ball;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L1Ball;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.recourse.LInfBall;
import dev.recourse.core.recourse.MahalanobisBall;
import dev.recourse.core.recourse.OroProblem;
import dev.recourse.core.recourse.OroSolver;
import dev.recourse.core.recourse.OroSolvers;
import dev.recourse.core.recourse.ReferenceOro;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.config.InputException;

/**
 * One single-arm ORO instance as {@code recourse oro} reads it: {@code x}, {@code mutable},
 * {@code theta_hat}, {@code V} (the design matrix, not its inverse: row-major flat or nested rows),
 * {@code rho}, {@code gamma}, {@code norm} (l2, l1, linf, wlinf, mahalanobis) with {@code weights}
 * (wlinf), {@code sigma} (mahalanobis), optional {@code lower}/{@code upper} bounds per mutable
 * feature (null for none), {@code tol} and {@code max_iter} (CD).
 */
public final class OroInstance {

  final String name;
  final double[] x;
  final int[] mutable;
  final double[] thetaHat;
  final double[] vInv;
  final double rho;
  final FeasibleSet set;
  final double tolerance;
  final int maxIterations;

  OroInstance(String name, double[] x, int[] mutable, double[] thetaHat, double[] vInv, double rho, FeasibleSet set,
              double tolerance, int maxIterations) {
    this.name = name;
    this.x = x;
    this.mutable = mutable;
    this.thetaHat = thetaHat;
    this.vInv = vInv;
    this.rho = rho;
    this.set = set;
    this.tolerance = tolerance;
    this.maxIterations = maxIterations;
  }

  /** The instance's context x (read only). */
  public double[] context() {
    return x;
  }

  public String name() {
    return name;
  }

  public int dim() {
    return x.length;
  }

  public int mutableDim() {
    return mutable.length;
  }

  public String normName() {
    return set.ball().name();
  }

  /** A loaded problem for this instance (fresh workspace). */
  public OroProblem load() {
    FeasibleSet own = set.copy();
    own.prepare(x);
    OroProblem p = new OroProblem(own, Kernels.get());
    p.load(x, thetaHat, 0, vInv, 0, rho);
    return p;
  }

  /** The solver named {@code cd}, {@code exact} or {@code reference}; exact throws where none exists. */
  public OroSolver solver(String kind) {
    return switch (kind) {
      case "cd" -> new CoordinateDescentOro(mutable.length, tolerance, maxIterations);
      case "reference" -> new ReferenceOro(mutable.length);
      case "exact" -> {
        try {
          yield OroSolvers.create(set, OroSolvers.Choice.EXACT, tolerance, maxIterations);
        } catch (IllegalArgumentException e) {
          throw new InputException(name + ": " + e.getMessage());
        }
      }
      default -> throw new InputException("unknown solver '" + kind + "' (cd, exact, reference)");
    };
  }

  /** Whether {@link #solver(String) exact} exists for this instance. */
  public boolean hasExact() {
    return OroSolvers.hasExact(set);
  }

  /** The norms an instance can name, in the order messages list them. */
  public static final java.util.List<String> NORMS = java.util.List.of("l2", "l1", "linf", "wlinf", "mahalanobis");

  /** The problem with a norm not in {@link #NORMS}. */
  public static String unknownNorm(String norm) {
    return "unknown norm '" + norm + "' (" + String.join(", ", NORMS) + ")";
  }

  /**
   * A random instance for solver studies: d = d_M + 2 (two immutable features), x, θ̂ ~ N(0, I),
   * V = I + Σ of up to 3d random outer products, ρ and γ uniform in [0.5, 3], no bounds.
   */
  public static OroInstance random(java.util.random.RandomGenerator rng, int dimM, String norm, int index) {
    int dim = dimM + 2;
    double[] x = new double[dim];
    double[] theta = new double[dim];
    for (int i = 0; i < dim; i++) {
      x[i] = rng.nextGaussian();
      theta[i] = rng.nextGaussian();
    }
    double[] v = new double[dim * dim];
    for (int i = 0; i < dim; i++) {
      v[i * dim + i] = 1.0;
    }
    int n = rng.nextInt(3 * dim + 1);
    double[] z = new double[dim];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < dim; i++) {
        z[i] = rng.nextGaussian();
      }
      for (int i = 0; i < dim; i++) {
        for (int j = 0; j < dim; j++) {
          v[i * dim + j] += z[i] * z[j];
        }
      }
    }
    CholeskyOps.factor(v, 0, dim);
    double[] vInv = new double[dim * dim];
    CholeskyOps.inverseFromFactor(v, 0, dim, vInv, 0, new double[dim * dim], 0);
    double gamma = rng.nextDouble(0.5, 3);
    int[] mutable = new int[dimM];
    for (int k = 0; k < dimM; k++) {
      mutable[k] = k + 2;
    }
    Ball ball = switch (norm) {
      case "l2" -> new L2Ball(dimM, gamma);
      case "l1" -> new L1Ball(dimM, gamma);
      case "linf" -> new LInfBall(dimM, gamma);
      case "wlinf" -> {
        double[] w = new double[dimM];
        for (int k = 0; k < dimM; k++) {
          w[k] = rng.nextDouble(0.5, 2);
        }
        yield new LInfBall(dimM, gamma, w);
      }
      case "mahalanobis" -> {
        double[] sigma = new double[dimM * dimM];
        for (int k = 0; k < dimM; k++) {
          sigma[k * dimM + k] = 0.5;
        }
        for (int s = 0; s < dimM + 1; s++) {
          for (int i = 0; i < dimM; i++) {
            z[i] = rng.nextDouble(-1, 1);
          }
          for (int i = 0; i < dimM; i++) {
            for (int j = 0; j < dimM; j++) {
              sigma[i * dimM + j] += z[i] * z[j];
            }
          }
        }
        yield new MahalanobisBall(dimM, gamma, sigma);
      }
      default -> throw new InputException(unknownNorm(norm));
    };
    return new OroInstance("random " + index, x, mutable, theta, vInv, rng.nextDouble(0.5, 3),
        new FeasibleSet(dim, mutable, ball), CoordinateDescentOro.DEFAULT_TOLERANCE,
        CoordinateDescentOro.DEFAULT_MAX_ITERATIONS);
  }

  /** Parses and validates one instance; errors name the instance and the key. */
  public static OroInstance parse(ConfigNode node) {
    String name = node.text("name", node.path());
    double[] x = node.numbers("x");
    int dim = x.length;
    if (dim == 0) {
      throw node.error("x", "must hold at least one number");
    }
    int[] mutable = node.integers("mutable");
    if (mutable.length == 0) {
      throw node.error("mutable", "must name at least one feature index");
    }
    double[] theta = node.numbers("theta_hat");
    if (theta.length != dim) {
      throw node.error("theta_hat", "has " + theta.length + " values, x has " + dim);
    }
    double[] v = node.matrix("V", dim);
    checkSymmetric(v, dim, node, "V");
    double[] vInv = new double[dim * dim];
    double[] factor = v.clone();
    if (!CholeskyOps.factor(factor, 0, dim)) {
      throw node.error("V", "is not symmetric positive definite");
    }
    CholeskyOps.inverseFromFactor(factor, 0, dim, vInv, 0, new double[dim * dim], 0);
    node.requiredNumber("rho", "the confidence radius");
    double rho = node.nonNegative("rho", Double.NaN);
    node.requiredNumber("gamma", "the ball's radius");
    double gamma = node.nonNegative("gamma", Double.NaN);
    int dimM = mutable.length;
    String norm = node.requiredText("norm");
    Ball ball;
    try {
      ball = switch (norm) {
        case "l2" -> new L2Ball(dimM, gamma);
        case "l1" -> new L1Ball(dimM, gamma);
        case "linf" -> new LInfBall(dimM, gamma);
        case "wlinf" -> {
          double[] w = node.numbers("weights");
          if (w.length != dimM) {
            throw node.error("weights", "must have " + dimM + " values (one per mutable feature), got " + w.length);
          }
          yield new LInfBall(dimM, gamma, w);
        }
        case "mahalanobis" -> {
          double[] sigma = node.matrix("sigma", dimM);
          checkSymmetric(sigma, dimM, node, "sigma");
          yield new MahalanobisBall(dimM, gamma, sigma);
        }
        default -> throw node.error("norm", unknownNorm(norm));
      };
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
    double[] lower = node.has("lower") ? bounds(node.numbersOrNone("lower", dimM), Double.NEGATIVE_INFINITY) : null;
    double[] upper = node.has("upper") ? bounds(node.numbersOrNone("upper", dimM), Double.POSITIVE_INFINITY) : null;
    if (lower != null || upper != null) {
      if (lower == null) {
        lower = filled(dimM, Double.NEGATIVE_INFINITY);
      }
      if (upper == null) {
        upper = filled(dimM, Double.POSITIVE_INFINITY);
      }
    }
    FeasibleSet set;
    try {
      set = new FeasibleSet(dim, mutable, ball, lower, upper);
      set.copy().prepare(x);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
    double tol = node.nonNegative("tol", CoordinateDescentOro.DEFAULT_TOLERANCE);
    int maxIter = node.integerAtLeast("max_iter", CoordinateDescentOro.DEFAULT_MAX_ITERATIONS, 1);
    node.finish();
    return new OroInstance(name, x, mutable, theta, vInv, rho, set, tol, maxIter);
  }

  private static double[] bounds(double[] values, double none) {
    for (int i = 0; i < values.length; i++) {
      if (Double.isNaN(values[i])) {
        values[i] = none;
      }
    }
    return values;
  }

  /**
   * Relative tolerance of the symmetry check: |V[i][j] − V[j][i]| ≤ {@value} · max|V|. The Cholesky
   * factorisation reads one triangle only, so an asymmetric V would silently become another matrix.
   */
  public static final double SYMMETRY_TOLERANCE = 1e-9;

  private static void checkSymmetric(double[] m, int n, ConfigNode node, String key) {
    double scale = 0;
    for (double e : m) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (!(Math.abs(m[i * n + j] - m[j * n + i]) <= SYMMETRY_TOLERANCE * scale)) {
          throw node.error(key, "must be symmetric: [" + i + "][" + j + "] = " + m[i * n + j] + " but ["
              + j + "][" + i + "] = " + m[j * n + i] + " (tolerance " + SYMMETRY_TOLERANCE + " x the largest |entry|)");
        }
      }
    }
  }

  private static double[] filled(int n, double v) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, v);
    return a;
  }
}
