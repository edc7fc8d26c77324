package dev.recourse.sim.gambitts;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.ReplicationStreams;
import dev.recourse.sim.env.Scenario;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A generator-mediated scenario (spec gambitts.md §7): a response database ({@code response-db}) or a
 * Gaussian generator ({@code generator}). Its learner context is the cell's column levels; its actions
 * are prompts; it offers no recourse and no linear truth, only the {@link TreatmentWorld} the GAMBITTS
 * agents model. Immutable; the generator is shared by every replication.
 */
public final class TreatmentScenario implements Scenario {

  private final String name;
  private final Generator generator;
  private final Map<String, Object> parameters;

  TreatmentScenario(String name, Generator generator, Map<String, Object> parameters) {
    this.name = name;
    this.generator = generator;
    this.parameters = new LinkedHashMap<>(parameters);
  }

  /** The generator behind it (tests, reports). */
  public TreatmentWorld world() {
    return generator;
  }

  /** The generator's true mean reward of prompt {@code arm} in {@code cell}. */
  public double slotMean(int cell, int arm) {
    return generator.slotMean(cell, arm);
  }

  public int numCells() {
    return generator.numCells();
  }

  /** The prompt with the largest mean reward over the cells (which are drawn uniformly); ties to the lowest. */
  public int bestPrompt() {
    int best = 0;
    double bestMean = Double.NEGATIVE_INFINITY;
    for (int a = 0; a < generator.numArms(); a++) {
      double m = 0;
      for (int c = 0; c < generator.numCells(); c++) {
        m += generator.slotMean(c, a);
      }
      if (m > bestMean) {
        bestMean = m;
        best = a;
      }
    }
    return best;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int dim() {
    return Math.max(1, generator.contextLevels().length);
  }

  @Override
  public int numArms() {
    return generator.numArms();
  }

  @Override
  public List<String> featureNames() {
    return generator.contextColumns().isEmpty() ? List.of("none") : generator.contextColumns();
  }

  @Override
  public List<String> armNames() {
    List<String> names = new ArrayList<>();
    for (String p : generator.promptNames()) {
      names.add("prompt " + p);
    }
    return names;
  }

  @Override
  public int[] mutableIndices() {
    return new int[0];
  }

  @Override
  public Optional<TreatmentWorld> treatmentWorld() {
    return Optional.of(generator);
  }

  @Override
  public Environment create(long studySeed, int replication, DoubleKernels kernels) {
    return new GeneratorEnvironment(generator,
        ReplicationStreams.stream(studySeed, name, replication, ReplicationStreams.Purpose.CONTEXTS),
        ReplicationStreams.stream(studySeed, name, replication, ReplicationStreams.Purpose.GENERATOR),
        ReplicationStreams.stream(studySeed, name, replication, ReplicationStreams.Purpose.NOISE));
  }

  /** The generator's {@link Generator#extremes}, with its settings named after {@code source} (the study file). */
  List<Generator.Extreme> extremes(String source) {
    List<String> settings = new ArrayList<>();
    for (String key : SETTINGS) {
      if (parameters.containsKey(key)) {
        Object v = parameters.get(key);
        settings.add(key + ": " + (v instanceof int[] a ? java.util.Arrays.toString(a) : v));
      }
    }
    return generator.extremes(source + ": scenario (" + String.join(", ", settings) + ")");
  }

  /**
   * The settings that fix a generated world's values: they name it where no file line can. Both
   * generators draw in turn for every prompt (and dimension, and cell), so the prompts and the cells'
   * layout are among them.
   */
  private static final List<String> SETTINGS = List.of("type", "db", "responses_per_cell", "db_seed", "prompts",
      "context_columns", "embedding_dim", "context_levels", "prompt_sd", "cell_sd", "intercept", "coefficient_sd",
      "world_seed");

  /** The generator's {@link Generator#treatmentSd}. */
  double treatmentSd() {
    return generator.treatmentSd();
  }

  @Override
  public Map<String, Object> parameters() {
    return new LinkedHashMap<>(parameters);
  }
}
