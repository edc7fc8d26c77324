package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.ServablePolicy;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The core hook {@code decide(x, allowed, out)}: with every arm allowed it is bit for bit today's
 * {@code decide(x, out)} (with and without every arm's scores asked for), and a decision never leaves
 * the allowed set, per policy (the samplers and LLM-only too), along a learning run.
 */
class AllowedArmsTest {

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "glrb", "glrb-robust", "glrb-nc", "libra", "po-gambitts", "fo-gambitts", "std-ts",
      "std-ts-contextual", "llm-only", "ens-po-gambitts"})
  void allArmsAllowedIsBitIdenticalToThePlainDecide(String type) {
    int dim = 5;
    int arms = 4;
    ServiceConfig config = Configs.config(type, dim, arms, arms);
    ServablePolicy plain = config.newPolicy(new Configs.HashAdvisor());
    ServablePolicy masked = config.newPolicy(new Configs.HashAdvisor());
    ServablePolicy scored = config.newPolicy(new Configs.HashAdvisor());
    boolean[] all = {true, true, true, true};
    Decision a = new Decision(dim);
    Decision b = new Decision(dim);
    Decision c = new Decision(dim, arms);
    Outcome o = new Outcome(dim, config.treatmentDim());
    boolean sampler = config.gambitts() || type.equals("llm-only");
    SplittableRandom rng = new SplittableRandom(7);
    for (int t = 0; t < 400; t++) {
      double[] x = Configs.context(rng, config);
      plain.decide(x, a);
      masked.decide(x, all, b);
      scored.decide(x, all, c);
      for (Decision d : new Decision[] {b, c}) {
        assertEquals(a.arm(), d.arm(), "round " + t);
        assertEquals(Double.doubleToRawLongBits(a.score()), Double.doubleToRawLongBits(d.score()), "score, round " + t);
        assertEquals(Double.doubleToRawLongBits(a.width()), Double.doubleToRawLongBits(d.width()), "width, round " + t);
        assertEquals(a.advised(), d.advised());
        assertArrayEquals(a.context(), d.context(), 0.0, "recourse, round " + t);
      }
      if (!a.advised()) { // an advised pair keeps GLRB's score, not its arm's
        assertEquals(a.score(), c.scores()[c.arm()], 0.0, "the winner's score is its entry");
      }
      for (int arm = 0; arm < arms; arm++) {
        if (!a.advised() && !Double.isNaN(c.score())) { // NaN: LLM-only, or ens-po's random warm-up
          assertTrue(c.scores()[arm] <= c.score(), "no arm scores above the winner");
        }
        // Samplers have no confidence width.
        assertTrue(sampler ? Double.isNaN(c.widths()[arm]) : c.widths()[arm] >= 0);
      }
      System.arraycopy(a.context(), 0, o.context(), 0, dim);
      o.set(a.arm(), Configs.reward(rng, a.arm(), a.context()));
      double[] z = Configs.treatment(rng, config, a.arm());
      if (z != null) {
        System.arraycopy(z, 0, o.treatment(), 0, z.length);
        o.withTreatment();
      }
      plain.update(o);
      masked.update(o);
      scored.update(o);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "glrb", "glrb-robust", "glrb-nc", "libra", "po-gambitts", "fo-gambitts", "std-ts",
      "std-ts-contextual", "llm-only", "ens-po-gambitts"})
  void neverLeavesTheAllowedSet(String type) {
    int dim = 4;
    int arms = 5;
    PolicyService service = Configs.service(type, dim, arms, arms);
    ServiceConfig config = service.config();
    SplittableRandom rng = new SplittableRandom(11);
    for (int t = 0; t < 500; t++) {
      int[] allowed = rng.ints(1 + rng.nextInt(3), 0, arms).toArray();
      ServiceDecision d = service.decide(Configs.context(rng, config), allowed);
      boolean inside = false;
      for (int a : allowed) {
        inside |= a == d.arm();
      }
      assertTrue(inside, "round " + t + ": arm " + d.arm() + " not in " + java.util.Arrays.toString(allowed));
      for (int a = 0; a < arms; a++) {
        boolean isAllowed = false;
        for (int x : allowed) {
          isAllowed |= x == a;
        }
        if (!isAllowed) {
          assertTrue(Double.isNaN(d.scores()[a]), "score of arm " + a + " NaN: not allowed");
        } else if (!Double.isNaN(d.score())) { // NaN: LLM-only, or ens-po's random warm-up, scores nothing
          assertFalse(Double.isNaN(d.scores()[a]), "score of allowed arm " + a);
        }
      }
      service.update(d.id(), Configs.reward(rng, d.arm(), d.recourse()), null,
          Configs.treatment(rng, config, d.arm()), null);
    }
  }
}
