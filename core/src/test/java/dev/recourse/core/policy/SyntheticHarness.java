package dev.recourse.core.policy;

import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.recourse.OptimalRecourse;
import dev.recourse.core.rng.RandomStreams;
import java.util.random.RandomGenerator;

/**
 * The paper's §6.1 synthetic problem at a configurable size, for policy tests: x ~ N(0,I),
 * θ_a ~ N(0,I), all features mutable, ℓ2 ball, linear rewards with N(0,1) noise, regret against the
 * true optimal pair (spec §7). Contexts and noise come from streams keyed by the seed only, so every
 * policy run with the same seed sees the same patients (common random numbers).
 */
final class SyntheticHarness {

  final int dim;
  final int numArms;
  final double gamma;
  final long seed;
  final double[] theta;

  SyntheticHarness(int dim, int numArms, double gamma, long seed) {
    this.dim = dim;
    this.numArms = numArms;
    this.gamma = gamma;
    this.seed = seed;
    this.theta = new double[numArms * dim];
    RandomStreams.fillGaussian(RandomStreams.stream(seed, 0), theta, 0, theta.length);
  }

  FeasibleSet feasibleSet() {
    int[] all = new int[dim];
    for (int i = 0; i < dim; i++) {
      all[i] = i;
    }
    return new FeasibleSet(dim, all, new L2Ball(dim, gamma));
  }

  /** Per-round regret and whether the pair came from the advisor, for T rounds. */
  static final class Trace {
    final double[] regret;
    final boolean[] advised;

    Trace(int rounds) {
      regret = new double[rounds];
      advised = new boolean[rounds];
    }

    double cumulative(int from, int to) {
      double s = 0;
      for (int t = from; t < to; t++) {
        s += regret[t];
      }
      return s;
    }

    int advisedCount(int from, int to) {
      int c = 0;
      for (int t = from; t < to; t++) {
        c += advised[t] ? 1 : 0;
      }
      return c;
    }
  }

  /** How the patient realises a recommendation (non-compliance); writes the realised context. */
  interface Deviation {
    void realise(double[] recommended, RandomGenerator rng, double[] realised);
  }

  Trace run(Policy policy, int rounds) {
    return run(policy, rounds, (rec, rng, out) -> System.arraycopy(rec, 0, out, 0, rec.length));
  }

  /** Regret is measured on the realised context (spec §7). */
  Trace run(Policy policy, int rounds, Deviation deviation) {
    RandomGenerator patients = RandomStreams.stream(seed, 6);
    double[] realised = new double[dim];
    RandomGenerator env = RandomStreams.stream(seed, 1);
    RandomGenerator noise = RandomStreams.stream(seed, 2);
    OptimalRecourse oracle = new OptimalRecourse(feasibleSet());
    double[] x = new double[dim];
    double[] best = new double[dim];
    double[] value = new double[1];
    Decision decision = new Decision(dim);
    Outcome outcome = new Outcome(dim);
    Trace trace = new Trace(rounds);
    for (int t = 0; t < rounds; t++) {
      RandomStreams.fillGaussian(env, x, 0, dim);
      oracle.solve(theta, numArms, x, best, value);
      policy.decide(x, decision);
      deviation.realise(decision.context(), patients, realised);
      double[] xt = realised;
      double mean = 0;
      for (int i = 0; i < dim; i++) {
        mean += theta[decision.arm() * dim + i] * xt[i];
      }
      trace.regret[t] = value[0] - mean;
      trace.advised[t] = decision.advised();
      System.arraycopy(xt, 0, outcome.context(), 0, dim);
      policy.update(outcome.set(decision.arm(), mean + noise.nextGaussian()));
    }
    return trace;
  }
}
