package dev.recourse.sim.gambitts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.run.LocalStudyRunner;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Spec gambitts.md §9 checks 3–7 on the synthetic database, with fixed seeds, T = 1,000 and 100
 * replications; every assertion compares means whose 95% intervals are far apart in the runs of record
 * (README, GAMBITTS), so none rests on luck.
 */
class GambittsStudiesTest {

  private static final GambittsStudies STUDIES = new GambittsStudies(1000, 100, 323, false);

  private static double regret(Map<String, Study> grid, String key, String policy) {
    StudyResult r = new LocalStudyRunner(2, Kernels.get()).run(grid.get(key), ProgressListener.none());
    for (PolicyAggregate p : r.policies()) {
      if (p.label().equals(policy)) {
        return p.regret().mean(r.study().checkpoints().length - 1);
      }
    }
    throw new AssertionError("no policy " + policy);
  }

  /** Checks 3 and 4: well specified, low noise, poGAMBITTS far below StdTS at every K, and growing slowly in K. */
  @Test
  void poGambittsBeatsStdTsAndGrowsSlowlyInK() {
    Map<String, Study> arms = STUDIES.studies("gambitts-arms");
    double po3 = regret(arms, "K=3", "poGAMBITTS");
    double po40 = regret(arms, "K=40", "poGAMBITTS");
    double std40 = regret(arms, "K=40", "StdTS");
    double fo40 = regret(arms, "K=40", "foGAMBITTS");
    assertTrue(po40 < std40 / 5, "po " + po40 + " vs StdTS " + std40);
    assertTrue(po40 < 8 * po3, "po K=40 " + po40 + " vs K=3 " + po3);
    assertTrue(fo40 > std40, "foGAMBITTS falls behind StdTS with K in the tens: " + fo40 + " vs " + std40);
  }

  /** Check 6: a proxy that orders the prompts wrongly (clarity) is linear and worse than StdTS; hedging caps it. */
  @Test
  void aMisorderingEmbeddingIsWorseThanStdTsAndHedgingCapsIt() {
    Map<String, Study> grid = STUDIES.studies("gambitts-misspecified");
    double right = regret(grid, "Z=optimism", "poGAMBITTS");
    double proxy = regret(grid, "Z=severity", "poGAMBITTS");
    double clarity = regret(grid, "Z=clarity", "poGAMBITTS");
    double hedged = regret(grid, "Z=clarity", "poGAMBITTS hedging");
    double std = regret(grid, "Z=clarity", "StdTS");
    assertTrue(right < std / 3 && proxy < std / 3, "optimism " + right + ", severity " + proxy + ", StdTS " + std);
    assertTrue(clarity > 1.3 * std, "clarity " + clarity + " vs StdTS " + std);
    assertTrue(hedged < std, "hedged clarity " + hedged + " vs StdTS " + std);
  }

  /** Check 7 (poGAMBITTS part): insensitive to M_off from 15 on. */
  @Test
  void poGambittsIsInsensitiveToTheOfflineSampleSize() {
    Map<String, Study> grid = STUDIES.studies("gambitts-offline");
    double few = regret(grid, "M_off=15", "poGAMBITTS");
    double all = regret(grid, "M_off=all", "poGAMBITTS");
    double std = regret(grid, "M_off=all", "StdTS");
    assertEquals(all, few, 0.5 * all, "M_off 15 vs all");
    assertTrue(few < std / 5, "po " + few + " vs StdTS " + std);
  }
}
