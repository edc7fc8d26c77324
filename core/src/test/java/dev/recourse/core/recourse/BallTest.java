package dev.recourse.core.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lemma-1 maximisers and projections against brute force over a fine grid (d_M ≤ 3). */
class BallTest {

  static Ball ball(String kind, int dimM, double gamma, SplittableRandom rng) {
    return switch (kind) {
      case "l2" -> new L2Ball(dimM, gamma);
      case "l1" -> new L1Ball(dimM, gamma);
      case "linf" -> new LInfBall(dimM, gamma);
      case "wlinf" -> {
        double[] w = new double[dimM];
        for (int i = 0; i < dimM; i++) {
          w[i] = rng.nextDouble(0.5, 2.0);
        }
        yield new LInfBall(dimM, gamma, w);
      }
      case "mahalanobis" -> new MahalanobisBall(dimM, gamma, randomSpd(rng, dimM));
      default -> throw new IllegalArgumentException(kind);
    };
  }

  static double[] randomSpd(SplittableRandom rng, int n) {
    double[] s = new double[n * n];
    for (int i = 0; i < n; i++) {
      s[i * n + i] = 0.5;
    }
    for (int k = 0; k < n + 1; k++) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = rng.nextDouble(-1, 1);
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          s[i * n + j] += v[i] * v[j];
        }
      }
    }
    return s;
  }

  /** Random displacement bounds lo ≤ 0 ≤ hi, some tight, some one-sided (0 or infinite). */
  static double[][] randomBounds(SplittableRandom rng, int dimM, double gamma) {
    double[] lo = new double[dimM];
    double[] hi = new double[dimM];
    for (int i = 0; i < dimM; i++) {
      lo[i] = switch (rng.nextInt(4)) {
        case 0 -> 0.0;
        case 1 -> Double.NEGATIVE_INFINITY;
        default -> -rng.nextDouble(0.05, 1.2) * gamma;
      };
      hi[i] = switch (rng.nextInt(4)) {
        case 0 -> 0.0;
        case 1 -> Double.POSITIVE_INFINITY;
        default -> rng.nextDouble(0.05, 1.2) * gamma;
      };
    }
    return new double[][] {lo, hi};
  }

  /** Calls {@code visit} on every point of a grid of step h over [−R, R]^{d_M}. */
  interface GridVisitor {
    void visit(double[] p);
  }

  static void grid(int dimM, double radius, int perAxis, GridVisitor visitor) {
    double[] p = new double[dimM];
    int total = 1;
    for (int i = 0; i < dimM; i++) {
      total *= perAxis;
    }
    for (int idx = 0; idx < total; idx++) {
      int r = idx;
      for (int i = 0; i < dimM; i++) {
        p[i] = -radius + 2 * radius * (r % perAxis) / (perAxis - 1);
        r /= perAxis;
      }
      visitor.visit(p);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"l2", "l1", "linf", "wlinf", "mahalanobis"})
  void lemmaOneMaximiserBeatsEveryGridPoint(String kind) {
    SplittableRandom rng = new SplittableRandom(kind.hashCode());
    for (int m = 1; m <= 3; m++) {
      final int dimM = m;
      for (int trial = 0; trial < 12; trial++) {
        double gamma = rng.nextDouble(0.5, 3);
        Ball b = ball(kind, dimM, gamma, rng);
        double[] theta = new double[dimM];
        for (int i = 0; i < dimM; i++) {
          theta[i] = rng.nextInt(5) == 0 ? 0.0 : rng.nextDouble(-2, 2);
        }
        double[][] bounds = trial % 2 == 0 ? null : randomBounds(rng, dimM, gamma);
        double[] lo = bounds == null ? null : bounds[0];
        double[] hi = bounds == null ? null : bounds[1];
        double[] delta = new double[dimM];
        double value = b.maximizeLinear(theta, lo, hi, delta);

        assertTrue(b.contains(delta, lo, hi, 1e-9), kind + " maximiser infeasible " + java.util.Arrays.toString(delta));
        double dot = 0;
        for (int i = 0; i < dimM; i++) {
          dot += theta[i] * delta[i];
        }
        assertEquals(dot, value, 1e-9 * (1 + Math.abs(value)), kind + " returned value is not θᵀΔ");

        double[] bestGrid = {Double.NEGATIVE_INFINITY};
        double extent = 4 * gamma; // weighted ℓ∞ and Mahalanobis reach beyond γ along some axes
        int perAxis = dimM == 1 ? 20001 : dimM == 2 ? 801 : 121;
        grid(dimM, extent, perAxis, p -> {
          if (b.contains(p, lo, hi, 0)) {
            double v = 0;
            for (int i = 0; i < dimM; i++) {
              v += theta[i] * p[i];
            }
            bestGrid[0] = Math.max(bestGrid[0], v);
          }
        });
        double h = 2 * extent / (perAxis - 1);
        double normTheta = 0;
        for (double t : theta) {
          normTheta += Math.abs(t);
        }
        assertTrue(value >= bestGrid[0] - 1e-9, kind + " d_M=" + dimM + ": grid found " + bestGrid[0] + " > " + value);
        // The grid resolution bounds how far below the optimum the best grid point can be: for
        // the linear objective at most ~h·‖θ‖₁ per unit of the set's aspect.
        assertTrue(value <= bestGrid[0] + 6 * h * normTheta * Math.max(1, extent / gamma) + 1e-9,
            kind + " d_M=" + dimM + ": value " + value + " far above best grid " + bestGrid[0]);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"l2", "l1", "linf", "wlinf"})
  void projectionIsTheNearestFeasiblePoint(String kind) {
    SplittableRandom rng = new SplittableRandom(31 * kind.hashCode());
    int dimM = 2;
    for (int trial = 0; trial < 20; trial++) {
      double gamma = rng.nextDouble(0.5, 2);
      Ball b = ball(kind, dimM, gamma, rng);
      double[][] bounds = trial % 2 == 0 ? null : randomBounds(rng, dimM, gamma);
      double[] lo = bounds == null ? null : bounds[0];
      double[] hi = bounds == null ? null : bounds[1];
      double[] c = {rng.nextDouble(-3, 3) * gamma, rng.nextDouble(-3, 3) * gamma};
      double[] out = new double[dimM];
      b.project(c, lo, hi, out);
      assertTrue(b.contains(out, lo, hi, 1e-9), kind + " projection infeasible");
      double dist = Math.hypot(out[0] - c[0], out[1] - c[1]);
      double[] bestGrid = {Double.POSITIVE_INFINITY};
      grid(dimM, 4 * gamma, 1201, p -> {
        // A small tolerance keeps grid points that round-off put 1e-16 beside a zero-width bound.
        if (b.contains(p, lo, hi, 1e-12)) {
          bestGrid[0] = Math.min(bestGrid[0], Math.hypot(p[0] - c[0], p[1] - c[1]));
        }
      });
      double h = 8 * gamma / 1200;
      assertTrue(dist <= bestGrid[0] + 1e-9, kind + ": grid point nearer (" + bestGrid[0] + " < " + dist + ")");
      assertTrue(dist >= bestGrid[0] - 2 * h, kind + ": projection distance below grid optimum by more than the grid step");
    }
  }

  @Test
  void mahalanobisRetractionIsFeasibleAndKeepsFeasiblePoints() {
    SplittableRandom rng = new SplittableRandom(8);
    Ball b = new MahalanobisBall(3, 1.5, randomSpd(rng, 3));
    double[][] bounds = randomBounds(rng, 3, 1.5);
    double[] c = {3, -2, 1};
    double[] out = new double[3];
    b.project(c, bounds[0], bounds[1], out);
    assertTrue(b.contains(out, bounds[0], bounds[1], 1e-12));
    double[] inside = {0.0, 0.0, 0.0};
    b.project(inside, bounds[0], bounds[1], out);
    assertEquals(0.0, out[0], 0.0);
  }

  @Test
  void closedFormsMatchTheSpec() {
    // ℓ2: Δ = γθ/‖θ‖; ℓ1: all budget on argmax|θ_i|; ℓ∞: γ·sign(θ); weighted: (γ/w_i)·sign(θ_i).
    double[] theta = {3, -4};
    double[] d = new double[2];
    assertEquals(10.0, new L2Ball(2, 2).maximizeLinear(theta, null, null, d), 1e-12);
    assertEquals(1.2, d[0], 1e-12);
    assertEquals(-1.6, d[1], 1e-12);
    assertEquals(8.0, new L1Ball(2, 2).maximizeLinear(theta, null, null, d), 1e-12);
    assertEquals(0.0, d[0], 0.0);
    assertEquals(-2.0, d[1], 0.0);
    assertEquals(14.0, new LInfBall(2, 2).maximizeLinear(theta, null, null, d), 1e-12);
    assertEquals(2.0, new LInfBall(2, 2, new double[] {1, 4}).maximizeLinear(theta, null, null, d) - 6.0 + 0.0, 1e-12);
    assertEquals(-0.5, d[1], 0.0);
    // Mahalanobis with Σ = diag(1, 4): Δ = γΣ⁻¹θ/sqrt(θᵀΣ⁻¹θ) = 2·(3, −1)/sqrt(13).
    double v = new MahalanobisBall(2, 2, new double[] {1, 0, 0, 4}).maximizeLinear(theta, null, null, d);
    assertEquals(2 * Math.sqrt(13), v, 1e-12);
    assertEquals(6 / Math.sqrt(13), d[0], 1e-12);
  }

  /** γ = 0 is allowed, and every ball is then the point 0 (LInfBall's nextDouble(-0.0, 0.0) used to throw). */
  @ParameterizedTest
  @ValueSource(strings = {"l2", "l1", "linf", "wlinf", "mahalanobis"})
  void aZeroRadiusBallSamplesTheOrigin(String kind) {
    Ball ball = switch (kind) {
      case "l2" -> new L2Ball(3, 0.0);
      case "l1" -> new L1Ball(3, 0.0);
      case "linf" -> new LInfBall(3, 0.0);
      case "wlinf" -> new LInfBall(3, 0.0, new double[] {1, 2, 0.5});
      default -> new MahalanobisBall(3, 0.0, new double[] {2, 0, 0, 0, 1, 0, 0, 0, 3});
    };
    double[] out = {9, 9, 9};
    SplittableRandom rng = new SplittableRandom(4);
    ball.sampleUniform(rng, null, null, out);
    for (double v : out) {
      assertEquals(0.0, v, 0.0);
    }
    ball.sampleUniform(rng, new double[] {-1, -1, -1}, new double[] {1, 1, 1}, out);
    for (double v : out) {
      assertEquals(0.0, v, 0.0);
    }
  }

  @Test
  void badConfigurationNamesTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new L2Ball(2, -1));
    assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains("-1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new MahalanobisBall(2, 1, new double[] {1, 2, 2, 1}));
    assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new MahalanobisBall(2, 1, new double[] {1, 0.5, 0.4, 1}));
    assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LInfBall(2, 1, new double[] {1, 0}));
    assertTrue(e.getMessage().contains("weights[1]"), e.getMessage());
  }
}
