package dev.recourse.sim.env;

import dev.recourse.core.compliance.AdversarialDeviation;
import dev.recourse.core.compliance.Compliance;
import dev.recourse.core.compliance.RandomDeviation;
import dev.recourse.core.recourse.Ball;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * How the patients of a scenario realise recommendations (paper §4, §5.4; spec libra.md §6): full
 * compliance, random deviations ({@code x̄_i = x̃_i + b_i + U(−spread, spread)}, clipped to ϵ, on the
 * mutable features), or adversarial ones (ϵ against the true gradient of the played arm).
 */
public record ComplianceSpec(Type type, double[] bias, double spread, double epsilon) {

  /** The three models. */
  public enum Type { FULL, RANDOM, ADVERSARIAL }

  public static final ComplianceSpec FULL = new ComplianceSpec(Type.FULL, new double[0], 0, 0);

  public ComplianceSpec {
    if (!(spread >= 0) || !Double.isFinite(spread)) {
      throw new IllegalArgumentException("compliance.spread must be finite and >= 0, got " + spread);
    }
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("compliance.epsilon must be finite and >= 0, got " + epsilon);
    }
    bias = bias.clone();
  }

  /** The per-replication model; {@code rng} is the replication's compliance stream. */
  Compliance build(double[] theta, int dim, int[] mutable, Ball norm, RandomGenerator rng) {
    return switch (type) {
      case FULL -> Compliance.FULL;
      case RANDOM -> {
        if (bias.length != mutable.length) {
          throw new IllegalArgumentException("compliance.bias needs one value per mutable feature (" + mutable.length
              + "), got " + bias.length);
        }
        yield new RandomDeviation(mutable, bias, spread, epsilon, rng);
      }
      case ADVERSARIAL -> new AdversarialDeviation(theta, dim, mutable, norm, epsilon);
    };
  }

  /** As a study file spells it. */
  public Object parameters() {
    if (type == Type.FULL) {
      return "full";
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", type.name().toLowerCase(java.util.Locale.ROOT));
    if (type == Type.RANDOM) {
      p.put("bias", bias.clone());
      p.put("spread", spread);
    }
    p.put("epsilon", epsilon);
    return p;
  }
}
