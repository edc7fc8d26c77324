package dev.recourse.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.run.Study;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's identity as text: what the summary JSON records of it (sizes, seed, checkpoints, the
 * scenario's and each policy's parameters). Executors re-parse the study from its source and compare
 * this with the driver's, so a study that does not parse to the same thing everywhere fails loudly
 * instead of giving other numbers.
 */
final class StudyFingerprint {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StudyFingerprint() {}

  static String of(Study study) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", study.name());
    m.put("seed", study.seed());
    m.put("horizon", study.horizon());
    m.put("replications", study.replications());
    m.put("checkpoints", study.checkpoints());
    m.put("recourse_from", study.recourseFrom());
    m.put("scenario", study.scenario().name());
    m.put("scenario_parameters", study.scenario().parameters());
    List<Object> policies = new ArrayList<>();
    for (PolicySpec p : study.policies()) {
      policies.add(p.parameters());
    }
    m.put("policies", policies);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot describe study " + study.name() + ": " + e.getMessage(), e);
    }
  }
}
