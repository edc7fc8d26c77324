package dev.recourse.sim.cli;

import dev.recourse.core.policy.LinUcb;
import dev.recourse.sim.run.ReplayData;

/** The replay written out directly against {@link LinUcb}: what {@code recourse replay} must agree with. */
final class ReferenceReplay {

  private ReferenceReplay() {}

  static int[] arms(ReplayData data, double alpha, double lambda) {
    int dim = data.dim();
    int width = data.streamWidth();
    LinUcb policy = new LinUcb(data.numArms(), dim, alpha, lambda);
    double[] x = new double[dim];
    for (int i = 0; i < data.warmupRows(); i++) {
      System.arraycopy(data.warmupContexts(), i * dim, x, 0, dim);
      policy.update(data.warmupArms()[i], x, data.warmupRewards()[i]);
    }
    int[] arms = new int[data.rounds()];
    for (int t = 0; t < data.rounds(); t++) {
      System.arraycopy(data.stream(), t * width, x, 0, dim);
      int arm = policy.decide(x);
      policy.update(arm, x, data.stream()[t * width + dim + arm]);
      arms[t] = arm;
    }
    return arms;
  }
}
