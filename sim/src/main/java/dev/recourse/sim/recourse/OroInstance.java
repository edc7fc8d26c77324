package dev.recourse.sim.recourse;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Iterator;
import java.util.Set;

/**
 * One single-arm ORO instance as {@code recourse oro} reads it: {@code x}, {@code mutable},
 * {@code theta_hat}, {@code V} (the design matrix, not its inverse: row-major flat or nested rows),
 * {@code rho}, {@code gamma}, {@code norm} (l2, l1, linf, wlinf, mahalanobis) with {@code weights}
 * (wlinf), {@code sigma} (mahalanobis), optional {@code lower}/{@code upper} bounds per mutable
 * feature (null for none), {@code tol} and {@code max_iter} (CD).
 */
public final class OroInstance {

  private static final Set<String> KEYS = Set.of("x", "mutable", "theta_hat", "V", "rho", "gamma", "norm",
      "weights", "sigma", "lower", "upper", "tol", "max_iter", "name");

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
      default -> throw new InputException("unknown norm '" + norm + "' (l2, l1, linf, wlinf, mahalanobis)");
    };
    return new OroInstance("random " + index, x, mutable, theta, vInv, rng.nextDouble(0.5, 3),
        new FeasibleSet(dim, mutable, ball), CoordinateDescentOro.DEFAULT_TOLERANCE,
        CoordinateDescentOro.DEFAULT_MAX_ITERATIONS);
  }

  /** Parses and validates one instance; errors name the instance and the key. */
  public static OroInstance parse(JsonNode node, int index) {
    String where = "instance " + index;
    if (node == null || !node.isObject()) {
      throw new InputException(where + ": expected a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KEYS.contains(key)) {
        throw new InputException(where + ": unknown key '" + key + "' (known: " + new java.util.TreeSet<>(KEYS) + ")");
      }
    }
    String name = node.hasNonNull("name") ? node.get("name").asText() : where;
    double[] x = vector(node, "x", where);
    int dim = x.length;
    int[] mutable = indices(node, where);
    double[] theta = vector(node, "theta_hat", where);
    if (theta.length != dim) {
      throw new InputException(where + ": 'theta_hat' has " + theta.length + " values, 'x' has " + dim);
    }
    double[] v = matrix(node, "V", dim, where);
    checkSymmetric(v, dim, where + ": 'V'");
    double[] vInv = new double[dim * dim];
    double[] factor = v.clone();
    if (!CholeskyOps.factor(factor, 0, dim)) {
      throw new InputException(where + ": 'V' is not symmetric positive definite");
    }
    CholeskyOps.inverseFromFactor(factor, 0, dim, vInv, 0, new double[dim * dim], 0);
    double rho = number(node, "rho", where, null);
    double gamma = number(node, "gamma", where, null);
    if (!(rho >= 0)) {
      throw new InputException(where + ": 'rho' must be >= 0, got " + rho);
    }
    if (!(gamma >= 0)) {
      throw new InputException(where + ": 'gamma' must be >= 0, got " + gamma);
    }
    int dimM = mutable.length;
    String norm = node.hasNonNull("norm") ? node.get("norm").asText() : null;
    if (norm == null) {
      throw new InputException(where + ": missing key 'norm' (l2, l1, linf, wlinf, mahalanobis)");
    }
    Ball ball;
    try {
      ball = switch (norm) {
        case "l2" -> new L2Ball(dimM, gamma);
        case "l1" -> new L1Ball(dimM, gamma);
        case "linf" -> new LInfBall(dimM, gamma);
        case "wlinf" -> new LInfBall(dimM, gamma, vectorOfLength(node, "weights", dimM, where));
        case "mahalanobis" -> new MahalanobisBall(dimM, gamma, matrix(node, "sigma", dimM, where));
        default -> throw new InputException(where + ": unknown norm '" + norm + "' (l2, l1, linf, wlinf, mahalanobis)");
      };
    } catch (IllegalArgumentException e) {
      throw new InputException(where + ": " + e.getMessage());
    }
    double[] lower = node.hasNonNull("lower") ? vectorOfLength(node, "lower", dimM, where) : null;
    double[] upper = node.hasNonNull("upper") ? vectorOfLength(node, "upper", dimM, where) : null;
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
      throw new InputException(where + ": " + e.getMessage());
    }
    double tol = number(node, "tol", where, CoordinateDescentOro.DEFAULT_TOLERANCE);
    int maxIter = (int) number(node, "max_iter", where, (double) CoordinateDescentOro.DEFAULT_MAX_ITERATIONS);
    if (!(tol >= 0) || maxIter < 1) {
      throw new InputException(where + ": 'tol' must be >= 0 and 'max_iter' >= 1, got " + tol + ", " + maxIter);
    }
    return new OroInstance(name, x, mutable, theta, vInv, rho, set, tol, maxIter);
  }

  /**
   * Relative tolerance of the symmetry check: |V[i][j] − V[j][i]| ≤ {@value} · max|V|. The Cholesky
   * factorisation reads one triangle only, so an asymmetric V would silently become another matrix.
   */
  public static final double SYMMETRY_TOLERANCE = 1e-9;

  private static void checkSymmetric(double[] m, int n, String what) {
    double scale = 0;
    for (double e : m) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (!(Math.abs(m[i * n + j] - m[j * n + i]) <= SYMMETRY_TOLERANCE * scale)) {
          throw new InputException(what + " must be symmetric: [" + i + "][" + j + "] = " + m[i * n + j] + " but ["
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

  private static double number(JsonNode node, String key, String where, Double fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      if (fallback == null) {
        throw new InputException(where + ": missing key '" + key + "'");
      }
      return fallback;
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw new InputException(where + ": '" + key + "' must be a finite number, got " + v);
    }
    return v.asDouble();
  }

  private static double[] vector(JsonNode node, String key, String where) {
    JsonNode v = node.get(key);
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw new InputException(where + ": '" + key + "' must be a non-empty array of numbers");
    }
    double[] out = new double[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = v.get(i);
      if (e == null || e.isNull()) {
        if (!key.equals("lower") && !key.equals("upper")) {
          throw new InputException(where + ": '" + key + "'[" + i + "] must be a finite number, got null");
        }
        out[i] = Double.NaN;
      } else if (!e.isNumber() || !Double.isFinite(e.asDouble())) {
        throw new InputException(where + ": '" + key + "'[" + i + "] must be a finite number, got " + e);
      } else {
        out[i] = e.asDouble();
      }
    }
    return out;
  }

  private static double[] vectorOfLength(JsonNode node, String key, int n, String where) {
    if (!node.hasNonNull(key)) {
      throw new InputException(where + ": missing key '" + key + "' (" + n + " values)");
    }
    double[] v = vector(node, key, where);
    if (v.length != n) {
      throw new InputException(where + ": '" + key + "' must have " + n + " values, got " + v.length);
    }
    boolean bounds = key.equals("lower") || key.equals("upper");
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(v[i])) {
        if (!bounds) {
          throw new InputException(where + ": '" + key + "'[" + i + "] must be a number");
        }
        v[i] = key.equals("lower") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      }
    }
    return v;
  }

  /** A d×d matrix, flat row-major or as d rows. */
  private static double[] matrix(JsonNode node, String key, int n, String where) {
    JsonNode v = node.get(key);
    if (v == null || !v.isArray()) {
      throw new InputException(where + ": missing key '" + key + "' (a " + n + "x" + n + " matrix)");
    }
    double[] out = new double[n * n];
    if (v.size() == n && v.get(0).isArray()) {
      for (int r = 0; r < n; r++) {
        JsonNode row = v.get(r);
        if (!row.isArray() || row.size() != n) {
          throw new InputException(where + ": '" + key + "' row " + r + " must have " + n + " values");
        }
        for (int c = 0; c < n; c++) {
          if (!row.get(c).isNumber()) {
            throw new InputException(where + ": '" + key + "'[" + r + "][" + c + "] must be a number");
          }
          out[r * n + c] = row.get(c).asDouble();
        }
      }
      return out;
    }
    if (v.size() != n * n) {
      throw new InputException(where + ": '" + key + "' must be " + n + "x" + n + " (" + n * n + " values), got "
          + v.size() + " values");
    }
    for (int i = 0; i < n * n; i++) {
      if (!v.get(i).isNumber()) {
        throw new InputException(where + ": '" + key + "'[" + i + "] must be a number");
      }
      out[i] = v.get(i).asDouble();
    }
    return out;
  }

  private static int[] indices(JsonNode node, String where) {
    JsonNode v = node.get("mutable");
    if (v == null || !v.isArray() || v.isEmpty()) {
      throw new InputException(where + ": 'mutable' must be a non-empty array of feature indices");
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      if (!v.get(i).canConvertToInt() || !v.get(i).isIntegralNumber()) {
        throw new InputException(where + ": 'mutable'[" + i + "] must be an integer index, got " + v.get(i));
      }
      out[i] = v.get(i).asInt();
    }
    return out;
  }
}
