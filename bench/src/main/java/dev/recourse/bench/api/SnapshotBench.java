package dev.recourse.bench.api;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Snapshot cost at d = 100, K = 50 (LinUCB and GLRB: 2·K·d² + O(K·d) words, about 8 MB): {@code write}
 * is {@link PolicyService#snapshot} to a file in the temporary directory (encode, write,
 * fsync, rename, directory fsync); {@code load} is {@link PolicyService#restore} of that file (read,
 * CRC32C, decode, import into a fresh policy to check it, then into the master, publish);
 * {@code encode} is the in-memory {@link PolicyService#snapshotBytes()} alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class SnapshotBench {

  static final int DIM = 100;
  static final int ARMS = 50;

  @Param({"linucb", "glrb"})
  public String type;

  PolicyService service;
  PolicyService target;
  Path file;

  @Setup
  public void setUp() throws IOException {
    String policy = type.equals("linucb") ? "{type: linucb, radius: 1.0}" : "{type: glrb, radius: 1.0}";
    String feasible = type.equals("linucb") ? "" : "feasible: {mutable: [96, 97, 98, 99], ball: l2, radius: 1.0}\n";
    String yaml = "dim: " + DIM + "\narms: " + ARMS + "\n" + feasible + "policy: " + policy + "\n";
    service = PolicyService.of(ServiceConfig.parse(yaml));
    target = PolicyService.of(ServiceConfig.parse(yaml));
    SplittableRandom rng = new SplittableRandom(3);
    for (int t = 0; t < 2_000; t++) {
      double[] x = new double[DIM];
      for (int i = 0; i < DIM; i++) {
        x[i] = rng.nextDouble(-1, 1);
      }
      service.update(t % ARMS, x, rng.nextGaussian());
    }
    Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "snapshot-bench");
    file = dir.resolve("policy.snap");
    service.snapshot(file);
  }

  @TearDown
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(file.getParent());
  }

  @Benchmark
  public Path write() {
    service.snapshot(file);
    return file;
  }

  @Benchmark
  public long load() {
    target.restore(file);
    return target.version();
  }

  @Benchmark
  public byte[] encode() {
    return service.snapshotBytes();
  }
}
