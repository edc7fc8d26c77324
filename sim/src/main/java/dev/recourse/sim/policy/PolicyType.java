package dev.recourse.sim.policy;

import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.env.Scenario;

/**
 * A policy type a study file can name.
 *
 * @param key         the {@code type} value in a study file
 * @param displayName the default label
 * @param advised     whether it needs an {@code advisor}
 * @param parser      reads its keys (beyond {@code type} and {@code label}) for the scenario
 */
public record PolicyType(String key, String displayName, boolean advised, Parser parser) {

  /** Reads one policy's own keys; the caller rejects unknown keys afterwards. */
  @FunctionalInterface
  public interface Parser {
    PolicySpec parse(ConfigNode node, String label, Scenario scenario);
  }
}
