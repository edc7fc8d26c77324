package dev.recourse.sim.env;

import dev.recourse.core.simd.DoubleKernels;
import java.util.Optional;
import dev.recourse.core.compliance.Compliance;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.rng.RandomStreams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The synthetic problem of paper §6.1: {@code d} features, all mutable, {@code K} arms, contexts
 * {@code x ~ N(0, I_d)}, per-replication parameters {@code θ_a ~ N(0, I_d)} (drawn from the
 * replication's TRUTH stream, arm by arm), reward {@code θ_aᵀx̃ + N(0, σ²)}, recourse in the ℓ2 ball
 * of radius γ. Defaults: d = 20, K = 10, γ = 3, σ = 1.
 * Default confidence radii: {@link dev.recourse.sim.policy.RadiusDefaults}.
 */
public final class SyntheticScenario implements LinearScenario {

  public static final String NAME = "synthetic";

  private final int dim;
  private final int numArms;
  private final double gamma;
  private final double noiseSd;

  /** The paper's configuration. */
  public SyntheticScenario() {
    this(20, 10, 3.0, 1.0);
  }

  public SyntheticScenario(int dim, int numArms, double gamma, double noiseSd) {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, got " + dim);
    }
    if (numArms < 1) {
      throw new IllegalArgumentException("arms must be >= 1, got " + numArms);
    }
    if (!(gamma >= 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and >= 0, got " + gamma);
    }
    if (!(noiseSd >= 0) || !Double.isFinite(noiseSd)) {
      throw new IllegalArgumentException("noise_sd must be finite and >= 0, got " + noiseSd);
    }
    this.dim = dim;
    this.numArms = numArms;
    this.gamma = gamma;
    this.noiseSd = noiseSd;
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
    return numArms;
  }

  @Override
  public List<String> featureNames() {
    List<String> names = new ArrayList<>(dim);
    for (int i = 0; i < dim; i++) {
      names.add("x" + i);
    }
    return names;
  }

  @Override
  public List<String> armNames() {
    List<String> names = new ArrayList<>(numArms);
    for (int a = 0; a < numArms; a++) {
      names.add("arm" + a);
    }
    return names;
  }

  @Override
  public int[] mutableIndices() {
    int[] all = new int[dim];
    for (int i = 0; i < dim; i++) {
      all[i] = i;
    }
    return all;
  }


  @Override
  public Optional<RadiusDefaults> radiusDefaults() {
    return Optional.of(RadiusDefaults.SYNTHETIC);
  }

  @Override
  public LinearEnvironment create(long studySeed, int replication, DoubleKernels kernels) {
    double[] theta = new double[numArms * dim];
    RandomStreams.fillGaussian(ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.TRUTH),
        theta, 0, theta.length);
    FeasibleSet set = new FeasibleSet(dim, mutableIndices(), new L2Ball(dim, gamma));
    // Gaussian contexts have no bound; spec §3's choice for β_X: sqrt(d_I + (sqrt(d_M) + γ)²), d_I = 0.
    double contextBound = Math.sqrt(dim) + gamma;
    return new LinearEnvironment(theta, numArms, 0.0, noiseSd, set, new GaussianContexts(),
        ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.CONTEXTS),
        ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.NOISE),
        Compliance.FULL, contextBound, kernels);
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", NAME);
    p.put("dim", dim);
    p.put("arms", numArms);
    p.put("gamma", gamma);
    p.put("noise_sd", noiseSd);
    p.put("norm", "l2");
    p.put("compliance", "full");
    return p;
  }
}
