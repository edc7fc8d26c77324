package dev.recourse.core.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;

/**
 * Argument checks shared by the GAMBITTS agents and their baselines; allocate only when they throw.
 *
 * <h2>Magnitude limits</h2>
 * Two kinds of input are refused beyond a limit, before any state changes, because beyond it the agents'
 * arithmetic stops being reliable although every value is representable:
 *
 * <ul>
 *   <li><b>Embedding entries</b> ({@code Z}, observed and offline): {@code |Z_i| ≤ }{@link #TREATMENT_UNITS}
 *       {@code ·√scale}, where {@code scale} (in units of {@code Z²}) is the prior's: the reward model's
 *       {@code slope_precision} (po-, foGAMBITTS), and for foGAMBITTS also its NIW {@code psi0}, whichever
 *       is smaller; 1 for ens-poGAMBITTS, whose networks start at unit scale. 1e4 with the defaults. Why:
 *       the reward model's rank-one Cholesky update ({@code c = r/l_kk}, {@code x ← c·x − s·l}) cancels
 *       terms of size {@code Z²/√slope_precision} down to the prior's {@code √slope_precision}, so a
 *       direction the data have not yet pinned down is computed with a relative error of about
 *       {@code ε·Z²/slope_precision}; the NIW cell's {@code Ψn = ψ0·I + S + …} loses {@code ψ0} likewise.
 *       Measured against an exact (100-digit) posterior, poGAMBITTS's sampled scores after one
 *       observation are off by up to 3e-7 at {@code |Z|/√slope_precision = 1e4}, 1e-5 at 1e5, 6e-4 at 1e6,
 *       6% at 1e7 and by more than the scores themselves at 1e8 (worst of 50 seeds); with data in every direction the error stays at
 *       round-off up to 1e8 and is O(1) from 1e15, and NaN appears near 1e90, where the cancelled terms'
 *       squares overflow ({@code GambittsLimitsTest}). A limit of 1e4 keeps the error near 1e-7, at a
 *       thousandth of the magnitude where the scores are meaningless. The ensemble's arithmetic holds
 *       further (its biases drown in {@code W1·z} near 1e16, its gradients' squares overflow near 1e77),
 *       but a network initialised at unit scale with fixed-size Adam steps learns nothing there: 1e4.
 *   <li><b>Rewards</b>: {@code |y| ≤ }{@link #MAX_REWARD} (1e100) for every agent and baseline. StdTS
 *       sums {@code y²} over its pulls and divides it by a Gamma draw (as small as about 1e-47), the
 *       reward model adds {@code y·Z}, the ensemble squares residuals: 1e100 leaves 200 orders of
 *       magnitude for those products, sums and quotients. Rewards do not cancel against a prior.
 * </ul>
 */
public final class AgentChecks {

  /** Embedding entries may be this many units of the agent's prior scale {@code √scale} (see the class comment). */
  public static final double TREATMENT_UNITS = 1e4;

  /** The largest reward magnitude any GAMBITTS agent or baseline accepts (see the class comment). */
  public static final double MAX_REWARD = 1e100;

  private AgentChecks() {}

  /** The embedding-entry limit of an agent whose prior scale is {@code scale} ({@code Z²} units, finite, > 0). */
  static double treatmentLimit(double scale) {
    return TREATMENT_UNITS * Math.sqrt(scale);
  }

  /**
   * The refusal of {@code value} at {@code name} beyond {@code limit} (or not finite): {@code "<name> must
   * be finite, got NaN"} or {@code "<name> must be at most <limit> in magnitude (<why>), got <value>"}.
   */
  static IllegalArgumentException outside(String name, double value, double limit, String why) {
    return new IllegalArgumentException(name + (Double.isFinite(value)
        ? " must be at most " + limit + " in magnitude (" + why + ")" : " must be finite") + ", got " + value);
  }

