package dev.recourse.core.model;

import dev.recourse.core.simd.DoubleKernels;

/**
 * Per-arm estimates a UCB policy reads: {@code θ̂_a} and the inverse design matrix
 * {@code V_a⁻¹ = (λI + Σ x xᵀ)⁻¹}, each arm's block in one contiguous array. The identity link keeps
 * them by ridge regression ({@link RidgeArms}); the logistic link by a regularised MLE
 * ({@link LogisticArms}). Confined to one thread.
 */
public interface ArmModel {

  int numArms();

  int dim();

  /** All arms' θ̂, arm a at {@code a·d}. Read only. */
  double[] thetaHat();

  /** All arms' {@code V⁻¹}, arm a at {@code a·d²}. Read only. */
  double[] vInv();

  /**
   * An upper bound on {@code λ_max(V_a⁻¹)}, the largest eigenvalue of arm {@code arm}'s inverse design
   * matrix, or {@code +∞} when the model offers none. GLRB bounds an arm's optimistic value with it and
   * skips arms that cannot win; a tighter bound prunes more, a wrong (too small) one would change
   * decisions, so implementations must return a guaranteed bound.
   */
  default double vInvSpectralBound(int arm) {
    return Double.POSITIVE_INFINITY;
  }

  /**
   * A number that changes whenever arm {@code arm}'s θ̂ or {@code V⁻¹} may have changed and never
   * returns to an earlier value, so that solvers can cache work derived from the arm's state (the
   * exact ℓ2 ORO solver's eigen-decomposition); {@code -1} (the default) when the model does not track
   * it, which makes such solvers redo that work every time.
   */
  default long stateVersion(int arm) {
    return -1;
  }

  /** Updates arm {@code arm} received. */
  long count(int arm);

  /** Learns {@code (x, r)} for arm {@code arm}; bad input throws and leaves the model unchanged. */
  void update(int arm, double[] x, int xOff, double reward);

  /** Throws {@link IllegalArgumentException} naming the feature unless {@code x} is a finite context. */
  void checkContext(double[] x);

  /** The kernels the model runs on. */
  DoubleKernels kernels();

  /** Link name for result headers: identity or logistic. */
  String link();

  /** The link's Lipschitz constant L_μ (1 for the identity, 1/4 for the logistic), which scales confidence widths. */
  double linkLipschitz();

  /** One line describing the configuration. */
  String describe();

  /** The shared part of the state ({@link dev.recourse.core.state.Snapshottable}); unsupported by default. */
  default void exportShared(dev.recourse.core.state.StateSink sink) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot export its state");
  }

  default void importShared(dev.recourse.core.state.StateSource source) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot import a state");
  }

  /** Arm {@code arm}'s part of the state; unsupported by default. */
  default void exportArm(int arm, dev.recourse.core.state.StateSink sink) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot export its state");
  }

  default void importArm(int arm, dev.recourse.core.state.StateSource source) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot import a state");
  }

  /**
   * What a decision reads of arm {@code arm}'s state
   * ({@link dev.recourse.core.state.Snapshottable#exportArmDecision}); by default the whole arm part.
   */
  default void exportArmDecision(int arm, dev.recourse.core.state.StateSink sink) {
    exportArm(arm, sink);
  }

  default void importArmDecision(int arm, dev.recourse.core.state.StateSource source) {
    importArm(arm, source);
  }
}
