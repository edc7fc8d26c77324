package dev.recourse.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StudentTTest {

  /** Published two-sided 95% critical values t_{0.975, ν}. */
  @Test
  void quantilesMatchTables() {
    assertEquals(12.706204736, StudentT.quantile(0.975, 1), 1e-7);
    assertEquals(4.302652730, StudentT.quantile(0.975, 2), 1e-8);
    assertEquals(2.262157163, StudentT.quantile(0.975, 9), 1e-8);
    assertEquals(2.042272456, StudentT.quantile(0.975, 30), 1e-8);
    assertEquals(1.959966, StudentT.quantile(0.975, 1e7), 1e-5);
    assertEquals(6.313751515, StudentT.quantile(0.95, 1), 1e-8);
  }

  @Test
  void cdfIsSymmetricAndInvertsTheQuantile() {
    for (double df : new double[] {1, 3, 9.5, 49}) {
      assertEquals(0.5, StudentT.cdf(0, df), 1e-15);
      assertEquals(1.0, StudentT.cdf(2.5, df) + StudentT.cdf(-2.5, df), 1e-14);
      assertEquals(0.9, StudentT.cdf(StudentT.quantile(0.9, df), df), 1e-12);
    }
  }

  @Test
  void logGammaMatchesFactorials() {
    assertEquals(Math.log(120), StudentT.logGamma(6), 1e-13);
    assertEquals(0.5 * Math.log(Math.PI), StudentT.logGamma(0.5), 1e-13);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.3, 5));
    assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(0.975, 0));
  }
}
