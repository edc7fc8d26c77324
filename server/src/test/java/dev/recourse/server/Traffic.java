package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceDecision;
import java.util.SplittableRandom;

/**
 * Seeded decide/outcome/arm traffic against a server, mirrored into an in-process reference service
 * from the acknowledged responses alone (the arm and recourse the server sent back, the outcome it
 * acknowledged): the reference is what the server's model must be, whatever happened to the server.
 */
final class Traffic {

  final PolicyService reference;
  final SplittableRandom rng;
  final int dim;
  /** Decisions made and not yet answered (their outcomes are sent later, out of order). */
  final java.util.ArrayDeque<JsonNode> open = new java.util.ArrayDeque<>();
  int acknowledged;

  Traffic(PolicyService reference, long seed) {
    this.reference = reference;
    this.rng = new SplittableRandom(seed);
    this.dim = reference.config().dim();
  }

  String context() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < dim; i++) {
      b.append(i == 0 ? "" : ", ").append(Math.round(rng.nextGaussian() * 1000) / 1000.0);
    }
    return b.append(']').toString();
  }

  /** {@code rounds} decisions, most answered (some with a realised context, some a few rounds late). */
  void run(Http http, int rounds) {
    for (int t = 0; t < rounds; t++) {
      Http.Response d = http.post("/v1/decide", "{\"context\": " + context() + "}");
      assertEquals(200, d.status(), d.body());
      open.add(d.json());
      if (open.size() > 3 || rng.nextInt(3) > 0) {
        answer(http, open.poll());
      }
    }
  }

  void answer(Http http, JsonNode decision) {
    double reward = Math.round(rng.nextGaussian() * 1000) / 1000.0;
    boolean realise = rng.nextInt(4) == 0;
    double[] played = ServerHttpTest.doubles(decision.get("recourse"));
    double[] realised = played.clone();
    String body = "{\"decision_id\": " + decision.get("decision_id").asLong() + ", \"reward\": " + reward;
    if (realise) {
      realised[dim - 1] += 0.25;
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < dim; i++) {
        b.append(i == 0 ? "" : ", ").append(realised[i]);
      }
      body += ", \"realised_context\": " + b.append(']');
    }
    Http.Response o = http.post("/v1/outcome", body + "}");
    assertEquals(200, o.status(), o.body());
    reference.update(decision.get("arm").asInt(), played, realised, reward);
    acknowledged++;
  }

  void addArm(Http http) {
    Http.Response r = http.post("/v1/arms", "");
    assertEquals(201, r.status(), r.body());
    assertEquals(reference.addArm(), r.json().get("arm").asInt());
  }

  void retireArm(Http http, int arm) {
    assertEquals(200, http.delete("/v1/arms/" + arm).status());
    reference.retireArm(arm);
  }

  private static double[] parse(String array) {
    String[] parts = array.substring(1, array.length() - 1).split(",");
    double[] x = new double[parts.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = Double.parseDouble(parts[i].strip());
    }
    return x;
  }

  /** The server decides exactly as the reference on {@code probes} fresh contexts (arm, recourse, scores, widths). */
  void assertSameDecisions(Http http, int probes, String when) {
    for (int p = 0; p < probes; p++) {
      String x = context();
      Http.Response r = http.post("/v1/decide", "{\"context\": " + x + "}");
      assertEquals(200, r.status(), r.body());
      ServiceDecision d = reference.decide(parse(x));
      String what = when + ", probe " + p + " " + x;
      assertEquals(d.arm(), r.json().get("arm").asInt(), what);
      assertArrayEquals(d.recourse(), ServerHttpTest.doubles(r.json().get("recourse")), what);
      assertArrayEquals(d.scores(), ServerHttpTest.doubles(r.json().get("scores")), what);
      assertArrayEquals(d.widths(), ServerHttpTest.doubles(r.json().get("widths")), what);
    }
  }
}
