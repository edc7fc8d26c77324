package dev.recourse.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child JVM of {@link CrashTest}: resumes from the snapshot file if there is one, then loops
 * forever: one logged update (the i-th update's data depend on i alone), one snapshot. Prints
 * {@code ready} once it has written its first snapshot, so that the parent kills it mid-loop.
 */
public final class CrashChild {

  static final String CONFIG = Configs.yaml("linucb", 30, 10, 10);

  private CrashChild() {}

  /** Applies update number {@code i} (0-based) of the deterministic sequence. */
  static void update(PolicyService s, long i) {
    SplittableRandom rng = new SplittableRandom(i);
    int arm = rng.nextInt(10);
    double[] x = Configs.context(rng, 30);
    s.update(arm, x, Configs.reward(rng, arm, x));
  }

  public static void main(String[] args) {
    Path file = Path.of(args[0]);
    PolicyService s = PolicyService.of(ServiceConfig.parse(CONFIG));
    if (Files.exists(file)) {
      s.restore(file);
    }
    boolean announced = false;
    while (true) {
      update(s, s.version()); // version = number of updates applied so far
      s.snapshot(file);
      if (!announced) {
        System.out.println("ready");
        System.out.flush();
        announced = true;
      }
    }
  }
}
