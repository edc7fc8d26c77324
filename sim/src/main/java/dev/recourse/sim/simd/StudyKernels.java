package dev.recourse.sim.simd;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.KernelProvider;
import dev.recourse.core.simd.Kernels;

/**
 * The kernels every policy in a study runs on: results must not depend on the thread count, the run
 * or the JIT tier. That is core's scalar kernels when core chose scalar (or the vector module is
 * absent), else {@link PanamaOrderedKernels}, loaded reflectively so that this class never links the
 * incubator API itself. Chosen once per JVM; {@link #name()} goes into every result next to
 * {@link Kernels#name()}.
 */
public final class StudyKernels {

  private static final DoubleKernels ACTIVE = choose();

  private StudyKernels() {}

  public static DoubleKernels get() {
    return ACTIVE;
  }

  /** {@code scalar} or {@code panama-<bits>-ordered}. */
  public static String name() {
    return ACTIVE.name();
  }

  private static DoubleKernels choose() {
    if (Kernels.get() == Kernels.scalar() || !KernelProvider.vectorModulePresent()) {
      return Kernels.scalar();
    }
    try {
      Class<?> cls = Class.forName("dev.recourse.sim.simd.PanamaOrderedKernels");
      var ctor = cls.getDeclaredConstructor();
      ctor.setAccessible(true);
      return (DoubleKernels) ctor.newInstance();
    } catch (ReflectiveOperationException | LinkageError | IllegalStateException e) {
      System.getLogger(StudyKernels.class.getName()).log(System.Logger.Level.WARNING,
          "ordered Panama kernels did not load (" + e + "); studies use the scalar kernels");
      return Kernels.scalar();
    }
  }
}
