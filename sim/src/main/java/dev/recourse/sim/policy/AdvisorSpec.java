package dev.recourse.sim.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.advisor.GuidelineAdvisor;
import dev.recourse.core.advisor.QualityAdvisor;
import dev.recourse.core.advisor.SuboptimalAdvisor;
import dev.recourse.sim.env.Environment;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/** A simulated advisor ("LLM", spec libra.md §8), built per replication from the true parameters. */
public sealed interface AdvisorSpec {

  /** The advisor for one replication; {@code rng} is the replication's ADVISOR stream. */
  Advisor build(Environment env, RandomGenerator rng);

  /** Configuration as the study file spells it. */
  Map<String, Object> parameters();

  /** Paper §6: the optimal pair with probability q, else a random arm and a uniform feasible recourse. */
  record Quality(double q) implements AdvisorSpec {
    public Quality {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("q must be in [0, 1], got " + q);
      }
    }

    @Override
    public Advisor build(Environment env, RandomGenerator rng) {
      return new QualityAdvisor(env.trueTheta(), env.numArms(), env.newFeasibleSet(), q, rng);
    }

    @Override
    public Map<String, Object> parameters() {
      return Parameters.ordered("quality", "q", q);
    }
  }

  /** Theorems 3 and 5: a pair within η of the optimum. */
  record Suboptimal(double eta) implements AdvisorSpec {
    public Suboptimal {
      if (!(eta >= 0) || !Double.isFinite(eta)) {
        throw new IllegalArgumentException("eta must be finite and >= 0, got " + eta);
      }
    }

    @Override
    public Advisor build(Environment env, RandomGenerator rng) {
      return new SuboptimalAdvisor(env.trueTheta(), env.numArms(), env.newFeasibleSet(), eta, rng);
    }

    @Override
    public Map<String, Object> parameters() {
      return Parameters.ordered("suboptimal", "eta", eta);
    }
  }

  /**
   * Paper §5, Figure 4a: one arm and one shift of named features for every patient. {@code features}
   * are learner feature indices (resolved from names when the study is read).
   */
  record Guideline(int arm, String[] names, int[] features, double[] shifts) implements AdvisorSpec {
    public Guideline {
      if (arm < 0) {
        throw new IllegalArgumentException("arm must be >= 0, got " + arm);
      }
      if (names.length != features.length || features.length != shifts.length) {
        throw new IllegalArgumentException("one shift per feature");
      }
      for (double s : shifts) {
        if (!Double.isFinite(s)) {
          throw new IllegalArgumentException("shifts must be finite, got " + s);
        }
      }
      names = names.clone();
      features = features.clone();
      shifts = shifts.clone();
    }

    @Override
    public Advisor build(Environment env, RandomGenerator rng) {
      return new GuidelineAdvisor(arm, features, shifts);
    }

    @Override
    public Map<String, Object> parameters() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", "guideline");
      p.put("arm", arm);
      Map<String, Object> s = new LinkedHashMap<>();
      for (int k = 0; k < names.length; k++) {
        s.put(names[k], shifts[k]);
      }
      p.put("shifts", s);
      return p;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Guideline g && g.arm == arm && Arrays.equals(g.names, names)
          && Arrays.equals(g.features, features) && Arrays.equals(g.shifts, shifts);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * arm + Arrays.hashCode(features)) + Arrays.hashCode(shifts);
    }

    @Override
    public String toString() {
      return "Guideline" + parameters();
    }
  }
}
