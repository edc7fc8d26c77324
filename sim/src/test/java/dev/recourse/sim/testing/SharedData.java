package dev.recourse.sim.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's shared data files, which live outside the repository ({@code ../shared/data} from the
 * main checkout; further up from a worktree). Found by walking up from the working directory, never
 * copied into the repository.
 */
public final class SharedData {

  private SharedData() {}

  /** The UCI fertility file; fails the test, naming where it looked, when absent. */
  public static Path fertility() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/fertility_Diagnosis.txt");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("shared/data/fertility_Diagnosis.txt not found in " + start + " or any parent");
  }
}
