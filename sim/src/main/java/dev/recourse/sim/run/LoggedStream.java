package dev.recourse.sim.run;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.core.recourse.FeasibleSet;
import dev.recourse.core.recourse.L2Ball;
import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.Scenario;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A logged full-information stream as a scenario: every row holds a context and the reward of every
 * arm, so any policy can be replayed on it ({@code recourse replay}). The environment plays the rows
 * in order; the reward is the row's reward of the chosen arm and the regret the row's best reward
 * minus it. A log records no recourse: a recourse policy's recommendation is not implemented, the
 * realised context is the logged one, and only the arm counts. With {@code mutable} indices and a
 * radius γ the scenario offers an ℓ2 feasible set, so recourse policies can be run on it.
 */
public final class LoggedStream implements Scenario {

  public static final String NAME = "logged-stream";

  private final ReplayData data;
  private final int[] mutable;
  private final double gamma;

  /** A stream without recourse. */
  public LoggedStream(ReplayData data) {
    this(data, new int[0], 0.0);
  }

  /** A stream whose features {@code mutable} may move within an ℓ2 ball of radius {@code gamma}. */
  public LoggedStream(ReplayData data, int[] mutable, double gamma) {
    this.data = java.util.Objects.requireNonNull(data, "data");
    this.mutable = mutable.clone();
    this.gamma = gamma;
    if (mutable.length > 0) {
      new FeasibleSet(data.dim(), this.mutable, new L2Ball(mutable.length, gamma)); // validates indices and γ
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int dim() {
    return data.dim();
  }

  @Override
  public int numArms() {
    return data.numArms();
  }

  @Override
  public List<String> featureNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < data.dim(); i++) {
      names.add("x" + i);
    }
    return names;
  }

  @Override
  public List<String> armNames() {
    List<String> names = new ArrayList<>();
    for (int a = 0; a < data.numArms(); a++) {
      names.add("arm" + a);
    }
    return names;
  }

  @Override
  public int[] mutableIndices() {
    return mutable.clone();
  }

  @Override
  public boolean offersRecourse() {
    return mutable.length > 0;
  }

  @Override
  public Rows create(long studySeed, int replication, DoubleKernels kernels) {
    return new Rows();
  }

  @Override
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", NAME);
    p.put("rounds", data.rounds());
    if (mutable.length > 0) {
      p.put("mutable", mutable.clone());
      p.put("gamma", gamma);
    }
    return p;
  }

  /** The rows in order; past the last one, {@link #nextContext} fails. */
  public final class Rows implements Environment {

    private final double[] stream = data.stream();
    private final int width = data.streamWidth();
    private int row = -1;

    @Override
    public int dim() {
      return data.dim();
    }

    @Override
    public int numArms() {
      return data.numArms();
    }

    @Override
    public void nextContext(double[] x) {
      if (row + 1 >= data.rounds()) {
        throw new IllegalStateException("the stream has only " + data.rounds() + " rows");
      }
      row++;
      System.arraycopy(stream, row * width, x, 0, data.dim());
    }

    @Override
    public double act(double[] x, Decision decision, Outcome outcome) {
      int off = row * width + data.dim();
      int arm = decision.arm();
      double best = stream[off];
      for (int a = 1; a < data.numArms(); a++) {
        best = Math.max(best, stream[off + a]);
      }
      double reward = stream[off + arm];
      System.arraycopy(stream, row * width, outcome.context(), 0, data.dim());
      outcome.set(arm, reward);
      return best - reward;
    }

    @Override
    public Optional<FeasibleSet> newFeasibleSet() {
      return mutable.length == 0 ? Optional.empty()
          : Optional.of(new FeasibleSet(data.dim(), mutable, new L2Ball(mutable.length, gamma)));
    }
  }
}
