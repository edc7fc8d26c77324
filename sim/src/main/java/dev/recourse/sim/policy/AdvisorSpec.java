package dev.recourse.sim.policy;

import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.advisor.GuidelineAdvisor;
import dev.recourse.core.advisor.QualityAdvisor;
import dev.recourse.core.advisor.SuboptimalAdvisor;
import dev.recourse.sim.advisor.HttpAdvisor;
import dev.recourse.sim.advisor.HttpAdvisorConfig;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.LinearTruth;
import dev.recourse.sim.env.Scenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * An advisor ("LLM", spec libra.md §8) built per replication: a simulated one from the environment's
 * true parameters, or a real model behind an OpenAI-compatible endpoint ({@link Http}).
 */
public sealed interface AdvisorSpec {

  /** The advisor for one replication; {@code rng} is the replication's ADVISOR stream. */
  Advisor build(Environment env, RandomGenerator rng);

  /** Configuration as the study file spells it. */
  Map<String, Object> parameters();

  /** Reads the required {@code advisor} of a policy of type {@code type}. */
  static AdvisorSpec parseRequired(ConfigNode policy, String type, Scenario scenario) {
    ConfigNode a = policy.object("advisor");
    if (a == null) {
      // Suggest only an advisor the scenario can run: a simulated one needs the true parameters.
      throw policy.error("advisor", "missing: " + type + " needs an advisor, e.g. " + (scenario.hasLinearTruth()
          ? "{type: quality, q: 0.8}"
          : "{type: http, ...} (scenario '" + scenario.name() + "' has no true parameters for a simulated one; "
              + "see docs/http-advisor.md)"));
    }
    return parse(a, scenario);
  }

  /** The advisor types a study file can name, in the order help texts list them. */
  List<String> TYPES = List.of("quality", "suboptimal", "guideline", "http");

  /** Reads one advisor mapping: {@code {type: quality|suboptimal|guideline|http, ...}}. */
  static AdvisorSpec parse(ConfigNode a, Scenario scenario) {
    String type = a.requiredText("type");
    if (!type.equals("http") && !scenario.hasLinearTruth()) {
      throw a.error("type", "a simulated advisor reads the true parameters, which scenario '" + scenario.name()
          + "' does not have");
    }
    AdvisorSpec spec = switch (type) {
      case "quality" -> {
        a.requiredNumber("q", "the probability of the optimal pair");
        yield new Quality(a.inRange("q", Double.NaN, 0, 1));
      }
      case "suboptimal" -> {
        a.requiredNumber("eta", "the advisor's suboptimality");
        yield new Suboptimal(a.nonNegative("eta", Double.NaN));
      }
      case "guideline" -> Guideline.parse(a, scenario);
      case "http" -> Http.parse(a, scenario);
      default -> throw a.error("type", "unknown advisor '" + type + "' (known: " + String.join(", ", TYPES) + ")");
    };
    a.finish();
    return spec;
  }

  private static LinearTruth truth(Environment env) {
    return env.truth().orElseThrow(() -> new IllegalArgumentException(
        "a simulated advisor needs an environment with known true parameters"));
  }

  /** Paper §6: the optimal pair with probability q, else a random arm and a uniform feasible recourse. */
  record Quality(double q) implements AdvisorSpec {
    public Quality {
      if (!(q >= 0 && q <= 1)) {
        throw new IllegalArgumentException("q must be in [0, 1], got " + q);
      }
    }

    @Override
    public Advisor build(Environment env, RandomGenerator rng) {
      return new QualityAdvisor(truth(env).trueTheta(), env.numArms(), env.newFeasibleSet().orElseThrow(), q, rng);
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
      return new SuboptimalAdvisor(truth(env).trueTheta(), env.numArms(), env.newFeasibleSet().orElseThrow(), eta, rng);
    }

    @Override
    public Map<String, Object> parameters() {
      return Parameters.ordered("suboptimal", "eta", eta);
    }
  }

  /**
   * Paper §5, Figure 4a: one shift of named features for every patient, and a fixed arm or
   * ({@code arm: best}, {@link #BEST_ARM}) the arm with the larger true expected reward at the shifted
   * context. {@code features} are learner feature indices (resolved from names when the study is read).
   */
  record Guideline(int arm, String[] names, int[] features, double[] shifts) implements AdvisorSpec {

