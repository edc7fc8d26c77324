package dev.recourse.sim.metrics;

/**
 * The streaming aggregate of one policy over replications: per checkpoint, mean and 95% interval of
 * cumulative regret, mean observed reward and cumulative advisor queries; per (arm, mutable feature)
 * the mean recommended displacement; per arm the share of rounds played. Memory does not grow with
 * the number of replications. Replications must be added in index order for reproducible bits.
 */
public final class PolicyAggregate {

  private final String label;
  private final RunningStats regret;
  private final RunningStats reward;
  private final RunningStats queries;
  private final RunningStats recourse;
  private final RunningStats armShare;
  private String describe;
  private int replications;

  public PolicyAggregate(String label, int checkpoints, int numArms, int dimM) {
    this.label = label;
    this.regret = new RunningStats(checkpoints);
    this.reward = new RunningStats(checkpoints);
    this.queries = new RunningStats(checkpoints);
    this.recourse = new RunningStats(numArms * dimM);
    this.armShare = new RunningStats(numArms);
  }

  /** Adds the next replication; the first one's policy description is kept for the summary. */
  public void add(double[] regretAt, double[] rewardAt, double[] queriesAt, double[] recourseMeans, double[] share,
                  String policyDescription) {
    regret.add(regretAt);
    reward.add(rewardAt);
    queries.add(queriesAt);
    recourse.add(recourseMeans);
    armShare.add(share);
    if (describe == null) {
      describe = policyDescription;
    }
    replications++;
  }

  public String label() {
    return label;
  }

  /** {@code Policy.describe()} of replication 0 (later replications differ only in data-dependent inputs). */
  public String describe() {
    return describe;
  }

  public int replications() {
    return replications;
  }

  /** Cumulative regret per checkpoint. */
  public RunningStats regret() {
    return regret;
  }

  /** Mean observed reward up to each checkpoint. */
  public RunningStats reward() {
    return reward;
  }

  /** Cumulative advisor queries per checkpoint. */
  public RunningStats queries() {
    return queries;
  }

  /** Mean recommended displacement, cell {@code arm·d_M + k}. */
  public RunningStats recourse() {
    return recourse;
  }

  /** Share of rounds each arm was played. */
  public RunningStats armShare() {
    return armShare;
  }
}
