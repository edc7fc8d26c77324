package dev.recourse.sim.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One policy configuration of a study, fully resolved (defaults filled in when the study is read).
 *
 * @param kind      which policy
 * @param label     its name in tables, CSVs and plots (unique within a study)
 * @param radius    confidence radius (null for policies without one)
 * @param lambda    ridge regularisation λ > 0
 * @param threshold LIBRA's Δ (NaN for other policies)
 * @param advisor   the advisor (null for policies without one)
 * @param epsilon   the deviation ϵ ORO-NC guards against ({@code glrb-nc}; NaN for other policies)
 */
public record PolicySpec(PolicyKind kind, String label, RadiusSpec radius, double lambda, double threshold,
                         AdvisorSpec advisor, double epsilon) {

  /** A policy without ORO-NC's ϵ. */
  public PolicySpec(PolicyKind kind, String label, RadiusSpec radius, double lambda, double threshold,
                    AdvisorSpec advisor) {
    this(kind, label, radius, lambda, threshold, advisor, Double.NaN);
  }

  public PolicySpec {
    Objects.requireNonNull(kind, "kind");
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("label must not be blank");
    }
    if (kind.hasRadius() != (radius != null)) {
      throw new IllegalArgumentException(kind.key() + (kind.hasRadius() ? " needs" : " takes no") + " radius");
    }
    if (kind == PolicyKind.LINUCB && !(radius instanceof RadiusSpec.Constant)) {
      throw new IllegalArgumentException("linucb takes a constant radius (its alpha), got " + radius);
    }
    if (kind.advised() != (advisor != null)) {
      throw new IllegalArgumentException(kind.key() + (kind.advised() ? " needs" : " takes no") + " advisor");
    }
    if (!(lambda > 0) || !Double.isFinite(lambda)) {
      throw new IllegalArgumentException("lambda must be finite and > 0, got " + lambda);
    }
    if (kind == PolicyKind.LIBRA ? !(threshold >= 0) || !Double.isFinite(threshold) : !Double.isNaN(threshold)) {
      throw new IllegalArgumentException(kind == PolicyKind.LIBRA
          ? "threshold (Delta) must be finite and >= 0, got " + threshold : kind.key() + " takes no threshold");
    }
    if (kind == PolicyKind.GLRB_NC ? !(epsilon >= 0) || !Double.isFinite(epsilon) : !Double.isNaN(epsilon)) {
      throw new IllegalArgumentException(kind == PolicyKind.GLRB_NC
          ? "epsilon must be finite and >= 0, got " + epsilon : kind.key() + " takes no epsilon");
    }
  }

  /** Configuration as the study file spells it, for the JSON summary. */
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", kind.key());
    p.put("label", label);
    if (radius != null) {
      p.put("radius", radius.parameters());
    }
    if (kind != PolicyKind.NOOP && kind != PolicyKind.LLM_ONLY) {
      p.put("lambda", lambda);
    }
    if (kind == PolicyKind.LIBRA) {
      p.put("threshold", threshold);
    }
    if (advisor != null) {
      p.put("advisor", advisor.parameters());
    }
    if (kind == PolicyKind.GLRB_NC) {
      p.put("epsilon", epsilon);
    }
    return p;
  }
}
