package dev.recourse.core.linalg;

/**
 * Eigen-decomposition {@code A = U·diag(λ)·Uᵀ} of a small symmetric {@code n×n} block (row-major, at an
 * offset), for the per-arm preparation of the exact ℓ2 ORO solver (spec oro-exact-l2.md, "Cost"):
 * no allocation, no library call, eigenvalues accurate to a few units of roundoff of {@code ‖A‖_F}
 * (all the certificate needs; the small-radius regime of the spec is handled by its caller).
 * <ul>
 *   <li>{@link #decompose}: Householder reduction to tridiagonal form, then implicit QL with Wilkinson
 *       shifts, ≈ 9n³ flops with the vectors; for {@code n ≤ 2} one Jacobi rotation.
 *   <li>{@link #decomposeJacobi}: cyclic Jacobi (≈ 40n³ flops at 6–8 sweeps), kept as the simple
 *       second method the tests compare against.
 * </ul>
 * Stateless; outputs and workspace are passed in by the caller.
 */
public final class SymmetricEigen {

  /** Sweeps before giving up; random blocks up to n = 100 need 6–10. */
  public static final int MAX_SWEEPS = 60;

  private SymmetricEigen() {}

  /** Workspace {@link #decompose} needs for an {@code n×n} block. */
  public static int workLength(int n) {
    return n * (n + 3);
  }

