package dev.recourse.bench.proto;

import dev.recourse.bench.decision.DecisionState;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A {@link ProtoLinUcb} copied from the warmed core model of a {@link DecisionState}, after checking on
 * {@value #CHECK_ROUNDS} rounds that the prototype makes the same decisions and reaches the same
 * {@code V⁻¹} as core (a benchmark of a wrong kernel proves nothing).
 */
@State(Scope.Thread)
public class ProtoState {

  static final int CHECK_ROUNDS = 64;

  public ProtoLinUcb proto;
  /** Scratch for w in the prototype floor. */
  public double[] scratch;

  @Setup(Level.Trial)
  public void setUp(DecisionState s) {
    ProtoLinUcb check = new ProtoLinUcb(s.arms, 1.0);
    for (int r = 0; r < CHECK_ROUNDS; r++) {
      int i = s.nextSlot();
      double[] x = s.contexts[i];
      int coreArm = s.policy.decide(x);
      int pairsArm = ProtoKernels.argmaxUcbPairs(s.arms.vInv(), s.arms.thetaHat(), s.numArms, s.dim, x, 1.0);
      if (pairsArm != coreArm) {
        throw new IllegalStateException("argmaxUcbPairs chose arm " + pairsArm + ", core " + coreArm);
      }
      int protoArm = (r & 1) == 0 ? check.decide(x) : check.decideUpdate(x, s.rewards, i * s.numArms);
      if (coreArm != protoArm) {
        throw new IllegalStateException("prototype chose arm " + protoArm + ", core " + coreArm + " in round " + r);
      }
      s.policy.update(coreArm, x, s.rewards[i * s.numArms + coreArm]);
      if ((r & 1) == 0) {
        check.update(protoArm, x, s.rewards[i * s.numArms + protoArm]);
      }
    }
    double[] want = s.arms.vInv();
    double[] got = check.vInv();
    double scale = 0;
    double err = 0;
    for (int j = 0; j < want.length; j++) {
      scale = Math.max(scale, Math.abs(want[j]));
      err = Math.max(err, Math.abs(want[j] - got[j]));
    }
    if (!(err <= 1e-10 * scale)) {
      throw new IllegalStateException("prototype V⁻¹ differs from core by " + err + " (max |V⁻¹| " + scale + ")");
    }
    proto = new ProtoLinUcb(s.arms, 1.0);
    scratch = new double[s.dim];
    System.out.println("# prototype kernels: " + ProtoKernels.bits() + "-bit");
  }
}
