package dev.recourse.sim.run;

/**
 * What a replay did: the arm played and the reward received in every round, their sum, and the wall
 * time of the decide+update loop alone.
 *
 * @param arms      {@code arms[t]}, the arm played in round {@code t}
 * @param rewards   {@code rewards[t]}, the stream's reward for that arm
 * @param cumReward the sum of {@code rewards}, accumulated in round order
 * @param loopNanos nanoseconds spent in the decide+update loop (warm-up, parsing and output excluded)
 */
public record ReplayResult(int[] arms, double[] rewards, double cumReward, long loopNanos) {

  public int rounds() {
    return arms.length;
  }

  public double loopSeconds() {
    return loopNanos / 1e9;
  }

  /** Rounds per second of the loop; a loop too short for the clock counts as one nanosecond. */
  public double roundsPerSecond() {
    return arms.length * 1e9 / Math.max(1L, loopNanos);
  }
}
