package dev.recourse.sim.policy;

import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;

/**
 * A policy type a study file can name.
 *
 * @param key         the {@code type} value in a study file
 * @param displayName the default label
 * @param advised     whether it needs an {@code advisor}
 * @param recourse    whether it recommends recourse (and so needs a scenario with a feasible set)
 * @param parser      reads its keys (beyond {@code type} and {@code label}) for the scenario
 */
public record PolicyType(String key, String displayName, boolean advised, boolean recourse, Parser parser) {

  /** A type that recommends no recourse. */
  public PolicyType(String key, String displayName, boolean advised, Parser parser) {
    this(key, displayName, advised, false, parser);
  }

  /** Reads one policy's own keys; the caller rejects unknown keys afterwards. */
  @FunctionalInterface
  public interface Parser {
    PolicySpec parse(ConfigNode node, String label, Scenario scenario);
  }
}
