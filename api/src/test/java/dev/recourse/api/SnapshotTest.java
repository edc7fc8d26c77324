package dev.recourse.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshots: a restored service decides exactly as the original from then on (every policy type), and
 * a corrupt, truncated, wrong-version, wrong-type or wrong-configuration file is refused with a clear
 * error and loads nothing. A version-1 file kept in the test resources still loads.
 */
class SnapshotTest {

  @TempDir
  Path dir;

  /** Plays {@code rounds} decide/delayed-update rounds (with an arm added and one retired midway). */
  static void play(PolicyService s, SplittableRandom rng, int rounds, java.util.List<String> log) {
    ServiceConfig c = s.config();
    for (int t = 0; t < rounds; t++) {
      ServiceDecision d = s.decide(Configs.context(rng, c));
      if (log != null) {
        log.add(d.arm() + " " + Double.doubleToRawLongBits(d.score()) + " " + java.util.Arrays.toString(d.recourse())
            + " " + d.advised());
      }
      double r = Configs.reward(rng, d.arm(), d.recourse());
      if (s.config().logisticLink()) {
        r = r > 0.5 ? 1 : 0;
      }
      double[] z = Configs.treatment(rng, c, d.arm());
      if (rng.nextInt(4) == 0) {
        double[] realised = d.recourse().clone();
        if (c.gambitts()) {
          realised = Configs.context(rng, c);
        } else {
          realised[0] += 0.05;
        }
        s.update(d.id(), r, realised, z, null);
      } else {
        s.update(d.id(), r, null, z, null);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"linucb", "glrb", "glrb-robust", "glrb-nc", "libra", "po-gambitts", "fo-gambitts", "std-ts",
      "std-ts-contextual", "llm-only", "ens-po-gambitts"})
  void restoredServiceDecidesExactlyAsTheOriginal(String type) {
    PolicyService original = Configs.service(type, 5, 3, 4);
    play(original, new SplittableRandom(1), 150, null);
    original.addArm();
    original.retireArm(1);
    play(original, new SplittableRandom(2), 150, null);
    Path file = dir.resolve(type + ".snap");
    original.snapshot(file);

    PolicyService restored = Configs.service(type, 5, 3, 4);
    restored.restore(file);
    assertEquals(original.activeArms(), restored.activeArms());
    assertTrue(restored.isRetired(1));
    java.util.List<String> a = new java.util.ArrayList<>();
    java.util.List<String> b = new java.util.ArrayList<>();
    play(original, new SplittableRandom(3), 300, a);
    play(restored, new SplittableRandom(3), 300, b);
    assertEquals(a, b);
    assertArrayEquals(stateOf(original), stateOf(restored), "the learnt states stay equal");
  }

  static long[] stateOf(PolicyService s) {
    ServiceConfig c = s.config();
    return SnapshotFormat.decode(s.snapshotBytes(), "mem", c.policyType(), c.hash()).state();
  }

  @Test
  void logisticLinkRoundTrips() {
    String yaml = Configs.yaml("glrb", 4, 2, 2).replace("max_arms: 2\n", "max_arms: 2\nlink: logistic\n");
    PolicyService original = PolicyService.of(ServiceConfig.parse(yaml));
    play(original, new SplittableRandom(5), 200, null);
    PolicyService restored = PolicyService.of(ServiceConfig.parse(yaml));
    restored.restore(original.snapshotBytes());
    java.util.List<String> a = new java.util.ArrayList<>();
    java.util.List<String> b = new java.util.ArrayList<>();
    play(original, new SplittableRandom(6), 100, a);
    play(restored, new SplittableRandom(6), 100, b);
    assertEquals(a, b);
  }

  /** Asserts that loading {@code bytes} fails mentioning {@code words} and leaves {@code target} as it was. */
  private static void refused(PolicyService target, byte[] bytes, String words) {
    long version = target.version();
    long[] before = stateOf(target);
    SnapshotException e = assertThrows(SnapshotException.class, () -> target.restore(bytes));
    assertTrue(e.getMessage().contains(words), e.getMessage());
    assertEquals(version, target.version(), "nothing published");
    assertArrayEquals(before, stateOf(target), "nothing loaded");
  }

  @Test
  void badSnapshotsAreRefusedAndLoadNothing() {
    PolicyService source = Configs.service("glrb", 5, 3, 3);
    play(source, new SplittableRandom(1), 100, null);
    byte[] good = source.snapshotBytes();
    PolicyService target = Configs.service("glrb", 5, 3, 3);
    play(target, new SplittableRandom(9), 20, null);

    byte[] corrupt = good.clone();
    corrupt[good.length / 2] ^= 0x10;
    refused(target, corrupt, "corrupt: CRC32C");
    for (int cut : new int[] {0, 5, 13, 30, good.length / 2, good.length - 1}) {
      refused(target, java.util.Arrays.copyOf(good, cut), "truncated");
    }
    byte[] v3 = good.clone();
    v3[11] = 3;
    refused(target, v3, "format version 3 is not supported");
    byte[] notOurs = good.clone();
    notOurs[0] = 'X';
    refused(target, notOurs, "not a recourse snapshot");
    refused(Configs.service("glrb-robust", 5, 3, 3), good, "holds a 'glrb' policy, this service runs 'glrb-robust'");
    PolicyService otherLambda = PolicyService.of(ServiceConfig.parse(Configs.yaml("glrb", 5, 3, 3)
        .replace("lambda: 1.0", "lambda: 2.0")));
    refused(otherLambda, good, "configuration hash");

    target.restore(good); // and the good one loads
    assertArrayEquals(stateOf(source), stateOf(target));
  }

  @Test
  void pendingSettingsAreNotPartOfTheConfigurationHash() {
    String a = Configs.yaml("linucb", 3, 2, 2);
    String b = a.replace("capacity: 4096", "capacity: 16");
    assertEquals(ServiceConfig.parse(a).hash(), ServiceConfig.parse(b).hash());
    assertTrue(ServiceConfig.parse(a).hash() != ServiceConfig.parse(a.replace("radius: 0.7", "radius: 0.8")).hash());
  }

  // ------------------------------------------------------------------ the version-1 fixture

  static final String FIXTURE = "/snapshots/glrb-robust-v1.snap";

  /** The fixture's service: its configuration and the rounds that produced the stored state. */
  static PolicyService fixtureService() {
    return Configs.service("glrb-robust", 5, 3, 4);
  }

  static void fixtureRounds(PolicyService s) {
    play(s, new SplittableRandom(2024), 200, null);
    s.addArm();
    s.retireArm(0);
    play(s, new SplittableRandom(2025), 100, null);
  }

  @Test
  void versionOneFileStillLoads() throws IOException {
    byte[] bytes;
    try (InputStream in = SnapshotTest.class.getResourceAsStream(FIXTURE)) {
      if (in == null) {
        throw new AssertionError("missing test resource " + FIXTURE);
      }
      bytes = in.readAllBytes();
    }
    assertEquals(1, java.nio.ByteBuffer.wrap(bytes, 8, 4).getInt(), "the fixture is format version 1");
    PolicyService loaded = fixtureService();
    loaded.restore(bytes);
    PolicyService replayed = fixtureService();
    fixtureRounds(replayed);
    assertArrayEquals(stateOf(replayed), stateOf(loaded), "the file holds the replayed state");
    assertEquals(4, loaded.activeArms());
    assertTrue(loaded.isRetired(0));
    java.util.List<String> a = new java.util.ArrayList<>();
    java.util.List<String> b = new java.util.ArrayList<>();
    play(loaded, new SplittableRandom(7), 100, a);
    play(replayed, new SplittableRandom(7), 100, b);
    assertEquals(b, a);
  }

  /**
   * Writes a fixture of the current format beside the version-1 one, which is frozen:
   * {@code -Dapi.writeFixture=<dir of test resources>} (when the format is extended).
   */
  @Test
  void writeFixtureWhenAsked() throws IOException {
    String where = System.getProperty("api.writeFixture");
    if (where == null) {
      return;
    }
    PolicyService s = fixtureService();
    fixtureRounds(s);
    Path file = Path.of(where + FIXTURE.replace("-v1.snap", "-v" + SnapshotFormat.CURRENT + ".snap"));
    Files.createDirectories(file.getParent());
    s.snapshot(file);
  }
}
