package dev.recourse.sim.run;

import dev.recourse.core.simd.DoubleKernels;
import dev.recourse.sim.metrics.PolicyAggregate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a study's units on {@code threads} worker threads of this JVM. Units are handed out in index
 * order (replication-major); each is a pure function of its index, and the results are merged into
 * the aggregates strictly in index order through a {@link ReorderBuffer}, so the aggregates are the
 * same bits for any thread count. A worker may not start a unit more than {@code window} ahead of the
 * next one to merge, which bounds the buffered results (memory stays independent of the number of
 * replications even when one unit is slow).
 */
public final class LocalStudyRunner implements StudyRunner {

  /** Per-thread CPU time: on a shared machine wall time says little about the cost per round. */
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final int threads;
  private final DoubleKernels kernels;

  public LocalStudyRunner(int threads, DoubleKernels kernels) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.threads = threads;
    this.kernels = java.util.Objects.requireNonNull(kernels, "kernels");
  }

  @Override
  public StudyResult run(Study study, ProgressListener progress) {
    long start = System.nanoTime();
    int numPolicies = study.policies().size();
    int dimM = study.scenario().mutableIndices().length;
    List<PolicyAggregate> aggregates = new ArrayList<>(numPolicies);
    for (var p : study.policies()) {
      aggregates.add(new PolicyAggregate(p.label(), study.checkpoints().length, study.scenario().numArms(), dimM));
    }
    Coordinator coordinator = new Coordinator(study, aggregates, Math.max(4 * threads, 2 * numPolicies));
    int workers = Math.min(threads, study.units());
    List<Thread> pool = new ArrayList<>(workers);
    for (int w = 0; w < workers; w++) {
      Thread thread = new Thread(() -> {
        coordinator.work(kernels, progress);
        coordinator.addCpuNanos(CPU.isCurrentThreadCpuTimeSupported() ? CPU.getCurrentThreadCpuTime() : 0);
      }, "study-worker-" + w);
      thread.setDaemon(true);
      pool.add(thread);
      thread.start();
    }
    try {
      for (Thread thread : pool) {
        thread.join();
      }
    } catch (InterruptedException e) {
      coordinator.cancel();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("study " + study.name() + " interrupted", e);
    }
    coordinator.rethrowFailure();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new StudyResult(study, aggregates, seconds, coordinator.cpuNanos() / 1e9, threads, kernels.name());
  }

  /** Hands out unit indices and merges results in order; all state is guarded by {@code this}. */
  private static final class Coordinator {

    private final Study study;
    private final List<PolicyAggregate> aggregates;
    private final int window;
    private final ReorderBuffer<ReplicationResult> buffer;
    private int nextUnit;
    private Throwable failure;
    private boolean cancelled;
    private long cpuNanos;

    Coordinator(Study study, List<PolicyAggregate> aggregates, int window) {
      this.study = study;
      this.aggregates = aggregates;
      this.window = window;
      this.buffer = new ReorderBuffer<>(window);
    }

    void work(DoubleKernels kernels, ProgressListener progress) {
      int numPolicies = study.policies().size();
      while (true) {
        int unit = claim();
        if (unit < 0) {
          return;
        }
        ReplicationResult result;
        try {
          result = ReplicationTask.run(study, unit / numPolicies, unit % numPolicies, kernels, progress);
        } catch (Throwable e) {
          fail(e);
          return;
        }
        deliver(unit, result);
      }
    }

    private synchronized int claim() {
      try {
        while (failure == null && !cancelled && nextUnit < study.units() && nextUnit >= buffer.nextIndex() + window) {
          wait();
        }
      } catch (InterruptedException e) {
        cancelled = true;
        notifyAll();
        return -1;
      }
      if (failure != null || cancelled || nextUnit >= study.units()) {
        return -1;
      }
      return nextUnit++;
    }

    private synchronized void deliver(int unit, ReplicationResult result) {
      buffer.put(unit, result);
      for (ReplicationResult r = buffer.poll(); r != null; r = buffer.poll()) {
        aggregates.get(r.policy()).add(r.regret(), r.meanReward(), r.queries(), r.recourse(), r.armShare(),
            r.describe());
      }
      notifyAll();
    }

    private synchronized void fail(Throwable e) {
      if (failure == null) {
        failure = e;
      }
      notifyAll();
    }

    synchronized void addCpuNanos(long nanos) {
      cpuNanos += nanos;
    }

    synchronized long cpuNanos() {
      return cpuNanos;
    }

    synchronized void cancel() {
      cancelled = true;
      notifyAll();
    }

    synchronized void rethrowFailure() {
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
      if (cancelled) {
        throw new IllegalStateException("study " + study.name() + " was cancelled");
      }
    }
  }
}