  /**
   * Decomposes the symmetric block {@code a[aOff..aOff+n²)} (read only; its upper triangle is read,
   * the lower taken as its mirror) into ascending eigenvalues {@code values[0..n)} and unit
   * eigenvectors, the columns of {@code vectors} (row-major: {@code vectors[i·n + j]} is component i of
   * eigenvector j). {@code work} needs {@link #workLength}{@code (n)} doubles. Returns the number of QL
   * iterations, or {@code -1} if one eigenvalue did not converge in 60 (never seen; the result is
   * then inaccurate).
   */
  public static int decompose(double[] a, int aOff, int n, double[] values, double[] vectors, double[] work) {
    if (n < 1 || values.length < n || vectors.length < n * n || work.length < workLength(n)) {
      throw new IllegalArgumentException("decompose needs n >= 1 and arrays of n = " + n + " values, n² vectors and n(n+3) work");
    }
    if (n <= 2) {
      return decomposeJacobi(a, aOff, n, values, vectors, work);
    }
    int nn = n * n;
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double v = a[aOff + i * n + j];
        work[i * n + j] = v;
        work[j * n + i] = v;
      }
    }
    int eOff = nn;          // subdiagonal e[i] couples d[i] and d[i+1]; e[n−1] = 0
    int betaOff = nn + n;   // Householder scalars
    int pOff = nn + 2 * n;  // scratch vector
    tridiagonalise(work, n, values, eOff, betaOff, pOff);
    accumulate(work, n, betaOff, vectors);
    int iterations = implicitQl(values, work, eOff, n, vectors);
    sortAscending(values, vectors, n);
    return iterations;
  }

  /**
   * Householder reduction {@code HᵀAH = T} in place in {@code w} (n×n, full): step k reflects the
   * column below the diagonal onto its first entry, {@code x → α·e₁}, with {@code v = x − αe₁},
   * {@code β = 2/vᵀv}, α of the sign opposite to x₀ (no cancellation), and updates the trailing block
   * {@code A₂₂ ← A₂₂ − v wᵀ − w vᵀ}, {@code w = βA₂₂v − (β²/2)(vᵀA₂₂v)v}. v stays in column k below the
   * diagonal (later steps never touch it), β in {@code w[betaOff + k]}. Writes T's diagonal to
   * {@code d} and its subdiagonal to {@code w[eOff..)}.
   */
  private static void tridiagonalise(double[] w, int n, double[] d, int eOff, int betaOff, int pOff) {
    for (int k = 0; k < n - 2; k++) {
      double x0 = w[(k + 1) * n + k];
      double normSq = 0;
      for (int i = k + 1; i < n; i++) {
        double xi = w[i * n + k];
        normSq += xi * xi;
      }
      double tailSq = normSq - x0 * x0;
      if (!(tailSq > 0)) { // already tridiagonal in this column: no reflection
        w[betaOff + k] = 0;
        w[eOff + k] = x0;
        continue;
      }
      double alpha = -Math.copySign(Math.sqrt(normSq), x0);
      double v0 = x0 - alpha;
      w[(k + 1) * n + k] = v0;
      double beta = 1.0 / (alpha * (alpha - x0)); // 2/vᵀv, vᵀv = 2α(α − x₀)
      w[betaOff + k] = beta;
      w[eOff + k] = alpha;
      double pv = 0;
      for (int i = k + 1; i < n; i++) { // p = βA₂₂v
        double s = 0;
        int row = i * n;
        for (int j = k + 1; j < n; j++) {
          s += w[row + j] * w[j * n + k];
        }
        s *= beta;
        w[pOff + i] = s;
        pv += s * w[i * n + k];
      }
      double half = 0.5 * beta * pv;
      for (int i = k + 1; i < n; i++) { // w = p − (β/2)(pᵀv)v, in place of p
        w[pOff + i] -= half * w[i * n + k];
      }
      for (int i = k + 1; i < n; i++) {
        double vi = w[i * n + k];
        double wi = w[pOff + i];
        int row = i * n;
        for (int j = k + 1; j < n; j++) {
          w[row + j] -= vi * w[pOff + j] + wi * w[j * n + k];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      d[i] = w[i * n + i];
    }
    w[eOff + n - 2] = w[(n - 1) * n + n - 2];
    w[eOff + n - 1] = 0;
  }

  /**
   * {@code Q = H₀H₁⋯H_{n−3}} into {@code q}, accumulated backwards ({@code Q ← H_k Q} from the last
   * reflection): each product then touches only the trailing block where Q is not yet the identity.
   */
  private static void accumulate(double[] w, int n, int betaOff, double[] q) {
    for (int i = 0; i < n * n; i++) {
      q[i] = 0;
    }
    for (int i = 0; i < n; i++) {
      q[i * n + i] = 1;
    }
    for (int k = n - 3; k >= 0; k--) {
      double beta = w[betaOff + k];
      if (beta == 0) {
        continue;
      }
      for (int j = k + 1; j < n; j++) {
        double s = 0;
        for (int i = k + 1; i < n; i++) {
          s += w[i * n + k] * q[i * n + j];
        }
        s *= beta;
        for (int i = k + 1; i < n; i++) {
          q[i * n + j] -= s * w[i * n + k];
        }
      }
    }
  }

  /**
   * Implicit QL with Wilkinson's shift on the tridiagonal (d, e) (e at {@code e[eOff..)}), applying
   * every rotation to the columns of {@code z}: for each l, chase a bulge up from the first negligible
   * subdiagonal m below l until {@code e[l]} is negligible against its neighbours' diagonal.
   */
  private static int implicitQl(double[] d, double[] e, int eOff, int n, double[] z) {
    int total = 0;
    for (int l = 0; l < n; l++) {
      int iter = 0;
      while (true) {
        int m = l;
        while (m < n - 1) {
          double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
          if (Math.abs(e[eOff + m]) + dd == dd) {
            break;
          }
          m++;
        }
        if (m == l) {
          break;
        }
        if (++iter > 60) {
          return -1;
        }
        total++;
        double g = (d[l + 1] - d[l]) / (2.0 * e[eOff + l]);
        double r = norm2(g, 1.0);
        g = d[m] - d[l] + e[eOff + l] / (g + Math.copySign(r, g));
        double s = 1;
        double c = 1;
        double p = 0;
        boolean deflated = false;
        for (int i = m - 1; i >= l; i--) {
          double f = s * e[eOff + i];
          double b = c * e[eOff + i];
          r = norm2(f, g);
          e[eOff + i + 1] = r;
          if (r == 0) { // underflow: split the matrix here and restart
            d[i + 1] -= p;
            e[eOff + m] = 0;
            deflated = true;
            break;
          }
          s = f / r;
          c = g / r;
          g = d[i + 1] - p;
          r = (d[i] - g) * s + 2.0 * c * b;
          p = s * r;
          d[i + 1] = g + p;
          g = c * r - b;
          for (int k = 0; k < n; k++) {
            int row = k * n;
            double zi1 = z[row + i + 1];
            double zi = z[row + i];
            z[row + i + 1] = s * zi + c * zi1;
            z[row + i] = c * zi - s * zi1;
          }
        }
        if (deflated) {
          continue;
        }
        d[l] -= p;
        e[eOff + l] = g;
        e[eOff + m] = 0;
      }
    }
    return total;
  }

  /** {@code sqrt(a² + b²)}, falling back to {@link Math#hypot} only where the squares would over/underflow. */
  private static double norm2(double a, double b) {
    double h = Math.sqrt(a * a + b * b);
    return h > 1e-150 && h < 1e150 ? h : Math.hypot(a, b);
  }

  /**
   * Cyclic Jacobi: decomposes the symmetric block {@code a[aOff..aOff+n²)} (read only; only its upper triangle is
   * read, the lower is taken as its mirror). Writes the eigenvalues in ascending order into
   * {@code values[0..n)} and the matching unit eigenvectors as the columns of {@code vectors}
   * (row-major {@code n×n}: {@code vectors[i·n + j]} is component i of eigenvector j). {@code work}
   * needs {@code n²} doubles. Returns the number of sweeps used, or {@code -1} if the off-diagonal
   * mass did not fall to roundoff level within {@value #MAX_SWEEPS} sweeps (the result is then the
   * last iterate, still an orthogonal similarity of {@code A}).
   */
  public static int decomposeJacobi(double[] a, int aOff, int n, double[] values, double[] vectors, double[] work) {
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
