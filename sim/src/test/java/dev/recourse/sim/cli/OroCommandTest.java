package dev.recourse.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OroCommandTest {

  private static final String L1 = "{\"x\":[1,0.5,-0.3],\"mutable\":[1,2],\"theta_hat\":[0.2,1,-0.5],"
      + "\"V\":[[2,0.1,0],[0.1,3,0.2],[0,0.2,1.5]],\"rho\":1.0,\"gamma\":1.0,\"norm\":\"l1\"}";
  private static final String L2_BOUNDED = "{\"x\":[1,0.5,-0.3],\"mutable\":[2,1],\"theta_hat\":[0.2,1,-0.5],"
      + "\"V\":[2,0,0,0,3,0,0,0,1.5],\"rho\":0.5,\"gamma\":2.0,\"norm\":\"l2\",\"lower\":[null,0],\"upper\":[0,1]}";

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void solvesWithEverySolverAndExactAgreesWithReference(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.json");
    Files.writeString(file, "[" + L1 + "," + L2_BOUNDED + "]");
    Path outFile = dir.resolve("out.json");
    String[] r = run("oro", "--instances", file.toString(), "--solver", "all", "--repeat", "1", "--warmup", "0",
        "--out", outFile.toString());
    assertEquals("0", r[0], r[2]);
    JsonNode results = new ObjectMapper().readTree(outFile.toFile());
    assertEquals(6, results.size(), "l1: cd, exact, reference; bounded l2: cd, exact (issue #16), reference");
    double exact = Double.NaN;
    double reference = Double.NaN;
    for (JsonNode row : results) {
      assertTrue(row.get("value").asDouble() >= row.get("value_no_recourse").asDouble() - 1e-12);
      assertEquals(3, row.get("x_tilde").size());
      assertTrue(row.get("nanos").asLong() > 0);
      if (row.get("instance").asText().equals("instance 0")) {
        if (row.get("solver").asText().equals("exact-l1")) {
          exact = row.get("value").asDouble();
        } else if (row.get("solver").asText().equals("reference")) {
          reference = row.get("value").asDouble();
        }
      } else {
        // Bounds: x̃_2 ∈ [−∞, 0], x̃_1 ∈ [0, 1], and x̃_0 is immutable.
        JsonNode xt = row.get("x_tilde");
        assertEquals(1.0, xt.get(0).asDouble(), 0.0);
        assertTrue(xt.get(1).asDouble() >= -1e-12 && xt.get(1).asDouble() <= 1 + 1e-12);
        assertTrue(xt.get(2).asDouble() <= 1e-12);
      }
    }
    assertEquals(reference, exact, 1e-9);
  }

  private static final String L2 = "{\"x\":[1,0.5,-0.3,0.8],\"mutable\":[1,3],\"theta_hat\":[0.2,1,-0.5,0.3],"
      + "\"V\":[[2,0.1,0,0.3],[0.1,3,0.2,0],[0,0.2,1.5,0.1],[0.3,0,0.1,1.2]],\"rho\":1.5,\"gamma\":1.2,\"norm\":\"l2\"}";
  private static final String MAHALANOBIS = "{\"x\":[1,0.5,-0.3,0.8],\"mutable\":[1,2,3],\"theta_hat\":[0.2,1,-0.5,0.3],"
      + "\"V\":[[2,0.1,0,0.3],[0.1,3,0.2,0],[0,0.2,1.5,0.1],[0.3,0,0.1,1.2]],\"rho\":2.0,\"gamma\":0.8,"
      + "\"norm\":\"mahalanobis\",\"sigma\":[[2,0.3,0],[0.3,1,0.2],[0,0.2,1.5]]}";

  /** exact on l2 and Mahalanobis instances: the certified bound and gap, and the reference's value. */
  @Test
  void exactReportsTheCertificateForL2AndMahalanobis(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.json");
    Files.writeString(file, "[" + L2 + "," + MAHALANOBIS + "]");
    Path outFile = dir.resolve("out.json");
    String[] r = run("oro", "--instances", file.toString(), "--solver", "all", "--repeat", "1", "--warmup", "0",
        "--out", outFile.toString());
    assertEquals("0", r[0], r[2]);
    JsonNode results = new ObjectMapper().readTree(outFile.toFile());
    assertEquals(6, results.size());
    double[] exact = new double[2];
    double[] reference = new double[2];
    for (JsonNode row : results) {
      int i = row.get("instance").asText().equals("instance 0") ? 0 : 1;
      switch (row.get("solver").asText()) {
        case "exact-l2" -> {
          exact[i] = row.get("value").asDouble();
          assertEquals("certified", row.get("outcome").asText());
          double upper = row.get("upper_bound").asDouble();
          assertTrue(upper >= exact[i] - 1e-13 * Math.abs(upper), row.toString());
          assertTrue(row.get("gap").asDouble() <= 1e-12 * Math.max(1, Math.abs(upper)), row.toString());
        }
        case "reference" -> reference[i] = row.get("value").asDouble();
        default -> assertFalse(row.has("upper_bound"), "only exact-l2 reports a certificate");
      }
    }
    for (int i = 0; i < 2; i++) {
      assertEquals(reference[i], exact[i], 1e-9 * Math.max(1, Math.abs(exact[i])), "instance " + i);
      assertTrue(exact[i] >= reference[i] - 1e-12 * Math.max(1, Math.abs(exact[i])));
    }
  }

  @Test
  void badInstancesStopBeforeAnyOutputNamingTheInstanceAndKey(@TempDir Path dir) throws Exception {
    String[][] cases = {
        {"[" + L1 + ",{\"x\":[1,2],\"mutable\":[5],\"theta_hat\":[1,1],\"V\":[1,0,0,1],\"rho\":1,\"gamma\":1,\"norm\":\"l2\"}]",
            "instance 1", "mutable index 5"},
        {"[" + L1.replace("\"gamma\":1.0", "\"gamma\":-1") + "]", "instance 0", "gamma"},
        {"[" + L1.replace("[[2,0.1,0],[0.1,3,0.2],[0,0.2,1.5]]", "[[1,2,0],[2,1,0],[0,0,1]]") + "]", "instance 0",
            "positive definite"},
        {"[" + L1.replace("\"l1\"", "\"l3\"") + "]", "instance 0", "unknown norm"},
        {"[" + L1.replace("\"rho\"", "\"rhoo\"") + "]", "instance 0", "rho: missing"},
        {"[" + L1.replace("\"gamma\"", "\"gama\"") + "]", "instance 0.gamma: missing",
            "(this mapping has 'gama': a misspelling of 'gamma'?)"},
        {"[" + L1.replace("[1,0.5,-0.3]", "[1,0.5,\"a\"]") + "]", "instance 0.x", "element 2"},
        {"[" + L1.replace("\"rho\":", "\"rhoo\":1,\"rho\":") + "]", "instance 0.rhoo", "unknown key"},
        {"[{\"x\": [1,", "malformed JSON", "line"},
    };
    for (String[] c : cases) {
      Path file = dir.resolve("bad.json");
      Files.writeString(file, c[0]);
      Path outFile = dir.resolve("out.json");
      String[] r = run("oro", "--instances", file.toString(), "--out", outFile.toString());
      assertEquals("2", r[0], c[1]);
      assertTrue(r[2].contains(c[1]) && r[2].contains(c[2]), "message: " + r[2]);
      assertFalse(Files.exists(outFile));
    }
    String[] r = run("oro", "--instances", dir.resolve("missing.json").toString());
    assertEquals("2", r[0]);
    assertTrue(r[2].contains("no such file"), r[2]);
  }

  /** Issue 15: an asymmetric V is rejected (Cholesky would read one triangle), not solved. */
  @Test
  void anAsymmetricVIsRejectedBeyondTheTolerance(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.json");
    Files.writeString(file, "[" + L1.replace("[[2,0.1,0],[0.1,3,0.2],[0,0.2,1.5]]", "[[2,0.5,0],[0.1,3,0.2],[0,0.2,1.5]]")
        + "]");
    String[] r = run("oro", "--instances", file.toString(), "--repeat", "1", "--warmup", "0");
    assertEquals("2", r[0], r[2]);
    assertEquals("", r[1]);
    assertTrue(r[2].startsWith("error: " + file + ": instance 0.V: must be symmetric: [0][1] = 0.5 but [1][0] = 0.1"),
        r[2]);
    // Within the tolerance (rounding in a file written by another program) it is accepted.
    Files.writeString(file, "[" + L1.replace("[0.1,3,0.2]", "[0.1000000000001,3,0.2]") + "]");
    assertEquals("0", run("oro", "--instances", file.toString(), "--repeat", "1", "--warmup", "0")[0]);
  }

  /** Issue 15: a result that overflows is exit 2, never {@code "value": "Infinity"} in the JSON. */
  @Test
  void nonFiniteResultsAreBadInputNotInfinityStrings(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.json");
    Files.writeString(file, "[" + L1.replace("\"x\":[1,0.5,-0.3]", "\"x\":[1e308,0.5,-0.3]")
        .replace("\"theta_hat\":[0.2,1,-0.5]", "\"theta_hat\":[1e308,1,-0.5]") + "]");
    String[] r = run("oro", "--instances", file.toString(), "--repeat", "1", "--warmup", "0");
    assertEquals("2", r[0], r[2]);
    assertEquals("", r[1]);
    assertTrue(r[2].startsWith("error: " + file + ": instance 0: solver "), r[2]);
    assertTrue(r[2].contains("non-finite"), r[2]);
    assertEquals(1, r[2].lines().count(), r[2]);
  }

  @Test
  void stdoutJsonEndsWithANewline(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.json");
    Files.writeString(file, "[" + L1 + "]");
    String[] r = run("oro", "--instances", file.toString(), "--repeat", "1", "--warmup", "0");
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].endsWith("]" + System.lineSeparator()), r[1]);
  }

  /** Issue 15: oro-gap (about a minute by default) reports its progress, instance by instance. */
  @Test
  void oroGapReportsProgress() {
    java.util.List<Long> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
    picocli.CommandLine cli = new picocli.CommandLine(new OroGapCommand(reports::add));
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));
    int code = cli.execute("--instances", "600", "--dim-m", "2,3", "--norms", "l2");
    assertEquals(0, code, out::toString);
    assertEquals(1200, reports.stream().mapToLong(Long::longValue).sum(), reports::toString);
    assertTrue(reports.size() >= 4, reports::toString);
  }

  /** oro-gap checks every option before its table's header goes to stdout. */
  @Test
  void oroGapChecksAllOptionsBeforePrintingAnything() {
    for (String[] args : new String[][] {{"--instances", "10", "--norms", "l2,l3"}, {"--instances", "0"},
        {"--dim-m", "2,0"}}) {
      String[] all = new String[args.length + 1];
      all[0] = "oro-gap";
      System.arraycopy(args, 0, all, 1, args.length);
      String[] r = run(all);
      assertEquals("2", r[0], r[2]);
      assertEquals("", r[1], String.join(" ", args));
      assertEquals(1, r[2].lines().count(), r[2]);
    }
    assertEquals("error: --norms: unknown norm 'l3' (l2, l1, linf, wlinf, mahalanobis)" + System.lineSeparator(),
        run("oro-gap", "--instances", "10", "--norms", "l3")[2]);
  }
}
