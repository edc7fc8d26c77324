package dev.recourse.core.simd;

import java.lang.reflect.Constructor;
import java.util.Optional;

/**
 * Kernels of an ensemble of small MLPs {@code f_m(z) = w2_mᵀ·relu(W1_m·z + b1_m) + b2_m}
 * ({@code d → H ReLU → 1}) trained together on one shared mini-batch (ens-poGAMBITTS, spec gambitts.md
 * §5). Implementations: {@link ScalarMlpKernels} (plain Java, the reference twin) and
 * {@code PanamaMlpKernels} (jdk.incubator.vector), chosen like {@link Kernels}: the Panama pair when
 * {@link Kernels#get()} is the Panama implementation, else the scalar twin.
 *
 * <p><b>Layout: the members are the lanes.</b> Every parameter of every member lives in one flat
 * {@code double[] theta} at {@code theta[p·stride + m]}: parameter {@code p} in the order
 * {@code W1} by input coordinate ({@code p = c·H + j}), {@code b1} ({@code d·H + j}), {@code w2}
 * ({@code (d+1)·H + j}), {@code b2} ({@code (d+2)·H}); member {@code m < stride}. {@code stride} is the
 * member count rounded up to a multiple of {@link #STRIDE_MULTIPLE}; the padding members are all-zero
 * and stay zero (their gradient is 0). With the members as lanes the forward and backward passes are
 * element-wise across members: no lane reduction anywhere, the inputs {@code z} (shared by all members)
 * are broadcasts, and a block of hidden units' weights stays in registers for the whole mini-batch. A
 * gradient and Adam's moments have the same layout, so Adam is one flat pass over
 * {@link #numParams}{@code ·stride} elements.
 *
 * <p>Per-sample activations are recomputed in the backward pass rather than stored ({@code n·H·stride}
 * doubles would not fit in cache). No kernel allocates.
 *
 * <p><b>256-bit, like {@link PanamaKernels}.</b> At 512 bits the ensemble ran at 1.8–2.9× its FLOP floor,
 * but in JVMs that also ran the 256-bit kernels (a whole test suite; any study with LinUCB or GLRB
 * beside the ensemble) C2's code for the training step fell back to the Vector API's Java
 * implementations for its FMAs (JFR: {@code Double512Vector.lanewise → VectorSupport.ternaryOp}) and
 * allocated ≈ 520 KB a round, for good; with one vector shape in the JVM it does not (4 of 4 whole-suite
 * runs). The shape is the price: ≈ 3.3× the floor at K = 5 instead of 2.2× (BENCHMARKS.md).
 */
public interface MlpKernels {

  /** {@code stride} must be a multiple of this (the widest vector's lane count). */
  int STRIDE_MULTIPLE = 8;

  /** {@code "scalar"} or {@code "panama-<bits>"}. */
  String name();

  /** Parameters of one member: {@code H·d + 2H + 1}. */
  static int numParams(int d, int h) {
    return h * d + 2 * h + 1;
  }

  /** The member count rounded up to a multiple of {@link #STRIDE_MULTIPLE}. */
  static int stride(int members) {
    return (members + STRIDE_MULTIPLE - 1) / STRIDE_MULTIPLE * STRIDE_MULTIPLE;
  }

  /**
   * Forward pass of every member on the {@code n} inputs {@code z} (row-major {@code n×d} from 0):
   * {@code out[i·stride + m] = f_m(z_i)} for {@code i < n}, {@code m < stride}.
   */
  void forward(double[] theta, int d, int h, int stride, double[] z, int n, double[] out);

  /**
   * Backward pass: with {@code g[i·stride + m] = ∂L/∂f_m(z_i)}, writes {@code ∂L/∂θ} of every member into
   * {@code grad} (same layout as {@code theta}, overwritten): {@code ∂b2 = Σ_i g_i},
   * {@code ∂w2_j = Σ_i g_i·h_ij}, {@code ∂b1_j = w2_j·Σ_i g_i·[h_ij > 0]},
   * {@code ∂W1_cj = w2_j·Σ_i g_i·z_ic·[h_ij > 0]} (the pre-activations are recomputed).
   */
  void backward(double[] theta, int d, int h, int stride, double[] z, int n, double[] g, double[] grad);

