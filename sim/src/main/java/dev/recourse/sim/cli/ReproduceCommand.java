package dev.recourse.sim.cli;

import dev.recourse.core.recourse.OroSolvers;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.gambitts.GambittsStudies;
import dev.recourse.sim.gambitts.TreatmentLimits;
import dev.recourse.sim.io.AtomicFileWriter;
import dev.recourse.sim.io.StudyOutputs;
import dev.recourse.sim.io.TextTable;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.LlmOnlySpec;
import dev.recourse.sim.run.MemoryEstimate;
import dev.recourse.sim.run.PaperStudies;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code recourse reproduce <name>}: the paper's experiments with documented defaults (see
 * {@link PaperStudies} and the scenario classes for every choice the paper leaves open). Prints a table
 * and where the CSV, JSON and PNG files went.
 */
@Command(
    name = "reproduce",
    sortOptions = false,
    description = {
        "Reproduces a LIBRA or GAMBITTS paper experiment.",
        "LIBRA: Cao, Gao, Keyvanshokooh, Ma, arXiv 2601.11905. NAME is one of",
        "  synthetic      Fig. 8: LinUCB, GLRB, LIBRA (q=0.8, Delta=1), LLM-only;",
        "                 T=10,000, 10 replications (--full: T=100,000; the paper",
        "                 does not state its T)",
        "  ablation       Fig. 9: LIBRA over Delta (q=0.8) and over q (Delta=1);",
        "                 T=10,000, 10 replications",
        "  hypertension   Fig. 3 and Table 2: LLM-only, LinUCB, GLRB, LIBRA; T=500,",
        "                 50 replications; with a q-quality advisor (q=0.8) and with",
        "                 the guideline of Fig. 4a, its arm fixed and the best arm",
        "                 at the shifted context (--advisor)",
        "  fertility      Fig. 10 and 11 on the UCI Fertility data (--data FILE);",
        "                 T=1,000, 20 replications",
        "  noncompliance  Fig. 5: hypertension under random and adversarial",
        "                 non-compliance (§5.4); T=500, 50 replications",
        "Or a GAMBITTS experiment (arXiv 2505.16311; T=1,000, 250 replications, seed 323,",
        "on the synthetic response database; --ensemble adds ens-poGAMBITTS, which is slow):",
        "  gambitts-arms          K = 3, 5, 15, 40 prompts (3-D reward, sigma 0.71)",
        "  gambitts-noise         sigma = 0.71, 6.68, 12.64, 18.61, 24.57 (K = 5)",
        "  gambitts-misspecified  each working embedding for the 1-D reward, with hedging",
        "  gambitts-offline       M_off = 15, 50, 100, 500, all offline samples",
        "  gambitts-dims          d_z = 3, 10, 20 (Gaussian generator)"
    })
public final class ReproduceCommand implements Callable<Integer> {

