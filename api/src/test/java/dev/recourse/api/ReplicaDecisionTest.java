package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.policy.LinUcb;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.ServablePolicy;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decision-only replicas ({@link dev.recourse.core.state.Snapshottable#exportArmDecision}) decide as the
 * master, bit for bit: arm, score, width, recourse, and every arm's score and width, after random
 * sequences of updates (past the ridge refresh period and the logistic refits), arm additions,
 * retirements and restores. Through the service (its replicas against a policy rebuilt from the
 * published state parts, i.e. the master), and through the core hooks directly, where a replica that
 * skips some imports must be caught differing (the comparison sees a stale part).
 */
class ReplicaDecisionTest {

  static ServiceConfig config(String type, int dim, int arms, int maxArms) {
    boolean logistic = type.endsWith("-logistic");
    String yaml = Configs.yaml(logistic ? type.substring(0, type.length() - "-logistic".length()) : type, dim, arms,
        maxArms);
    return ServiceConfig.parse(logistic ? yaml.replace("policy:", "link: logistic\npolicy:") : yaml);
  }

  static double reward(SplittableRandom rng, int arm, double[] x, boolean logistic) {
    double r = Configs.reward(rng, arm, x);
    return logistic ? Math.min(1, Math.max(0, 0.5 + 0.25 * r)) : r;
  }

  @ParameterizedTest
  @CsvSource({"linucb, 20", "linucb, 5", "glrb, 8", "glrb-robust, 8", "glrb-nc, 6", "glrb-logistic, 8",
      "libra, 6"})
  void serviceReplicasDecideAsTheMaster(String type, int dim) {
    int arms = 3;
    int maxArms = 4;
    ServiceConfig config = config(type, dim, arms, maxArms);
    PolicyService.Builder builder = PolicyService.builder(config);
    if (type.equals("libra")) {
      builder.advisor(new Configs.HashAdvisor());
    }
    PolicyService service = builder.build();
    boolean logistic = config.logisticLink();
    SplittableRandom rng = new SplittableRandom(dim * 31L + type.hashCode());
    ServiceDecision scored = new ServiceDecision(dim, maxArms, true);
    ServiceDecision plain = new ServiceDecision(dim, maxArms, false);
    Decision check = new Decision(dim, maxArms);
    Decision checkPlain = new Decision(dim);
    boolean[] mask = new boolean[maxArms];
    byte[] restorePoint = null;
    int updates = 0;
    int checks = 0;
    for (int step = 0; updates < 3_600; step++) {
      // 1 to 3 model changes between two decisions, so that a replica imports one arm or several.
      int changes = 1 + rng.nextInt(3);
      for (int c = 0; c < changes; c++) {
        double u = rng.nextDouble();
        if (u < 0.002 && service.activeArms() < maxArms) {
          service.addArm();
        } else if (u < 0.003 && service.activeArms() > 2) {
          int arm = rng.nextInt(service.activeArms());
          int left = 0;
          for (int a = 0; a < service.activeArms(); a++) {
            left += service.isRetired(a) ? 0 : 1;
          }
          if (!service.isRetired(arm) && left > 2) {
            service.retireArm(arm);
          }
        } else if (u < 0.004) {
          if (restorePoint == null) {
            restorePoint = service.snapshotBytes();
          } else {
            service.restore(restorePoint);
            restorePoint = null;
          }
        } else {
          int arm = rng.nextInt(service.activeArms());
          double[] played = Configs.context(rng, dim);
          double[] realised = played.clone();
          realised[dim - 1] += 0.3 * rng.nextDouble(); // deviations for the robust variant to learn
          service.update(arm, played, realised, reward(rng, arm, realised, logistic));
          updates++;
        }
      }
      ServablePolicy master = masterOf(service);
      for (int a = 0; a < maxArms; a++) {
        mask[a] = a < service.activeArms() && !service.isRetired(a);
      }
      for (int k = 0; k < 2; k++) {
        double[] x = Configs.context(rng, dim);
        service.decide(x, null, scored);
        master.decide(x, mask, check);
        String at = type + " d=" + dim + ", step " + step + ", version " + scored.version();
        assertEquals(check.arm(), scored.arm(), "arm, " + at);
        assertEquals(bits(check.score()), bits(scored.score()), "score, " + at);
        assertEquals(bits(check.width()), bits(scored.width()), "width, " + at);
        assertArrayEquals(check.context(), scored.recourse(), 0.0, "recourse, " + at);
        for (int a = 0; a < maxArms; a++) {
          assertEquals(bits(check.scores()[a]), bits(scored.scores()[a]), "score of arm " + a + ", " + at);
          assertEquals(bits(check.widths()[a]), bits(scored.widths()[a]), "width of arm " + a + ", " + at);
        }
        service.decide(x, null, plain);
        master.decide(x, mask, checkPlain);
        assertEquals(checkPlain.arm(), plain.arm(), "plain arm, " + at);
        assertEquals(bits(checkPlain.score()), bits(plain.score()), "plain score, " + at);
        assertEquals(bits(checkPlain.width()), bits(plain.width()), "plain width, " + at);
        checks++;
      }
    }
    assertTrue(checks > 2_000, checks + " checks");
  }

  /** The master's state, rebuilt from the published state parts (what snapshots encode). */
  private static ServablePolicy masterOf(PolicyService service) {
    ServiceConfig config = service.config();
    ServablePolicy p = config.newPolicy(config.advised() ? new Configs.HashAdvisor() : null);
    p.importState(new StateBuffer.Cursor().reset(SnapshotTest.stateOf(service)));
    return p;
  }

  private static long bits(double v) {
    return Double.doubleToRawLongBits(v);
  }

  /**
   * The core hooks alone: a master learns, a replica imports the decision part of every arm the master
   * changed and must decide as it; a second replica that skips about one import in four must be seen
   * to differ, or the comparison could not catch a stale or incomplete part.
   */
  @ParameterizedTest
  @CsvSource({"linucb, 20", "linucb, 5", "glrb, 8", "glrb-robust, 8", "glrb-nc, 6", "glrb-logistic, 8"})
  void decisionPartsCarryWhatADecisionReads(String type, int dim) {
    int arms = 3;
    ServiceConfig config = config(type, dim, arms, arms);
    boolean logistic = config.logisticLink();
    ServablePolicy master = config.newPolicy(null);
    ServablePolicy replica = config.newPolicy(null);
    ServablePolicy stale = config.newPolicy(null);
    boolean[] all = {true, true, true};
    Decision a = new Decision(dim, arms);
    Decision b = new Decision(dim, arms);
    Decision s = new Decision(dim, arms);
    Outcome o = new Outcome(dim);
    DecisionBuffer buffer = new DecisionBuffer();
    DecisionBuffer.Cursor cursor = new DecisionBuffer.Cursor();
    SplittableRandom rng = new SplittableRandom(dim * 17L + type.hashCode());
    long staleDiffers = 0;
    for (int t = 0; t < 3_600; t++) {
      int arm = rng.nextInt(arms);
      double[] played = Configs.context(rng, dim);
      double[] realised = played.clone();
      realised[dim - 1] += 0.3 * rng.nextDouble();
      double r = reward(rng, arm, realised, logistic);
      switch (master) {
        case Glrb g -> {
          g.recordPlayed(arm, played);
          g.update(arm, realised, r);
        }
        case Libra l -> {
          l.glrb().recordPlayed(arm, played);
          l.update(arm, realised, r);
        }
        default -> {
          System.arraycopy(realised, 0, o.context(), 0, dim);
          master.update(o.set(arm, r));
        }
      }
      buffer.clear();
      master.exportArmDecision(arm, buffer);
      double[] part = buffer.doubles();
      replica.importArmDecision(arm, cursor.reset(part));
      cursor.finish();
      if (rng.nextInt(4) != 0) {
        stale.importArmDecision(arm, cursor.reset(part));
      }
      double[] x = Configs.context(rng, dim);
      master.decide(x, all, a);
      replica.decide(x, all, b);
      stale.decide(x, all, s);
      String at = type + " d=" + dim + ", update " + t;
      if (master instanceof LinUcb lm
          && replica instanceof LinUcb lr) {
        // The pruned decide reads the bound on λ_max(V⁻¹); the replica's V⁻¹ block is stale, so the
        // bound must come with the part, not be recomputed from it.
        assertEquals(bits(lm.arms().vInvSpectralBound(arm)), bits(lr.arms().vInvSpectralBound(arm)),
            "pruning bound, " + at);
        assertEquals(lm.decide(x), lr.decide(x), "pruned decide, " + at);
      }
      assertEquals(a.arm(), b.arm(), "arm, " + at);
      assertEquals(bits(a.score()), bits(b.score()), "score, " + at);
      assertEquals(bits(a.width()), bits(b.width()), "width, " + at);
      assertArrayEquals(a.context(), b.context(), 0.0, "recourse, " + at);
      boolean same = true;
      for (int k = 0; k < arms; k++) {
        assertEquals(bits(a.scores()[k]), bits(b.scores()[k]), "score of arm " + k + ", " + at);
        assertEquals(bits(a.widths()[k]), bits(b.widths()[k]), "width of arm " + k + ", " + at);
        same &= bits(a.scores()[k]) == bits(s.scores()[k]) && bits(a.widths()[k]) == bits(s.widths()[k]);
      }
      staleDiffers += same ? 0 : 1;
    }
    assertTrue(staleDiffers > 100, "a replica that skips imports decides differently: " + staleDiffers);
  }
}
