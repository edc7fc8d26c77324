package dev.recourse.sim.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's shared data files, which live outside the repository ({@code ../shared/data} from the
 * main checkout; further up from a worktree). Found by walking up from the working directory, never
 * copied into the repository.
 */
public final class SharedData {

  private SharedData() {}

  /**
   * The UCI fertility file. When it is absent (a clone of the project alone) the calling test is
   * skipped with a message naming the path it looked for: the data are optional to the tests.
   */
  public static Path fertility() {
    Optional<Path> file = fertilityIfPresent();
    Assumptions.assumeTrue(file.isPresent(), () -> "skipped: the UCI Fertility data were not found at "
        + expected() + " (nor in any parent's shared/data/fertility_Diagnosis.txt)");
    return file.orElseThrow();
  }

  /** The UCI fertility file, if present. */
  public static Optional<Path> fertilityIfPresent() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("shared/data/fertility_Diagnosis.txt");
      if (Files.isRegularFile(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Where a checkout next to the shared folder finds the file: {@code ../shared/data/...} from the project root. */
  private static Path expected() {
    Path start = Path.of("").toAbsolutePath();
    Path root = start.getFileName() != null && (start.endsWith("sim") || start.endsWith("core")) ? start.getParent() : start;
    return root.resolveSibling("shared").resolve("data").resolve("fertility_Diagnosis.txt");
  }
}
