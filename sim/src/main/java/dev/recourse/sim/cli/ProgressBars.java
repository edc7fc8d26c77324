package dev.recourse.sim.cli;

import dev.recourse.sim.run.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr counting simulated rounds, or nothing when there is no console (output
 * redirected, CI, tests) or the user asked for {@code --quiet}: stdout stays parseable either way.
 */
final class ProgressBars implements ProgressListener, AutoCloseable {

  private static final int UPDATE_MILLIS = 250;

  private final ProgressBar bar;

  private ProgressBars(ProgressBar bar) {
    this.bar = bar;
  }

  static ProgressBars open(String task, long totalRounds, boolean quiet) {
    return open(task, totalRounds, " rounds", quiet);
  }

  /** A bar counting {@code total} steps of {@code unit} (with its leading space, e.g. " instances"). */
  static ProgressBars open(String task, long total, String unit, boolean quiet) {
    if (quiet || System.console() == null) {
      return new ProgressBars(null);
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(UPDATE_MILLIS)
        .setUnit(unit, 1).showSpeed().build();
    return new ProgressBars(bar);
  }

  @Override
  public void advanced(long rounds) {
    if (bar != null) {
      bar.stepBy(rounds);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
