package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recourse.sim.env.LinearGaussianStream;
import dev.recourse.sim.io.NumericCsvReader;
import dev.recourse.sim.io.NumericTable;
import dev.recourse.sim.io.ReplayCsv;
import dev.recourse.sim.run.ReplayData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateAndReplayTest {

  private static final int DIM = 20;
  private static final int ARMS = 10;
  private static final int ROUNDS = 4000;

  @TempDir
  Path dir;

  private CliRun generate(Path outDir, long seed) {
    return CliRun.of("generate-stream", "--dim", "" + DIM, "--arms", "" + ARMS, "--rounds", "" + ROUNDS,
        "--seed", "" + seed, "--out-dir", outDir.toString());
  }

  @Test
  void replayOfAGeneratedStreamMatchesADirectLinUcbLoop() throws IOException {
    Path data = dir.resolve("data");
    CliRun gen = generate(data, 7);
    assertEquals(0, gen.exitCode(), gen::toString);
    assertEquals("", gen.out(), "generate-stream prints no results on stdout");

    Path warmup = data.resolve(GenerateStreamCommand.WARMUP_FILE);
    Path stream = data.resolve(GenerateStreamCommand.STREAM_FILE);
    Path out = dir.resolve("rounds.csv");
    CliRun run = CliRun.of("replay", "--warmup", warmup.toString(), "--stream", stream.toString(),
        "--out", out.toString(), "--json");
    assertEquals(0, run.exitCode(), run::toString);

    NumericTable rounds = NumericCsvReader.read(out);
    assertEquals(List.of("t", "arm", "reward"), rounds.header());
    assertEquals(ROUNDS, rounds.rows());
    ReplayData inputs = ReplayCsv.load(warmup, stream);
    int[] expected = ReferenceReplay.arms(inputs, 1, 1);
    double sum = 0;
    for (int t = 0; t < ROUNDS; t++) {
      assertEquals(t, rounds.value(t, 0));
      assertEquals(expected[t], (int) rounds.value(t, 1), "arm of round " + t);
      assertEquals(inputs.stream()[t * (DIM + ARMS) + DIM + expected[t]], rounds.value(t, 2), "reward of round " + t);
      sum += rounds.value(t, 2);
    }
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals(ROUNDS, json.get("rounds").asInt());
    assertEquals(sum, json.get("cum_reward").asDouble());
    assertEquals(ARMS, json.get("arms").asInt());
    assertEquals(DIM, json.get("dim").asInt());
    assertEquals(ARMS, json.get("warmup_rows").asInt());
  }

  @Test
  void filesHoldTheModelsDrawsExactly() throws IOException {
    Path data = dir.resolve("data");
    assertEquals(0, generate(data, 3).exitCode());
    NumericTable warmup = NumericCsvReader.read(data.resolve(GenerateStreamCommand.WARMUP_FILE));
    NumericTable stream = NumericCsvReader.read(data.resolve(GenerateStreamCommand.STREAM_FILE));
    ReplayCsv.checkWarmupHeader(warmup.file(), warmup.header(), DIM);
    assertEquals(new ReplayCsv.StreamShape(DIM, ARMS), ReplayCsv.streamShape(stream.file(), stream.header()));
    assertEquals(ARMS, warmup.rows());
    assertEquals(ROUNDS, stream.rows());

    LinearGaussianStream model = new LinearGaussianStream(DIM, ARMS, 3);
    double[] x = new double[DIM];
    double[] rewards = new double[ARMS];
    for (int arm = 0; arm < ARMS; arm++) {
      double reward = model.nextWarmup(arm, x);
      assertEquals(arm, warmup.value(arm, 0), "warm-up rows are in arm order");
      assertEquals(reward, warmup.value(arm, 1));
      for (int i = 0; i < DIM; i++) {
        assertEquals(x[i], warmup.value(arm, 2 + i));
      }
    }
    for (int t = 0; t < ROUNDS; t++) {
      model.nextRound(x, rewards);
      for (int i = 0; i < DIM; i++) {
        assertEquals(x[i], stream.value(t, i));
      }
      for (int a = 0; a < ARMS; a++) {
        assertEquals(rewards[a], stream.value(t, DIM + a));
      }
    }
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
    Path first = dir.resolve("a");
    Path second = dir.resolve("b");
    Path other = dir.resolve("c");
    assertEquals(0, generate(first, 11).exitCode());
    assertEquals(0, generate(second, 11).exitCode());
    assertEquals(0, generate(other, 12).exitCode());
    for (String name : List.of(GenerateStreamCommand.WARMUP_FILE, GenerateStreamCommand.STREAM_FILE)) {
      assertEquals(-1L, Files.mismatch(first.resolve(name), second.resolve(name)), name);
      assertNotEquals(-1L, Files.mismatch(first.resolve(name), other.resolve(name)), name);
    }
  }

  @Test
  void rejectsBadOptions() throws IOException {
    for (String option : List.of("--dim", "--arms", "--rounds")) {
      List<String> args = new java.util.ArrayList<>(List.of("generate-stream", "--dim", "2", "--arms", "2",
          "--rounds", "5", "--out-dir", dir.resolve("x").toString()));
      args.set(args.indexOf(option) + 1, "0");
      CliRun run = CliRun.of(args.toArray(String[]::new));
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().contains(option + " must be >= 1"), run::toString);
    }
    Path file = Files.writeString(dir.resolve("a-file"), "");
    CliRun run = CliRun.of("generate-stream", "--dim", "2", "--arms", "2", "--rounds", "5",
        "--out-dir", file.toString());
    assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
    assertTrue(run.err().contains("not a directory"), run::toString);
  }

  /**
   * A folder no file can be created in: a read-only copy of the temp dir where permissions bind (not
   * for root), else a read-only file system such as /sys in a container; skipped where there is none.
   */
  private Path unwritableFolder() throws IOException {
    Path ro = Files.createDirectory(dir.resolve("read-only"));
    ro.toFile().setWritable(false, false);
    for (Path candidate : List.of(ro, Path.of("/sys"))) {
      Path probe = candidate.resolve(".probe-" + ProcessHandle.current().pid());
      try {
        Files.createFile(probe);
        Files.delete(probe);
      } catch (IOException e) {
        return candidate;
      }
    }
    org.junit.jupiter.api.Assumptions.abort("no folder here refuses new files");
    return null;
  }

  @Test
  void aReadOnlyOutDirExitsTwoNamingTheFolder() throws IOException {
    Path ro = unwritableFolder();
    try {
      CliRun run = CliRun.of("generate-stream", "--dim", "2", "--arms", "2", "--rounds", "5",
          "--out-dir", ro.toString());
      assertEquals(Main.EXIT_USAGE, run.exitCode(), run::toString);
      assertTrue(run.err().startsWith("error: --out-dir " + ro + ": "), run::toString);
      assertFalse(run.err().contains(".tmp"), run::toString);
      assertEquals(1, run.err().lines().count(), run::toString);
    } finally {
      ro.toFile().setWritable(true, false);
    }
  }
}
