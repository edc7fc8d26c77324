package dev.recourse.sim.gambitts;

import dev.recourse.core.policy.Decision;
import dev.recourse.core.policy.Outcome;
import dev.recourse.sim.env.Environment;
import dev.recourse.sim.env.TreatmentWorld;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One replication of a generator-mediated world (spec gambitts.md §7): each round a context cell drawn
 * uniformly (as the repo does) and given to the learner as its columns' level indices; the prompt's
 * response drawn from the generator; the reward {@code f(Z*) + σ·N(0,1)}; the working embedding
 * {@code Z} revealed in the outcome; regret = the cell's best prompt mean minus the chosen one's.
 * Three streams (contexts, generator, noise) each take one draw per round, whatever the policy does.
 */
final class GeneratorEnvironment implements Environment {

  private final Generator generator;
  private final int[] levels;
  private final int dim;
  private final double noiseSd;
  private final RandomGenerator contextRng;
  private final RandomGenerator generatorRng;
  private final RandomGenerator noiseRng;
  private int cell;

  GeneratorEnvironment(Generator generator, RandomGenerator contextRng, RandomGenerator generatorRng,
                       RandomGenerator noiseRng) {
    this.generator = generator;
    this.levels = generator.contextLevels();
    this.dim = Math.max(1, levels.length);
    this.noiseSd = generator.noiseSd();
    this.contextRng = contextRng;
    this.generatorRng = generatorRng;
    this.noiseRng = noiseRng;
  }

  @Override
  public int dim() {
    return dim;
  }

  @Override
  public int numArms() {
    return generator.numArms();
  }

  @Override
  public int treatmentDim() {
    return generator.treatmentDim();
  }

  @Override
  public void nextContext(double[] x) {
    cell = contextRng.nextInt(generator.numCells());
    x[0] = 0; // no context columns: the one ignored slot
    int rest = cell;
    for (int j = levels.length - 1; j >= 0; j--) {
      x[j] = rest % levels[j];
      rest /= levels[j];
    }
  }

  @Override
  public double act(double[] x, Decision decision, Outcome outcome) {
    int arm = decision.arm();
    double f = generator.respond(cell, arm, generatorRng, outcome.treatment());
    System.arraycopy(x, 0, outcome.context(), 0, dim);
    outcome.set(arm, f + noiseSd * noiseRng.nextGaussian()).withTreatment();
    return generator.bestMean(cell) - generator.slotMean(cell, arm);
  }

  @Override
  public Optional<TreatmentWorld> treatments() {
    return Optional.of(generator);
  }
}
