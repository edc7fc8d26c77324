package dev.recourse.sim.env;

import dev.recourse.core.simd.DoubleKernels;
import java.util.Optional;
import dev.recourse.core.linalg.CholeskyOps;
import dev.recourse.core.compliance.Compliance;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.sim.env.FertilityData;
import dev.recourse.sim.config.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The semi-synthetic fertility problem of paper App. D on the UCI Fertility data (read from a path
 * the user gives; never bundled). Arm = surgical intervention (0 no, 1 yes); mutable = alcohol
 * consumption, smoking habit, hours sitting. The learner's context is a constant 1 followed by the
 * eight other attributes, each standardised with the data's mean and sample standard deviation.
 *
 * <p>True model, per replication: outcomes {@code y_i ~ N(5, 1)} if patient i's diagnosis is normal,
 * else {@code N(0, 1)} (drawn in file order from the TRUTH stream), then one least-squares regression
 * per arm of y on the context over that arm's patients; its coefficients are the arm's θ. Rewards are
 * {@code θ_aᵀx̃ + N(0, σ²)} for patients bootstrapped from all rows. The design matrices do not depend
 * on the outcomes, so they are factored once, here, and a data set too small to fit is rejected before
 * any work.
 *
 * <p>Choices the paper leaves open: γ = 1 (ℓ2, standardised units: a change of at most one standard
 * deviation in total across the three habits; clinically a large but plausible change, where the
 * γ = 3 of §5 and §6 would ask for three), σ = 1 (the spread of the outcome model), the outcomes and
 * fits redrawn per replication (so the confidence bands cover the fitting noise too), no bounds on the
 * recourse (as the paper says in App. D). Default confidence radii:
 * {@link dev.recourse.sim.policy.RadiusDefaults}.
 */
public final class FertilityScenario implements LinearScenario {

  public static final String NAME = "fertility";

  private static final List<String> MUTABLE = List.of("alcohol", "smoking", "sitting_hours");
  private static final int ALCOHOL_COLUMN = FertilityData.COLUMNS.indexOf("alcohol");

  private final Path file;
  private final double gamma;
  private final double noiseSd;
  private final double normalMean;
  private final int rows;
  private final int dim;
  private final double[] contexts;
  private final boolean[] normal;
  private final int[] arm;
  private final List<String> features;
  /** Per arm, the Cholesky factor of its {@code XᵀX}. */
  private final double[][] factors;

  public FertilityScenario(Path file) {
    this(file, 1.0, 1.0, 5.0);
  }

