package dev.recourse.sim.cli;

import dev.recourse.core.recourse.ExactL2Oro;
import dev.recourse.core.recourse.OroProblem;
import dev.recourse.core.recourse.OroSolver;
import dev.recourse.core.rng.RandomStreams;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.recourse.OroInstance;
import dev.recourse.sim.run.ProgressListener;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recourse oro-gap}: how far coordinate descent (Algorithm 2) falls short of the global optimum
 * of ORO-Arm, on random instances ({@link OroInstance#random}). The optimum is the exact solver where
 * one exists (ℓ1 vertices; ℓ∞ Gray code for d_M ≤ 16; ℓ2 and Mahalanobis by the certified solver of
 * issue #16, whose uncertified instances, if any, are counted in the "optimum from" column) and
 * otherwise the reference (a dense boundary sweep for d_M ≤ 3, plus CD from many random boundary
 * points): for d_M > 3 without an exact solver the "optimum" is the best found, so the gap is a lower
 * bound. Relative gap = (opt − cd)/|opt|.
 * Prints one Markdown table row per norm and d_M.
 */
@Command(name = "oro-gap", sortOptions = false,
    description = {
        "Measures coordinate descent's gap to the ORO optimum.",
        "On random instances, per norm and d_M; prints one Markdown table row each."
    })
public final class OroGapCommand implements Callable<Integer> {

  /** Instances between two progress reports (a power of two). */
  private static final int PROGRESS_EVERY_INSTANCES = 1 << 8;

  @Spec
  private CommandSpec spec;

  /** Where progress goes instead of a bar on stderr (tests); null for the bar. */
  private final ProgressListener progressOverride;

  public OroGapCommand() {
    this(null);
  }

  OroGapCommand(ProgressListener progressOverride) {
    this.progressOverride = progressOverride;
  }

  @Option(names = "--instances", paramLabel = "N", defaultValue = "10000", description = "Instances per norm and d_M. Default: ${DEFAULT-VALUE}.")
  private int count;

  @Option(names = "--dim-m", paramLabel = "LIST", split = ",", defaultValue = "2,5,20", description = "Mutable dimensions. Default: ${DEFAULT-VALUE}.")
  private List<Integer> dims;

  @Option(names = "--norms", paramLabel = "LIST", split = ",", defaultValue = "l2,l1,linf,wlinf,mahalanobis",
      description = "Norms. Default: ${DEFAULT-VALUE}.")
  private List<String> norms;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Root seed. Default: ${DEFAULT-VALUE}.")
  private long seed;

  @Option(names = "--quiet", description = "No progress bar (there is none anyway when stderr is not a console).")
  private boolean quiet;

  @Override
  public Integer call() {
    if (count < 1) {
      throw new InputException("--instances must be >= 1, got " + count);
    }
    for (int d : dims) {
      if (d < 1) {
        throw new InputException("--dim-m entries must be >= 1, got " + d);
      }
    }
    for (String norm : norms) { // all options are checked before the table's header is printed
      if (!OroInstance.NORMS.contains(norm)) {
        throw new InputException("--norms: " + OroInstance.unknownNorm(norm));
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("| norm | d_M | instances | optimum from | mean rel. gap | max rel. gap | share with gap > 1e-6 | mean CD iterations |");
    out.println("|---|---|---|---|---|---|---|---|");
    long total = (long) norms.size() * dims.size() * count;
    try (ProgressBars bar = ProgressBars.open("oro-gap", total, " instances", quiet)) {
      ProgressListener progress = progressOverride != null ? progressOverride : bar;
      for (String norm : norms) {
        for (int dimM : dims) {
          row(out, norm, dimM, progress);
          out.flush();
        }
      }
    }
    return 0;
  }

  private void row(PrintWriter out, String norm, int dimM, ProgressListener progress) {
    RandomGenerator rng = RandomStreams.stream(seed, norm.hashCode(), dimM);
    double sumGap = 0;
    double maxGap = 0;
    int above = 0;
    long iterations = 0;
    String source = "";
    int uncertified = 0;
    for (int i = 0; i < count; i++) {
      OroInstance inst = OroInstance.random(rng, dimM, norm, i);
      OroProblem p = inst.load();
      double[] delta = new double[dimM];
      OroSolver cd = inst.solver("cd");
      double cdValue = cd.solve(p, delta);
      iterations += cd.lastIterations();
      String optKind = inst.hasExact() ? "exact" : "reference";
      source = optKind;
      OroSolver optimum = inst.solver(optKind);
      double opt = Math.max(cdValue, optimum.solve(p, delta));
      if (optimum instanceof ExactL2Oro exact) {
        source = exact.name();
        uncertified += exact.lastOutcome() == ExactL2Oro.Outcome.CERTIFIED ? 0 : 1;
      }
      double gap = (opt - cdValue) / Math.max(Math.abs(opt), 1e-300);
      sumGap += gap;
      maxGap = Math.max(maxGap, gap);
      above += gap > 1e-6 ? 1 : 0;
      if (((i + 1) & (PROGRESS_EVERY_INSTANCES - 1)) == 0) {
        progress.advanced(PROGRESS_EVERY_INSTANCES);
      }
    }
    progress.advanced(count & (PROGRESS_EVERY_INSTANCES - 1));
    if (source.equals("exact-l2")) {
      source += " (uncertified: " + uncertified + ")";
    }
    out.println(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.3e | %.3e | %.2f%% | %.2f |", norm, dimM, count,
        source, sumGap / count, maxGap, 100.0 * above / count, (double) iterations / count));
  }
}
