package dev.recourse.sim.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.testing.SharedData;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The paper's qualitative findings on reduced sizes with fixed seeds (not the seeds the radius
 * defaults were chosen on). Checks compare the two halves of the horizon, like core's GlrbRegretTest.
 */
class PaperStudiesTest {

  private static StudyResult run(Study study) {
    return new LocalStudyRunner(2, Kernels.get()).run(study, ProgressListener.none());
  }

  private static PolicyAggregate policy(StudyResult r, String label) {
    return r.policies().stream().filter(p -> p.label().equals(label)).findFirst().orElseThrow();
  }

  /** Mean cumulative regret at the checkpoint nearest T/2 and at T. */
  private static double[] halves(StudyResult r, PolicyAggregate p) {
    int last = r.study().checkpoints().length - 1;
    int half = (last + 1) / 2 - 1;
    assertEquals(r.study().horizon() / 2, r.study().checkpoints()[half]);
    return new double[] {p.regret().mean(half), p.regret().mean(last)};
  }

  /**
   * Figure 8 at T = 3,000 with 4 replications: LinUCB linear, GLRB sublinear, LIBRA lowest, LIBRA's
   * queries flattening, LLM-only linear.
   */
  @Test
  void syntheticShowsFigureEight() {
    StudyResult r = run(PaperStudies.synthetic(3000, 4, 77));
    double[] linucb = halves(r, policy(r, "LinUCB"));
    double[] glrb = halves(r, policy(r, "GLRB"));
    double[] libra = halves(r, policy(r, "LIBRA"));
    double[] llm = halves(r, policy(r, "LLM-only"));
    assertTrue(linucb[1] - linucb[0] > 0.9 * linucb[0], "LinUCB linear: " + linucb[0] + " / " + linucb[1]);
    assertTrue(llm[1] - llm[0] > 0.9 * llm[0], "LLM-only linear: " + llm[0] + " / " + llm[1]);
    assertTrue(glrb[1] - glrb[0] < 0.25 * glrb[0], "GLRB sublinear: " + glrb[0] + " / " + glrb[1]);
    assertTrue(libra[1] - libra[0] < 0.35 * libra[0], "LIBRA sublinear: " + libra[0] + " / " + libra[1]);
    assertTrue(libra[1] < glrb[1] && glrb[1] < llm[1] && llm[1] < linucb[1],
        "order LIBRA < GLRB < LLM-only < LinUCB: " + libra[1] + ", " + glrb[1] + ", " + llm[1] + ", " + linucb[1]);
    PolicyAggregate q = policy(r, "LIBRA");
    int last = r.study().checkpoints().length - 1;
    int half = (last + 1) / 2 - 1;
    double firstHalf = q.queries().mean(half);
    double secondHalf = q.queries().mean(last) - firstHalf;
    // Measured over seeds 100-109: the second half adds 2-11% of the first half's queries.
    assertTrue(firstHalf > 100 && secondHalf < 0.25 * firstHalf, "LIBRA queries " + firstHalf + " then " + secondHalf);
  }

  /**
   * Table 2's main comparison at the paper's T = 500: GLRB lowers SBP more than LinUCB, with 40
   * replications so that the 95% intervals separate (not luck).
   */
  @Test
  void hypertensionGlrbBeatsLinUcb() {
    StudyResult r = run(PaperStudies.hypertension("hypertension", 500, 40, 31, PaperStudies.hypertensionGuideline()));
    int last = r.study().checkpoints().length - 1;
    PolicyAggregate glrb = policy(r, "GLRB");
    PolicyAggregate linucb = policy(r, "LinUCB");
    PolicyAggregate llm = policy(r, "LLM-only");
    double glrbLow = glrb.reward().mean(last) - glrb.reward().halfWidth95(last);
    double linucbHigh = linucb.reward().mean(last) + linucb.reward().halfWidth95(last);
    assertTrue(glrbLow > linucbHigh, "GLRB " + glrb.reward().mean(last) + " vs LinUCB " + linucb.reward().mean(last));
    assertTrue(glrb.regret().mean(last) < 0.5 * linucb.regret().mean(last));
    // Paper: the LLM lowers SBP more than LinUCB (45.84 vs 44.45) but less than GLRB (48.28).
    assertTrue(llm.reward().mean(last) > linucb.reward().mean(last));
    assertTrue(llm.reward().mean(last) < glrb.reward().mean(last));
    // GLRB learns that DietScore matters more than PhyActHours for both arms (Table 1, Figure 4b).
    for (int a = 0; a < 2; a++) {
      assertTrue(glrb.recourse().mean(2 * a) > glrb.recourse().mean(2 * a + 1), "arm " + a);
    }
  }

  /**
   * Figure 10: LinUCB linear, GLRB sublinear and well below it, LIBRA far below LLM-only with few
   * queries. The paper has LIBRA clearly below GLRB; here the two are close (over seeds 100-109 LIBRA
   * was lower in 9, by 1% to 26%, and equal in one), so the test only asks LIBRA not to be worse by
   * more than 15%.
   */
  @Test
  void fertilityShowsFigureTen() {
    StudyResult r = run(PaperStudies.fertility(SharedData.fertility(), 1000, 12, 53));
    double[] linucb = halves(r, policy(r, "LinUCB"));
    double[] glrb = halves(r, policy(r, "GLRB"));
    double[] libra = halves(r, policy(r, "LIBRA"));
    assertTrue(linucb[1] - linucb[0] > 0.7 * linucb[0], "LinUCB " + List.of(linucb[0], linucb[1]));
    assertTrue(glrb[1] - glrb[0] < 0.4 * glrb[0], "GLRB " + List.of(glrb[0], glrb[1]));
    assertTrue(glrb[1] < 0.5 * linucb[1]);
    double[] llm = halves(r, policy(r, "LLM-only"));
    assertTrue(libra[1] < 1.15 * glrb[1], "LIBRA " + libra[1] + " GLRB " + glrb[1]);
    assertTrue(libra[1] < 0.5 * llm[1], "LIBRA " + libra[1] + " LLM-only " + llm[1]);
    int last = r.study().checkpoints().length - 1;
    assertTrue(policy(r, "LIBRA").queries().mean(last) < 100);
  }
}
