package dev.recourse.core.linalg;

/**
 * Eigen-decomposition {@code A = U·diag(λ)·Uᵀ} of a small symmetric {@code n×n} block (row-major, at an
 * offset) by the cyclic Jacobi method: each rotation zeroes one off-diagonal pair, and the sum of
 * squares off the diagonal falls quadratically once it is small. Chosen for the per-arm preparation of
 * the exact ℓ2 ORO solver (spec oro-exact-l2.md, "Cost"), whose blocks are d_M×d_M with d_M = 2–20
 * in the paper's studies: no allocation, no library call, and eigenvalues accurate to a few units of
 * roundoff of {@code ‖A‖_F} (all the certificate needs; the small-radius regime of the spec is handled
 * by its caller). Stateless; outputs and workspace are passed in by the caller.
 */
public final class SymmetricEigen {

  /** Sweeps before giving up; random blocks up to n = 100 need 6–10. */
  public static final int MAX_SWEEPS = 60;

  private SymmetricEigen() {}

  /**
   * Decomposes the symmetric block {@code a[aOff..aOff+n²)} (read only; only its upper triangle is
   * read, the lower is taken as its mirror). Writes the eigenvalues in ascending order into
   * {@code values[0..n)} and the matching unit eigenvectors as the columns of {@code vectors}
   * (row-major {@code n×n}: {@code vectors[i·n + j]} is component i of eigenvector j). {@code work}
   * needs {@code n²} doubles. Returns the number of sweeps used, or {@code -1} if the off-diagonal
   * mass did not fall to roundoff level within {@value #MAX_SWEEPS} sweeps (the result is then the
   * last iterate, still an orthogonal similarity of {@code A}).
   */
  public static int decompose(double[] a, int aOff, int n, double[] values, double[] vectors, double[] work) {
    if (n < 1 || values.length < n || vectors.length < n * n || work.length < n * n) {
      throw new IllegalArgumentException("decompose needs n >= 1 and arrays of n = " + n + " values, n² vectors and n² work");
    }
    double frobSq = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double v = a[aOff + i * n + j];
        work[i * n + j] = v;
        work[j * n + i] = v;
        frobSq += i == j ? v * v : 2 * v * v;
      }
    }
    for (int i = 0; i < n * n; i++) {
      vectors[i] = 0.0;
    }
    for (int i = 0; i < n; i++) {
      vectors[i * n + i] = 1.0;
    }
    // Stop once the off-diagonal mass is below (ε/8)²·‖A‖²_F: the eigenvalues are then exact to
    // within the roundoff the rotations themselves commit (Wilkinson's bound for Jacobi).
    double stop = 0x1p-112 * frobSq;
    int sweeps = -1;
    for (int sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          double v = work[p * n + q];
          off += v * v;
        }
      }
      if (off <= stop || off == 0) {
        sweeps = sweep - 1;
        break;
      }
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          rotate(work, vectors, n, p, q);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      values[i] = work[i * n + i];
    }
    sortAscending(values, vectors, n);
    return sweeps;
  }

  /** One Jacobi rotation in the (p, q) plane that zeroes {@code work[p][q]}; accumulates it in {@code vec}. */
  private static void rotate(double[] work, double[] vec, int n, int p, int q) {
    double apq = work[p * n + q];
    if (apq == 0) {
      return;
    }
    double app = work[p * n + p];
    double aqq = work[q * n + q];
    // t = tan φ, the root of t² + 2tθ − 1 = 0 of smaller modulus (rotation angle ≤ π/4): with it the
    // diagonal moves by exactly ±t·a_pq and the rotation stays accurate however small a_pq is.
    double theta = (aqq - app) / (2 * apq);
    double t;
    if (Math.abs(theta) > 1e150) {
      t = 0.5 / theta; // θ² would overflow; 1/(2θ) is the root to full precision there
    } else {
      t = Math.copySign(1.0, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1.0));
    }
    double c = 1.0 / Math.sqrt(t * t + 1.0);
    double s = t * c;
    work[p * n + p] = app - t * apq;
    work[q * n + q] = aqq + t * apq;
    work[p * n + q] = 0.0;
    work[q * n + p] = 0.0;
    for (int r = 0; r < n; r++) {
      if (r != p && r != q) {
        double arp = work[r * n + p];
        double arq = work[r * n + q];
        double np = c * arp - s * arq;
        double nq = s * arp + c * arq;
        work[r * n + p] = np;
        work[p * n + r] = np;
        work[r * n + q] = nq;
        work[q * n + r] = nq;
      }
      double vrp = vec[r * n + p];
      double vrq = vec[r * n + q];
      vec[r * n + p] = c * vrp - s * vrq;
      vec[r * n + q] = s * vrp + c * vrq;
    }
  }

  /** Selection sort of the eigenvalues, swapping eigenvector columns along: O(n²) comparisons, ≤ n swaps. */
  private static void sortAscending(double[] values, double[] vectors, int n) {
    for (int i = 0; i < n - 1; i++) {
      int min = i;
      for (int j = i + 1; j < n; j++) {
        if (values[j] < values[min]) {
          min = j;
        }
      }
      if (min != i) {
        double v = values[i];
        values[i] = values[min];
        values[min] = v;
        for (int r = 0; r < n; r++) {
          double w = vectors[r * n + i];
          vectors[r * n + i] = vectors[r * n + min];
          vectors[r * n + min] = w;
        }
      }
    }
  }
}
