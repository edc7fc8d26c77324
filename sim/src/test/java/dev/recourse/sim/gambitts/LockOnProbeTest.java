package dev.recourse.sim.gambitts;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.ReplicationResult;
import dev.recourse.sim.run.ReplicationTask;
import dev.recourse.sim.run.Study;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's finding, off by default (about a minute): at σ = 12.64 with v² = 1, does poGAMBITTS lock onto
 * a prompt that is not the best for the whole horizon, and does {@code v2: noise} remove that? Counts,
 * per policy of {@code reproduce gambitts-noise} (250 replications, T = 1,000, seed 323), the
 * replications that spend at least 90% of their rounds on one prompt other than the best. Run with
 * {@code ./mvnw -q -B -pl sim -am test -Dtest=LockOnProbeTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Drecourse.probe.lockon=true}.
 */
class LockOnProbeTest {

  @Test
  void countLockedReplications() {
    assumeTrue(Boolean.getBoolean("recourse.probe.lockon"), "set -Drecourse.probe.lockon=true to run");
    Map<String, Study> grid = new GambittsStudies(1000, 250, 323, false).studies("gambitts-noise");
    for (String key : new String[] {"sigma=0.71", "sigma=6.68", "sigma=12.64", "sigma=24.57"}) {
      Study study = grid.get(key);
      TreatmentScenario s = (TreatmentScenario) study.scenario();
      int best = s.bestPrompt();
      StringBuilder line = new StringBuilder(key + ":");
      for (int p = 0; p < study.policies().size(); p++) {
        int locked = 0;
        double regretLocked = 0;
        for (int r = 0; r < study.replications(); r++) {
          ReplicationResult rr = ReplicationTask.run(study, r, p, Kernels.get(), ProgressListener.none());
          for (int a = 0; a < s.numArms(); a++) {
            if (a != best && rr.armShare()[a] >= 0.9) {
              locked++;
              regretLocked += rr.regret()[rr.regret().length - 1];
            }
          }
        }
        line.append(String.format(java.util.Locale.ROOT, "  %s %d/%d locked (mean regret of those %.0f)",
            study.policies().get(p).label(), locked, study.replications(), locked == 0 ? 0 : regretLocked / locked));
      }
      System.out.println(line);
      assertTrue(line.length() > 0);
    }
  }
}