  /** Doubles of scratch {@link #lossGradient} needs: {@code H·n·}{@link #STRIDE_MULTIPLE}. */
  static int workSize(int h, int n) {
    return h * n * STRIDE_MULTIPLE;
  }

  /**
   * One training step's loss and gradient for every member: {@link #forward}, then with residuals
   * {@code r = f_m(z_i) − targets[i·stride + m]}: {@code loss[m] = Σ_i r²} and
   * {@code out[i·stride + m] = scale·r} (= {@code ∂L/∂f}), then {@link #backward} into {@code grad}. The
   * vector twin keeps one lane group's pre-activations in {@code work} ({@link #workSize}, about 400 KB
   * at the repo's sizes: it stays in L2) instead of recomputing them in the backward pass. The padding
   * members need zero targets (their outputs are 0).
   */
  void lossGradient(double[] theta, int d, int h, int stride, double[] z, int n, double[] targets, double scale,
                    double[] out, double[] loss, double[] grad, double[] work);

  /**
   * Adam's step from zero moments over {@code theta[0..len)}:
   * {@code θ −= stepSize·(c1·g)/(√(c2·g²)·invSqrtBc2 + eps)}, computed with {@code √(c2·g²) = √c2·|g|}.
   */
  void adamReset(double[] theta, double[] grad, int len, double stepSize, double c1, double c2,
                 double invSqrtBc2, double eps);

  /**
   * Adam's step with persistent moments over {@code [0..len)}: {@code m ← β1·m + (1−β1)·g},
   * {@code v ← β2·v + (1−β2)·g²}, {@code θ −= stepSize·m/(√v·invSqrtBc2 + eps)}.
   */
  void adamPersistent(double[] theta, double[] grad, double[] m, double[] v, int len, double beta1,
                      double beta2, double stepSize, double invSqrtBc2, double eps);

  /**
   * One member's hidden sums over {@code n} inputs (a decision's Monte Carlo draws):
   * {@code sums[j] = Σ_{i<n} relu(b1_j + Σ_c W1_cj·z_ic)} for {@code j < H}. {@code w} holds that member
   * alone, in the parameter order with stride 1 ({@code W1} by coordinate, {@code b1}, {@code w2},
   * {@code b2}); input {@code i} is {@code z[rows[rowOff + i] .. + d)} (the decision reads its draws
   * straight from the offline pool, so their cache misses overlap the arithmetic). Here the hidden units
   * are the lanes.
   */
  void hiddenSums(double[] w, int d, int h, double[] z, int[] rows, int rowOff, int n, double[] sums);

  /** The implementation every model uses: Panama when {@link Kernels#get()} is, else scalar. */
  static MlpKernels get() {
    return Holder.ACTIVE;
  }

  /** The scalar twin. */
  static MlpKernels scalar() {
    return ScalarMlpKernels.INSTANCE;
  }

  /** A Panama implementation whatever the active choice, or empty without the vector module. */
  static Optional<MlpKernels> panama() {
    return Holder.ACTIVE != ScalarMlpKernels.INSTANCE ? Optional.of(Holder.ACTIVE)
        : Optional.ofNullable(Holder.loadPanama());
  }

  /** Lazy holder: the choice follows {@link Kernels}' once per JVM. */
  final class Holder {
    static final MlpKernels ACTIVE = Kernels.get() == ScalarKernels.INSTANCE ? ScalarMlpKernels.INSTANCE
        : orScalar(loadPanama());

    private Holder() {}

    private static MlpKernels orScalar(MlpKernels k) {
      return k != null ? k : ScalarMlpKernels.INSTANCE;
    }

    static MlpKernels loadPanama() {
      if (!KernelProvider.vectorModulePresent()) {
        return null;
      }
      try {
        Class<?> cls = Class.forName("dev.recourse.core.simd.PanamaMlpKernels");
        Constructor<?> ctor = cls.getDeclaredConstructor();
        ctor.setAccessible(true);
        return (MlpKernels) ctor.newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        System.getLogger(MlpKernels.class.getName())
            .log(System.Logger.Level.WARNING, "could not load the Panama MLP kernels (" + e + "); using scalar");
        return null;
      }
    }
  }
}
