package dev.recourse.sim.env;

import dev.recourse.core.rng.RandomStreams;
import java.nio.charset.StandardCharsets;
import java.util.random.RandomGenerator;

/**
 * The random streams of one replication. A stream is keyed by (study seed, scenario name, replication
 * index, purpose) and nothing else, so a replication draws the same numbers whichever thread runs it,
 * in whatever order, and whichever policy it is run for: every policy of a replication sees the same
 * contexts and the same reward-noise sequence (common random numbers), because each purpose has its
 * own stream and consumes a fixed number of draws per round whatever the policy does.
 */
public final class ReplicationStreams {

  /** What a stream is for. The key codes are fixed: reordering the constants changes no stream. */
  public enum Purpose {
    /** The problem itself: true parameters, a synthetic cohort, the outcomes a model is fitted to. */
    TRUTH(1),
    /** One context per round. */
    CONTEXTS(2),
    /** One reward-noise draw per round. */
    NOISE(3),
    /** A simulated advisor's own draws. */
    ADVISOR(4),
    /** Deviations of the realised context from the recommendation (non-compliance, issue 5). */
    COMPLIANCE(5),
    /** A policy's own draws (a Thompson sampler's posterior samples). */
    POLICY(6),
    /** The generator's draws: which stored response (or which embedding) an action produces. */
    GENERATOR(7),
    /** The offline samples a policy with simulation access draws before the online phase (GAMBITTS §4). */
    OFFLINE(8);

    private final long key;

    Purpose(long key) {
      this.key = key;
    }

    public long key() {
      return key;
    }
  }

  private ReplicationStreams() {}

  public static RandomGenerator stream(long studySeed, String scenario, int replication, Purpose purpose) {
    if (replication < 0) {
      throw new IllegalArgumentException("replication must be >= 0, got " + replication);
    }
    return RandomStreams.stream(studySeed, nameKey(scenario), replication, purpose.key);
  }

  /** 64-bit FNV-1a of the UTF-8 name: stable across JVMs, unlike {@link String#hashCode()} mixing. */
  static long nameKey(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
