package dev.recourse.sim.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.recourse.core.recourse.OroProblem;
import dev.recourse.core.recourse.OroSolver;
import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.io.AtomicFileWriter;
import dev.recourse.sim.config.InputException;
import dev.recourse.sim.recourse.OroInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recourse oro}: solves single-arm ORO instances from a JSON file with the chosen solvers, for
 * people who benchmark solver variants on their own instances. Every instance is validated before any
 * is solved. Timing: each solve is repeated {@code --repeat} times after {@code --warmup} untimed
 * solves of the whole file, and the fastest is reported (a JIT-compiled, cache-warm figure; use the
 * JMH suite for distributions).
 */
@Command(
    name = "oro",
    sortOptions = false,
    description = {
        "Solves your own single-arm ORO instances (JSON file).",
        "ORO-Arm: maximise x~'theta_hat + rho*||x~||_{V^-1} over x~ = x with the",
        "mutable features moved by d, ||d|| <= gamma (and within the bounds).",
        "Input: a JSON array with one object per instance",
        "(example: sim/examples/oro-instances.json):",
        "  x             the context: d numbers",
        "  mutable       0-based indices of the mutable features (d_M of them)",
        "  theta_hat     the estimated parameter: d numbers",
        "  V             the design matrix, not its inverse: d x d, symmetric",
        "                (within 1e-9 x its largest entry) and positive definite,",
        "                as d rows or d*d numbers row-major",
        "  rho, gamma    the confidence radius and the ball's radius, both >= 0",
        "  norm          l2, l1, linf, wlinf (max_i w_i|d_i|) or mahalanobis",
        "                (sqrt(d'Sigma d))",
        "  weights       wlinf only: d_M weights",
        "  sigma         mahalanobis only: d_M x d_M, symmetric positive definite",
        "  lower, upper  optional: bounds on x~ per mutable feature, in the order",
        "                of mutable (null: unbounded)",
        "  tol, max_iter optional: coordinate descent's tolerance and iteration cap",
        "  name          optional: the instance's name in the output",
        "Output: a JSON array, one object per instance and solver: instance,",
        "solver, norm, x_tilde, value, value_no_recourse (x~ = x), iterations",
        "and nanos (fastest of --repeat solves)."
    })
public final class OroCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--instances", paramLabel = "FILE", required = true, description = "JSON array of instances.")
  private Path instancesFile;

  @Option(names = "--solver", paramLabel = "NAME", defaultValue = "cd",
      description = "cd, exact, reference or all (all skips exact where none exists). Default: ${DEFAULT-VALUE}.")
  private String solver;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the JSON results here (atomically) instead of stdout.")
  private Path out;

  @Option(names = "--repeat", paramLabel = "N", defaultValue = "5", description = "Timed solves per instance (min reported). Default: ${DEFAULT-VALUE}.")
  private int repeat;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "200", description = "Untimed passes over the file first. Default: ${DEFAULT-VALUE}.")
  private int warmup;

  @Override
  public Integer call() throws IOException {
    if (repeat < 1 || warmup < 0) {
      throw new InputException("--repeat must be >= 1 and --warmup >= 0, got " + repeat + ", " + warmup);
    }
    List<String> solvers = switch (solver) {
      case "cd", "exact", "reference" -> List.of(solver);
      case "all" -> List.of("cd", "exact", "reference");
      default -> throw new InputException("--solver must be cd, exact, reference or all, got '" + solver + "'");
    };
    if (out != null) {
      AtomicFileWriter.checkTarget(out);
    }
    ObjectMapper json = new ObjectMapper();
    List<OroInstance> instances = read(json);
    if (!solver.equals("all")) {
      for (OroInstance inst : instances) {
        inst.solver(solver); // fails now, naming the instance, if e.g. exact does not exist for it
      }
    }
    ArrayNode results = json.createArrayNode();
    for (OroInstance inst : instances) {
      for (String kind : solvers) {
        if (kind.equals("exact") && !inst.hasExact()) {
          continue;
        }
        results.add(solve(json, inst, kind));
      }
    }
    String text = json.writerWithDefaultPrettyPrinter().writeValueAsString(results) + System.lineSeparator();
    if (out == null) {
      spec.commandLine().getOut().print(text);
    } else {
      AtomicFileWriter.write(out, false, w -> w.write(text));
      spec.commandLine().getErr().println("wrote " + results.size() + " results to " + out + " (kernels " + Kernels.name() + ")");
    }
    return 0;
  }

  private List<OroInstance> read(ObjectMapper json) throws IOException {
    if (!Files.isRegularFile(instancesFile)) {
      throw new InputException(instancesFile + ": no such file (--instances)");
    }
    JsonNode root;
    try {
      root = json.readTree(instancesFile.toFile());
    } catch (JsonProcessingException e) {
      throw new InputException(instancesFile + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new InputException(instancesFile + ": expected a non-empty JSON array of instances");
    }
    List<OroInstance> list = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      try {
        list.add(OroInstance.parse(root.get(i), i));
      } catch (InputException e) {
        throw new InputException(instancesFile + ": " + e.getMessage());
      }
    }
    return list;
  }

  /**
   * JSON has no infinities (Jackson would write the string "Infinity" into a numeric field): a result
   * that overflowed double arithmetic is bad input, named with the instance and the solver.
   */
  private void requireFinite(OroInstance inst, String solverName, double value, double atZero, double[] xTilde) {
    boolean finite = Double.isFinite(value) && Double.isFinite(atZero);
    for (double v : xTilde) {
      finite &= Double.isFinite(v);
    }
    if (!finite) {
      throw new InputException(instancesFile + ": " + inst.name() + ": solver " + solverName
          + " gives a non-finite result (value " + value + ", value without recourse " + atZero
          + "): the magnitudes of x, theta_hat, V or rho overflow double arithmetic; scale the instance down");
    }
  }

  private ObjectNode solve(ObjectMapper json, OroInstance inst, String kind) {
    OroSolver oro = inst.solver(kind);
    OroProblem problem = inst.load();
    double[] delta = new double[inst.mutableDim()];
    for (int w = 0; w < warmup; w++) {
      oro.solve(problem, delta);
    }
    long best = Long.MAX_VALUE;
    double value = Double.NaN;
    for (int r = 0; r < repeat; r++) {
      long start = System.nanoTime();
      value = oro.solve(problem, delta);
      best = Math.min(best, System.nanoTime() - start);
    }
    double[] xTilde = new double[inst.dim()];
    problem.feasibleSet().apply(inst.context(), delta, xTilde);
    requireFinite(inst, oro.name(), value, problem.objectiveAtZero(), xTilde);
    ObjectNode row = json.createObjectNode();
    row.put("instance", inst.name());
    row.put("solver", oro.name());
    row.put("norm", inst.normName());
    ArrayNode xs = row.putArray("x_tilde");
    for (double v : xTilde) {
      xs.add(v);
    }
    row.put("value", value);
    row.put("value_no_recourse", problem.objectiveAtZero());
    row.put("iterations", oro.lastIterations());
    row.put("nanos", best);
    return row;
  }
}
