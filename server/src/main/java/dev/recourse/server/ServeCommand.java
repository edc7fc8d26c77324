package dev.recourse.server;

import dev.recourse.api.PolicyService;
import dev.recourse.api.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recourse serve}: a policy behind HTTP/JSON. The {@code recourse} launcher hands {@code serve}
 * to this class's jar (the CLI in sim cannot depend on this module: server → api → sim). Prints one
 * line, {@code recourse serve: listening on http://HOST:PORT (...)}, to stdout once it accepts
 * requests; SIGTERM or SIGINT stops it after a last snapshot. Exit code 2: bad input.
 */
@Command(name = "serve", sortOptions = false,
    description = "Serves a policy over HTTP/JSON on loopback: POST /v1/decide, POST /v1/outcome, "
        + "POST /v1/arms, DELETE /v1/arms/{k}, GET /v1/health, GET /metrics.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--policy", required = true, paramLabel = "POLICY.yaml",
      description = "The service configuration (ServiceConfig's keys: dim, arms, max_arms, link, features, "
          + "feasible, gambitts, pending, policy), YAML or JSON (by the .json extension).")
  Path policy;

  @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Snapshots and the write-ahead log; without it nothing survives a restart.")
  Path stateDir;

  @Option(names = "--fsync", defaultValue = "always", paramLabel = "always|interval|never",
      description = "When the write-ahead log is forced to disk: before each acknowledgement (survives a power "
          + "loss), every --fsync-interval-ms, or never (survives a process kill only). Default ${DEFAULT-VALUE}.")
  String fsync;

  @Option(names = "--fsync-interval-ms", defaultValue = "100", description = "Default ${DEFAULT-VALUE}.")
  long fsyncIntervalMs;

  @Option(names = "--snapshot-every-outcomes", defaultValue = "10000",
      description = "A snapshot after this many changes (default ${DEFAULT-VALUE}).")
  long snapshotEveryOutcomes;

  @Option(names = "--snapshot-every-seconds", defaultValue = "60",
      description = "A snapshot this often when anything changed (default ${DEFAULT-VALUE}).")
  long snapshotEverySeconds;

  @Option(names = "--max-body-bytes", defaultValue = "65536", description = "Larger requests get 413 (default ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(names = "--deciders", defaultValue = "0",
      description = "Threads that decide (each holds a model replica); 0: one per core.")
  int deciders;

  private final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command (blocking until the server stops) and returns the exit code. */
  static int run(String[] args) {
    CommandLine cli = new CommandLine(new ServeCommand());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof InputError) {
        cmd.getErr().println("recourse serve: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli.execute(args);
  }

  /** Bad input: a message, exit code 2, no stack trace. */
  static final class InputError extends RuntimeException {
    InputError(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public Integer call() throws Exception {
    ServiceConfig config = readConfig();
    StateStore.Options stateOptions;
    RecourseServer.Options httpOptions;
    WriteAheadLog.FsyncPolicy fsyncPolicy;
    try {
      fsyncPolicy = WriteAheadLog.FsyncPolicy.valueOf(fsync.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InputError("--fsync must be always, interval or never, got '" + fsync + "'", e);
    }
    try {
      stateOptions = new StateStore.Options(fsyncPolicy, Duration.ofMillis(fsyncIntervalMs), snapshotEveryOutcomes,
          Duration.ofSeconds(snapshotEverySeconds));
      httpOptions = new RecourseServer.Options(bind, port, maxBodyBytes,
          deciders == 0 ? Runtime.getRuntime().availableProcessors() : deciders);
    } catch (IllegalArgumentException e) {
      throw new InputError("--" + e.getMessage(), e);
    }
    PolicyService service;
    try {
      service = PolicyService.of(config);
    } catch (IllegalArgumentException e) {
      throw new InputError(policy + ": " + e.getMessage(), e);
    }
    // The port first: a start that cannot listen must not have written to the state directory.
    com.sun.net.httpserver.HttpServer http;
    try {
      http = RecourseServer.bind(httpOptions);
    } catch (IOException | RuntimeException e) {
      throw new InputError("cannot listen on " + bind + ":" + port + ": " + StateStore.describe(e), e);
    }
    System.err.println("recourse serve: requests must arrive within " + HttpLimits.requestLimit(System.getProperties())
        + " (-D" + HttpLimits.MAX_REQ_TIME + "=SECONDS)");
    StateStore state;
    if (stateDir == null) {
      System.err.println("recourse serve: warning: no --state-dir: the model is lost when the server stops");
      state = StateStore.inMemory(service);
    } else {
      try {
        state = StateStore.open(service, stateDir, stateOptions, line -> System.err.println("recourse serve: " + line));
      } catch (IOException e) {
        RecourseServer.release(http);
        throw new InputError("--state-dir " + stateDir + ": " + e.getMessage(), e);
      } catch (RuntimeException e) {
        RecourseServer.release(http);
        throw e;
      }
      StateStore.Recovery r = state.recovery();
      System.err.println("recourse serve: state " + stateDir + ": " + (r.snapshotSeq() < 0 ? "new"
          : "snapshot " + r.snapshotSeq() + " + " + r.records() + " log records") + ", start " + r.epoch());
    }
    RecourseServer server = new RecourseServer(service, state, httpOptions, http);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
      } catch (IOException | RuntimeException e) {
        System.err.println("recourse serve: error while stopping: " + StateStore.describe(e));
      } finally {
        stopped.countDown();
      }
    }, "recourse-shutdown"));
    server.start();
    System.out.println("recourse serve: listening on http://" + bind + ":" + server.port() + " (policy "
        + config.policyType() + ", dim " + config.dim() + ", " + Endpoints.offeredArms(service) + " arms)");
    System.out.flush();
    stopped.await();
    return 0;
  }

  private ServiceConfig readConfig() {
    String text;
    try {
      text = Files.readString(policy);
    } catch (NoSuchFileException e) {
      throw new InputError("--policy " + policy + ": no such file", e);
    } catch (IOException e) {
      throw new InputError("--policy " + policy + ": " + e.getMessage(), e);
    }
    try {
      return ServiceConfig.parse(text, policy.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"));
    } catch (IllegalArgumentException e) {
      throw new InputError(policy + ": " + e.getMessage(), e);
    }
  }
}
