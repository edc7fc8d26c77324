package dev.recourse.sim.policy;

import java.util.Arrays;
import java.util.List;

/** The policies a study can run (spec libra.md §5), by the name a study file uses. */
public enum PolicyKind {
  /** Disjoint LinUCB: no recourse; regret still against the recourse-optimal pair. */
  LINUCB("linucb", "LinUCB"),
  /** Algorithm 1. */
  GLRB("glrb", "GLRB"),
  /** GLRB with the random non-compliance rule: decides on x̃ + the arm's mean observed deviation (§4.1). */
  GLRB_ROBUST("glrb-robust", "GLRB robust"),
  /** GLRB with ORO-NC, robust to adversarial deviations of size ϵ (§4.2, Lemma 4). */
  GLRB_NC("glrb-nc", "GLRB ORO-NC"),
  /** Algorithm 3: GLRB that consults an advisor while its confidence width exceeds Δ. */
  LIBRA("libra", "LIBRA"),
  /** Always the advisor's pair (the paper's "LLM-only"). */
  LLM_ONLY("llm-only", "LLM-only"),
  /** Plays arm 0 with no recourse and learns nothing: measures the runner's own cost per round. */
  NOOP("noop", "noop");

  private final String key;
  private final String displayName;

  PolicyKind(String key, String displayName) {
    this.key = key;
    this.displayName = displayName;
  }

  public String key() {
    return key;
  }

  /** The default label in tables and plots. */
  public String displayName() {
    return displayName;
  }

  /** Whether the policy needs an advisor. */
  public boolean advised() {
    return this == LIBRA || this == LLM_ONLY;
  }

  /** Whether the policy has a confidence radius. */
  public boolean hasRadius() {
    return this == LINUCB || this == GLRB || this == GLRB_ROBUST || this == GLRB_NC || this == LIBRA;
  }

  /** The kind a study file names, or throws naming the known ones. */
  public static PolicyKind fromKey(String key) {
    for (PolicyKind k : values()) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    throw new IllegalArgumentException("unknown policy '" + key + "' (known: " + keys() + ")");
  }

  public static List<String> keys() {
    return Arrays.stream(values()).map(PolicyKind::key).toList();
  }
}
