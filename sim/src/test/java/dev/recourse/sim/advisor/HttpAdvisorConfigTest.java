package dev.recourse.sim.advisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.sim.config.ConfigNode;
import dev.recourse.sim.config.InputException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Configuration validation (every error names its field) and the Figure 2 prompt. */
class HttpAdvisorConfigTest {

  private static final String BASE = "http://127.0.0.1:11434";

  private static HttpAdvisorConfig.Builder valid() {
    return HttpAdvisorConfig.hypertension(BASE, "llama3.1:8b", 3.0);
  }

  private static void rejects(String field, Consumer<HttpAdvisorConfig.Builder> change) {
    HttpAdvisorConfig.Builder b = valid();
    change.accept(b);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
    assertTrue(e.getMessage().contains(field), "message '" + e.getMessage() + "' should name " + field);
  }

  @Test
  void everyBadFieldIsNamed() {
    rejects("baseUrl", b -> b.baseUrl(null));
    rejects("baseUrl", b -> b.baseUrl("ftp://127.0.0.1/"));
    rejects("baseUrl", b -> b.baseUrl("127.0.0.1:11434"));
    rejects("baseUrl", b -> b.baseUrl("http://127.0.0.1:8000/?key=1"));
    rejects("baseUrl", b -> b.baseUrl("http://exa mple"));
    rejects("model", b -> b.model(" "));
    rejects("featureNames", b -> b.featureNames());
    rejects("featureNames", b -> b.featureNames("a", "A", "c", "d", "e", "f", "g", "h"));
    rejects("featureNames[2]", b -> b.featureNames("a", "b", "c=d", "d", "e", "f", "g", "h"));
    rejects("armNames", b -> b.armNames("Beta-blocker", "BETA-blocker"));
    rejects("armNames", b -> b.armNames("1", "2"));
    rejects("armDescriptions", b -> b.armDescriptions("only one"));
    rejects("mutableFeatures", b -> b.mutableFeatures());
    rejects("mutableFeatures", b -> b.mutableFeatures(5, 8));
    rejects("mutableFeatures", b -> b.mutableFeatures(5, 5));
    rejects("hiddenFeatures", b -> b.hiddenFeatures(5));
    rejects("treatmentKey", b -> b.treatmentKey("DietScore"));
    rejects("budget", b -> b.budget(""));
    rejects("userTemplate", b -> b.userTemplate("no patient here"));
    rejects("userTemplate", b -> b.userTemplate("{features} {feature}"));
    rejects("systemPrompt", b -> b.systemPrompt("{budgt}"));
    rejects("armIndexBase", b -> b.armIndexBase(2));
    rejects("decimals", b -> b.decimals(-1));
    rejects("temperature", b -> b.temperature(Double.NaN));
    rejects("maxTokens", b -> b.maxTokens(-1));
    rejects("connectTimeout", b -> b.connectTimeout(Duration.ZERO));
    rejects("readTimeout", b -> b.readTimeout(Duration.ofMillis(-1)));
    rejects("maxRetries", b -> b.maxRetries(HttpAdvisorConfig.MAX_RETRIES_LIMIT + 1));
    rejects("maxRetries", b -> b.maxRetries(-1));
    rejects("retryBackoff", b -> b.retryBackoff(Duration.ofMinutes(1)));
    rejects("maxConcurrent", b -> b.maxConcurrent(0));
    rejects("maxResponseBytes", b -> b.maxResponseBytes(10));
    rejects("apiKey", b -> b.apiKey("a").apiKeyEnv("B"));
    rejects("apiKey", b -> b.apiKey("line\nbreak"));
    rejects("RECOURSE_TEST_UNSET", b -> b.apiKeyEnv("RECOURSE_TEST_UNSET").environment(name -> null));
  }

  @Test
  void endpointIsCompletedNotDoubled() {
    assertEquals("http://127.0.0.1:11434/v1/chat/completions", valid().build().endpoint().toString());
    assertEquals("http://127.0.0.1:11434/v1/chat/completions",
        valid().baseUrl("http://127.0.0.1:11434/").build().endpoint().toString());
    assertEquals("http://127.0.0.1:11434/v1/chat/completions",
        valid().baseUrl("http://127.0.0.1:11434/v1/").build().endpoint().toString());
    assertEquals("http://127.0.0.1:8080/proxy/v1/chat/completions",
        valid().baseUrl("http://127.0.0.1:8080/proxy").build().endpoint().toString());
    assertEquals("http://127.0.0.1:8080/v1/chat/completions",
        valid().baseUrl("http://127.0.0.1:8080/v1/chat/completions").build().endpoint().toString());
  }

  @Test
  void apiKeyFromTheEnvironmentIsNeverPrinted() {
    HttpAdvisorConfig c = valid().apiKeyEnv("MY_KEY").environment(n -> n.equals("MY_KEY") ? "sk-secret" : null)
        .build();
    assertEquals("sk-secret", c.apiKey());
    assertEquals("env:MY_KEY", c.apiKeySource());
    assertFalse(c.toString().contains("sk-secret"));
    try (HttpAdvisor advisor = new HttpAdvisor(c)) {
      assertFalse(advisor.describe().contains("sk-secret"));
      assertFalse(advisor.toString().contains("sk-secret"));
    }
  }

