package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recourse.core.policy.LinUcb;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.io.NumericCsvReader;
import dev.recourse.sim.io.NumericTable;
import dev.recourse.sim.io.ReplayCsv;
import dev.recourse.sim.run.ReplayData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {

  /** d = 2, K = 2. */
  private static final String STREAM = """
      x0,x1,r0,r1
      0.5,-1,1,0
      1,2,0,1
      -0.3,0.7,0.2,0.4
      """;
  private static final String WARMUP = """
      arm,reward,x0,x1
      0,1.0,1,0
      1,0.5,0,1
      """;

  @TempDir
  Path dir;

  private Path warmupFile() {
    return dir.resolve("warmup.csv");
  }

  private Path streamFile() {
    return dir.resolve("stream.csv");
  }

  private Path outFile() {
    return dir.resolve("rounds.csv");
  }

  /** Writes the two inputs (a null warm-up means none) and runs {@code recourse replay} on them. */
  private CliRun replay(String warmup, String stream, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("replay", "--stream", streamFile().toString(),
        "--out", outFile().toString()));
    if (warmup != null) {
      Files.writeString(warmupFile(), warmup);
      args.add("--warmup");
      args.add(warmupFile().toString());
    }
    Files.writeString(streamFile(), stream);
    args.addAll(List.of(options));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** Exit 2, one clean message naming the file and every part, nothing on stdout, no --out at all. */
  private void assertBadInput(CliRun run, Path file, String... parts) throws IOException {
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertEquals("", run.out(), run::toString);
    assertTrue(run.err().startsWith("error: " + file + ": "), run::toString);
    for (String part : parts) {
      assertTrue(run.err().contains(part), () -> "expected '" + part + "' in\n" + run);
    }
    assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run::toString);
    assertEquals(1, run.err().lines().count(), run::toString);
    assertFalse(Files.exists(outFile()), "no --out after bad input");
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary left");
    }
  }

  private NumericTable rounds() {
    return NumericCsvReader.read(outFile());
  }

  private static int[] armColumn(NumericTable rounds) {
    int[] arms = new int[rounds.rows()];
    for (int t = 0; t < arms.length; t++) {
      arms[t] = (int) rounds.value(t, 1);
    }
    return arms;
  }

  // ---- valid runs ----

  @Test
  void writesEveryRoundAndAHumanSummary() throws IOException {
    CliRun run = replay(WARMUP, STREAM);
    assertEquals(0, run.exitCode(), run::toString);
    NumericTable rounds = rounds();
    assertEquals(List.of("t", "arm", "reward"), rounds.header());
    assertEquals(3, rounds.rows());
    ReplayData data = ReplayCsv.load(warmupFile(), streamFile());
    assertArrayEquals(ReferenceReplay.arms(data, 1, 1), armColumn(rounds));
    double sum = 0;
    for (int t = 0; t < 3; t++) {
      assertEquals(t, rounds.value(t, 0));
      int arm = (int) rounds.value(t, 1);
      assertEquals(data.stream()[t * 4 + 2 + arm], rounds.value(t, 2));
      sum += rounds.value(t, 2);
    }
    List<String> lines = run.out().lines().toList();
    assertEquals("rounds: 3", lines.get(0));
    assertEquals("cum_reward: " + sum, lines.get(1));
    assertTrue(lines.stream().anyMatch(l -> l.matches("rounds_per_s: \\d+")), run::toString);
    assertTrue(lines.contains("kernels: " + Kernels.name()), run::toString);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("policy: LinUCB(alpha=1.0, lambda=1.0")), run::toString);
  }

  @Test
  void jsonSummaryIsExactlyOneParseableLine() throws IOException {
    CliRun run = replay(WARMUP, STREAM, "--json", "--alpha", "0.5", "--lambda", "2", "--refresh-every", "7");
    assertEquals(0, run.exitCode(), run::toString);
    assertEquals(1, run.out().lines().count(), run::toString);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals(3, json.get("rounds").asInt());
    double sum = 0;
    NumericTable rounds = rounds();
    for (int t = 0; t < rounds.rows(); t++) {
      sum += rounds.value(t, 2);
    }
    assertEquals(sum, json.get("cum_reward").asDouble());
    assertTrue(json.get("seconds").asDouble() >= 0);
    assertTrue(json.get("rounds_per_s").asDouble() > 0);
    assertEquals(Kernels.name(), json.get("kernels").asText());
    String policy = json.get("policy").asText();
    assertTrue(policy.startsWith("LinUCB(alpha=0.5, lambda=2.0, refreshEvery=7"), policy);
    assertArrayEquals(ReferenceReplay.arms(ReplayCsv.load(warmupFile(), streamFile()), 0.5, 2), armColumn(rounds));
  }

  @Test
  void withoutWarmupStartsFromThePrior() throws IOException {
    CliRun run = replay(null, STREAM, "--json");
    assertEquals(0, run.exitCode(), run::toString);
    ReplayData data = ReplayCsv.load(null, streamFile());
    assertEquals(0, data.warmupRows());
    assertArrayEquals(ReferenceReplay.arms(data, 1, 1), armColumn(rounds()));
  }

  @Test
  void replacesAnExistingOut() throws IOException {
    Files.writeString(outFile(), "stale\n");
    assertEquals(0, replay(WARMUP, STREAM).exitCode());
    assertEquals(3, rounds().rows());
  }

  // ---- ties go to the lower arm index ----

  /**
   * K = 2 with the same warm-up for both arms and identical reward columns, each stream row given twice.
   * Whenever the two scores are exactly equal (checked on a mirror policy) the replay must play arm 0.
   * The first round is always such a tie, and with all rewards 0 every even round is: arm 0 takes it,
   * becomes less uncertain, arm 1 takes the repeat, and both arms are identical again.
   */
  private int[] tieReplay(boolean zeroRewards, boolean[] tiedOut) throws IOException {
    int dim = 3;
    int pairs = 40;
    Random rnd = new Random(42);
    StringBuilder warmup = new StringBuilder("arm,reward,x0,x1,x2\n");
    for (int i = 0; i < 4; i++) {
      String x = rnd.nextGaussian() + "," + rnd.nextGaussian() + "," + rnd.nextGaussian();
      String reward = zeroRewards ? "0" : Double.toString(rnd.nextGaussian());
      warmup.append("0,").append(reward).append(',').append(x).append('\n');
      warmup.append("1,").append(reward).append(',').append(x).append('\n');
    }
    StringBuilder stream = new StringBuilder("x0,x1,x2,r0,r1\n");
    for (int p = 0; p < pairs; p++) {
      double r = zeroRewards ? 0 : rnd.nextGaussian();
      String row = rnd.nextGaussian() + "," + rnd.nextGaussian() + "," + rnd.nextGaussian() + "," + r + "," + r + "\n";
      stream.append(row).append(row);
    }
    CliRun run = replay(warmup.toString(), stream.toString());
    assertEquals(0, run.exitCode(), run::toString);
    int[] played = armColumn(rounds());
    assertEquals(2 * pairs, played.length);

    ReplayData data = ReplayCsv.load(warmupFile(), streamFile());
    LinUcb mirror = new LinUcb(2, dim, 1.0, 1.0);
    double[] x = new double[dim];
    for (int i = 0; i < data.warmupRows(); i++) {
      System.arraycopy(data.warmupContexts(), i * dim, x, 0, dim);
      mirror.update(data.warmupArms()[i], x, data.warmupRewards()[i]);
    }
    for (int t = 0; t < played.length; t++) {
      System.arraycopy(data.stream(), t * (dim + 2), x, 0, dim);
      double score0 = mirror.arms().mean(0, x, 0) + Math.sqrt(Math.max(0, mirror.arms().normSqVInv(0, x, 0)));
      double score1 = mirror.arms().mean(1, x, 0) + Math.sqrt(Math.max(0, mirror.arms().normSqVInv(1, x, 0)));
      tiedOut[t] = score0 == score1;
      if (tiedOut[t]) {
        assertEquals(0, played[t], "round " + t + " is an exact tie and must go to arm 0");
      }
      assertEquals(mirror.decide(x), played[t], "round " + t);
      mirror.update(played[t], x, data.stream()[t * (dim + 2) + dim + played[t]]);
    }
    return played;
  }

  @Test
  void exactTiesGoToTheLowerArm() throws IOException {
    boolean[] tied = new boolean[80];
    tieReplay(false, tied);
    assertTrue(tied[0], "identical warm-ups make round 0 a tie");
  }

  @Test
  void repeatedExactTiesAlwaysGoToTheLowerArm() throws IOException {
    boolean[] tied = new boolean[80];
    int[] played = tieReplay(true, tied);
    for (int t = 0; t < played.length; t++) {
      assertEquals(t % 2 == 0, tied[t], "round " + t + " tied?");
      assertEquals(t % 2, played[t], "round " + t);
    }
  }

  // ---- bad options ----

  @Test
  void rejectsBadOptionValues() throws IOException {
    for (String[] bad : List.of(new String[] {"--alpha", "-1"}, new String[] {"--alpha", "NaN"},
        new String[] {"--lambda", "0"}, new String[] {"--refresh-every", "-1"}, new String[] {"--alpha", "x"})) {
      CliRun run = replay(WARMUP, STREAM, bad);
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().contains(bad[0]), run::toString);
      assertEquals("", run.out());
      assertFalse(Files.exists(outFile()));
    }
  }

  /**
   * A recourse policy needs --mutable (the log has no feasible set), and --mutable or --gamma with any
   * other policy would be ignored: both are usage errors, before the files are read.
   */
  @Test
  void recourseOptionsGoWithRecoursePolicies() throws IOException {
    Path policyFile = Files.writeString(dir.resolve("libra.yaml"), "{type: libra, advisor: {type: quality, q: 1}}\n");
    for (String[] args : List.of(new String[] {"--policy", "glrb"}, new String[] {"--policy", "glrb-nc"},
        new String[] {"--policy", policyFile.toString()}, new String[] {"--policy", "llm-only", "--gamma", "2"})) {
      CliRun run = CliRun.of(concat(new String[] {"replay", "--stream", "no-such.csv", "--out", outFile().toString()}, args));
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().startsWith("error: policy '") && run.err().contains("' recommends recourse")
          && run.err().contains("pass --mutable I,J"), run::toString);
    }
    for (String[] args : List.of(new String[] {"--mutable", "0"}, new String[] {"--policy", "linucb", "--mutable", "0,1"},
        new String[] {"--policy", "noop", "--gamma", "2"})) {
      CliRun run = CliRun.of(concat(new String[] {"replay", "--stream", "no-such.csv", "--out", outFile().toString()}, args));
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().startsWith("error: " + (args[args.length - 2]) + " applies to policies that recommend "
          + "recourse (glrb, glrb-robust, glrb-nc, libra, llm-only); policy '"), run::toString);
      assertTrue(run.err().contains("' recommends none"), run::toString);
      assertFalse(Files.exists(outFile()));
    }
  }

  /** A log has no true parameters: the missing-advisor message suggests the advisor that can run on it. */
  @Test
  void aMissingAdvisorSuggestsOneTheLogCanRun() throws IOException {
    for (String policy : List.of("libra", "llm-only")) {
      CliRun run = replay(null, STREAM, "--policy", policy, "--mutable", "0,1");
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().contains("needs an advisor, e.g. {type: http, ...} (scenario 'logged-stream' has no true "
          + "parameters for a simulated one; see docs/http-advisor.md)"), run::toString);
      assertEquals(1, run.err().lines().count(), run::toString);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void rejectsOutInAMissingDirectoryBeforeReading() throws IOException {
    Files.writeString(streamFile(), STREAM);
    Path out = dir.resolve("missing/rounds.csv");
    CliRun run = CliRun.of("replay", "--stream", streamFile().toString(), "--out", out.toString());
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("does not exist"), run::toString);
  }

  @Test
  void badInputKeepsAnExistingOut() throws IOException {
    Files.writeString(outFile(), "previous run\n");
    CliRun run = replay(WARMUP, STREAM.replace("1,2,0,1", "1,2,0,oops"));
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertEquals("previous run\n", Files.readString(outFile()));
  }

  // ---- bad input: headers ----

  @Test
  void streamHeaderMissingAContextColumn() throws IOException {
    assertBadInput(replay(WARMUP, STREAM.replace("x0,x1,", "x0,x2,")), streamFile(),
        "line 1, column 2 (x2)", "expected \"x1\" or \"r0\"");
  }

  @Test
  void streamHeaderMissingARewardColumnMakesRowsTooWide() throws IOException {
    assertBadInput(replay(WARMUP, STREAM.replace("x0,x1,r0,r1", "x0,x1,r0")), streamFile(),
        "line 2, column 4", "the line has 4 values, the header has 3 columns");
  }

  @Test
  void streamHeaderWithoutRewardColumns() throws IOException {
    assertBadInput(replay(WARMUP, "x0,x1\n1,2\n"), streamFile(), "line 1, column 3", "missing column r0");
  }

  @Test
  void streamHeaderMisnamedColumns() throws IOException {
    assertBadInput(replay(WARMUP, STREAM.replace("r0,r1", "r0,reward1")), streamFile(),
        "line 1, column 4 (reward1)", "expected \"r1\"");
    assertBadInput(replay(WARMUP, STREAM.replace("x0,x1", "X0,x1")), streamFile(),
        "line 1, column 1 (X0)", "expected \"x0\"");
    assertBadInput(replay(WARMUP, STREAM.replace("r0,r1", "r1,r2")), streamFile(),
        "line 1, column 3 (r1)", "expected \"x2\" or \"r0\"");
  }

  @Test
  void warmupHeaderMissingReward() throws IOException {
    assertBadInput(replay(WARMUP.replace("arm,reward,", "arm,"), STREAM), warmupFile(),
        "line 1, column 2 (x0)", "expected \"reward\"", "arm,reward,x0..x1");
  }

  @Test
  void warmupHeaderMissingAContextColumn() throws IOException {
    assertBadInput(replay(WARMUP.replace("x0,x1", "x0"), STREAM), warmupFile(),
        "line 1, column 4 (x1)", "missing column");
  }

  @Test
  void warmupHeaderMisnamed() throws IOException {
    assertBadInput(replay(WARMUP.replace("arm,", "arms,"), STREAM), warmupFile(),
        "line 1, column 1 (arms)", "expected \"arm\"");
  }

  @Test
  void warmupDisagreesWithTheStreamOnDim() throws IOException {
    String stream = "x0,r0,r1\n0.5,1,0\n";
    assertBadInput(replay(WARMUP, stream), warmupFile(), "line 1, column 4 (x1)", "unexpected column", "d=1");
  }

  // ---- bad input: values ----

  @Test
  void nanInTheStream() throws IOException {
    assertBadInput(replay(WARMUP, STREAM.replace("1,2,0,1", "1,NaN,0,1")), streamFile(),
        "line 3, column 2 (x1)", "finite", "NaN");
  }

  @Test
  void infinityInTheWarmup() throws IOException {
    assertBadInput(replay(WARMUP.replace("1,0.5,0,1", "1,-Infinity,0,1"), STREAM), warmupFile(),
        "line 3, column 2 (reward)", "-Infinity");
  }

  @Test
  void unparseableNumbers() throws IOException {
    assertBadInput(replay(WARMUP, STREAM.replace("0.2,0.4", "0.2,abc")), streamFile(),
        "line 4, column 4 (r1)", "not a number: \"abc\"");
    assertBadInput(replay(WARMUP, STREAM.replace("0.5,-1", "0.5.1,-1")), streamFile(),
        "line 2, column 1 (x0)", "\"0.5.1\"");
    assertBadInput(replay(WARMUP.replace("0,1.0,1,0", "0,1.0,,0"), STREAM), warmupFile(),
        "line 2, column 3 (x0)", "empty value");
  }

  @Test
  void rowsOfTheWrongWidth() throws IOException {
    assertBadInput(replay(WARMUP, STREAM.replace("1,2,0,1", "1,2,0")), streamFile(),
        "line 3, column 4 (r1)", "missing value");
    assertBadInput(replay(WARMUP, STREAM.replace("1,2,0,1", "1,2,0,1,9")), streamFile(),
        "line 3, column 5", "unexpected value \"9\"");
    assertBadInput(replay(WARMUP.replace("1,0.5,0,1", "1,0.5,0"), STREAM), warmupFile(),
        "line 3, column 4 (x1)", "missing value");
  }

  /** Issue 15: a stream that lost reward columns is named first, not the (valid) warm-up. */
  @Test
  void aStreamWithTooFewRewardColumnsIsBlamedFirst() throws IOException {
    String warmup = "arm,reward,x0\n0,1.0,1\n1,0.5,0\n2,0.2,1\n";
    String stream = "x0,r0,r1\n1,0.1,0.2\n0,0.3,0.4\n";
    assertBadInput(replay(warmup, stream), streamFile(), "line 1: the header has K=2 reward columns (r0..r1)",
        warmupFile() + " line 4 has arm 2", "a reward for every arm (r0..r2 at least)");
  }

  @Test
  void warmupArmOutOfRange() throws IOException {
    assertBadInput(replay(WARMUP.replace("1,0.5,0,1", "2,0.5,0,1"), STREAM), streamFile(),
        "line 1: the header has K=2 reward columns (r0..r1), but " + warmupFile() + " line 3 has arm 2");
    assertBadInput(replay(WARMUP.replace("0,1.0,1,0", "-1,1.0,1,0"), STREAM), warmupFile(),
        "line 2, column 1 (arm)", "arm -1 is out of range");
    assertBadInput(replay(WARMUP.replace("1,0.5,0,1", "0.5,0.5,0,1"), STREAM), warmupFile(),
        "line 3, column 1 (arm)", "integer", "0.5");
  }

  @Test
  void emptyStream() throws IOException {
    assertBadInput(replay(WARMUP, "x0,x1,r0,r1\n"), streamFile(), "line 2", "empty stream");
    assertBadInput(replay(WARMUP, ""), streamFile(), "empty file");
  }

  @Test
  void missingFiles() throws IOException {
    CliRun run = CliRun.of("replay", "--stream", streamFile().toString(), "--out", outFile().toString());
    assertBadInput(run, streamFile(), "no such file");
    Files.writeString(streamFile(), STREAM);
    run = CliRun.of("replay", "--warmup", warmupFile().toString(), "--stream", streamFile().toString(),
        "--out", outFile().toString());
    assertBadInput(run, warmupFile(), "no such file");
  }

  /** Issue 10: any policy replays; GLRB's arms are those of a direct loop over the same rows. */
  @Test
  void glrbReplaysAndMatchesADirectLoop() throws IOException {
    Random rng = new Random(5);
    StringBuilder stream = new StringBuilder("x0,x1,x2,r0,r1,r2\n");
    for (int t = 0; t < 300; t++) {
      stream.append(rng.nextGaussian()).append(',').append(rng.nextGaussian()).append(',').append(rng.nextGaussian());
      for (int a = 0; a < 3; a++) {
        stream.append(',').append(rng.nextGaussian() + a * 0.1);
      }
      stream.append('\n');
    }
    CliRun run = replay(null, stream.toString(), "--policy", "glrb", "--mutable", "0,2", "--gamma", "0.5",
        "--alpha", "2");
    assertEquals(0, run.exitCode(), run::toString);
    assertTrue(run.out().contains("policy: GLRB("), run::toString);
    ReplayData data = ReplayCsv.load(null, streamFile());
    int[] mutable = {0, 2};
    dev.recourse.core.policy.Glrb glrb = new dev.recourse.core.policy.Glrb(new dev.recourse.core.model.RidgeArms(3, 3,
        1.0, dev.recourse.core.model.RidgeArms.DEFAULT_REFRESH_EVERY,
        dev.recourse.core.model.RidgeArms.RefreshMethod.CHOLESKY, Kernels.get()),
        new dev.recourse.core.recourse.FeasibleSet(3, mutable, new dev.recourse.core.recourse.L2Ball(2, 0.5)),
        dev.recourse.core.policy.ConfidenceRadius.constant(2.0), new dev.recourse.core.recourse.CoordinateDescentOro(2));
    dev.recourse.core.policy.Decision decision = new dev.recourse.core.policy.Decision(3);
    double[] x = new double[3];
    int[] expected = new int[300];
    for (int t = 0; t < 300; t++) {
      System.arraycopy(data.stream(), t * 6, x, 0, 3);
      glrb.decide(x, decision);
      expected[t] = decision.arm();
      glrb.update(decision.arm(), x, data.stream()[t * 6 + 3 + decision.arm()]);
    }
    assertArrayEquals(expected, armColumn(rounds()));

    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "{type: glrb, radius: 2, lambda: 1}\n");
    CliRun fromFile = replay(null, stream.toString(), "--policy", policy.toString(), "--mutable", "0,2", "--gamma", "0.5");
    assertEquals(0, fromFile.exitCode(), fromFile::toString);
    assertArrayEquals(expected, armColumn(rounds()));

    CliRun noSet = replay(null, stream.toString(), "--policy", "glrb");
    assertEquals(2, noSet.exitCode(), noSet::toString);
    assertTrue(noSet.err().contains("policy 'glrb' recommends recourse") && noSet.err().contains("pass --mutable I,J"),
        noSet::toString);
    CliRun unknown = replay(null, stream.toString(), "--policy", "thompson");
    assertEquals(2, unknown.exitCode(), unknown::toString);
    assertTrue(unknown.err().contains("unknown policy 'thompson'"), unknown::toString);
  }
}