  /** Refuses a reward that is not finite or above {@link #MAX_REWARD} in magnitude, naming it {@code name}. */
  public static void reward(String name, double y) {
    if (!(Math.abs(y) <= MAX_REWARD)) {
      throw outside(name, y, MAX_REWARD, "the GAMBITTS agents' limit: their squares and sums of rewards must not"
          + " overflow");
    }
  }

  /**
   * Refuses an embedding {@code z[off..off+n)} with an entry that is not finite or above {@code limit} in
   * magnitude (naming {@code name[i]} and its value), or whose squared norm overflows (a limit from a
   * huge prior scale lets that through).
   */
  public static void treatment(String name, double[] z, int off, int n, double limit) {
    double normSq = 0.0;
    for (int i = 0; i < n; i++) {
      double zi = z[off + i];
      if (!(Math.abs(zi) <= limit)) {
        throw outside(name + "[" + i + "]", zi, limit, TREATMENT_WHY);
      }
      normSq += zi * zi;
    }
    // The models add products of Z's entries: a squared norm that overflows would make them infinite or NaN.
    if (normSq == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(name + " is too large: its squared norm overflows a double, got "
          + java.util.Arrays.toString(java.util.Arrays.copyOfRange(z, off, off + n)));
    }
  }

  private static final String TREATMENT_WHY = "1e4·√scale, scale the prior's slope_precision (or psi0 if smaller;"
      + " 1 for ens-poGAMBITTS): beyond it round-off swamps the prior; rescale Z or the prior";

  /** Refuses offline embeddings beyond {@code limit}, naming the sample's cell, prompt and entry. */
  static void offline(OfflineTreatments offline, double limit) {
    double[] samples = offline.samples();
    int d = offline.dim();
    int k = offline.numArms();
    for (int slot = 0; slot < offline.numCells() * k; slot++) {
      for (int i = 0; i < offline.count(slot); i++) {
        int at = offline.sampleOffset(slot, i);
        for (int j = 0; j < d; j++) {
          if (!(Math.abs(samples[at + j]) <= limit)) {
            throw outside("offline embedding " + i + " of cell " + slot / k + ", prompt " + slot % k + ": Z[" + j + "]",
                samples[at + j], limit, TREATMENT_WHY);
          }
        }
      }
    }
  }

  static void decision(Decision out, int dim) {
    if (out == null) {
      throw new IllegalArgumentException("decision must be non-null");
    }
    if (out.context().length != dim) {
      throw new IllegalArgumentException("decision dim must be " + dim + ", got " + out.context().length);
    }
  }

  /** Checks arm, reward and context of an outcome; returns its cell. */
  static int outcome(Outcome o, int numArms, ContextCells cells) {
    if (o == null) {
      throw new IllegalArgumentException("outcome must be non-null");
    }
    int arm = o.arm();
    if (arm < 0 || arm >= numArms) {
      throw new IllegalArgumentException("outcome arm must be in 0.." + (numArms - 1) + ", got " + arm);
    }
    reward("outcome reward", o.reward());
    return cells.checkedCell(o.context());
  }

  /**
   * Checks that an outcome carries a treatment embedding of length {@code treatmentDim} whose entries are
   * finite and within {@code limit} ({@link #treatment(String, double[], int, int, double)}).
   */
  static void treatment(Outcome o, int treatmentDim, double limit) {
    if (!o.hasTreatment()) {
      throw new IllegalArgumentException("outcome has no treatment embedding Z; a GAMBITTS agent needs it");
    }
    double[] z = o.treatment();
    if (z.length != treatmentDim) {
      throw new IllegalArgumentException("outcome treatmentDim must be " + treatmentDim + ", got " + z.length);
    }
    treatment("outcome treatment Z", z, 0, treatmentDim, limit);
  }

  static int positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
    return v;
  }

  static <T> T nonNull(String name, T v) {
    if (v == null) {
      throw new IllegalArgumentException(name + " must be non-null");
    }
    return v;
  }
}
