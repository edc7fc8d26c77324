package dev.recourse.sim.policy;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.policy.Policy;

/**
 * Does nothing: plays arm 0 with no recourse and learns nothing. Running a study with it measures
 * what the runner itself costs per round (contexts, optimal value, reward, bookkeeping).
 */
public final class NoopPolicy implements Policy {

  private final int dim;
  private final int numArms;

  public NoopPolicy(int dim, int numArms) {
    this.dim = dim;
    this.numArms = numArms;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numArms() {
    return numArms;
  }

  @Override
  public void decide(double[] x, Decision out) {
    System.arraycopy(x, 0, out.context(), 0, dim);
    out.set(0, Double.NaN, Double.NaN, false, 0);
  }

  @Override
  public void update(Outcome outcome) {
    // Learns nothing by design.
  }

  @Override
  public String describe() {
    return "noop(arm=0, no recourse)";
  }
}