  /** The paper's arXiv number, the default study seed of every reproduction. */
  public static final long DEFAULT_SEED = 2601;
  static final List<String> NAMES = java.util.stream.Stream.concat(
      java.util.stream.Stream.of("synthetic", "ablation", "hypertension", "noncompliance", "fertility"),
      GambittsStudies.EXPERIMENTS.stream()).toList();

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME",
      description = "synthetic, ablation, hypertension, noncompliance, fertility or gambitts-* (above).")
  private String name;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: results/<name>).")
  private Path out;

  @Option(names = {"-T", "--horizon"}, paramLabel = "T", description = "Rounds per replication (default: per experiment).")
  private Integer horizon;

  @Option(names = {"-n", "--replications"}, paramLabel = "N", description = "Replications (default: per experiment).")
  private Integer replications;

  @Option(names = "--seed", paramLabel = "S",
      description = "Study seed (default: " + DEFAULT_SEED + "; gambitts-*: " + GambittsStudies.DEFAULT_SEED + ").")
  private Long seedOption;

  private long seed;

  @Option(names = "--solver", paramLabel = "NAME", defaultValue = "cd",
      description = "ORO solver of GLRB and LIBRA: cd (default), exact or auto; outputs get a -<solver> suffix.")
  private String solverName;

  @Option(names = "--ensemble", description = "gambitts-*: also run ens-poGAMBITTS (60 networks trained every round).")
  private boolean ensemble;

  @Option(names = "--full", description = "synthetic/ablation: T=100,000 (10x the short default).")
  private boolean full;

  @Option(names = "--data", paramLabel = "FILE", description = "fertility: the UCI fertility_Diagnosis.txt.")
  private Path data;

  @Option(names = "--advisor", paramLabel = "KIND", defaultValue = "all",
      description = "hypertension: the advisors, one study each: all (default: the three below), quality (paper "
          + "§6's q-quality LLM model, --q), guideline (Fig. 4a's recourse, with its fixed arm and with the best "
          + "arm at the shifted context: two studies) or best (the best-arm guideline alone).")
  private String advisor;

  @Option(names = "--q", paramLabel = "Q", defaultValue = "0.8",
      description = "hypertension: the quality advisor's q (default ${DEFAULT-VALUE}).")
  private double quality;

  @Mixin
  private ExecutionOptions execution;

  @Override
  public Integer call() throws IOException {
    if (!NAMES.contains(name)) {
      throw new InputException("unknown experiment '" + name + "' (known: " + String.join(", ", NAMES) + ")");
    }
    int workers = execution.workers();
    if (horizon != null && horizon < 1) {
      throw new InputException("--horizon must be >= 1, got " + horizon);
    }
    if (replications != null && replications < 1) {
      throw new InputException("--replications must be >= 1, got " + replications);
    }
    if (full && !(name.equals("synthetic") || name.equals("ablation"))) {
      throw new InputException("--full applies to synthetic and ablation only");
    }
    Path dir = out != null ? out : Path.of("results", name);
    AtomicFileWriter.checkDirectory(dir, "--out"); // before the studies (a response database) are built
    boolean gambitts = GambittsStudies.EXPERIMENTS.contains(name);
    seed = seedOption != null ? seedOption : gambitts ? GambittsStudies.DEFAULT_SEED : DEFAULT_SEED;
    if (ensemble && !gambitts) {
      throw new InputException("--ensemble applies to the gambitts-* experiments only");
    }
    Map<String, Study> grid = gambitts ? new GambittsStudies(h(GambittsStudies.DEFAULT_HORIZON),
        r(GambittsStudies.DEFAULT_REPLICATIONS), seed, ensemble).studies(name) : null;
    OroSolvers.Choice solver;
    try {
      solver = OroSolvers.Choice.parse(solverName);
    } catch (IllegalArgumentException e) {
      throw new InputException("--solver: " + e.getMessage());
    }
    List<Study> studies = gambitts ? List.copyOf(grid.values())
        : studies().stream().map(s -> PaperStudies.withSolver(s, solver)).toList();
    for (Study study : studies) {
      TreatmentLimits.check(study, "reproduce " + name);
      MemoryEstimate.check(study, Math.min(workers, study.units()), Runtime.getRuntime().maxMemory(),
          "reproduce " + name);
    }
    StudyOutputs.prepare(dir, studies);
    PrintWriter stdout = spec.commandLine().getOut();
    if (gambitts) {
      List<StudyResult> results = new java.util.ArrayList<>();
      for (Study study : studies) {
        StudyResult result = StudyExecution.run(study, execution.workers(study.units(), spec.commandLine().getErr()),
            execution.quiet());
        results.add(result);
        stdout.println(StudyExecution.footer(result));
        StudyExecution.write(stdout, dir, result);
        stdout.flush();
      }
      stdout.println();
      stdout.println("== " + name + ": cumulative regret at T = " + studies.get(0).horizon() + " (mean ± 95% CI over "
          + studies.get(0).replications() + " replications)");
      stdout.print(GambittsTables.regret(List.copyOf(grid.keySet()), results));
      if (name.equals("gambitts-noise")) {
        stdout.println();
        stdout.println("share of rounds not on the cell's best prompt at T (lock-on shows as a large share):");
        stdout.print(GambittsTables.offBestShare(List.copyOf(grid.keySet()), results));
      }
      return 0;
    }
    for (Study study : studies) {
      StudyResult result = StudyExecution.run(study, execution.workers(study.units(), spec.commandLine().getErr()),
          execution.quiet());
      stdout.println("== " + title(study));
      stdout.print(name.equals("hypertension") ? hypertensionTable(result) : StudyExecution.table(result));
      if (study.name().startsWith("hypertension-guideline") && !study.name().startsWith("hypertension-guideline-best")) {
        stdout.println("(a fixed-arm advisor: LIBRA's queries teach only that arm, and it keeps playing it;"
            + " see PaperStudies.hypertensionGuideline)");
      }
      if (name.equals("hypertension") || name.equals("fertility")) {
        stdout.println();
        stdout.println("recommended recourse (mean displacement in standard deviations"
            + (study.recourseFrom() > 0 ? ", rounds after " + study.recourseFrom() : "") + "):");
        stdout.print(StudyExecution.recourseTable(result));
      }
      stdout.println(StudyExecution.footer(result));
      StudyExecution.write(stdout, dir, result);
      stdout.println();
      stdout.flush();
    }
    return 0;
  }

  private List<Study> studies() {
    int shortHorizon = full ? 100_000 : 10_000;
    return switch (name) {
      case "synthetic" -> List.of(PaperStudies.synthetic(h(shortHorizon), r(PaperStudies.PAPER_REPLICATIONS), seed));
      case "ablation" -> List.of(PaperStudies.ablationDelta(h(shortHorizon), r(PaperStudies.PAPER_REPLICATIONS), seed),
          PaperStudies.ablationQuality(h(shortHorizon), r(PaperStudies.PAPER_REPLICATIONS), seed));
      case "hypertension" -> hypertensionStudies();
      case "noncompliance" -> List.of(
          PaperStudies.noncompliance("noncompliance-random", PaperStudies.RANDOM_NONCOMPLIANCE, h(500), r(50), seed),
          PaperStudies.noncompliance("noncompliance-adversarial", PaperStudies.ADVERSARIAL_NONCOMPLIANCE, h(500), r(50),
              seed));
      case "fertility" -> {
        if (data == null) {
          throw new InputException("reproduce fertility needs --data FILE: the UCI fertility_Diagnosis.txt "
              + "(https://archive.ics.uci.edu/dataset/244/fertility)");
        }
        if (!Files.isRegularFile(data)) {
          throw new InputException("--data " + data + ": no such file");
        }
        yield List.of(PaperStudies.fertility(data, h(1000), r(20), seed));
      }
      default -> throw new IllegalStateException(name);
    };
  }

  /** The q-quality advisor (paper §6's LLM model), the guideline (Figure 4a) with its fixed arm, with the best arm. */
  private List<Study> hypertensionStudies() {
    // "both", the old name of the default, is still accepted.
    if (!List.of("all", "quality", "guideline", "best", "both").contains(advisor)) {
      throw new InputException("--advisor must be all, quality, guideline or best, got '" + advisor + "'");
    }
    AdvisorSpec q;
    try {
      q = new AdvisorSpec.Quality(quality);
    } catch (IllegalArgumentException e) {
      throw new InputException("--q: " + e.getMessage());
    }
    List<Study> studies = new java.util.ArrayList<>();
    boolean all = advisor.equals("all") || advisor.equals("both");
    if (all || advisor.equals("quality")) {
      studies.add(PaperStudies.hypertension("hypertension", h(500), r(50), seed, q));
    }
    if (all || advisor.equals("guideline")) {
      studies.add(PaperStudies.hypertension("hypertension-guideline", h(500), r(50), seed,
          PaperStudies.hypertensionGuideline()));
    }
    if (all || advisor.equals("guideline") || advisor.equals("best")) {
      studies.add(PaperStudies.hypertension("hypertension-guideline-best", h(500), r(50), seed,
          PaperStudies.hypertensionGuidelineBestArm()));
    }
    return studies;
  }

  private int h(int fallback) {
    return horizon != null ? horizon : fallback;
  }

  private int r(int fallback) {
    return replications != null ? replications : fallback;
  }

  private String title(Study study) {
    return switch (study.name().replaceFirst("-(exact|auto)$", "")) {
      case "synthetic" -> "Figure 8 (synthetic, paper §6.1): cumulative regret and LLM queries";
      case "ablation-delta" -> "Figure 9a (ablation over Delta, q = 0.8)";
      case "ablation-q" -> "Figure 9b (ablation over the advisor quality q, Delta = 1)";
      case "hypertension", "hypertension-guideline", "hypertension-guideline-best" ->
          "Table 2 and Figure 3 (hypertension, paper §5), advisor: "
              + ((LlmOnlySpec) study.policies().get(0)).advisor().parameters();
      case "fertility" -> "Figure 10 (fertility, paper App. D)";
      case "noncompliance-random" -> "Figure 5 (hypertension, random non-compliance: bias -0.5 SD, spread 0.3, epsilon 1)";
      case "noncompliance-adversarial" -> "Figure 5 (hypertension, adversarial non-compliance: epsilon 1)";
      default -> study.name();
    };
  }

  /** Table 2: the mean SBP drop from 170 is the mean reward over the T rounds. */
  private static String hypertensionTable(StudyResult result) {
    Map<String, String> paper = Map.of("LLM-only", "45.84 ± 0.37", "LinUCB", "44.45 ± 0.28", "GLRB", "48.28 ± 2.45",
        "LIBRA", "51.14 ± 0.50");
    int last = result.study().checkpoints().length - 1;
    TextTable table = new TextTable("policy", "mean SBP drop from 170 ± 95% CI", "paper (Table 2)",
        "regret(T) ± 95% CI", "queries(T)");
    for (PolicyAggregate p : result.policies()) {
      table.row(p.label(), TextTable.pm(p.reward().mean(last), p.reward().halfWidth95(last), 2),
          paper.getOrDefault(p.label(), "-"), TextTable.pm(p.regret().mean(last), p.regret().halfWidth95(last), 1),
          TextTable.num(p.queries().mean(last), 0));
    }
    return table.render() + "(levels depend on the intercept, a choice: compare the ordering, not the values)\n";
  }
}
