package dev.recourse.sim.env;

import dev.recourse.core.simd.DoubleKernels;
import java.util.Optional;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The hypertension case study of paper §5 (spec libra.md §9). Two arms (beta-blocker; ACE inhibitor +
 * calcium-channel blocker + diuretic), eight standardised features in Table 1's order, DietScore and
 * PhyActHours mutable within an ℓ2 ball of radius γ = 3. The next visit's systolic blood pressure is
 * {@code SBP = intercept + θ_aᵀx̃ + N(0, σ²)} with Table 1's coefficients θ_a, and the reward is
 * {@code 170 − SBP} (so the learner's true parameters are {@code −θ_a}).
 *
 * <p>Choices where the paper is silent (all parameters):
 * <ul>
 *   <li>The ACCORD data are not public, so each replication draws a synthetic cohort (TRUTH stream) of
 *       {@code cohort_size} = 177 patients (the 114 + 63 of §5.3) and bootstraps one patient per round
 *       from it. Binary features are standardised Bernoulli {@code (b − p)/sqrt(p(1 − p))}: female
 *       p = 0.48, CVD history p = 0.27 (the prompt of Figure 2 shows a standardised CVD history of 1.63,
 *       which is the "yes" value for p ≈ 0.27), race class (non-white) p = 0.38. Age, cigarettes,
 *       DietScore, PhyActHours and current SBP are standard normal: cigarettes is not modelled as
 *       binary because Figure 2's standardised value 0.30 is not the "yes" or "no" value of any
 *       plausible smoking prevalence.
 *   <li>One intercept for both arms (default 125 mmHg: with it the four policies land in the range of
 *       Table 2; no single intercept reproduces all four values, so compare orderings, not levels).
 *       Being common to both arms, it does not change which pair is optimal.
 *   <li>The learner's context starts with a constant 1 (immutable) so that its linear model can
 *       represent the intercept; {@code constant: false} gives the 8-feature learner, whose model then
 *       cannot represent the offset {@code 170 − intercept} (spec §9).
 *   <li>SBP noise σ = 1.
 * </ul>
 *
 * <p>Default confidence radii: {@link dev.recourse.sim.policy.RadiusDefaults}.
 */
public final class HypertensionScenario implements LinearScenario {

  public static final String NAME = "hypertension";

  /** Table 1, in feature order; the race coefficient is printed as −0.00. */
  private static final String[] FEATURES = {
      "female", "age", "cvd_history", "race", "cigarettes", "DietScore", "PhyActHours", "current_SBP"};
  private static final double[] BETA_BLOCKER = {-0.51, 1.91, 0.29, 0.00, 1.43, -2.12, -0.48, 8.79};
  private static final double[] ACE_CCB_DIURETIC = {2.73, -1.51, 1.09, 0.00, -1.78, -2.18, -1.02, 10.82};
  private static final int DIET = 5;
  private static final int ACTIVITY = 6;
  private static final int FEATURE_COUNT = FEATURES.length;

  private final double gamma;
  private final double intercept;
  private final double baseline;
  private final double noiseSd;
  private final int cohortSize;
  private final boolean constant;
  private final double femalePrevalence;
  private final double cvdPrevalence;
  private final double racePrevalence;
  private final ComplianceSpec compliance;

  public static final double DEFAULT_GAMMA = 3.0;
  public static final double DEFAULT_INTERCEPT = 125.0;
  public static final double DEFAULT_BASELINE = 170.0;
  public static final double DEFAULT_NOISE_SD = 1.0;
  public static final int DEFAULT_COHORT_SIZE = 177;
  public static final double DEFAULT_FEMALE = 0.48;
  public static final double DEFAULT_CVD_HISTORY = 0.27;
  public static final double DEFAULT_RACE = 0.38;

  /** The paper's configuration with the documented choices. */
  public HypertensionScenario() {
    this(DEFAULT_GAMMA, DEFAULT_INTERCEPT, DEFAULT_BASELINE, DEFAULT_NOISE_SD, DEFAULT_COHORT_SIZE, true,
        DEFAULT_FEMALE, DEFAULT_CVD_HISTORY, DEFAULT_RACE);
  }

  public HypertensionScenario(double gamma, double intercept, double baseline, double noiseSd, int cohortSize,
                              boolean constant, double femalePrevalence, double cvdPrevalence,
                              double racePrevalence) {
    this(gamma, intercept, baseline, noiseSd, cohortSize, constant, femalePrevalence, cvdPrevalence, racePrevalence,
        ComplianceSpec.FULL);
  }

  /** With a non-compliance model (paper §5.4): how patients realise the recommended DietScore and PhyActHours. */
  public HypertensionScenario(double gamma, double intercept, double baseline, double noiseSd, int cohortSize,
                              boolean constant, double femalePrevalence, double cvdPrevalence,
                              double racePrevalence, ComplianceSpec compliance) {
    requireFinite("gamma", gamma, 0);
    requireFinite("noise_sd", noiseSd, 0);
    if (!Double.isFinite(intercept)) {
      throw new IllegalArgumentException("intercept must be finite, got " + intercept);
    }
    if (!Double.isFinite(baseline)) {
      throw new IllegalArgumentException("baseline must be finite, got " + baseline);
    }
    if (cohortSize < 1) {
      throw new IllegalArgumentException("cohort_size must be >= 1, got " + cohortSize);
    }
    requireProbability("prevalence.female", femalePrevalence);
    requireProbability("prevalence.cvd_history", cvdPrevalence);
    requireProbability("prevalence.race", racePrevalence);
    this.gamma = gamma;
    this.intercept = intercept;
    this.baseline = baseline;
    this.noiseSd = noiseSd;
    this.cohortSize = cohortSize;
    this.constant = constant;
    this.femalePrevalence = femalePrevalence;
    this.cvdPrevalence = cvdPrevalence;
    this.racePrevalence = racePrevalence;
    this.compliance = java.util.Objects.requireNonNull(compliance, "compliance");
  }

  private static void requireFinite(String key, double v, double min) {
    if (!(v >= min) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(key + " must be finite and >= " + min + ", got " + v);
    }
  }

  private static void requireProbability(String key, double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException(key + " must be in (0, 1), got " + p);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Position of Table 1's feature {@code k} in the learner's context. */
  private int column(int k) {
    return constant ? k + 1 : k;
  }

  @Override
  public int dim() {
    return column(FEATURE_COUNT);
  }

  @Override
  public int numArms() {
    return 2;
  }

  @Override
  public List<String> featureNames() {
    List<String> names = new ArrayList<>();
    if (constant) {
      names.add("constant");
    }
    names.addAll(List.of(FEATURES));
    return names;
  }

  @Override
  public List<String> armNames() {
    return List.of("beta-blocker", "ACE+CCB+diuretic");
  }

  @Override
  public int[] mutableIndices() {
    return new int[] {column(DIET), column(ACTIVITY)};
  }


  @Override
  public Optional<RadiusDefaults> radiusDefaults() {
    return Optional.of(RadiusDefaults.HYPERTENSION);
  }

  @Override
  public LinearEnvironment create(long studySeed, int replication, DoubleKernels kernels) {
    int d = dim();
    double[] cohort = drawCohort(ReplicationStreams.stream(studySeed, NAME, replication,
        ReplicationStreams.Purpose.TRUTH));
    double[] theta = new double[2 * d];
    for (int a = 0; a < 2; a++) {
      double[] table = a == 0 ? BETA_BLOCKER : ACE_CCB_DIURETIC;
      if (constant) {
        theta[a * d] = baseline - intercept;
      }
      for (int k = 0; k < FEATURE_COUNT; k++) {
        theta[a * d + column(k)] = -table[k];
      }
    }
    double offset = constant ? 0.0 : baseline - intercept;
    FeasibleSet set = new FeasibleSet(d, mutableIndices(), new L2Ball(2, gamma));
    BootstrapContexts contexts = new BootstrapContexts(cohort, cohortSize, d);
    return new LinearEnvironment(theta, 2, offset, noiseSd, set, contexts,
        ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.CONTEXTS),
        ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.NOISE),
        compliance.build(theta, d, mutableIndices(), set.ball(),
            ReplicationStreams.stream(studySeed, NAME, replication, ReplicationStreams.Purpose.COMPLIANCE)),
        contexts.maxRowNorm() + gamma + compliance.epsilon(), kernels);
  }

  /** The cohort, row-major, patient by patient, features in Table 1's order. */
  private double[] drawCohort(RandomGenerator rng) {
    int d = dim();
    double[] rows = new double[cohortSize * d];
    for (int p = 0; p < cohortSize; p++) {
      int row = p * d;
      if (constant) {
        rows[row] = 1.0;
      }
      for (int k = 0; k < FEATURE_COUNT; k++) {
        double prevalence = switch (k) {
          case 0 -> femalePrevalence;
          case 2 -> cvdPrevalence;
          case 3 -> racePrevalence;
          default -> Double.NaN;
        };
        rows[row + column(k)] = Double.isNaN(prevalence) ? rng.nextGaussian() : standardisedBernoulli(rng, prevalence);
      }
    }
    return rows;
  }

  private static double standardisedBernoulli(RandomGenerator rng, double p) {
    double b = rng.nextDouble() < p ? 1.0 : 0.0;
    return (b - p) / Math.sqrt(p * (1 - p));
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", NAME);
    p.put("gamma", gamma);
    p.put("intercept", intercept);
    p.put("baseline", baseline);
    p.put("noise_sd", noiseSd);
    p.put("cohort_size", cohortSize);
    p.put("constant", constant);
    Map<String, Object> prevalence = new LinkedHashMap<>();
    prevalence.put("female", femalePrevalence);
    prevalence.put("cvd_history", cvdPrevalence);
    prevalence.put("race", racePrevalence);
    p.put("prevalence", prevalence);
    p.put("norm", "l2");
    p.put("compliance", compliance.parameters());
    return p;
  }
}
