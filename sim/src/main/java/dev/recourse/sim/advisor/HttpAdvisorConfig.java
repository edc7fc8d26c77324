package dev.recourse.sim.advisor;

import dev.recourse.sim.config.ConfigNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Everything an {@link HttpAdvisor} needs: where the model is, how to describe a patient to it, how to
 * read its answer, and how long and how often to try. Built with {@link #builder()} (or
 * {@link #hypertension} for the paper's §5 study, or {@link #parse(ConfigNode)} for a study file); {@code build()}
 * validates every field and throws {@link IllegalArgumentException} naming the field. Immutable.
 *
 * <p>Timing: one attempt (connect, send, wait, read the whole reply) may take at most
 * {@link #readTimeout()}; a call makes at most {@code 1 + maxRetries} attempts with a backoff of
 * {@code retryBackoff·2^i} between them, after waiting at most {@code readTimeout} for one of the
 * {@code maxConcurrent} permits. So one {@code advise} returns within
 * {@code readTimeout·(maxRetries + 2) + retryBackoff·(2^maxRetries − 1)} plus scheduling slack.
 */
public final class HttpAdvisorConfig {

  /** The most retries a configuration may ask for: the round waits for them. */
  public static final int MAX_RETRIES_LIMIT = 10;

  private final String baseUrl;
  private final URI endpoint;
  private final String model;
  private final List<String> featureNames;
  private final List<String> armNames;
  private final List<String> armDescriptions;
  private final int[] mutable;
  private final int[] hidden;
  private final String budget;
  private final String systemPrompt;
  private final String userTemplate;
  private final ReplyParser.ValueMode replyValues;
  private final String treatmentKey;
  private final int armIndexBase;
  private final int decimals;
  private final double temperature;
  private final int maxTokens;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxRetries;
  private final Duration retryBackoff;
  private final int maxConcurrent;
  private final long maxResponseBytes;
  private final String apiKey;
  private final String apiKeySource;

  private HttpAdvisorConfig(Builder b) {
    this.baseUrl = b.baseUrl;
    this.endpoint = endpointOf(b.baseUrl);
    this.model = requireText("model", b.model);
    this.featureNames = List.copyOf(requireNames("featureNames", b.featureNames));
    int dim = featureNames.size();
    Set<String> lower = new HashSet<>();
    for (String n : featureNames) {
      if (!lower.add(n.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("featureNames must be distinct (ignoring case): '" + n + "' is repeated");
      }
    }
    this.armNames = List.copyOf(requireNames("armNames", b.armNames));
    Set<String> arms = new HashSet<>();
    for (String a : armNames) {
      String n = ReplyParser.normaliseArm(a);
      if (n.isEmpty() || n.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("armNames must not be numbers (replies may name an arm by number): '"
            + a + "'");
      }
      if (!arms.add(n)) {
        throw new IllegalArgumentException("armNames must be distinct (ignoring case and spaces): '" + a
            + "' is repeated");
      }
    }
    if (b.armDescriptions == null) {
      this.armDescriptions = armNames;
    } else {
      if (b.armDescriptions.size() != armNames.size()) {
        throw new IllegalArgumentException("armDescriptions must have one entry per arm (" + armNames.size()
            + "), got " + b.armDescriptions.size());
      }
      for (String d : b.armDescriptions) {
        requireText("armDescriptions", d);
      }
      this.armDescriptions = List.copyOf(b.armDescriptions);
    }
    this.mutable = indices("mutableFeatures", b.mutable, dim);
    if (mutable.length == 0) {
      throw new IllegalArgumentException("mutableFeatures must name at least one feature");
    }
    this.hidden = indices("hiddenFeatures", b.hidden, dim);
    for (int h : hidden) {
      for (int m : mutable) {
        if (h == m) {
          throw new IllegalArgumentException("hiddenFeatures must not contain mutable feature " + h
              + " (the model must see what it may change)");
        }
      }
    }
    if (hidden.length == dim) {
      throw new IllegalArgumentException("hiddenFeatures hides every feature");
    }
    this.treatmentKey = requireName("treatmentKey", b.treatmentKey);
    for (int m : mutable) {
      if (featureNames.get(m).equalsIgnoreCase(treatmentKey)) {
        throw new IllegalArgumentException("treatmentKey '" + treatmentKey + "' is also the name of mutable feature "
            + m);
      }
    }
    this.budget = requireText("budget", b.budget);
    this.systemPrompt = requireTemplate("systemPrompt", b.systemPrompt);
    this.userTemplate = requireTemplate("userTemplate", b.userTemplate);
    if (!userTemplate.contains("{features}")) {
      throw new IllegalArgumentException("userTemplate must contain {features}: the model must see the patient");
    }
    this.replyValues = Objects.requireNonNull(b.replyValues, "replyValues");
    if (b.armIndexBase != 0 && b.armIndexBase != 1) {
      throw new IllegalArgumentException("armIndexBase must be 0 or 1, got " + b.armIndexBase);
    }
    this.armIndexBase = b.armIndexBase;
    if (b.decimals < 0 || b.decimals > 10) {
      throw new IllegalArgumentException("decimals must be in [0, 10], got " + b.decimals);
    }
    this.decimals = b.decimals;
    if (!(b.temperature >= 0 && b.temperature <= 2)) {
      throw new IllegalArgumentException("temperature must be in [0, 2], got " + b.temperature);
    }
    this.temperature = b.temperature;
    if (b.maxTokens < 0) {
      throw new IllegalArgumentException("maxTokens must be >= 0 (0: let the server decide), got " + b.maxTokens);
    }
    this.maxTokens = b.maxTokens;
    this.connectTimeout = positive("connectTimeout", b.connectTimeout);
    this.readTimeout = positive("readTimeout", b.readTimeout);
    if (b.maxRetries < 0 || b.maxRetries > MAX_RETRIES_LIMIT) {
      throw new IllegalArgumentException("maxRetries must be in [0, " + MAX_RETRIES_LIMIT + "], got " + b.maxRetries);
    }
    this.maxRetries = b.maxRetries;
    if (b.retryBackoff == null || b.retryBackoff.isNegative() || b.retryBackoff.compareTo(Duration.ofSeconds(10)) > 0) {
      throw new IllegalArgumentException("retryBackoff must be in [0, 10 s], got " + b.retryBackoff);
    }
    this.retryBackoff = b.retryBackoff;
    if (b.maxConcurrent < 1 || b.maxConcurrent > 1024) {
      throw new IllegalArgumentException("maxConcurrent must be in [1, 1024], got " + b.maxConcurrent);
    }
    this.maxConcurrent = b.maxConcurrent;
    if (b.maxResponseBytes < 1024) {
      throw new IllegalArgumentException("maxResponseBytes must be >= 1024, got " + b.maxResponseBytes);
    }
    this.maxResponseBytes = b.maxResponseBytes;
    if (b.apiKey != null && b.apiKeyEnv != null) {
      throw new IllegalArgumentException("give apiKey or apiKeyEnv, not both");
    }
    if (b.apiKeyEnv != null) {
      String name = requireText("apiKeyEnv", b.apiKeyEnv);
      String value = b.environment.apply(name);
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException("apiKeyEnv names the environment variable " + name + ", which is not set");
      }
      this.apiKey = requireHeaderValue("apiKeyEnv (" + name + ")", value.strip());
      this.apiKeySource = "env:" + name;
    } else if (b.apiKey != null) {
      this.apiKey = requireHeaderValue("apiKey", requireText("apiKey", b.apiKey).strip());
      this.apiKeySource = "configured";
    } else {
      this.apiKey = null;
      this.apiKeySource = "none";
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The paper's §5 hypertension study (spec §9): the eight standardised features under Figure 2's
   * names, beta-blocker and ACE+CCB+diuretic, mutable DietScore and PhyActHours, an ℓ2 budget γ.
   * A learner that appends a constant-1 intercept feature (spec §9 choice) sets {@code featureNames}
   * to nine names and hides the intercept with {@code hiddenFeatures}.
   */
  public static Builder hypertension(String baseUrl, String model, double gamma) {
    if (!(gamma >= 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and >= 0, got " + gamma);
    }
    return builder()
        .baseUrl(baseUrl)
        .model(model)
        .featureNames(HYPERTENSION_FEATURES)
        .armNames("Beta-blocker", "ACE+CCB+Diur")
        .armDescriptions("Prescribing Beta-blocker.", "ACE Inhibitor + Calcium channel blockers + Diuretics.")
        .mutableFeatures(5, 6)
        .budget(l2Budget(gamma));
  }

  /** Figure 2's feature keys, in the spec's order (§9). */
  public static final List<String> HYPERTENSION_FEATURES = List.of("female", "age", "cvd_hx_baseline", "race",
      "smoking", "DietScore", "PhyActHours", "Systolic Blood Pressure for this visit");

  /** Figure 2's budget constraint for an ℓ2 ball of radius γ ("two norms" in the paper means ℓ2). */
  public static String l2Budget(double gamma) {
    return "Make sure the L2 norm (Euclidean length) of the feature changes is within " + plain(gamma) + " units.";
  }

  private static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * A configuration from a study or policy file's {@code advisor} mapping, read with the project's one
   * configuration reader (snake_case keys): {@code base_url, model, features, arms, arm_descriptions,
   * mutable, hidden, budget, system_prompt, user_template, reply_values (target|change), treatment_key,
   * arm_index_base, decimals, temperature, max_tokens, connect_timeout_ms, read_timeout_ms, max_retries,
   * retry_backoff_ms, max_concurrent, max_response_bytes, api_key_env}; {@code preset: hypertension}
   * (with {@code gamma}) starts from {@link #hypertension}. Keys the caller owns ({@code type}) must be
   * declared with {@link ConfigNode#allow} first; any other unknown key is an error naming it. An API
   * key itself is never read from a file.
   */
  public static HttpAdvisorConfig parse(ConfigNode node) {
    return parse(node, null);
  }

  /**
   * As {@link #parse(ConfigNode)} for a learner whose features are {@code learnerFeatures}: when the
   * file names no {@code features} and the learner has a {@code constant} feature the configuration
   * lacks (the hypertension preset on a scenario with an intercept column), that feature is inserted
   * at the learner's position and hidden from the prompt, and the other indices shift past it.
   */
  public static HttpAdvisorConfig parse(ConfigNode node, List<String> learnerFeatures) {
    Builder b;
    String preset = node.text("preset", null);
    if (preset != null) {
      if (!preset.equals("hypertension")) {
        throw node.error("preset", "must be 'hypertension', got '" + preset + "'");
      }
      double gamma = node.requiredNumber("gamma", "preset hypertension needs the l2 budget gamma");
      try {
        b = hypertension(node.requiredText("base_url"), node.requiredText("model"), gamma);
      } catch (IllegalArgumentException e) {
        throw node.error(e.getMessage());
      }
    } else {
      b = builder();
    }
    try {
      if (node.has("base_url")) {
        b.baseUrl(node.requiredText("base_url"));
      }
      if (node.has("model")) {
        b.model(node.requiredText("model"));
      }
      if (node.has("features")) {
        b.featureNames(node.texts("features"));
      }
      if (node.has("arms")) {
        b.armNames(node.texts("arms"));
      }
      if (node.has("arm_descriptions")) {
        b.armDescriptions(node.texts("arm_descriptions"));
      }
      if (node.has("mutable")) {
        b.mutableFeatures(node.integers("mutable"));
      }
      if (node.has("hidden")) {
        b.hiddenFeatures(node.integers("hidden"));
      }
      if (node.has("budget")) {
        b.budget(node.requiredText("budget"));
      }
      if (node.has("system_prompt")) {
        b.systemPrompt(node.requiredText("system_prompt"));
      }
      if (node.has("user_template")) {
        b.userTemplate(node.requiredText("user_template"));
      }
      if (node.has("reply_values")) {
        String mode = node.requiredText("reply_values");
        b.replyValues(switch (mode.toLowerCase(Locale.ROOT)) {
          case "target" -> ReplyParser.ValueMode.TARGET;
          case "change" -> ReplyParser.ValueMode.CHANGE;
          default -> throw node.error("reply_values", "must be 'target' or 'change', got '" + mode + "'");
        });
      }
      if (node.has("treatment_key")) {
        b.treatmentKey(node.requiredText("treatment_key"));
      }
      if (node.has("arm_index_base")) {
        b.armIndexBase(node.integer("arm_index_base", 0));
      }
      if (node.has("decimals")) {
        b.decimals(node.integer("decimals", 0));
      }
      if (node.has("temperature")) {
        b.temperature(node.number("temperature", Double.NaN));
      }
      if (node.has("max_tokens")) {
        b.maxTokens(node.integer("max_tokens", 0));
      }
      if (node.has("connect_timeout_ms")) {
        b.connectTimeout(Duration.ofMillis(node.integer("connect_timeout_ms", 0)));
      }
      if (node.has("read_timeout_ms")) {
        b.readTimeout(Duration.ofMillis(node.integer("read_timeout_ms", 0)));
      }
      if (node.has("max_retries")) {
        b.maxRetries(node.integer("max_retries", 0));
      }
      if (node.has("retry_backoff_ms")) {
        b.retryBackoff(Duration.ofMillis(node.integer("retry_backoff_ms", 0)));
      }
      if (node.has("max_concurrent")) {
        b.maxConcurrent(node.integer("max_concurrent", 0));
      }
      if (node.has("max_response_bytes")) {
        b.maxResponseBytes(node.longInteger("max_response_bytes", 0));
      }
      if (node.has("api_key_env")) {
        b.apiKeyEnv(node.requiredText("api_key_env"));
      }
      if (learnerFeatures != null && !node.has("features")) {
        b.insertHiddenConstant(learnerFeatures);
      }
      node.finish();
      return b.build();
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  /**
   * {@code {base}/v1/chat/completions}. A base that already ends in {@code /v1} (how OpenAI client
   * libraries and Ollama's documentation write it) or in {@code /chat/completions} is completed, not
   * doubled.
   */
  private static URI endpointOf(String baseUrl) {
    String url = requireText("baseUrl", baseUrl).strip();
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("baseUrl is not a URL: '" + url + "' (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("baseUrl must start with http:// or https://, got '" + url + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must name a host, got '" + url + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("baseUrl must not carry a query, fragment or user info, got '" + url + "'");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.endsWith("/chat/completions")) {
      path += path.endsWith("/v1") ? "/chat/completions" : "/v1/chat/completions";
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  private static String requireText(String field, String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return v;
  }

  /** A name used as a key in the prompt and the reply: no characters the reply format uses. */
  private static String requireName(String field, String v) {
    requireText(field, v);
    if (!v.equals(v.strip())) {
      throw new IllegalArgumentException(field + " must not start or end with spaces: '" + v + "'");
    }
    for (char ch : v.toCharArray()) {
      if ("=:,;\"'`*\\{}\n\r\t".indexOf(ch) >= 0) {
        throw new IllegalArgumentException(field + " '" + v + "' must not contain '" + ch
            + "' (the reply format uses it)");
      }
    }
    return v;
  }

  private static List<String> requireNames(String field, List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException(field + " must name at least one entry");
    }
    for (int i = 0; i < names.size(); i++) {
      requireName(field + "[" + i + "]", names.get(i));
    }
    return names;
  }

  private static String requireTemplate(String field, String template) {
    if (template == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    List<String> unknown = PromptTemplate.unknownPlaceholders(template);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(field + " has unknown placeholders " + unknown + "; known: "
          + PromptTemplate.PLACEHOLDERS.stream().sorted().map(p -> "{" + p + "}").toList());
    }
    return template;
  }

  private static String requireHeaderValue(String field, String v) {
    for (char ch : v.toCharArray()) {
      if (ch < 0x20 || ch == 0x7f) {
        throw new IllegalArgumentException(field + " contains a control character");
      }
    }
    return v;
  }

  private static int[] indices(String field, int[] idx, int dim) {
    if (idx == null) {
      return new int[0];
    }
    boolean[] seen = new boolean[dim];
    for (int i : idx) {
      if (i < 0 || i >= dim) {
        throw new IllegalArgumentException(field + " index " + i + " is out of range [0, " + dim + ")");
      }
      if (seen[i]) {
        throw new IllegalArgumentException(field + " lists index " + i + " twice");
      }
      seen[i] = true;
    }
    return idx.clone();
  }

  private static Duration positive(String field, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(field + " must be positive, got " + d);
    }
    return d;
  }

  /** The base URL as configured. */
  public String baseUrl() {
    return baseUrl;
  }

  /** The chat-completions URL requests go to. */
  public URI endpoint() {
    return endpoint;
  }

  public String model() {
    return model;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  public int dim() {
    return featureNames.size();
  }

  public List<String> armNames() {
    return armNames;
  }

  public int numArms() {
    return armNames.size();
  }

  /** How each arm is described in the prompt (its name unless configured). */
  public List<String> armDescriptions() {
    return armDescriptions;
  }

  public int[] mutableFeatures() {
    return mutable.clone();
  }

  /** Features not shown to the model (an intercept, say); they are copied from the patient. */
  public int[] hiddenFeatures() {
    return hidden.clone();
  }

  public String budget() {
    return budget;
  }

  public String systemPrompt() {
    return systemPrompt;
  }

  public String userTemplate() {
    return userTemplate;
  }

  public ReplyParser.ValueMode replyValues() {
    return replyValues;
  }

  public String treatmentKey() {
    return treatmentKey;
  }

  public int armIndexBase() {
    return armIndexBase;
  }

  public int decimals() {
    return decimals;
  }

  public double temperature() {
    return temperature;
  }

  public int maxTokens() {
    return maxTokens;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration readTimeout() {
    return readTimeout;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public Duration retryBackoff() {
    return retryBackoff;
  }

  public int maxConcurrent() {
    return maxConcurrent;
  }

  public long maxResponseBytes() {
    return maxResponseBytes;
  }

  /** The bearer token, or null for none. Never printed. */
  String apiKey() {
    return apiKey;
  }

  /** Where the key came from, safe to print: {@code none}, {@code configured} or {@code env:NAME}. */
  public String apiKeySource() {
    return apiKeySource;
  }

  /** The reply parser for this configuration; arms are selected by name or by description. */
  public ReplyParser replyParser() {
    String[][] aliases = new String[armNames.size()][];
    for (int a = 0; a < aliases.length; a++) {
      aliases[a] = new String[] {armNames.get(a), armDescriptions.get(a)};
    }
    return new ReplyParser(featureNames.toArray(String[]::new), mutable, treatmentKey, aliases, armIndexBase,
        replyValues);
  }

  /** The prompt renderer for this configuration. */
  public PromptTemplate promptTemplate() {
    return new PromptTemplate(this);
  }

  @Override
  public String toString() {
    return "HttpAdvisorConfig{endpoint=" + endpoint + ", model=" + model + ", features=" + featureNames
        + ", arms=" + armNames + ", mutable=" + Arrays.toString(mutable) + ", hidden=" + Arrays.toString(hidden)
        + ", replyValues=" + replyValues + ", temperature=" + temperature + ", connectTimeout=" + connectTimeout
        + ", readTimeout=" + readTimeout + ", maxRetries=" + maxRetries + ", retryBackoff=" + retryBackoff
        + ", maxConcurrent=" + maxConcurrent + ", apiKey=" + apiKeySource + '}';
  }

  /** Collects the configuration; {@link #build()} validates it. */
  public static final class Builder {

    private String baseUrl;
    private String model;
    private List<String> featureNames;
    private List<String> armNames;
    private List<String> armDescriptions;
    private int[] mutable;
    private int[] hidden;
    private String budget;
    private String systemPrompt = PromptTemplate.FIGURE2_SYSTEM;
    private String userTemplate = PromptTemplate.FIGURE2_USER;
    private ReplyParser.ValueMode replyValues = ReplyParser.ValueMode.TARGET;
    private String treatmentKey = "treatment";
    private int armIndexBase = 1;
    private int decimals = 2;
    private double temperature = 0.0;
    private int maxTokens;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(60);
    private int maxRetries = 2;
    private Duration retryBackoff = Duration.ofMillis(250);
    private int maxConcurrent = 4;
    private long maxResponseBytes = 1 << 20;
    private String apiKey;
    private String apiKeyEnv;
    private UnaryOperator<String> environment = System::getenv;

    private Builder() {}

    /** See {@link HttpAdvisorConfig#parse(ConfigNode, List)}. */
    private void insertHiddenConstant(List<String> learnerFeatures) {
      int c = learnerFeatures.indexOf("constant");
      if (c < 0 || featureNames == null || featureNames.contains("constant")
          || featureNames.size() != learnerFeatures.size() - 1 || c > featureNames.size()) {
        return;
      }
      featureNames.add(c, "constant");
      int[] hiddenBefore = hidden == null ? new int[0] : hidden;
      int[] shifted = new int[hiddenBefore.length + 1];
      for (int i = 0; i < hiddenBefore.length; i++) {
        shifted[i] = hiddenBefore[i] >= c ? hiddenBefore[i] + 1 : hiddenBefore[i];
      }
      shifted[hiddenBefore.length] = c;
      java.util.Arrays.sort(shifted);
      hidden = shifted;
      if (mutable != null) {
        for (int i = 0; i < mutable.length; i++) {
          mutable[i] = mutable[i] >= c ? mutable[i] + 1 : mutable[i];
        }
      }
    }

    /** Server root, e.g. {@code http://127.0.0.1:11434}; {@code /v1/chat/completions} is appended. */
    public Builder baseUrl(String v) {
      baseUrl = v;
      return this;
    }

    public Builder model(String v) {
      model = v;
      return this;
    }

    /** One name per context feature (length d), as shown to the model and read back from it. */
    public Builder featureNames(String... v) {
      featureNames = v == null ? null : new ArrayList<>(Arrays.asList(v));
      return this;
    }

    public Builder featureNames(List<String> v) {
      featureNames = v == null ? null : new ArrayList<>(v);
      return this;
    }

    /** One name per arm; replies may name an arm by this name or by its number. */
    public Builder armNames(String... v) {
      armNames = v == null ? null : new ArrayList<>(Arrays.asList(v));
      return this;
    }

    /** How each arm is described in the prompt's {arms} list (default: its name). */
    public Builder armDescriptions(String... v) {
      armDescriptions = v == null ? null : new ArrayList<>(Arrays.asList(v));
      return this;
    }

    public Builder mutableFeatures(int... v) {
      mutable = v == null ? null : v.clone();
      return this;
    }

    /** Features left out of the prompt (e.g. a constant intercept); copied from the patient. */
    public Builder hiddenFeatures(int... v) {
      hidden = v == null ? null : v.clone();
      return this;
    }

    /** The budget sentence of the prompt, e.g. {@link #l2Budget(double)}. */
    public Builder budget(String v) {
      budget = v;
      return this;
    }

    public Builder systemPrompt(String v) {
      systemPrompt = v;
      return this;
    }

    public Builder userTemplate(String v) {
      userTemplate = v;
      return this;
    }

    public Builder replyValues(ReplyParser.ValueMode v) {
      replyValues = v;
      return this;
    }

    public Builder treatmentKey(String v) {
      treatmentKey = v;
      return this;
    }

    /** The number of the first arm in the prompt and replies: 1 (default, as in Figure 2) or 0. */
    public Builder armIndexBase(int v) {
      armIndexBase = v;
      return this;
    }

    /** Decimals of the feature values in the prompt (default 2, as in Figure 2). */
    public Builder decimals(int v) {
      decimals = v;
      return this;
    }

    /** Sampling temperature (default 0: the same patient gets the same answer). */
    public Builder temperature(double v) {
      temperature = v;
      return this;
    }

    /** {@code max_tokens} of the request; 0 (default) leaves it out. */
    public Builder maxTokens(int v) {
      maxTokens = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    /** The most one attempt may take, from sending the request to the last byte of the reply. */
    public Builder readTimeout(Duration v) {
      readTimeout = v;
      return this;
    }

    /** Extra attempts after a timeout, a 5xx status or a connection error (0 to 10, default 2). */
    public Builder maxRetries(int v) {
      maxRetries = v;
      return this;
    }

    /** Wait before the first retry, doubled for each further one (default 250 ms). */
    public Builder retryBackoff(Duration v) {
      retryBackoff = v;
      return this;
    }

    /** Requests in flight at once through one advisor (default 4). */
    public Builder maxConcurrent(int v) {
      maxConcurrent = v;
      return this;
    }

    /** Replies longer than this fail (default 1 MiB). */
    public Builder maxResponseBytes(long v) {
      maxResponseBytes = v;
      return this;
    }

    /** A bearer token sent as {@code Authorization}; prefer {@link #apiKeyEnv}. */
    public Builder apiKey(String v) {
      apiKey = v;
      return this;
    }

    /** The name of an environment variable holding the bearer token, read at {@link #build()}. */
    public Builder apiKeyEnv(String v) {
      apiKeyEnv = v;
      return this;
    }

    /** Where {@link #apiKeyEnv} is looked up (tests). */
    Builder environment(UnaryOperator<String> v) {
      environment = Objects.requireNonNull(v);
      return this;
    }

    public HttpAdvisorConfig build() {
      return new HttpAdvisorConfig(this);
    }
  }
}
