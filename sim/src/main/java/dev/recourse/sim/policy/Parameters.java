package dev.recourse.sim.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/** Configuration maps in a fixed key order (Map.of iterates in a per-JVM random order), for JSON output. */
final class Parameters {

  private Parameters() {}

  /** {@code {type: type, k1: v1, k2: v2, ...}} in this order; {@code keyValues} alternates key, value. */
  static Map<String, Object> ordered(String type, Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type);
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