  public FertilityScenario(Path file, double gamma, double noiseSd, double normalMean) {
    if (!(gamma >= 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and >= 0, got " + gamma);
    }
    if (!(noiseSd >= 0) || !Double.isFinite(noiseSd)) {
      throw new IllegalArgumentException("noise_sd must be finite and >= 0, got " + noiseSd);
    }
    if (!Double.isFinite(normalMean)) {
      throw new IllegalArgumentException("normal_mean must be finite, got " + normalMean);
    }
    FertilityData data = FertilityData.read(file);
    this.file = file;
    this.gamma = gamma;
    this.noiseSd = noiseSd;
    this.normalMean = normalMean;
    this.rows = data.rows();
    this.features = new ArrayList<>();
    features.add("constant");
    List<Integer> sources = new ArrayList<>();
    for (int c = 0; c < FertilityData.COLUMNS.size(); c++) {
      if (c != FertilityData.SURGERY_COLUMN) {
        features.add(FertilityData.COLUMNS.get(c));
        sources.add(c);
      }
    }
    this.dim = features.size();
    this.contexts = new double[rows * dim];
    this.normal = data.normal().clone();
    this.arm = new int[rows];
    for (int r = 0; r < rows; r++) {
      contexts[r * dim] = 1.0;
      arm[r] = data.arm(r);
    }
    for (int j = 0; j < sources.size(); j++) {
      int c = sources.get(j);
      double sign = c == ALCOHOL_COLUMN ? -1.0 : 1.0;
      double mean = 0;
      for (int r = 0; r < rows; r++) {
        mean += sign * data.value(r, c);
      }
      mean /= rows;
      double ss = 0;
      for (int r = 0; r < rows; r++) {
        double v = sign * data.value(r, c) - mean;
        ss += v * v;
      }
      double sd = rows > 1 ? Math.sqrt(ss / (rows - 1)) : 0.0;
      if (!(sd > 0)) {
        throw InputException.inFile(file, "column " + FertilityData.COLUMNS.get(c) + " is constant: cannot standardise it");
      }
      for (int r = 0; r < rows; r++) {
        contexts[r * dim + j + 1] = (sign * data.value(r, c) - mean) / sd;
      }
    }
    this.factors = new double[2][];
    for (int a = 0; a < 2; a++) {
      double[] gram = new double[dim * dim];
      int count = 0;
      for (int r = 0; r < rows; r++) {
        if (arm[r] != a) {
          continue;
        }
        count++;
        for (int i = 0; i < dim; i++) {
          for (int k = 0; k < dim; k++) {
            gram[i * dim + k] += contexts[r * dim + i] * contexts[r * dim + k];
          }
        }
      }
      if (!CholeskyOps.factor(gram, 0, dim)) {
        throw InputException.inFile(file, "the " + count + " patients with surgical_intervention = " + a
            + " cannot determine a regression on " + dim + " features (singular design)");
      }
      factors[a] = gram;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numArms() {
    return 2;
  }

  @Override
  public List<String> featureNames() {
    return List.copyOf(features);
  }

  @Override
  public List<String> armNames() {
    return List.of("no surgery", "surgery");
  }

  @Override
  public int[] mutableIndices() {
    int[] m = new int[MUTABLE.size()];
    for (int k = 0; k < m.length; k++) {
      m[k] = features.indexOf(MUTABLE.get(k));
    }
    return m;
  }


  @Override
  public Optional<RadiusDefaults> radiusDefaults() {
    return Optional.of(RadiusDefaults.FERTILITY);
  }

  @Override
  public LinearEnvironment create(long studySeed, int replication, DoubleKernels kernels) {
    RandomGenerator truth = ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.TRUTH);
    double[] outcome = new double[rows];
    for (int r = 0; r < rows; r++) {
      outcome[r] = (normal[r] ? normalMean : 0.0) + truth.nextGaussian();
    }
    double[] theta = fit(outcome);
    FeasibleSet set = new FeasibleSet(dim, mutableIndices(), new L2Ball(MUTABLE.size(), gamma));
    BootstrapContexts source = new BootstrapContexts(contexts, rows, dim);
    return new LinearEnvironment(theta, 2, 0.0, noiseSd, set, source,
        ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.CONTEXTS),
        ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.NOISE),
        Compliance.FULL, source.maxRowNorm() + gamma, kernels);
  }

  /** Least squares per arm of {@code outcome} (one value per patient) on the contexts: θ, arm a at a·d. */
  double[] fit(double[] outcome) {
    double[] theta = new double[2 * dim];
    for (int a = 0; a < 2; a++) {
      for (int r = 0; r < rows; r++) {
        if (arm[r] == a) {
          for (int i = 0; i < dim; i++) {
            theta[a * dim + i] += contexts[r * dim + i] * outcome[r];
          }
        }
      }
      CholeskyOps.solve(factors[a], 0, dim, theta, a * dim);
    }
    return theta;
  }

  /** The noise-free outcome model: its mean per patient (5 if normal, else 0). */
  double[] expectedOutcomes() {
    double[] y = new double[rows];
    for (int r = 0; r < rows; r++) {
      y[r] = normal[r] ? normalMean : 0.0;
    }
    return y;
  }

  /** The learner's context of patient {@code row} (a copy). */
  double[] context(int row) {
    return java.util.Arrays.copyOfRange(contexts, row * dim, (row + 1) * dim);
  }

  int patients() {
    return rows;
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", NAME);
    p.put("data", file.toString());
    p.put("gamma", gamma);
    p.put("noise_sd", noiseSd);
    p.put("normal_mean", normalMean);
    p.put("patients", rows);
    p.put("norm", "l2");
    p.put("compliance", "full");
    return p;
  }
}