  @Test
  void figure2PromptCarriesThePatientTheArmsTheMutableFeaturesAndTheBudget() {
    PromptTemplate p = valid().build().promptTemplate();
    double[] x = {1.234, 0.75, 1.63, -0.001, 0.30, 1.02, -0.43, -0.75};
    assertEquals("You are a helpful medical assistant helping to manage patients with hypertension.", p.system(x));
    String user = p.user(x);
    assertTrue(user.contains("There are 2 treatment options:"), user);
    assertTrue(user.contains("- Treatment 1: Prescribing Beta-blocker.\n"
        + "- Treatment 2: ACE Inhibitor + Calcium channel blockers + Diuretics."), user);
    assertTrue(user.contains("{\"female\": 1.23, \"age\": 0.75, \"cvd_hx_baseline\": 1.63, \"race\": 0.00, "
        + "\"smoking\": 0.30, \"DietScore\": 1.02, \"PhyActHours\": -0.43, "
        + "\"Systolic Blood Pressure for this visit\": -0.75}"), user);
    assertTrue(user.contains("optimal treatment (1 or 2) and suggest changes ONLY to 'DietScore' and 'PhyActHours'."),
        user);
    assertTrue(user.contains("- Make sure the L2 norm (Euclidean length) of the feature changes is within 3 units."),
        user);
    assertTrue(user.contains("Respond in the format: treatment=..., DietScore=..., PhyActHours=..."), user);
    assertTrue(user.contains("DietScore, PhyActHours are the recommended new values"), user);
    assertFalse(user.matches("(?s).*\\{[A-Za-z]+}.*"), "a placeholder was left: " + user);
  }

  @Test
  void hiddenFeaturesStayOutOfThePromptAndChangeModeSaysSo() {
    List<String> names = new java.util.ArrayList<>(HttpAdvisorConfig.HYPERTENSION_FEATURES);
    names.add("intercept");
    HttpAdvisorConfig c = valid().featureNames(names).hiddenFeatures(8).decimals(1)
        .replyValues(ReplyParser.ValueMode.CHANGE).build();
    String user = c.promptTemplate().user(new double[] {0, 0, 0, 0, 0, 1.26, 0, 0, 1});
    assertFalse(user.contains("intercept"), user);
    assertTrue(user.contains("\"DietScore\": 1.3,"), user);
    assertTrue(user.contains("recommended changes (new value minus current value)"), user);
  }

  private static HttpAdvisorConfig parse(String yaml) {
    return HttpAdvisorConfig.parse(ConfigNode.root("a.yaml", ConfigNode.parseTree(yaml, false, "a.yaml")));
  }

  @Test
  void parseReadsAStudyFileSection() {
    HttpAdvisorConfig c = parse("{preset: hypertension, gamma: 2.5, base_url: '" + BASE + "/v1', model: 'qwen2.5:7b',"
        + " read_timeout_ms: 1500, max_retries: 1, max_concurrent: 2, reply_values: change}");
    assertEquals("qwen2.5:7b", c.model());
    assertEquals(Duration.ofMillis(1500), c.readTimeout());
    assertEquals(1, c.maxRetries());
    assertEquals(2, c.maxConcurrent());
    assertEquals(ReplyParser.ValueMode.CHANGE, c.replyValues());
    assertTrue(c.budget().contains("within 2.5 units"), c.budget());
    HttpAdvisorConfig custom = parse("{base_url: '" + BASE + "', model: m, features: [a, b, c], arms: [x, y],"
        + " mutable: [1, 2], budget: 'Keep the changes small.', user_template: '{features} {format}',"
        + " system_prompt: 'Be brief.'}");
    assertEquals(3, custom.dim());
    InputException e = assertThrows(InputException.class,
        () -> parse("{preset: hypertension, gamma: 3, base_url: '" + BASE + "', model: m, read_timeout: 5}"));
    assertTrue(e.getMessage().contains("a.yaml: read_timeout: unknown key"), e.getMessage());
    e = assertThrows(InputException.class,
        () -> parse("{preset: hypertension, gamma: 3, base_url: '" + BASE + "', model: m, max_retries: 1.5}"));
    assertTrue(e.getMessage().contains("max_retries: expected an integer"), e.getMessage());
    e = assertThrows(InputException.class, () -> parse("{preset: hypertension, base_url: '" + BASE + "', model: m}"));
    assertTrue(e.getMessage().contains("gamma: missing"), e.getMessage());
    e = assertThrows(InputException.class, () -> parse("{base_url: 'ftp://x', model: m, features: [a], arms: [x],"
        + " mutable: [0], budget: b}"));
    assertTrue(e.getMessage().startsWith("a.yaml: "), e.getMessage());
  }
}
