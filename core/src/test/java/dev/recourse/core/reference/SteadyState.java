package dev.recourse.core.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * "Allocates nothing once compiled", asserted on the steady state: C2 compiles the vector kernels in the
 * background, and in a JVM with a long compile queue (a whole test suite) that can outlast any fixed
 * warm-up while C1 code boxes vectors. So windows of work are measured until three in a row allocate
 * nothing, for at most 60 s; an allocation per round shows in every window, and a one-off (constant-pool
 * resolution, a deoptimisation and recompilation) only breaks a run of clean windows.
 */
public final class SteadyState {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private SteadyState() {}

  /** Runs {@code window} until three runs in a row allocate 0 bytes on this thread; fails after 60 s. */
  public static void assertAllocatesNothing(String what, Runnable window) {
    long tid = Thread.currentThread().threadId();
    long r0 = THREADS.getThreadAllocatedBytes(tid);
    long reading = THREADS.getThreadAllocatedBytes(tid) - r0;
    List<Long> windows = new ArrayList<>();
    long deadline = System.nanoTime() + 60_000_000_000L;
    int clean = 0;
    while (clean < 3 && System.nanoTime() < deadline) {
      long a = THREADS.getThreadAllocatedBytes(tid);
      window.run();
      long b = THREADS.getThreadAllocatedBytes(tid) - a - reading;
      windows.add(b);
      clean = b == 0 ? clean + 1 : 0;
    }
    assertEquals(3, clean, what + ": bytes allocated per window " + windows
        + " (no three clean windows in a row within 60 s)");
  }
}
