package dev.recourse.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.core.advisor.Advisor;
import dev.recourse.core.gambitts.ContextCells;
import dev.recourse.core.gambitts.EnsPoGambitts;
import dev.recourse.core.gambitts.FoGambitts;
import dev.recourse.core.gambitts.LinearRewardPrior;
import dev.recourse.core.gambitts.OfflineTreatments;
import dev.recourse.core.gambitts.PoGambitts;
import dev.recourse.core.gambitts.StdTs;
import dev.recourse.core.model.ArmModel;
import dev.recourse.core.model.LogisticArms;
import dev.recourse.core.model.RidgeArms;
import dev.recourse.core.policy.AdvisorOnly;
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
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.TreatmentWorld;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.EnsPoGambittsSpec;
import dev.recourse.sim.policy.FoGambittsSpec;
import dev.recourse.sim.policy.GlrbSpec;
import dev.recourse.sim.policy.LibraSpec;
import dev.recourse.sim.policy.LinUcbSpec;
import dev.recourse.sim.policy.PoGambittsSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.RadiusSpec;
import dev.recourse.sim.policy.RidgeSettings;
import dev.recourse.sim.policy.StdTsSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <h2>GAMBITTS agents</h2>
 * {@code po-gambitts}, {@code fo-gambitts}, {@code ens-po-gambitts}, {@code std-ts} and
 * {@code std-ts-contextual} choose a prompt (an arm) for a context cell and learn from the embedding
 * {@code Z} of the text the prompt generated ({@link PolicyService#update(long, double, double[], double[],
 * PolicyService.OutcomeLog)}). Their context is {@link ContextCells}' convention: one value per context
 * column, the column's level index {@code 0..L−1} as a double; the cell is the mixed-radix index of the
 * levels. No recourse: the recommended context is the context. They take a {@code gambitts} section:
 * <pre>
 * dim: 2                     # the number of context columns (1, ignored, with none)
 * arms: 5                    # prompts
 * features: [curr_loc, prev_steps]   # optional: the columns' names (covariates: keys name them)
 * gambitts:
 *   levels: [3, 4]           # each context column's number of levels ([] for no context: dim 1)
 *   treatment_dim: 3         # d_z, the length of every outcome's Z
 *   seed: 7                  # the sampler's random stream (default 0)
 *   offline: offline.csv     # po-/ens-po: the offline embeddings, a CSV file or a list of rows; each row
 *                            # is a cell's levels, the prompt, then Z: l_1, …, l_m, prompt, z_1, …, z_dz
 * policy: {type: po-gambitts, offline_samples: all}   # the study file's keys; v2 and
 *                            # perturbation_sd must be numbers (a service does not know the noise)
 * </pre>
 * {@code offline_samples: n} takes each (cell, prompt)'s first {@code n} rows, in file order; every
 * (cell, prompt) of all {@code max_arms} prompts needs at least one. The hash covers an offline file's
 * bytes. {@code llm-only} takes a feasible set and an advisor, as {@code libra} does.
 *
 * The configuration hash ({@link #hash()}) covers every key but {@code pending} (operational, not
 * model): a snapshot only loads into a service of the same hash. The pending ring holds
 * {@code capacity × (dim + 4)} eight-byte values (rounded up to whole cache lines per decision),
 * allocated up front (65,536 × 24 ≈ 12.6 MB at d = 20).
 * Radii are constants (the Lemma-2 radius needs true parameters a service does not have) and have no
 * default: the policy mapping names its {@code radius}.
 */
public final class ServiceConfig {

  /** The policy types a service can run. */
  public static final List<String> EMBEDDABLE = List.of("linucb", "glrb", "glrb-robust", "glrb-nc", "libra",
      "llm-only", "po-gambitts", "fo-gambitts", "ens-po-gambitts", "std-ts", "std-ts-contextual");

  /** The GAMBITTS agents and baselines: samplers of context cells that decide under the service's lock. */
  private static final List<String> GAMBITTS = List.of("po-gambitts", "fo-gambitts", "ens-po-gambitts", "std-ts",
      "std-ts-contextual");

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
  /** LLM-only: advised, no bandit. */
  private final boolean llmOnly;
  /** The GAMBITTS section, or null for the recourse policies. */
  private final Gambitts gambitts;
  private final long hash;

  /** The {@code gambitts} section: context levels, d_z, the stream seed and the offline embeddings. */
  private record Gambitts(int[] levels, int treatmentDim, long seed, OfflineTreatments offline, String offlineDigest) {}

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
      throw policy.error("type", "'" + type + "' cannot be embedded (supported: " + String.join(", ", EMBEDDABLE)
          + ")");
    }
    boolean sampler = GAMBITTS.contains(type);
    ConfigNode g = root.object("gambitts");
    if (sampler != (g != null)) {
      throw sampler ? root.error("gambitts", "missing (required by " + type + "): levels, treatment_dim, seed, offline")
          : root.error("gambitts", "only the GAMBITTS agents take it, policy is '" + type + "'");
    }
    if (sampler && mutable.length > 0) {
      throw root.error("feasible", type + " recommends prompts, not recourse: it takes no feasible set");
    }
    this.gambitts = sampler ? gambitts(g, type, dim, maxArms) : null;
    scenario.world = gambitts != null ? new ServiceWorld(this) : null;
    this.llmOnly = "llm-only".equals(type);
    if ("libra".equals(type) || llmOnly) {
      // LIBRA is GLRB plus a threshold and an advisor. The study parser insists on a simulated or http
      // advisor; a service may also be handed one in process ({type: embedded}). So the two LIBRA keys
      // are read here and the rest, as a glrb mapping, by the study parser (which rejects unknown keys).
      this.libraThreshold = llmOnly ? Double.NaN : policy.nonNegative("threshold", LibraSpec.DEFAULT_THRESHOLD);
      if (llmOnly && mutable.length == 0) {
        throw root.error("feasible", "missing (required by llm-only): the advisor's recourse is projected onto it");
      }
      ConfigNode a = policy.object("advisor");
      if (a == null) {
        throw policy.error("advisor", "missing: " + type + " needs an advisor, {type: embedded} (given to the "
            + "builder) or {type: http, ...}");
      }
      if ("embedded".equals(a.requiredText("type"))) {
        a.finish();
        this.advisorSpec = null;
      } else {
        this.advisorSpec = AdvisorSpec.parse(a, scenario);
      }
      if (llmOnly) {
        policy.allow("type", "label", "advisor");
        policy.finish();
        this.spec = null;
      } else {
        ObjectNode asGlrb = ((ObjectNode) tree.get("policy")).deepCopy();
        asGlrb.remove(List.of("threshold", "advisor"));
        asGlrb.put("type", "glrb");
        this.spec = PolicySpec.parse(root.child("policy", asGlrb), scenario);
      }
      this.libra = !llmOnly;
    } else {
      this.spec = PolicySpec.parse(policy, scenario);
      this.libraThreshold = Double.NaN;
      this.advisorSpec = null;
      this.libra = false;
    }
    if (!llmOnly && !(spec instanceof LinUcbSpec || spec instanceof GlrbSpec || sampler)) {
      throw policy.error("type", "'" + spec.type() + "' cannot be embedded (supported: "
          + String.join(", ", EMBEDDABLE) + ")");
    }
    if (logistic && !(spec instanceof GlrbSpec)) {
      throw root.error("link", type + " is not a GLRB policy: only glrb and libra take link: logistic");
    }
    checkSampler(policy);
    root.finish();
    ObjectNode hashed = ((ObjectNode) tree).deepCopy();
    hashed.remove("pending");
    if (gambitts != null && gambitts.offlineDigest() != null) {
      hashed.put("offline file digest", gambitts.offlineDigest());
    }
    this.hash = hash(hashed);
  }

  /** Reads the {@code gambitts} section; {@code dim} must be the number of context columns (1 with none). */
  private static Gambitts gambitts(ConfigNode g, String type, int dim, int maxArms) {
    int[] levels = g.has("levels") ? g.integers("levels") : new int[0];
    for (int j = 0; j < levels.length; j++) {
      if (levels[j] < 1) {
        throw g.error("levels", "element " + j + ": a context column needs >= 1 level, got " + levels[j]);
      }
    }
    if (Math.max(1, levels.length) != dim) {
      throw g.error("levels", levels.length + " context columns need dim: " + Math.max(1, levels.length)
          + " (one value per column, 1 with none), got dim: " + dim);
    }
    if (!g.has("treatment_dim")) {
      throw g.error("treatment_dim", "missing (required): d_z, the length of the observed embedding Z");
    }
    int dz = g.integerAtLeast("treatment_dim", -1, 1);
    long seed = g.longInteger("seed", 0);
    boolean needsOffline = type.equals("po-gambitts") || type.equals("ens-po-gambitts");
    if (needsOffline != g.has("offline")) {
      throw needsOffline ? g.error("offline", "missing (required by " + type + "): the offline embeddings")
          : g.error("offline", type + " learns its treatment model online and takes no offline embeddings");
    }
    OfflineTreatments offline = null;
    String digest = null;
    if (needsOffline) {
      JsonNode raw = g.raw("offline");
      List<double[]> rows = new ArrayList<>();
      if (raw.isTextual()) {
        Path file = Path.of(raw.textValue());
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(file);
        } catch (IOException e) {
          throw g.error("offline", "cannot read " + file + ": " + e.getMessage());
        }
        digest = hex(sha256(bytes));
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
        for (int i = 0; i < lines.length; i++) {
          String line = lines[i].strip();
          if (line.isEmpty() || line.startsWith("#")) {
            continue;
          }
          String[] cells = line.split(",");
          double[] row = new double[cells.length];
          try {
            for (int j = 0; j < cells.length; j++) {
              row[j] = Double.parseDouble(cells[j].strip());
            }
          } catch (NumberFormatException e) {
            if (rows.isEmpty() && i == 0) {
              continue; // a header line
            }
            throw g.error("offline", file + " line " + (i + 1) + ": not a number: " + e.getMessage());
          }
          rows.add(row);
        }
      } else if (raw.isArray()) {
        for (int i = 0; i < raw.size(); i++) {
          JsonNode r = raw.get(i);
          if (!r.isArray()) {
            throw g.error("offline", "row " + i + ": expected a list of numbers, got " + ConfigNode.kind(r));
          }
          double[] row = new double[r.size()];
          for (int j = 0; j < row.length; j++) {
            if (!r.get(j).isNumber()) {
              throw g.error("offline", "row " + i + " element " + j + ": expected a number, got "
                  + ConfigNode.kind(r.get(j)));
            }
            row[j] = r.get(j).doubleValue();
          }
          rows.add(row);
        }
      } else {
        throw g.error("offline", "expected a CSV file name or a list of rows, got " + ConfigNode.kind(raw));
      }
      offline = offline(g, rows, levels, dz, maxArms);
    }
    g.finish();
    return new Gambitts(levels, dz, seed, offline, digest);
  }

  /** Groups rows {@code (levels…, prompt, z…)} by slot {@code cell·K + prompt}, in row order within a slot. */
  private static OfflineTreatments offline(ConfigNode g, List<double[]> rows, int[] levels, int dz, int maxArms) {
    int m = levels.length;
    ContextCells cells = cells(levels, null, Map.of());
    int slots = cells.numCells() * maxArms;
    List<List<double[]>> bySlot = new ArrayList<>();
    for (int s = 0; s < slots; s++) {
      bySlot.add(new ArrayList<>());
    }
    double[] x = new double[cells.dim()];
    for (int i = 0; i < rows.size(); i++) {
      double[] row = rows.get(i);
      if (row.length != m + 1 + dz) {
        throw g.error("offline", "row " + i + ": expected " + (m + 1 + dz) + " values (" + m + " levels, the prompt, "
            + dz + " of Z), got " + row.length);
      }
      System.arraycopy(row, 0, x, 0, m);
      int cell;
      try {
        cell = cells.checkedCell(x);
      } catch (IllegalArgumentException e) {
        throw g.error("offline", "row " + i + ": " + e.getMessage());
      }
      double prompt = row[m];
      if (!(prompt >= 0 && prompt < maxArms) || prompt != Math.rint(prompt)) {
        throw g.error("offline", "row " + i + ": prompt must be an arm in 0.." + (maxArms - 1) + ", got " + prompt);
      }
      for (int j = m + 1; j < row.length; j++) {
        if (!Double.isFinite(row[j])) {
          throw g.error("offline", "row " + i + ": Z[" + (j - m - 1) + "] must be finite, got " + row[j]);
        }
      }
      bySlot.get(cell * maxArms + (int) prompt).add(row);
    }
    int[] counts = new int[slots];
    int total = 0;
    for (int s = 0; s < slots; s++) {
      counts[s] = bySlot.get(s).size();
      if (counts[s] == 0) {
        throw g.error("offline", "no row for cell " + s / maxArms + ", prompt " + s % maxArms
            + ": every (cell, prompt) of the max_arms = " + maxArms + " prompts needs one");
      }
      total += counts[s];
    }
    double[] samples = new double[total * dz];
    int at = 0;
    for (List<double[]> slot : bySlot) {
      for (double[] row : slot) {
        System.arraycopy(row, m + 1, samples, at, dz);
        at += dz;
      }
    }
    return new OfflineTreatments(cells.numCells(), maxArms, dz, samples, counts);
  }

  /** The agents' context columns: every column discrete, named by {@code features} (else x0, x1, …). */
  private static ContextCells cells(int[] levels, List<String> names, Map<String, ContextCells.Covariate> covariates) {
    List<ContextCells.Column> columns = new ArrayList<>();
    for (int j = 0; j < levels.length; j++) {
      String name = names != null ? names.get(j) : "x" + j;
      columns.add(ContextCells.Column.discrete(name, levels[j], covariates.getOrDefault(name,
          ContextCells.Covariate.NONE)));
    }
    return new ContextCells(columns);
  }

  /** What a service cannot give a GAMBITTS agent: the world's noise (an oracle in the studies). */
  private void checkSampler(ConfigNode policy) {
    switch (spec) {
      case PoGambittsSpec s when Double.isNaN(s.v2()) -> throw policy.error("v2", "'noise' is the simulated world's "
          + "noise variance, which a service does not know: give a number > 0");
      case FoGambittsSpec s when Double.isNaN(s.v2()) -> throw policy.error("v2", "'noise' is the simulated world's "
          + "noise variance, which a service does not know: give a number > 0");
      case EnsPoGambittsSpec s when Double.isNaN(s.perturbationSd()) -> throw policy.error("perturbation_sd",
          "'noise' is the simulated world's noise sd, which a service does not know: give a number >= 0");
      case null, default -> { }
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02x", x & 0xFF));
    }
    return b.toString();
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
    return libra ? "libra" : llmOnly ? "llm-only" : spec.type();
  }

  /** Whether the policy is a GAMBITTS agent or baseline (a sampler of context cells, no recourse). */
  public boolean gambitts() {
    return gambitts != null;
  }

  /** {@code d_z}, the length of the treatment embedding an outcome carries; 0 for the recourse policies. */
  public int treatmentDim() {
    return gambitts != null ? gambitts.treatmentDim() : 0;
  }

  /** Whether every outcome must carry the treatment embedding (po-, fo- and ens-po-GAMBITTS; not StdTS). */
  public boolean needsTreatment() {
    return gambitts != null && !(spec instanceof StdTsSpec);
  }

  /** The GAMBITTS agents' context columns (all discrete); empty for the recourse policies. */
  public Optional<ContextCells> contextCells() {
    return gambitts == null ? Optional.empty() : Optional.of(cells(gambitts.levels(), featureNames, covariates()));
  }

  private Map<String, ContextCells.Covariate> covariates() {
    return switch (spec) {
      case PoGambittsSpec s -> s.covariates();
      case FoGambittsSpec s -> s.covariates();
      case null, default -> Map.of();
    };
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
    return libra || llmOnly;
  }

  /** Whether the advisor must be handed to the builder. */
  boolean needsEmbeddedAdvisor() {
    return advised() && advisorSpec == null;
  }

  /**
   * A fresh single-threaded core policy of this configuration (all {@code max_arms} slots, no data),
   * as the service's master and replicas are; benchmarks compare against it. {@code advisor} is LIBRA's
   * (null: the configured one, an {@code http} advisor); ignored by the other types.
   */
  public ServablePolicy newPolicy(Advisor advisor) {
    DoubleKernels kernels = Kernels.get();
    if (llmOnly) {
      Advisor built = advisor != null ? advisor : advisorSpec.build(new ServiceScenario(this).environment(), null);
      return new AdvisorOnly(built, newFeasibleSet(), maxArms);
    }
    if (gambitts != null) {
      return newSampler();
    }
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

  /**
   * A GAMBITTS agent of this configuration; its generator is the stream of {@code gambitts.seed}, so every
   * fresh instance starts at the same position (a snapshot carries the position on).
   */
  private ServablePolicy newSampler() {
    Gambitts g = gambitts;
    ContextCells cells = contextCells().orElseThrow();
    var rng = RandomStreams.stream(g.seed(), 0x6A3B);
    return switch (spec) {
      case PoGambittsSpec s -> new PoGambitts(cells, subsample(g.offline(), s.offlineSamples()), s.hedging(),
          s.prior().withV2(s.v2()), rng);
      case FoGambittsSpec s -> new FoGambitts(maxArms, g.treatmentDim(), cells, s.hedging(), s.prior().withV2(s.v2()),
          s.kappa0(), Double.isNaN(s.nu0()) ? g.treatmentDim() : s.nu0(), s.psi0(), rng);
      case StdTsSpec s -> new StdTs(maxArms, cells, s.contextual(), s.prior(), rng);
      case EnsPoGambittsSpec s -> new EnsPoGambitts(cells, subsample(g.offline(), s.offlineSamples()), s.options(),
          rng);
      default -> throw new IllegalStateException("unsupported spec " + spec.type());
    };
  }

  /** Each slot's first {@code perSlot} embeddings (0: all). */
  private static OfflineTreatments subsample(OfflineTreatments all, int perSlot) {
    if (perSlot == 0) {
      return all;
    }
    int dz = all.dim();
    int[] counts = new int[all.numSlots()];
    int total = 0;
    for (int s = 0; s < counts.length; s++) {
      counts[s] = Math.min(perSlot, all.count(s));
      total += counts[s];
    }
    double[] samples = new double[total * dz];
    double[] z = new double[dz];
    int at = 0;
    for (int s = 0; s < counts.length; s++) {
      for (int i = 0; i < counts[s]; i++) {
        all.copySample(s, i, z);
        System.arraycopy(z, 0, samples, at, dz);
        at += dz;
      }
    }
    return new OfflineTreatments(all.numCells(), all.numArms(), dz, samples, counts);
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
    /** The GAMBITTS agents' world, or null. */
    TreatmentWorld world;

    @Override
    public Optional<TreatmentWorld> treatmentWorld() {
      return Optional.ofNullable(world);
    }

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

  /**
   * What the GAMBITTS policy parsers read of a world: the context columns and d_z. A service has no
   * generator (offline embeddings come from the {@code gambitts} section) and knows no noise.
   */
  private static final class ServiceWorld implements TreatmentWorld {
    private final ServiceConfig c;

    ServiceWorld(ServiceConfig c) {
      this.c = c;
    }

    @Override
    public List<String> contextColumns() {
      List<String> names = new ArrayList<>();
      for (int j = 0; j < c.gambitts.levels().length; j++) {
        names.add(c.featureNames != null ? c.featureNames.get(j) : "x" + j);
      }
      return names;
    }

    @Override
    public int[] contextLevels() {
      return c.gambitts.levels().clone();
    }

    @Override
    public List<String> treatmentNames() {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < c.gambitts.treatmentDim(); i++) {
        names.add("z" + i);
      }
      return names;
    }

    @Override
    public double noiseSd() {
      return Double.NaN;
    }

    @Override
    public OfflineTreatments offline(int perSlot, java.util.random.RandomGenerator rng) {
      throw new UnsupportedOperationException("a service has no generator to sample offline embeddings from");
    }
  }
}
