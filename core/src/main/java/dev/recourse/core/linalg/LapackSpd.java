package dev.recourse.core.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Inverse of a symmetric positive-definite block through LAPACK ({@code dpotrf} + {@code dpotri}) from
 * {@code dev.ludovic.netlib}: the reference for {@link CholeskyOps} and the alternative refresh path.
 * A symmetric row-major matrix is its own column-major transpose, so the LAPACK lower triangle is our
 * upper triangle; the result is mirrored to fill both.
 */
public final class LapackSpd {

  private static final LAPACK LAPACK_INSTANCE = LAPACK.getInstance();

  private LapackSpd() {}

  /** Name of the LAPACK implementation in use (Java port or native), for result headers. */
  public static String implementation() {
    return LAPACK_INSTANCE.getClass().getSimpleName();
  }

  /**
   * Copies the {@code n×n} block at {@code off} to {@code out} at {@code outOff} and inverts it there.
   * Returns {@code false} if the matrix is not positive definite.
   */
  public static boolean invert(double[] a, int off, int n, double[] out, int outOff) {
    System.arraycopy(a, off, out, outOff, n * n);
    intW info = new intW(0);
    LAPACK_INSTANCE.dpotrf("L", n, out, outOff, n, info);
    if (info.val != 0) {
      return false;
    }
    LAPACK_INSTANCE.dpotri("L", n, out, outOff, n, info);
    if (info.val != 0) {
      return false;
    }
    // Column-major lower == row-major upper: copy it down to make the block full.
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        out[outOff + i * n + j] = out[outOff + j * n + i];
      }
    }
    return true;
  }
}