    /** {@link #arm} of a guideline that picks the best arm at the shifted context. */
    public static final int BEST_ARM = -1;

    public Guideline {
      if (arm < BEST_ARM) {
        throw new IllegalArgumentException("arm must be >= 0 or BEST_ARM, got " + arm);
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

    static Guideline parse(ConfigNode a, Scenario scenario) {
      if (!a.has("arm")) {
        throw a.error("arm", "missing (required): the arm the guideline recommends (0-based), or 'best'");
      }
      int arm;
      if (a.raw("arm").isTextual()) {
        String t = a.requiredText("arm");
        if (!t.equals("best")) {
          throw a.error("arm", "expected an arm index or 'best', got '" + t + "'");
        }
        arm = BEST_ARM;
      } else {
        arm = a.integer("arm", -1);
        if (arm < 0 || arm >= scenario.numArms()) {
          throw a.error("arm", "must be in [0, " + scenario.numArms() + ") or 'best', got " + arm);
        }
      }
      ConfigNode shifts = a.requiredObject("shifts");
      List<String> names = shifts.keys();
      int[] features = new int[names.size()];
      double[] values = new double[names.size()];
      List<String> featureNames = scenario.featureNames();
      int[] mutable = scenario.mutableIndices();
      for (int k = 0; k < names.size(); k++) {
        String f = names.get(k);
        int index = featureNames.indexOf(f);
        boolean isMutable = false;
        for (int m : mutable) {
          isMutable |= m == index;
        }
        if (!isMutable) {
          List<String> mutableNames = new ArrayList<>();
          for (int m : mutable) {
            mutableNames.add(featureNames.get(m));
          }
          throw shifts.error(f, "not a mutable feature of " + scenario.name() + " (mutable: " + mutableNames + ")");
        }
        features[k] = index;
        values[k] = shifts.finite(f, Double.NaN);
      }
      shifts.finish();
      return new Guideline(arm, names.toArray(new String[0]), features, values);
    }

    @Override
    public Advisor build(Environment env, RandomGenerator rng) {
      return arm == BEST_ARM ? GuidelineAdvisor.bestArm(truth(env).trueTheta(), env.numArms(), features, shifts)
          : new GuidelineAdvisor(arm, features, shifts);
    }

    @Override
    public Map<String, Object> parameters() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", "guideline");
      p.put("arm", arm == BEST_ARM ? "best" : arm);
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

  /**
   * A real model behind an OpenAI-compatible chat-completions endpoint (docs/http-advisor.md): its
   * configuration names the learner's features and arms, which must match the scenario's. Each
   * replication gets its own client; failures (timeouts, refusals, unparseable replies) are the
   * policy's to handle, never the study's.
   */
  record Http(HttpAdvisorConfig config) implements AdvisorSpec {

    static Http parse(ConfigNode a, Scenario scenario) {
      a.allow("type");
      HttpAdvisorConfig config = HttpAdvisorConfig.parse(a, scenario.featureNames());
      if (config.dim() != scenario.dim()) {
        throw a.error("features", "names " + config.dim() + " features, but scenario '" + scenario.name()
            + "' has " + scenario.dim() + " " + scenario.featureNames());
      }
      if (config.numArms() != scenario.numArms()) {
        throw a.error("arms", "names " + config.numArms() + " arms, but scenario '" + scenario.name()
            + "' has " + scenario.numArms());
      }
      int[] wanted = scenario.mutableIndices();
      int[] named = config.mutableFeatures();
      Arrays.sort(wanted);
      Arrays.sort(named);
      if (!Arrays.equals(wanted, named)) {
        throw a.error("mutable", "the advisor may change features " + Arrays.toString(named)
            + ", but scenario '" + scenario.name() + "' has mutable features " + Arrays.toString(wanted));
      }
      return new Http(config);
    }

    @Override
    public Advisor build(Environment env, RandomGenerator rng) {
      return new HttpAdvisor(config);
    }

    @Override
    public Map<String, Object> parameters() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("type", "http");
      p.put("base_url", config.baseUrl());
      p.put("model", config.model());
      return p;
    }
  }
}
