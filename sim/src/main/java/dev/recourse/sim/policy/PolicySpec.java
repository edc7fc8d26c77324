package dev.recourse.sim.policy;

import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;
import java.util.List;
import java.util.Map;

/**
 * One policy configuration of a study: each variant reads its own keys from the study file
 * ({@link PolicyType#parser}), validates them there, once, naming the key at fault, and builds its
 * policy for a replication. Adding a policy means writing its spec class and naming it in the
 * {@code permits} clause and in {@link Registry#TYPES}; nothing else changes.
 */
public sealed interface PolicySpec permits NoopSpec, LinUcbSpec, GlrbSpec, LibraSpec, LlmOnlySpec, PoGambittsSpec,
    FoGambittsSpec, EnsPoGambittsSpec, StdTsSpec {

  /** The type a study file names ({@code linucb}, {@code glrb}, ...). */
  String type();

  /** The policy's name in tables, CSVs and plots (unique within a study). */
  String label();

  /** Whether the policy decides when to consult an advisor (its cumulative queries are plotted). */
  default boolean decidesWhenToAsk() {
    return false;
  }

  /** The policy of one replication. */
  BuiltPolicy build(BuildContext context);

  /**
   * The largest embedding entry {@code |Z_i|} the policy accepts (its agent's {@code treatmentLimit()}), or
   * infinity for one that reads no {@code Z}: a study checks the data of its world against it before it runs.
   */
  default double treatmentLimit() {
    return Double.POSITIVE_INFINITY;
  }

  /** The largest reward magnitude the policy accepts, or infinity for none of its own (checked alike). */
  default double rewardLimit() {
    return Double.POSITIVE_INFINITY;
  }

  /** About how many doubles one replication's policy holds on {@code scenario}, for the memory estimate. */
  default double stateDoubles(Scenario scenario) {
    return 0;
  }

  /** Configuration as the study file spells it, for the JSON summary. */
  Map<String, Object> parameters();

  /** Every policy type a study file can name, in the order help texts list them. */
  static List<PolicyType> types() {
    return Registry.TYPES;
  }

  /** The type named {@code key}, or throws naming the known ones. */
  static PolicyType type(String key) {
    for (PolicyType t : Registry.TYPES) {
      if (t.key().equals(key)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown policy '" + key + "' (known: " + keys() + ")");
  }

  static List<String> keys() {
    return Registry.TYPES.stream().map(PolicyType::key).toList();
  }

  /** Reads one {@code policies[i]} entry (with its {@code type} and optional {@code label}) and rejects unknown keys. */
  static PolicySpec parse(ConfigNode node, Scenario scenario) {
    String key = node.requiredText("type");
    PolicyType type;
    try {
      type = type(key);
    } catch (IllegalArgumentException e) {
      throw node.error("type", e.getMessage());
    }
    String label = node.text("label", type.displayName());
    if (label.isBlank() || !label.matches("[^,\"\\n\\r]+")) {
      throw node.error("label", "must be non-blank without commas, quotes or line breaks, got '" + label + "'");
    }
    PolicySpec spec = type.parser().parse(node, label, scenario);
    node.finish();
    return spec;
  }

  /** The list of types; a nested class so that it is initialised on first use, after the spec classes. */
  final class Registry {
    static final List<PolicyType> TYPES = List.of(LinUcbSpec.TYPE, GlrbSpec.Variant.PLAIN.type,
        GlrbSpec.Variant.ROBUST.type, GlrbSpec.Variant.NON_COMPLIANCE.type, LibraSpec.TYPE, LlmOnlySpec.TYPE,
        PoGambittsSpec.TYPE, FoGambittsSpec.TYPE, EnsPoGambittsSpec.TYPE, StdTsSpec.PLAIN, StdTsSpec.CONTEXTUAL,
        NoopSpec.TYPE);

    private Registry() {}
  }
}
