package dev.recourse.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.model.ArmModel;
import dev.recourse.core.model.LogisticArms;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.ConfidenceRadius;
import dev.recourse.core.policy.Glrb;
import dev.recourse.core.policy.Libra;
import dev.recourse.core.policy.LinUcb;
import dev.recourse.core.policy.ServablePolicy;
import dev.recourse.core.recourse.Ball;
import dev.recourse.core.recourse.CoordinateDescentOro;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L1Ball;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.recourse.LInfBall;
import dev.recourse.core.recourse.NonComplianceOro;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.GlrbSpec;
import dev.recourse.sim.policy.LibraSpec;
import dev.recourse.sim.policy.LinUcbSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.RadiusSpec;
import dev.recourse.sim.policy.RidgeSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's configuration, read from YAML or JSON through the project's one reader
 * ({@link ConfigNode}): the policy mapping is a study file's {@code policies[i]} entry, parsed by
 * {@link PolicySpec#parse} against a small scenario built from the service keys.
 *
 * <pre>
 * dim: 4                     # context dimension d
 * arms: 3                    # arms active at start
 * max_arms: 5                # capacity for arms added at run time (default: arms)
 * link: identity             # or logistic (glrb, libra): rewards in [0, 1]
 * features: [Age, Sex, DietScore, PhyActHours]   # optional: the d features' names, in context order
 * feasible:                  # recourse policies only
 *   mutable: [2, 3]          # the mutable features: indices, or names from features ([DietScore, 3])
 *   ball: l2                 # l2, l1 or linf
 *   radius: 1.0              # γ
 *   lower: [0, 0]            # optional absolute bounds per mutable feature
 *   upper: [10, 10]
 * pending:                   # decisions awaiting an outcome
 *   capacity: 65536          # the oldest is dropped beyond it (rounded up to a power of two)
 *   expiry_seconds: 86400    # an outcome arriving later is rejected
 * policy: {type: glrb, radius: 0.5, lambda: 1}
 * </pre>
 *
 * The configuration hash ({@link #hash()}) covers every key but {@code pending} (operational, not
 * model): a snapshot only loads into a service of the same hash. The pending ring holds
 * {@code capacity × (dim + 4)} eight-byte values, allocated up front (65,536 × 24 ≈ 12.6 MB at d = 20).
 * Radii are constants (the Lemma-2 radius needs true parameters a service does not have) and have no
 * default: the policy mapping names its {@code radius}.
 */
public final class ServiceConfig {

  /** The policy types a service can run. */
  public static final List<String> EMBEDDABLE = List.of("linucb", "glrb", "glrb-robust", "glrb-nc", "libra");

  private final int dim;
  private final int initialArms;
  private final int maxArms;
  private final boolean logistic;
  private final int[] mutable;
  /** The features' names, or null when the file names none. */
  private final List<String> featureNames;
  private final String ballType;
  private final double gamma;
  private final double[] lower;
  private final double[] upper;
  private final int pendingCapacity;
  private final Duration pendingExpiry;
  private final PolicySpec spec;
  private final boolean libra;
  private final double libraThreshold;
  /** LIBRA's configured advisor, or null for one handed to the builder ({type: embedded}). */
  private final AdvisorSpec advisorSpec;
  private final long hash;

  private ServiceConfig(ConfigNode root, JsonNode tree) {
    this.dim = root.integerAtLeast("dim", -1, 1);
    if (!root.has("dim")) {
      throw root.error("dim", "missing (required): the context dimension");
    }
    if (!root.has("arms")) {
      throw root.error("arms", "missing (required): the number of arms at start");
    }
    this.initialArms = root.integerAtLeast("arms", -1, 1);
    this.maxArms = root.integerAtLeast("max_arms", initialArms, initialArms);
    String link = root.text("link", "identity");
    if (!link.equals("identity") && !link.equals("logistic")) {
      throw root.error("link", "expected identity or logistic, got '" + link + "'");
    }
    this.logistic = link.equals("logistic");
    this.featureNames = root.has("features") ? featureNames(root, dim) : null;
    ConfigNode f = root.object("feasible");
    if (f != null) {
      this.mutable = mutable(f, featureNames);
      if (mutable.length == 0) {
        throw f.error("mutable", "missing (required): the mutable features, by index or name");
      }
      for (int m : mutable) {
        if (m < 0 || m >= dim) {
          throw f.error("mutable", "index " + m + " is out of range [0, " + dim + ")");
        }
      }
      this.ballType = f.text("ball", "l2");
      if (!List.of("l2", "l1", "linf").contains(ballType)) {
        throw f.error("ball", "expected l2, l1 or linf, got '" + ballType + "'");
      }
      if (!f.has("radius")) {
        throw f.error("radius", "missing (required): the ball's radius gamma");
      }
      this.gamma = f.positive("radius", Double.NaN);
      double[] lo = f.has("lower") ? f.numbers("lower") : null;
      double[] hi = f.has("upper") ? f.numbers("upper") : null;
      if ((lo == null) != (hi == null)) {
        throw f.error(lo == null ? "lower" : "upper", "give both lower and upper, or neither");
      }
      if (lo != null && (lo.length != mutable.length || hi.length != mutable.length)) {
        throw f.error("lower", "lower and upper need one value per mutable feature (" + mutable.length + ")");
      }
      this.lower = lo;
      this.upper = hi;
      f.finish();
      try {
        newFeasibleSet(); // constructor checks: bounds ordered, indices distinct
      } catch (IllegalArgumentException e) {
        throw f.error(e.getMessage());
      }
    } else {
      this.mutable = new int[0];
      this.ballType = null;
      this.gamma = Double.NaN;
      this.lower = null;
      this.upper = null;
    }
    ConfigNode p = root.object("pending");
    if (p != null) {
      this.pendingCapacity = p.integerAtLeast("capacity", 1 << 16, 1);
      double seconds = p.positive("expiry_seconds", 86_400);
      this.pendingExpiry = Duration.ofNanos((long) Math.min(Long.MAX_VALUE / 2.0, seconds * 1e9));
      p.finish();
    } else {
      this.pendingCapacity = 1 << 16;
      this.pendingExpiry = Duration.ofDays(1);
    }
    ConfigNode policy = root.requiredObject("policy");
    ServiceScenario scenario = new ServiceScenario(this);
    String type = policy.text("type", "");
    if (!EMBEDDABLE.contains(type) && PolicySpec.keys().contains(type)) {
      throw policy.error("type", "'" + type + "' cannot be embedded yet (supported: " + String.join(", ", EMBEDDABLE)
          + "): the GAMBITTS agents' generators are not yet snapshot-able");
    }
    if ("libra".equals(type)) {
      // LIBRA is GLRB plus a threshold and an advisor. The study parser insists on a simulated or http
      // advisor; a service may also be handed one in process ({type: embedded}). So the two LIBRA keys
      // are read here and the rest, as a glrb mapping, by the study parser (which rejects unknown keys).
      this.libraThreshold = policy.nonNegative("threshold", LibraSpec.DEFAULT_THRESHOLD);
      ConfigNode a = policy.object("advisor");
      if (a == null) {
        throw policy.error("advisor", "missing: libra needs an advisor, {type: embedded} (given to the "
            + "builder) or {type: http, ...}");
      }
      if ("embedded".equals(a.requiredText("type"))) {
        a.finish();
        this.advisorSpec = null;
      } else {
        this.advisorSpec = AdvisorSpec.parse(a, scenario);
      }
      ObjectNode asGlrb = ((ObjectNode) tree.get("policy")).deepCopy();
      asGlrb.remove(List.of("threshold", "advisor"));
      asGlrb.put("type", "glrb");
      this.spec = PolicySpec.parse(root.child("policy", asGlrb), scenario);
      this.libra = true;
    } else {
      this.spec = PolicySpec.parse(policy, scenario);
      this.libraThreshold = Double.NaN;
      this.advisorSpec = null;
      this.libra = false;
    }
    if (!(spec instanceof LinUcbSpec || spec instanceof GlrbSpec)) {
      throw policy.error("type", "'" + spec.type() + "' cannot be embedded yet (supported: linucb, glrb, "
          + "glrb-robust, glrb-nc, libra); the GAMBITTS agents' generators are not yet snapshot-able");
    }
    if (logistic && spec instanceof LinUcbSpec) {
      throw root.error("link", "linucb is a ridge (identity-link) policy, got logistic");
    }
    root.finish();
    ObjectNode hashed = ((ObjectNode) tree).deepCopy();
    hashed.remove("pending");
    this.hash = hash(hashed);
  }

  /** The {@code features} list: d distinct, non-empty names. */
  private static List<String> featureNames(ConfigNode root, int dim) {
    String[] names = root.texts("features");
    if (names.length != dim) {
      throw root.error("features", "expected " + dim + " names (one per feature, dim: " + dim + "), got "
          + names.length);
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      if (names[i].isBlank()) {
        throw root.error("features", "element " + i + ": empty name");
      }
      Integer before = seen.putIfAbsent(names[i], i);
      if (before != null) {
        throw root.error("features", "'" + names[i] + "' names both feature " + before + " and feature " + i);
      }
    }
    return List.of(names);
  }

  /**
   * {@code feasible.mutable}: each element an index or, when the file has a {@code features} list, a name
   * from it (so a policy file can say {@code [DietScore, PhyActHours]} and stay right if columns move).
   */
  private static int[] mutable(ConfigNode f, List<String> names) {
    if (!f.has("mutable")) {
      return new int[0];
    }
    JsonNode v = f.raw("mutable");
    if (!v.isArray()) {
      throw f.error("mutable", "expected a list of feature indices or names, got " + ConfigNode.kind(v));
    }
    int[] out = new int[v.size()];
    for (int i = 0; i < out.length; i++) {
      JsonNode e = v.get(i);
      if (e.isIntegralNumber() && e.canConvertToInt()) {
        out[i] = e.intValue();
      } else if (e.isTextual()) {
        if (names == null) {
          throw f.error("mutable", "element " + i + ": '" + e.textValue() + "' is a name, but the file has no "
              + "features: list of names to resolve it against (give indices, or add features: [...])");
        }
        out[i] = names.indexOf(e.textValue());
        if (out[i] < 0) {
          throw f.error("mutable", "element " + i + ": unknown feature '" + e.textValue() + "' (features: "
              + String.join(", ", names) + ")");
        }
      } else {
        throw f.error("mutable", "element " + i + ": expected a feature index or name, got " + ConfigNode.kind(e));
      }
    }
    return out;
  }

  /** Parses YAML (or JSON when {@code json}) text; errors name the key at fault. */
  public static ServiceConfig parse(String text, boolean json) {
    try {
      JsonNode tree = ConfigNode.parseTree(text, json, "service configuration");
      return new ServiceConfig(ConfigNode.root("service configuration", tree), tree);
    } catch (InputException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Parses YAML text. */
  public static ServiceConfig parse(String yaml) {
    return parse(yaml, false);
  }

  private static long hash(JsonNode tree) {
    try {
      ObjectMapper canonical = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
      Object plain = canonical.treeToValue(tree, Object.class); // maps sort their keys when written
      byte[] bytes = canonical.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = (h << 8) | (digest[i] & 0xFF);
      }
      return h;
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash the configuration: " + e.getMessage(), e);
    }
  }

  /** The mutable features' indices (names resolved), in the file's order; empty without a feasible set. */
  public int[] mutableFeatures() {
    return mutable.clone();
  }

  /** The features' names from the {@code features} key, if the file gives them. */
  public Optional<List<String>> featureNames() {
    return Optional.ofNullable(featureNames);
  }

  public int dim() {
    return dim;
  }

  /** Arms active at start (slots {@code 0..arms-1}). */
  public int initialArms() {
    return initialArms;
  }

  /** Arm slots the policy is built with; {@link PolicyService#addArm()} activates the next one. */
  public int maxArms() {
    return maxArms;
  }

  public boolean logisticLink() {
    return logistic;
  }

  public boolean offersRecourse() {
    return mutable.length > 0;
  }

  public int pendingCapacity() {
    return pendingCapacity;
  }

  public Duration pendingExpiry() {
    return pendingExpiry;
  }

  /** The policy's {@code type} as the study file names it. */
  public String policyType() {
    return libra ? "libra" : spec.type();
  }

  /** First 8 bytes of SHA-256 over the canonical JSON of every key but {@code pending}. */
  public long hash() {
    return hash;
  }

  FeasibleSet newFeasibleSet() {
    int dimM = mutable.length;
    Ball ball = switch (ballType) {
      case "l1" -> new L1Ball(dimM, gamma);
      case "linf" -> new LInfBall(dimM, gamma);
      default -> new L2Ball(dimM, gamma);
    };
    return new FeasibleSet(dim, mutable, ball, lower, upper);
  }

  /** Whether this policy type consults an advisor. */
  boolean advised() {
    return libra;
  }

  /** Whether LIBRA's advisor must be handed to the builder. */
  boolean needsEmbeddedAdvisor() {
    return libra && advisorSpec == null;
  }

  /**
   * A fresh single-threaded core policy of this configuration (all {@code max_arms} slots, no data),
   * as the service's master and replicas are; benchmarks compare against it. {@code advisor} is LIBRA's
   * (null: the configured one, an {@code http} advisor); ignored by the other types.
   */
  public ServablePolicy newPolicy(Advisor advisor) {
    DoubleKernels kernels = Kernels.get();
    return switch (spec) {
      case LinUcbSpec s -> new LinUcb(ridge(s.ridge(), kernels), s.radius().alpha());
      case GlrbSpec s when libra -> {
        Advisor built = advisor != null ? advisor : advisorSpec.build(new ServiceScenario(this).environment(), null);
        yield new Libra(glrb(GlrbSpec.Variant.PLAIN, s.radius(), s.ridge(), Double.NaN, kernels), built, libraThreshold);
      }
      case GlrbSpec s -> glrb(s.variant(), s.radius(), s.ridge(), s.epsilon(), kernels);
      default -> throw new IllegalStateException("unsupported spec " + spec.type());
    };
  }

  private RidgeArms ridge(RidgeSettings r, DoubleKernels kernels) {
    return new RidgeArms(maxArms, dim, r.lambda(), r.refreshEvery(), RidgeArms.RefreshMethod.CHOLESKY, kernels);
  }

  private Glrb glrb(GlrbSpec.Variant variant, RadiusSpec radius, RidgeSettings r, double epsilon,
                    DoubleKernels kernels) {
    FeasibleSet set = newFeasibleSet();
    ArmModel model = logistic
        ? new LogisticArms(maxArms, dim, r.lambda(), LogisticArms.DEFAULT_REFIT_CAP, kernels)
        : ridge(r, kernels);
    // Only constant radii parse here: the Lemma-2 radius needs true parameters a service does not have.
    ConfidenceRadius rho = ConfidenceRadius.constant(((RadiusSpec.Constant) radius).alpha());
    return new Glrb(model, set, rho, variant == GlrbSpec.Variant.NON_COMPLIANCE
        ? new NonComplianceOro(set, epsilon, kernels) : new CoordinateDescentOro(set.mutableDim()),
        variant == GlrbSpec.Variant.ROBUST);
  }

  /**
   * The scenario the policy mapping is parsed against: the service's dimension, arm slots and
   * feasible set, no true parameters (so no simulated advisor and no Lemma-2 radius) and no default
   * radius (the policy must name one). Building environments is not its business.
   */
  private static final class ServiceScenario implements Scenario {
    private final ServiceConfig c;

    ServiceScenario(ServiceConfig c) {
      this.c = c;
    }

    @Override
    public String name() {
      return "service";
    }

    @Override
    public int dim() {
      return c.dim;
    }

    @Override
    public int numArms() {
      return c.maxArms;
    }

    @Override
    public List<String> featureNames() {
      if (c.featureNames != null) {
        return c.featureNames;
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < c.dim; i++) {
        names.add("x" + i);
      }
      return names;
    }

    @Override
    public List<String> armNames() {
      List<String> names = new ArrayList<>();
      for (int a = 0; a < c.maxArms; a++) {
        names.add("arm" + a);
      }
      return names;
    }

    @Override
    public int[] mutableIndices() {
      return c.mutable.clone();
    }

    @Override
    public boolean offersRecourse() {
      return c.mutable.length > 0;
    }

    @Override
    public Environment create(long studySeed, int replication, DoubleKernels kernels) {
      throw new UnsupportedOperationException("a service scenario builds no simulated environments");
    }

    /** What an http advisor's builder reads: dimensions and the feasible set. */
    Environment environment() {
      return new Environment() {
        @Override
        public int dim() {
          return c.dim;
        }

        @Override
        public int numArms() {
          return c.maxArms;
        }

        @Override
        public void nextContext(double[] x) {
          throw new UnsupportedOperationException("a service draws no contexts");
        }

        @Override
        public double act(double[] x, dev.recourse.core.policy.Decision decision,
                          dev.recourse.core.policy.Outcome outcome) {
          throw new UnsupportedOperationException("a service does not act");
        }

        @Override
        public Optional<FeasibleSet> newFeasibleSet() {
          return c.mutable.length > 0 ? Optional.of(c.newFeasibleSet()) : Optional.empty();
        }
      };
    }

    @Override
    public Map<String, Object> parameters() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("dim", c.dim);
      p.put("arms", c.maxArms);
      return p;
    }
  }
}
