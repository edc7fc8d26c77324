package dev.recourse.sim.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.env.ReplicationStreams;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.metrics.RunningStats;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The study's summary as JSON: configuration (as the study file spells it, defaults filled in), seeds
 * and how streams derive from them, versions, kernels, each policy's {@code describe()} (radius,
 * solver, advisor), final results, wall time and the files written. Written atomically.
 */
public final class SummaryJson {

  private SummaryJson() {}

  public static void write(Path target, StudyResult result, String projectVersion, Map<String, String> files)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    String text = mapper.writeValueAsString(tree(result, projectVersion, files)) + "\n";
    AtomicFileWriter.write(target, false, out -> out.write(text));
  }

  static Map<String, Object> tree(StudyResult result, String projectVersion, Map<String, String> files) {
    Study study = result.study();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("study", study.name());
    root.put("seed", study.seed());
    root.put("horizon", study.horizon());
    root.put("replications", study.replications());
    root.put("checkpoints", study.checkpoints().length);
    root.put("recourse_from", study.recourseFrom());
    root.put("scenario", study.scenario().parameters());
    Map<String, Object> streams = new LinkedHashMap<>();
    streams.put("derivation", "RandomStreams.stream(seed, fnv1a64(scenario name), replication, purpose)");
    Map<String, Object> purposes = new LinkedHashMap<>();
    for (ReplicationStreams.Purpose p : ReplicationStreams.Purpose.values()) {
      purposes.put(p.name().toLowerCase(java.util.Locale.ROOT), p.key());
    }
    streams.put("purposes", purposes);
    streams.put("generator", "L64X128MixRandom");
    root.put("random_streams", streams);
    List<Map<String, Object>> policies = new ArrayList<>();
    int last = study.checkpoints().length - 1;
    for (int i = 0; i < study.policies().size(); i++) {
      PolicySpec spec = study.policies().get(i);
      PolicyAggregate agg = result.policies().get(i);
      Map<String, Object> p = new LinkedHashMap<>(spec.parameters());
      p.put("describe", agg.describe());
      Map<String, Object> fin = new LinkedHashMap<>();
      fin.put("t", study.horizon());
      put(fin, "regret", agg.regret(), last);
      put(fin, "reward", agg.reward(), last);
      put(fin, "queries", agg.queries(), last);
      p.put("final", fin);
      policies.add(p);
    }
    root.put("policies", policies);
    Map<String, Object> versions = new LinkedHashMap<>();
    versions.put("recourse", projectVersion);
    versions.put("java", Runtime.version().toString());
    versions.put("java_vendor", System.getProperty("java.vendor"));
    versions.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    root.put("versions", versions);
    Map<String, Object> kernels = new LinkedHashMap<>();
    kernels.put("core", Kernels.name());
    kernels.put("study", result.kernels());
    root.put("kernels", kernels);
    root.put("threads", result.threads());
    root.put("available_processors", Runtime.getRuntime().availableProcessors());
    root.put("wall_seconds", result.wallSeconds());
    root.put("cpu_seconds", result.cpuSeconds());
    root.put("cpu_microseconds_per_round", 1e6 * result.cpuSeconds() / result.rounds());
    root.put("rounds", result.rounds());
    root.put("rounds_per_second", result.rounds() / result.wallSeconds());
    root.put("files", files);
    return root;
  }

  private static void put(Map<String, Object> out, String name, RunningStats s, int i) {
    out.put(name + "_mean", finite(s.mean(i)));
    out.put(name + "_ci95_half_width", finite(s.halfWidth95(i)));
  }

  /** JSON has no NaN: a missing value is null. */
  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
