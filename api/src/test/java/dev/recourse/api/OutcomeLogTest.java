package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hooks a write-ahead log needs: {@link PolicyService.OutcomeLog} sees each outcome (arm, played,
 * realised, reward) before it applies, and a log that throws leaves the model as it was; replaying
 * what it saw through {@link PolicyService#update(int, double[], double[], double)} gives the same
 * model bit for bit, for every policy type; {@link PolicyService#reserveDecisionIdsBelow} moves ids on.
 */
class OutcomeLogTest {

  record Seen(long id, int arm, double[] played, double[] realised, double reward) {}

  @Test
  void replayingWhatTheLogSawRebuildsTheModel() {
    for (String type : Configs.TYPES) {
      PolicyService live = Configs.service(type, 5, 3, 4);
      PolicyService replay = Configs.service(type, 5, 3, 4);
      List<Seen> seen = new ArrayList<>();
      SplittableRandom rng = new SplittableRandom(5);
      for (int t = 0; t < 200; t++) {
        double[] x = rng.doubles(5, -1, 1).toArray();
        ServiceDecision d = live.decide(x);
        double[] realised = rng.nextBoolean() ? null : rng.doubles(5, -1, 1).toArray();
        double reward = type.equals("libra") || type.startsWith("glrb") ? rng.nextDouble() : rng.nextGaussian();
        live.update(d.id(), reward, realised, (id, arm, played, real, r) ->
            seen.add(new Seen(id, arm, played.clone(), real.clone(), r)));
        Seen s = seen.getLast();
        assertEquals(d.id(), s.id());
        assertEquals(d.arm(), s.arm());
        assertArrayEquals(d.recourse(), s.played(), type);
        assertArrayEquals(realised != null ? realised : d.recourse(), s.realised(), type);
      }
      for (Seen s : seen) {
        replay.update(s.arm(), s.played(), s.realised(), s.reward());
      }
      assertArrayEquals(SnapshotTest.stateOf(live), SnapshotTest.stateOf(replay), type);
    }
  }

  @Test
  void aLogThatThrowsLeavesTheModelAlone() {
    PolicyService service = Configs.service("glrb", 4, 2, 2);
    ServiceDecision d = service.decide(new double[] {1, 2, 3, 4});
    long version = service.version();
    long[] before = SnapshotTest.stateOf(service);
    IllegalStateException e = assertThrows(IllegalStateException.class, () ->
        service.update(d.id(), 1.0, null, (id, arm, played, real, r) -> {
          throw new IllegalStateException("disk full");
        }));
    assertEquals("disk full", e.getMessage());
    assertEquals(version, service.version());
    assertArrayEquals(before, SnapshotTest.stateOf(service));
  }

  @Test
  void decisionIdsMoveOnAndNeverBack() {
    PolicyService service = Configs.service("linucb", 3, 2, 2);
    long first = service.decide(new double[] {1, 2, 3}).id();
    service.reserveDecisionIdsBelow(1L << 40);
    long next = service.decide(new double[] {1, 2, 3}).id();
    assertEquals(1L << 40, next);
    service.reserveDecisionIdsBelow(5);
    assertTrue(service.decide(new double[] {1, 2, 3}).id() > next, "a lower floor changes nothing");
    assertTrue(first < next);
  }
}
