package dev.recourse.core.simd;

import java.lang.reflect.Constructor;
import java.util.Locale;

/**
 * Chooses the kernel implementation once, at start-up (Lucene's VectorizationProvider pattern).
 *
 * <ul>
 *   <li>{@code -Drecourse.simd=auto|scalar|panama} (default {@code auto}): {@code auto} takes the
 *       Panama kernels when the {@code jdk.incubator.vector} module is in the boot layer, else the
 *       scalar twin with one warning naming the missing flag; {@code panama} fails if it cannot load.
 *   <li>{@code -Drecourse.simd.require=panama}: fail at start-up unless the Panama kernels loaded
 *       (the test suite uses it so a silent fallback cannot pass as a vector run).
 *   <li>{@code -Drecourse.simd.minLength=N}: the cut-over length below which the Panama kernels take
 *       the scalar path (default {@value #DEFAULT_MIN_VECTOR_LENGTH}, measured, see BENCHMARKS.md).
 *   <li>{@code -Drecourse.simd.bits=128|256|512}: vector width, for tests and benchmarks only.
 * </ul>
 */
public final class KernelProvider {

  public static final String MODE_PROPERTY = "recourse.simd";
  public static final String REQUIRE_PROPERTY = "recourse.simd.require";
  public static final String MIN_LENGTH_PROPERTY = "recourse.simd.minLength";
  public static final String BITS_PROPERTY = "recourse.simd.bits";
  static final int DEFAULT_MIN_VECTOR_LENGTH = 8;

  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private KernelProvider() {}

  /** Whether the incubator vector module is resolved in the boot layer. */
  public static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /** Builds the implementation the system properties ask for. Called once by {@link Kernels}. */
  static DoubleKernels create() {
    String mode = System.getProperty(MODE_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
    String require = System.getProperty(REQUIRE_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
    int minLength = Integer.getInteger(MIN_LENGTH_PROPERTY, DEFAULT_MIN_VECTOR_LENGTH);
    DoubleKernels chosen = switch (mode) {
      case "scalar" -> ScalarKernels.INSTANCE;
      case "panama" -> loadPanama(minLength, true);
      case "auto" -> {
        DoubleKernels k = loadPanama(minLength, false);
        yield k != null ? k : ScalarKernels.INSTANCE;
      }
      default -> throw new IllegalArgumentException(
          MODE_PROPERTY + " must be auto, scalar or panama, got '" + mode + "'");
    };
    if (require.equals("panama") && chosen == ScalarKernels.INSTANCE) {
      throw new IllegalStateException(REQUIRE_PROPERTY + "=panama but the Panama kernels did not load ("
          + MODE_PROPERTY + "=" + mode + ", vector module present: " + vectorModulePresent() + ")");
    }
    return chosen;
  }

  /** The Panama kernels, or null (with one warning) when they cannot load and are not mandatory. */
  static DoubleKernels loadPanama(int minLength, boolean mandatory) {
    if (!vectorModulePresent()) {
      String msg = "jdk.incubator.vector is not in the boot layer; start the JVM with "
          + "--add-modules jdk.incubator.vector to use the SIMD kernels";
      if (mandatory) {
        throw new IllegalStateException(MODE_PROPERTY + "=panama but " + msg);
      }
      System.getLogger(KernelProvider.class.getName())
          .log(System.Logger.Level.WARNING, msg + "; falling back to scalar kernels");
      return null;
    }
    try {
      Class<?> cls = Class.forName("dev.recourse.core.simd.PanamaKernels");
      Constructor<?> ctor = cls.getDeclaredConstructor(int.class);
      ctor.setAccessible(true);
      return (DoubleKernels) ctor.newInstance(minLength);
    } catch (ReflectiveOperationException | LinkageError e) {
      if (mandatory) {
        throw new IllegalStateException("could not load the Panama kernels", e);
      }
      System.getLogger(KernelProvider.class.getName())
          .log(System.Logger.Level.WARNING, "could not load the Panama kernels (" + e + "); using scalar");
      return null;
    }
  }
}
