package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random operation sequences (decide, delayed update, logged update, add arm, retire arm, snapshot and
 * restore), every embeddable type including the samplers: after each restore, a service restored from
 * the original's snapshot is driven alongside it, and every later decision of the two must agree bit
 * for bit, as must their final states; outcomes of decisions made before the snapshot are accepted by
 * both (the snapshot keeps the pending decisions).
 */
class RestorePropertiesTest {

  sealed interface Op permits Decide, Answer, Logged, AddArm, Retire, SnapshotRestore {}

  record Decide(long seed, int allowedBits) implements Op {}

  record Answer(long seed, boolean realised) implements Op {}

  record Logged(int arm, long seed) implements Op {}

  record AddArm() implements Op {}

  record Retire(int arm) implements Op {}

  record SnapshotRestore() implements Op {}

  static final int DIM = 4;
  static final int ARMS = 3;
  static final int MAX_ARMS = 5;

  @Provide
  Arbitrary<String> types() {
    return Arbitraries.of(Configs.ALL);
  }

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<Op> op = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.longs().flatMap(s -> Arbitraries.integers().between(0, 31)
            .map(b -> (Op) new Decide(s, b)))),
        net.jqwik.api.Tuple.of(4, Arbitraries.longs().flatMap(s -> Arbitraries.of(true, false)
            .map(r -> (Op) new Answer(s, r)))),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, MAX_ARMS - 1).flatMap(a -> Arbitraries.longs()
            .map(s -> (Op) new Logged(a, s)))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new AddArm())),
        net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, MAX_ARMS - 1).map(a -> (Op) new Retire(a))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new SnapshotRestore())));
    return op.list().ofMinSize(1).ofMaxSize(120);
  }

  @Property(tries = 60)
  void restoredServicesDecideAsTheOriginal(@ForAll("types") String type, @ForAll("ops") List<Op> ops) {
    PolicyService original = Configs.service(type, DIM, ARMS, MAX_ARMS);
    PolicyService restored = null;
    ArrayDeque<long[]> open = new ArrayDeque<>(); // unanswered decisions: id, arm
    ArrayDeque<double[]> openContexts = new ArrayDeque<>();
    for (Op op : ops) {
      switch (op) {
        case Decide d -> {
          double[] x = Configs.context(new SplittableRandom(d.seed()), original.config());
          int[] allowed = allowed(original, d.allowedBits());
          ServiceDecision a = original.decide(x, allowed);
          if (restored != null) {
            ServiceDecision b = restored.decide(x, allowed);
            assertEquals(a.id(), b.id());
            assertEquals(a.arm(), b.arm());
            assertEquals(Double.doubleToRawLongBits(a.score()), Double.doubleToRawLongBits(b.score()));
            assertArrayEquals(a.recourse(), b.recourse(), 0.0);
            assertArrayEquals(a.scores(), b.scores(), 0.0);
            assertEquals(a.advised(), b.advised());
          }
          open.add(new long[] {a.id(), a.arm()});
          openContexts.add(a.recourse().clone());
        }
        case Answer a -> {
          if (open.isEmpty()) {
            continue;
          }
          long[] decision = open.poll();
          double[] played = openContexts.poll();
          SplittableRandom rng = new SplittableRandom(a.seed());
          double reward = Configs.reward(rng, (int) decision[1], played);
          double[] realised = a.realised() ? Configs.context(rng, original.config()) : null;
          double[] z = Configs.treatment(rng, original.config(), (int) decision[1]);
          original.update(decision[0], reward, realised, z, null);
          if (restored != null) {
            restored.update(decision[0], reward, realised, z, null);
          }
        }
        case Logged l -> {
          if (l.arm() >= original.activeArms()) {
            continue;
          }
          SplittableRandom rng = new SplittableRandom(l.seed());
          double[] x = Configs.context(rng, original.config());
          double reward = Configs.reward(rng, l.arm(), x);
          double[] z = Configs.treatment(rng, original.config(), l.arm());
          original.update(l.arm(), x, reward, z);
          if (restored != null) {
            restored.update(l.arm(), x, reward, z);
          }
        }
        case AddArm ignored -> {
          if (original.activeArms() < MAX_ARMS) {
            int arm = original.addArm();
            if (restored != null) {
              assertEquals(arm, restored.addArm());
            }
          }
        }
        case Retire r -> {
          if (r.arm() < original.activeArms() && !original.isRetired(r.arm()) && offered(original) > 1) {
            original.retireArm(r.arm());
            if (restored != null) {
              restored.retireArm(r.arm());
            }
          }
        }
        case SnapshotRestore ignored -> {
          restored = Configs.service(type, DIM, ARMS, MAX_ARMS);
          restored.restore(original.snapshotBytes());
          // The snapshot carries the pending decisions: earlier decisions' answers reach both services.
        }
      }
    }
    if (restored != null) {
      assertArrayEquals(SnapshotTest.stateOf(original), SnapshotTest.stateOf(restored));
    }
  }

  private static int offered(PolicyService s) {
    int n = 0;
    for (int a = 0; a < s.activeArms(); a++) {
      n += s.isRetired(a) ? 0 : 1;
    }
    return n;
  }

  /** The offered arms whose bit is set, or all offered arms when none is. */
  private static int[] allowed(PolicyService s, int bits) {
    List<Integer> arms = new ArrayList<>();
    List<Integer> all = new ArrayList<>();
    for (int a = 0; a < s.activeArms(); a++) {
      if (!s.isRetired(a)) {
        all.add(a);
        if ((bits >> a & 1) != 0) {
          arms.add(a);
        }
      }
    }
    return (arms.isEmpty() ? all : arms).stream().mapToInt(Integer::intValue).toArray();
  }
}
