package dev.recourse.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.linalg.LapackSpd;
import dev.recourse.core.model.RidgeArms.RefreshMethod;
import dev.recourse.core.reference.NaiveLinalg;
import dev.recourse.core.reference.StateWords;
import dev.recourse.core.simd.Kernels;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RidgeArmsTest {

  private static final int DIM = 12;
  private static final int ARMS = 3;

  /** Batch ridge solution (λI + XᵀX)⁻¹ Xᵀr from scratch, by Gauss–Jordan. */
  private static double[] batchRidge(double[][] xs, double[] rs, int n, double lambda, int dim) {
    double[] v = new double[dim * dim];
    double[] b = new double[dim];
    for (int i = 0; i < dim; i++) {
      v[i * dim + i] = lambda;
    }
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < dim; i++) {
        b[i] += rs[s] * xs[s][i];
        for (int j = 0; j < dim; j++) {
          v[i * dim + j] += xs[s][i] * xs[s][j];
        }
      }
    }
    return NaiveLinalg.multiply(NaiveLinalg.inverse(v, dim), dim, b);
  }

  @ParameterizedTest
  @EnumSource(RefreshMethod.class)
  void hundredThousandUpdatesStayOnTheFreshFactorisationAndTheBatchSolution(RefreshMethod method) {
    int n = 100_000;
    RidgeArms arms = new RidgeArms(ARMS, DIM, 1.0, RidgeArms.DEFAULT_REFRESH_EVERY, method, Kernels.get());
    SplittableRandom rng = new SplittableRandom(42);
    double[] truth = new double[DIM];
    for (int i = 0; i < DIM; i++) {
      truth[i] = rng.nextDouble(-1, 1);
    }
    double[][] xs = new double[n][DIM];
    double[] rs = new double[n];
    int arm = 1;
    for (int s = 0; s < n; s++) {
      double m = 0;
      for (int i = 0; i < DIM; i++) {
        xs[s][i] = rng.nextGaussian() * (i + 1) / DIM; // unequal scales: a less trivial conditioning
        m += truth[i] * xs[s][i];
      }
      rs[s] = m + rng.nextGaussian();
      arms.update(arm, xs[s], 0, rs[s]);
    }
    assertEquals(n, arms.count(arm));

    double[] gram = new double[DIM * DIM];
    arms.copyGram(arm, gram, 0);
    double[] fresh = new double[DIM * DIM];
    assertTrue(LapackSpd.invert(gram, 0, DIM, fresh, 0));
    double[] vInv = Arrays.copyOfRange(arms.vInv(), arms.blockOffset(arm), arms.blockOffset(arm) + DIM * DIM);
    assertTrue(NaiveLinalg.maxRelativeError(vInv, fresh) < 1e-9,
        "V⁻¹ drift " + NaiveLinalg.maxRelativeError(vInv, fresh));

    double[] ridge = batchRidge(xs, rs, n, 1.0, DIM);
    double[] theta = Arrays.copyOfRange(arms.thetaHat(), arms.vectorOffset(arm), arms.vectorOffset(arm) + DIM);
    assertTrue(NaiveLinalg.maxRelativeError(theta, ridge) < 1e-9,
        "θ̂ vs batch ridge " + NaiveLinalg.maxRelativeError(theta, ridge));

    // Untouched arms keep their prior.
    double[] prior = Arrays.copyOfRange(arms.vInv(), 0, DIM * DIM);
    for (int i = 0; i < DIM; i++) {
      assertEquals(1.0, prior[i * DIM + i], 0.0);
    }
  }

  /**
   * With the packed triangles as the state (LinUCB's): the vector path (d = 20) and the scalar one
   * (d = 13), with refreshes and without, stay on the batch solution; {@link RidgeArms#vInv()} is brought
   * up to the triangle, both halves equal; an export and import carries the state exactly.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"20, 1024, 20000", "13, 1024, 20000", "20, 0, 500", "13, 0, 500"})
  void packedTrianglesTrackTheBatchSolution(int dim, int refreshEvery, int n) {
    RidgeArms arms = new RidgeArms(2, dim, 1.5, refreshEvery, RefreshMethod.CHOLESKY, Kernels.get());
    arms.keepPackedUpper();
    assertTrue(arms.packedOnly());
    SplittableRandom rng = new SplittableRandom(dim * 31L + refreshEvery);
    double[][] xs = new double[n][dim];
    double[] rs = new double[n];
    for (int s = 0; s < n; s++) {
      double m = 0;
      for (int i = 0; i < dim; i++) {
        xs[s][i] = rng.nextGaussian() * (i + 1) / dim;
        m += xs[s][i] * (i % 3 - 1);
      }
      rs[s] = m + rng.nextGaussian();
      arms.update(1, xs[s], 0, rs[s]);
    }
    double[] gram = new double[dim * dim];
    arms.copyGram(1, gram, 0);
    double[] fresh = NaiveLinalg.inverse(gram, dim);
    double[] vInv = Arrays.copyOfRange(arms.vInv(), arms.blockOffset(1), arms.blockOffset(1) + dim * dim);
    double tol = refreshEvery > 0 ? 1e-9 : 1e-11;
    assertTrue(NaiveLinalg.maxRelativeError(vInv, fresh) < tol, "V⁻¹ drift " + NaiveLinalg.maxRelativeError(vInv, fresh));
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < i; j++) {
        assertEquals(vInv[j * dim + i], vInv[i * dim + j], 0.0, "vInv() not symmetric at " + i + "," + j);
      }
    }
    double[] theta = Arrays.copyOfRange(arms.thetaHat(), arms.vectorOffset(1), arms.vectorOffset(1) + dim);
    double[] ridge = batchRidge(xs, rs, n, 1.5, dim);
    assertTrue(NaiveLinalg.maxRelativeError(theta, ridge) < tol, "θ̂ vs batch " + NaiveLinalg.maxRelativeError(theta, ridge));
    assertEquals(1.0 / 1.5, arms.vInv()[0], 0.0, "arm 0 keeps its prior");

    // Export arm 1, import it into a fresh packed model: the next update lands on the same bits.
    double[] x = xs[0];
    RidgeArms copy = new RidgeArms(2, dim, 1.5, refreshEvery, RefreshMethod.CHOLESKY, Kernels.get());
    copy.keepPackedUpper();
    java.util.List<Object> words = new java.util.ArrayList<>();
    arms.exportArm(1, new RecordingSink(words));
    copy.importArm(1, new ReplayingSource(words));
    arms.update(1, x, 0, 0.25);
    copy.update(1, x, 0, 0.25);
    // Entries on and right of the diagonal (those left of it in a row's first chunk are never read).
    for (int i = 0; i < dim; i++) {
      int row = copy.packedStride() + dev.recourse.core.simd.DoubleKernels.upperRowOffset(dim, i) - (i & -4);
      for (int j = i; j < dim; j++) {
        assertEquals(arms.packedVInv()[row + j], copy.packedVInv()[row + j], 0.0, "packed V⁻¹ after import at " + i + "," + j);
      }
    }
    assertArrayEquals(arms.thetaHat(), copy.thetaHat(), 0.0);
  }

  @Test
  void withoutRefreshTheShermanMorrisonChainStillTracksTheBatchSolution() {
    RidgeArms arms = new RidgeArms(1, 5, 2.0, 0, RefreshMethod.CHOLESKY, Kernels.get());
    SplittableRandom rng = new SplittableRandom(3);
    int n = 500;
    double[][] xs = new double[n][5];
    double[] rs = new double[n];
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < 5; i++) {
        xs[s][i] = rng.nextGaussian();
      }
      rs[s] = rng.nextGaussian();
      arms.update(0, xs[s], 0, rs[s]);
    }
    double[] theta = Arrays.copyOf(arms.thetaHat(), 5);
    assertTrue(NaiveLinalg.maxRelativeError(theta, batchRidge(xs, rs, n, 2.0, 5)) < 1e-11);
  }

  /**
   * A context entry or reward so large that x xᵀ or reward·x overflows used to be absorbed silently (V
   * and b infinite, the update a no-op while the count went up); it is refused before any change, and
   * the limit itself is learnt from.
   */
  @Test
  void magnitudesThatWouldOverflowAreRejectedBeforeAnyChange() {
    RidgeArms arms = new RidgeArms(2, 3, 1.0);
    arms.update(0, new double[] {1, 2, 3}, 0, 1.0);
    long[] before = StateWords.of(arms);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> arms.update(1, new double[] {1, 1e160, 3}, 0, 1.0));
    assertTrue(e.getMessage().contains("x1") && e.getMessage().contains("1.0E160"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> arms.update(1, new double[] {1, 2, 3}, 0, -1e200));
    assertTrue(e.getMessage().startsWith("reward must be at most"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> arms.checkContext(new double[] {-1e151, 0, 0}));
    e = assertThrows(IllegalArgumentException.class, () -> arms.checkContext(new double[] {0, Double.NaN, 0}));
    assertEquals("context x1 must be finite, got NaN", e.getMessage());
    assertArrayEquals(before, StateWords.of(arms), "a refused update changes nothing");
    arms.update(1, new double[] {RidgeArms.MAX_MAGNITUDE, 0, 0}, 0, RidgeArms.MAX_MAGNITUDE);
    assertEquals(1, arms.count(1));
    for (double v : arms.thetaHat()) {
      assertTrue(Double.isFinite(v), "θ̂ stays finite at the limit");
    }
  }

  @Test
  void badInputThrowsNamingTheFieldAndLeavesStateUnchanged() {
    RidgeArms arms = new RidgeArms(2, 3, 1.0);
    arms.update(0, new double[] {1, 2, 3}, 0, 1.0);
    double[] vInvBefore = arms.vInv().clone();
    double[] thetaBefore = arms.thetaHat().clone();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> arms.update(0, new double[] {1, Double.NaN, 3}, 0, 1.0));
    assertTrue(e.getMessage().contains("x1") && e.getMessage().contains("NaN"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> arms.update(2, new double[] {1, 2, 3}, 0, 1.0));
    assertTrue(e.getMessage().contains("arm") && e.getMessage().contains("2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> arms.update(0, new double[] {1, 2}, 0, 1.0));
    assertTrue(e.getMessage().contains("context"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> arms.update(1, new double[] {1, 2, 3}, 0, Double.POSITIVE_INFINITY));
    assertTrue(e.getMessage().contains("reward"), e.getMessage());

    assertArrayEquals(vInvBefore, arms.vInv(), 0.0);
    assertArrayEquals(thetaBefore, arms.thetaHat(), 0.0);
    assertEquals(1, arms.count(0));
    assertEquals(0, arms.count(1));
  }

  @Test
  void badConfigurationIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new RidgeArms(0, 3, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new RidgeArms(2, 0, 1.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RidgeArms(2, 3, -1.0));
    assertTrue(e.getMessage().contains("lambda") && e.getMessage().contains("-1.0"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new RidgeArms(2, 3, 1.0, -1, RefreshMethod.CHOLESKY, Kernels.get()));
  }

  /** Word offsets of the bookkeeping in an arm part (after V⁻¹, V, b and θ̂). */
  private static int bookkeeping(int dim) {
    return 2 * dim * dim + 2 * dim;
  }

  @Test
  void importRejectsBookkeepingOutOfRange() {
    int d = 2;
    int at = bookkeeping(d);
    RidgeArms source = new RidgeArms(1, d, 1.0);
    source.update(0, new double[] {1, 2}, 0, 0.5);
    Object[][] cases = {
        {0, -3L, "state count of arm 0 must be >= 0, got -3"},
        {1, -1L, "state sinceRefresh of arm 0 must be in [0, 2147483647], got -1"},
        {1, 1L << 32 | 5L, "sinceRefresh of arm 0 must be in [0, 2147483647], got 4294967301"},
        {2, Double.NaN, "state spectralBound of arm 0 must be finite and >= 0, got NaN"},
        {2, -1.0, "spectralBound of arm 0 must be finite and >= 0, got -1.0"},
        {2, Double.POSITIVE_INFINITY, "spectralBound of arm 0 must be finite and >= 0, got Infinity"},
        {3, -100000L, "state updatesSinceBound of arm 0 must be in [0, 8], got -100000"},
        {3, 9L, "updatesSinceBound of arm 0 must be in [0, 8], got 9"},
    };
    for (Object[] c : cases) {
      StateWords part = StateWords.arm(source, 0);
      if (c[1] instanceof Double v) {
        part.setDouble(at + (int) c[0], v);
      } else {
        part.setLong(at + (int) c[0], (Long) c[1]);
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new RidgeArms(1, d, 1.0).importArm(0, part.reader()));
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
    }
    StateWords decisionPart = new StateWords();
    source.exportArmDecision(0, decisionPart);
    decisionPart.setDouble(decisionPart.size() - 1, Double.NaN);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RidgeArms(1, d, 1.0).importArmDecision(0, decisionPart.reader()));
    assertTrue(e.getMessage().contains("spectralBound of arm 0 must be finite"), e.getMessage());
  }

  /**
   * The imported λ_max bound is checked, not trusted: a sound one (fresh or a few updates stale) is kept
   * as it came, so the model exports the words it was restored from; one below λ_max(V⁻¹) is recomputed.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {4, 12})
  void anImportedSpectralBoundIsKeptOnlyWhenItBoundsTheImportedInverse(int dim) {
    SplittableRandom rng = new SplittableRandom(dim);
    RidgeArms source = new RidgeArms(ARMS, dim, 1.0);
    if (dim >= 12) {
      source.keepPackedUpper();
    }
    double[] x = new double[dim];
    for (int t = 0; t < 200; t++) {
      for (int i = 0; i < dim; i++) {
        x[i] = rng.nextGaussian();
      }
      int arm = rng.nextInt(ARMS);
      source.update(arm, x, 0, rng.nextGaussian());
      if (t % 3 == 0) {
        source.vInvSpectralBound(arm); // bounds of every age in the export
      }
    }
    RidgeArms copy = new RidgeArms(ARMS, dim, 1.0);
    if (dim >= 12) {
      copy.keepPackedUpper();
    }
    StateWords all = new StateWords();
    source.exportState(all);
    copy.importState(all.reader());
    assertArrayEquals(StateWords.of(source), StateWords.of(copy), "a sound snapshot round-trips word for word");

    // Below λ_max = 1/λ of an untouched arm: made due, so the bound read is a true one again.
    RidgeArms fresh = new RidgeArms(1, dim, 1.0);
    fresh.vInvSpectralBound(0);
    StateWords part = StateWords.arm(fresh, 0).setDouble(bookkeeping(dim) + 2, 1e-6).setLong(bookkeeping(dim) + 3, 0L);
    RidgeArms target = new RidgeArms(1, dim, 1.0);
    target.importArm(0, part.reader());
    assertTrue(target.vInvSpectralBound(0) >= 1.0, "bound " + target.vInvSpectralBound(0));
  }

  /** Records what an export writes, as longs (doubles by their bits). */
  private record RecordingSink(java.util.List<Object> words) implements dev.recourse.core.state.StateSink {
    @Override public void putLong(long value) { words.add(value); }
    @Override public void putDouble(double value) { words.add(Double.doubleToRawLongBits(value)); }
    @Override public void putDoubles(double[] values, int off, int len) {
      for (int i = 0; i < len; i++) {
        putDouble(values[off + i]);
      }
    }
  }

  /** Gives back what a {@link RecordingSink} recorded, in order. */
  private static final class ReplayingSource implements dev.recourse.core.state.StateSource {
    private final java.util.List<Object> words;
    private int next;
    ReplayingSource(java.util.List<Object> words) { this.words = words; }
    @Override public long getLong() { return (Long) words.get(next++); }
    @Override public double getDouble() { return Double.longBitsToDouble(getLong()); }
    @Override public void getDoubles(double[] into, int off, int len) {
      for (int i = 0; i < len; i++) {
        into[off + i] = getDouble();
      }
    }
  }
}
