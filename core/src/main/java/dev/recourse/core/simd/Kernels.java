package dev.recourse.core.simd;

/**
 * The active kernel implementation, chosen once per JVM by {@link KernelProvider}. The field is
 * {@code static final} so the JIT sees a single receiver at every call site and inlines through it.
 */
public final class Kernels {

  private static final DoubleKernels ACTIVE = KernelProvider.create();

  static {
    System.getLogger(Kernels.class.getName())
        .log(System.Logger.Level.INFO, "recourse kernels: " + ACTIVE.name());
  }

  private Kernels() {}

  /** The implementation every model uses. */
  public static DoubleKernels get() {
    return ACTIVE;
  }

  /** Its name, recorded in every result ({@code scalar} or {@code panama-<bits>}). */
  public static String name() {
    return ACTIVE.name();
  }

  /**
   * A Panama implementation whatever the active choice, or empty if the vector module is absent:
   * for equivalence tests and benchmarks that compare both paths in one JVM.
   */
  public static java.util.Optional<DoubleKernels> panama() {
    if (ACTIVE != ScalarKernels.INSTANCE) {
      return java.util.Optional.of(ACTIVE);
    }
    return java.util.Optional.ofNullable(KernelProvider.loadPanama(
        Integer.getInteger(KernelProvider.MIN_LENGTH_PROPERTY, KernelProvider.DEFAULT_MIN_VECTOR_LENGTH), false));
  }

  /** The scalar twin. */
  public static DoubleKernels scalar() {
    return ScalarKernels.INSTANCE;
  }
}
