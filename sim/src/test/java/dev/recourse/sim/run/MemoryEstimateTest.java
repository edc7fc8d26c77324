package dev.recourse.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.env.SyntheticScenario;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.policy.GlrbSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.RadiusSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryEstimateTest {

  private static Study study(int dim, int arms, int checkpoints) {
    return new Study("m", new SyntheticScenario(dim, arms, 3, 1),
        List.of(new GlrbSpec(GlrbSpec.Variant.PLAIN, "GLRB", new RadiusSpec.Constant(3), 1)),
        10_000_000, 10, 1, Study.evenCheckpoints(10_000_000, checkpoints), 0);
  }

  @Test
  void theRidgeModelsDominateAndScaleWithThreads() {
    // 2·K·d² doubles per unit in flight: 2 · 100 · 3000² · 8 bytes = 14.4 GB per thread.
    MemoryEstimate one = MemoryEstimate.of(study(3000, 100, 100), 1);
    assertEquals(MemoryEstimate.Driver.MODEL, one.driver());
    assertTrue(one.bytes() > 14.4e9 && one.bytes() < 14.8e9, "" + one.bytes());
    assertTrue(MemoryEstimate.of(study(3000, 100, 100), 2).bytes() > 28.8e9);
    // Never more units in flight than there are units (10 replications x 1 policy).
    assertEquals(MemoryEstimate.of(study(3000, 100, 100), 10).bytes(),
        MemoryEstimate.of(study(3000, 100, 100), 1000).bytes());
  }

  @Test
  void thePaperSizedStudyFitsAnyHeap() {
    assertTrue(MemoryEstimate.of(study(20, 10, 100), 2).bytes() < 100e6);
    MemoryEstimate.check(study(20, 10, 100), 2, 256L << 20, "s.yaml");
  }

  @Test
  void failuresNameTheKeyAndBothFigures() {
    InputException e = assertThrows(InputException.class,
        () -> MemoryEstimate.check(study(3000, 100, 100), 2, 2L << 30, "s.yaml"));
    assertTrue(e.getMessage().startsWith("s.yaml: scenario.dim: 3000 with scenario.arms 100: the study needs about "
        + "27.3 GiB of heap"), e.getMessage());
    assertTrue(e.getMessage().contains("more than the 2.00 GiB"), e.getMessage());
    e = assertThrows(InputException.class,
        () -> MemoryEstimate.check(study(4, 2, 10_000_000), 1, 256L << 20, "s.yaml"));
    assertTrue(e.getMessage().startsWith("s.yaml: checkpoints: 10000000: "), e.getMessage());
  }

  @Test
  void formatsBinaryUnits() {
    assertEquals("812 bytes", MemoryEstimate.format(812));
    assertEquals("1.50 KiB", MemoryEstimate.format(1536));
    assertEquals("21.6 GiB", MemoryEstimate.format(21.6 * (1L << 30)));
  }
}
