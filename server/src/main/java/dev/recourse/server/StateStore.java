package dev.recourse.server;

import dev.recourse.api.PolicyService;
import dev.recourse.api.SnapshotException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Every change to a server's model goes through here: outcomes, arms added and retired are applied
 * under one lock, each logged to the write-ahead log before it is acknowledged (outcomes before they
 * apply, through {@link PolicyService.OutcomeLog}; arm changes once they succeed), so the log's order is
 * the order the model saw. A snapshot takes the model's bytes and starts a new log in one step under
 * that lock, then writes the file outside it; the older files are deleted once a newer snapshot is
 * durable, keeping the previous snapshot and its log in case the newest snapshot turns out unreadable.
 *
 * <p>Once the state directory fails (a log append or force fails, a snapshot fails, or the directory no
 * longer exists or is no longer the one opened, checked before every change and every second) the store
 * is broken for good: {@link #healthy()} is false with a {@link #brokenReason() reason}, and every change
 * is refused with {@link UnavailableException} (HTTP 503) rather than acknowledged into files that will
 * not be there at the next start. A restart recovers from what the directory holds.
 *
 * <p>Without a state directory the changes go straight to the service and nothing is written.
 */
final class StateStore implements AutoCloseable {

  /** How state is kept. */
  record Options(WriteAheadLog.FsyncPolicy fsync, Duration fsyncInterval, long snapshotEveryOutcomes,
                 Duration snapshotEvery) {
    Options {
      if (snapshotEveryOutcomes < 1) {
        throw new IllegalArgumentException("snapshot-every-outcomes must be >= 1, got " + snapshotEveryOutcomes);
      }
      if (snapshotEvery.isNegative() || snapshotEvery.isZero()) {
        throw new IllegalArgumentException("snapshot-every-seconds must be > 0, got " + snapshotEvery.toSeconds());
      }
      if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
        throw new IllegalArgumentException("fsync-interval-ms must be > 0, got " + fsyncInterval.toMillis());
      }
    }

    static Options defaults() {
      return new Options(WriteAheadLog.FsyncPolicy.ALWAYS, Duration.ofMillis(100), 10_000, Duration.ofSeconds(60));
    }
  }

  /** What a start found: the snapshot loaded (-1: none), log records replayed, bytes of torn tail dropped. */
  record Recovery(long snapshotSeq, int records, long droppedBytes, long epoch) {}

  /** A change cannot be made durable: the state directory failed earlier (HTTP 503). */
  static final class UnavailableException extends RuntimeException {
    UnavailableException(String message) {
      super(message);
    }
  }

  private final PolicyService service;
  private final Path dir;
  private final Options options;
  private final Consumer<String> log;
  private final ReentrantLock writes = new ReentrantLock();
  private final Object snapshotting = new Object();
  /** Guarded by writes. */
  private WriteAheadLog wal;
  private long seq;
  private long changesSinceSnapshot;
  private boolean snapshotQueued;
  private volatile String broken;
  /** The newest snapshot known to be readable; files before it are deleted after the next snapshot. */
  private long lastGoodSnapshot = -1;
  private volatile long lastSnapshotNanos = System.nanoTime();
  /** The state directory's identity (inode and device on Linux) when opened; null if the platform has none. */
  private final Object dirKey;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final ScheduledExecutorService stateThread;
  private Recovery recovery;

  private StateStore(PolicyService service, Path dir, Options options, Consumer<String> log) throws IOException {
    this.service = service;
    this.dir = dir;
    this.options = options;
    this.log = log;
    if (dir == null) {
      this.dirKey = null;
      this.lockChannel = null;
      this.lock = null;
      this.stateThread = null;
      return;
    }
    Files.createDirectories(dir);
    this.dirKey = Files.readAttributes(dir, BasicFileAttributes.class).fileKey();
    this.lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      l = null; // held by another store in this JVM
    }
    if (l == null) {
      lockChannel.close();
      throw new IOException(dir + ": another recourse server is using this state directory");
    }
    this.lock = l;
    this.stateThread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "recourse-state");
      t.setDaemon(true);
      return t;
    });
  }

  /** Keeps nothing: changes go straight to {@code service}. */
  static StateStore inMemory(PolicyService service) {
    try {
      return new StateStore(service, null, Options.defaults(), s -> {});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Loads the newest valid snapshot in {@code dir} into {@code service}, replays the logs after it,
   * writes a fresh snapshot and starts a new log. {@code log} receives one line per notable event.
   *
   * @throws IOException if the directory cannot be used or its state cannot be recovered exactly
   */
  static StateStore open(PolicyService service, Path dir, Options options, Consumer<String> log) throws IOException {
    StateStore s = new StateStore(service, dir.toAbsolutePath(), options, log);
    try {
      s.recover();
      s.snapshotOrThrow(); // a failure fails the start (not a store that refuses changes)
      s.schedule();
    } catch (IOException | RuntimeException e) {
      s.closeQuietly();
      throw e;
    }
    return s;
  }

  Recovery recovery() {
    return recovery;
  }

  private void recover() throws IOException {
    int swept = StateFiles.sweepStaleTemporaries(dir);
    if (swept > 0) {
      log.accept("removed " + swept + " temporary file(s) of writers that died mid-write");
    }
    List<Long> snapshots = StateFiles.sequences(dir, StateFiles.SNAPSHOT);
    List<Long> wals = StateFiles.sequences(dir, StateFiles.WAL);
    long chosen = -1;
    for (int i = snapshots.size() - 1; i >= 0 && chosen < 0; i--) {
      Path file = StateFiles.snapshot(dir, snapshots.get(i));
      try {
        service.restore(file);
        chosen = snapshots.get(i);
      } catch (SnapshotException | UncheckedIOException e) {
        log.accept("warning: skipping unreadable snapshot " + file + ": " + e.getMessage());
      }
    }
    if (chosen < 0 && !(snapshots.isEmpty() && wals.isEmpty())) {
      throw new IOException(dir + ": holds state files (snapshots " + snapshots + ", logs " + wals
          + ") but no readable snapshot; refusing to start from an empty model (move them away to start afresh)");
    }
    int records = 0;
    long dropped = 0;
    long last = chosen;
    long from = Math.max(chosen, 0);
    List<Long> toReplay = wals.stream().filter(w -> w >= from).toList();
    for (int i = 0; i < toReplay.size(); i++) {
      long w = toReplay.get(i);
      if (w != last && chosen >= 0 && w != last + 1) {
        throw new IOException(dir + ": write-ahead log " + (last + 1) + " is missing between " + last + " and " + w);
      }
      Path file = StateFiles.wal(dir, w);
      WriteAheadLog.Replay r;
      try {
        r = WriteAheadLog.replay(file, service.config().hash(), service.config().dim(), new Applier(file));
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      records += r.records();
      if (r.droppedBytes() > 0) {
        if (i < toReplay.size() - 1) {
          throw new IOException(file + ": damaged at byte " + r.validBytes() + " (" + r.damage() + "; "
              + r.droppedBytes() + " bytes from there to the end) but later logs exist: the state cannot be "
              + "recovered exactly");
        }
        if (r.intactAfter() >= 0) {
          // Not a torn last write: acknowledged records follow the bad one. Dropping them is the operator's call.
          throw new IOException(file + ": corrupt record at byte " + r.validBytes() + " (" + r.damage() + "); "
              + r.droppedBytes() + " bytes from there to the end of the file, with an intact record at byte "
              + r.intactAfter() + ": this is damage inside the log, not a torn last write, and the records after "
              + "it were acknowledged. Refusing to start rather than drop them: restore the file from a backup, "
              + "or give them up by truncating it to " + r.validBytes() + " bytes (truncate -s " + r.validBytes()
              + " " + file + ")");
        }
        log.accept("warning: " + file + ": dropped a torn last record (" + r.droppedBytes() + " bytes at byte "
            + r.validBytes() + ": " + r.damage() + ")");
        dropped = r.droppedBytes();
      }
      last = w;
    }
    seq = Math.max(last, Math.max(snapshots.isEmpty() ? -1 : snapshots.getLast(), wals.isEmpty() ? -1 : wals.getLast()));
    lastGoodSnapshot = chosen;
    Path epochFile = dir.resolve("epoch");
    long epoch = Files.exists(epochFile) ? parseEpoch(epochFile) + 1 : 1;
    StateFiles.writeAtomically(epochFile, (epoch + "\n").getBytes(StandardCharsets.US_ASCII));
    // Ids issued after the last snapshot by a process that crashed are not in any file: skip past them all.
    service.reserveDecisionIdsBelow(epoch << 40);
    recovery = new Recovery(chosen, records, dropped, epoch);
  }

  private static long parseEpoch(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    try {
      long e = Long.parseLong(text);
      if (e < 0 || e >= (1L << 22)) {
        throw new NumberFormatException("out of range");
      }
      return e;
    } catch (NumberFormatException e) {
      throw new IOException(file + ": expected the number of starts, got '" + text + "'");
    }
  }

  /** Tells the current log what an outcome is about to teach (called under the service's write lock). */
  private final PolicyService.OutcomeLog walLog = new PolicyService.OutcomeLog() {
    @Override
    public void append(long decisionId, int arm, double[] played, double[] realised, double reward) {
      wal.appendOutcome(decisionId, arm, reward, played, realised);
    }

    @Override
    public void append(long decisionId, int arm, double[] played, double[] realised, double[] treatment,
                       double reward) {
      wal.appendOutcome(decisionId, arm, reward, played, realised, treatment);
    }
  };

  /** Replays log records into the service exactly as they were applied. */
  private final class Applier implements WriteAheadLog.Visitor {
    private final Path file;
    private int index;

    Applier(Path file) {
      this.file = file;
    }

    @Override
    public void outcome(long decisionId, int arm, double reward, double[] played, double[] realised) {
      index++;
      try {
        service.replay(decisionId, arm, played, realised, null, reward); // answers the decision if a snapshot kept it
      } catch (IllegalArgumentException e) {
        throw new UncheckedIOException(new IOException(file + ": record " + index + " (outcome of decision "
            + decisionId + ") does not apply: " + e.getMessage(), e));
      }
    }

    @Override
    public void outcome(long decisionId, int arm, double reward, double[] played, double[] realised,
                        double[] treatment) {
      index++;
      try {
        service.replay(decisionId, arm, played, realised, treatment, reward);
      } catch (IllegalArgumentException e) {
        throw new UncheckedIOException(new IOException(file + ": record " + index + " (outcome of decision "
            + decisionId + " with Z) does not apply: " + e.getMessage(), e));
      }
    }

    @Override
    public void addArm(int arm) {
      index++;
      int got;
      try {
        got = service.addArm();
      } catch (IllegalStateException e) {
        throw new UncheckedIOException(new IOException(file + ": record " + index + " (add arm " + arm + "): "
            + e.getMessage(), e));
      }
      if (got != arm) {
        throw new UncheckedIOException(new IOException(file + ": record " + index + " added arm " + arm
            + " but the replay got slot " + got));
      }
    }

    @Override
    public void retireArm(int arm) {
      index++;
      try {
        service.retireArm(arm);
      } catch (IllegalArgumentException e) {
        throw new UncheckedIOException(new IOException(file + ": record " + index + " (retire arm " + arm + "): "
            + e.getMessage(), e));
      }
    }
  }

  private void schedule() {
    long tickMs = Math.min(1000, options.snapshotEvery().toMillis());
    stateThread.scheduleWithFixedDelay(() -> {
      checkDirectory(); // so that health turns 503 soon after the directory goes, even with no traffic
      if (System.nanoTime() - lastSnapshotNanos >= options.snapshotEvery().toNanos() && hasChanges()) {
        snapshotLogged();
      }
    }, tickMs, tickMs, TimeUnit.MILLISECONDS);
    if (options.fsync() == WriteAheadLog.FsyncPolicy.INTERVAL) {
      long ms = options.fsyncInterval().toMillis();
      stateThread.scheduleWithFixedDelay(this::forceLog, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private boolean hasChanges() {
    writes.lock();
    try {
      return changesSinceSnapshot > 0;
    } finally {
      writes.unlock();
    }
  }

  private void forceLog() {
    writes.lock();
    try {
      if (wal != null && broken == null) {
        wal.force();
      }
    } catch (IOException e) {
      markBroken("cannot force the write-ahead log " + wal.file() + ": " + describe(e));
    } finally {
      writes.unlock();
    }
  }

  // ---------------------------------------------------------------- changes

  /** Applies the outcome of decision {@code decisionId}; durable (per the fsync policy) when this returns. */
  long outcome(long decisionId, double reward, double[] realised) {
    return outcome(decisionId, reward, realised, null);
  }

  /** As {@link #outcome(long, double, double[])} with the treatment embedding of a GAMBITTS agent (null: none). */
  long outcome(long decisionId, double reward, double[] realised, double[] treatment) {
    checkDirectory();
    writes.lock();
    try {
      checkUsable();
      if (wal == null) {
        service.update(decisionId, reward, realised, treatment, null);
      } else {
        long before = wal.size();
        try {
          service.update(decisionId, reward, realised, treatment, walLog);
        } catch (UncheckedIOException e) {
          throw fail(e);
        } catch (RuntimeException e) {
          // The model refused the outcome after the log took its record (a check made only as it applies):
          // take the record back, or a restart would replay what the model never learnt, and fail on it.
          if (wal.size() != before) {
            unappend(before);
          }
          throw e;
        }
      }
      return changedLocked();
    } finally {
      writes.unlock();
    }
  }

  /** Activates the next arm slot and returns it. */
  int addArm() {
    checkDirectory();
    writes.lock();
    try {
      checkUsable();
      int arm = service.addArm();
      if (wal != null) {
        try {
          wal.appendAddArm(arm);
        } catch (UncheckedIOException e) {
          throw fail(e);
        }
      }
      changedLocked();
      return arm;
    } finally {
      writes.unlock();
    }
  }

  void retireArm(int arm) {
    checkDirectory();
    writes.lock();
    try {
      checkUsable();
      service.retireArm(arm);
      if (wal != null) {
        try {
          wal.appendRetireArm(arm);
        } catch (UncheckedIOException e) {
          throw fail(e);
        }
      }
      changedLocked();
    } finally {
      writes.unlock();
    }
  }

  private long changedLocked() {
    long version = service.version();
    changesSinceSnapshot++;
    if (wal != null && changesSinceSnapshot >= options.snapshotEveryOutcomes() && !snapshotQueued) {
      snapshotQueued = true;
      stateThread.execute(this::snapshotLogged);
    }
    return version;
  }

  private void checkUsable() {
    String b = broken;
    if (b != null) {
      throw new UnavailableException("the state directory cannot take changes: " + b + "; restart the server");
    }
  }

  private UnavailableException fail(UncheckedIOException e) {
    // A failed append may have left part of a record: later records would sit behind it, unreadable.
    String reason = e.getMessage();
    markBroken(reason);
    return new UnavailableException("the change was not applied: " + reason);
  }

  /** Removes the record just appended (under the write lock); the store breaks if even that fails. */
  private void unappend(long size) {
    try {
      wal.truncate(size);
    } catch (IOException t) {
      markBroken("cannot take back a refused outcome's record from " + wal.file() + ": " + describe(t));
    }
  }

  /** Breaks the store for good with {@code reason} (the first reason wins) and logs it once. */
  private void markBroken(String reason) {
    synchronized (this) {
      if (broken != null) {
        return;
      }
      broken = reason;
    }
    log.accept("error: " + reason + "; changes are refused (503) until the server is restarted");
  }

  /** Breaks the store if the state directory no longer exists or is no longer the one opened. */
  private void checkDirectory() {
    if (dir == null || broken != null) {
      return;
    }
    String problem = directoryProblem();
    if (problem != null) {
      markBroken(problem);
    }
  }

  private String directoryProblem() {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(dir, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      return "the state directory " + dir + " no longer exists (deleted while the server ran?)";
    } catch (IOException e) {
      return "the state directory " + dir + " cannot be read: " + describe(e);
    }
    if (!a.isDirectory()) {
      return "the state directory " + dir + " is no longer a directory";
    }
    if (dirKey != null && !dirKey.equals(a.fileKey())) {
      return "the state directory " + dir + " is no longer the directory the server opened (moved or replaced "
          + "while the server ran)";
    }
    return null;
  }

  /**
   * An I/O failure in words: a file system exception's file and reason (its message is often the bare
   * path: NoSuchFileException's is), otherwise the message, otherwise the exception's class.
   */
  static String describe(Throwable e) {
    if (e instanceof FileSystemException f) {
      String reason = f.getReason();
      if (reason == null || reason.isBlank()) {
        reason = switch (f) {
          case NoSuchFileException x -> "no such file or directory";
          case AccessDeniedException x -> "permission denied";
          case FileAlreadyExistsException x -> "already exists";
          case NotDirectoryException x -> "not a directory";
          case DirectoryNotEmptyException x -> "directory not empty";
          default -> f.getClass().getSimpleName();
        };
      }
      return (f.getFile() == null ? "" : f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile())
          + ": ") + reason;
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  // ---------------------------------------------------------------- snapshots

  /** Seconds since the last snapshot was written (or since the start without a state directory). */
  double snapshotAgeSeconds() {
    return (System.nanoTime() - lastSnapshotNanos) / 1e9;
  }

  /** False once the state directory failed (see the class comment); checks the directory first. */
  boolean healthy() {
    checkDirectory();
    return broken == null;
  }

  /** Why the store is broken, or null. */
  String brokenReason() {
    return broken;
  }

  private void snapshotLogged() {
    try {
      snapshotNow();
    } catch (IOException | RuntimeException e) {
      // snapshotNow logged it and broke the store
    }
  }

  /**
   * Writes a snapshot of the model now and starts a new log (no-op without a state directory or once
   * broken). A failure breaks the store (logged with its cause) and is rethrown.
   */
  void snapshotNow() throws IOException {
    if (dir == null) {
      return;
    }
    try {
      snapshotOrThrow();
    } catch (IOException | RuntimeException e) {
      markBroken("snapshot failed: " + describe(e));
      throw e;
    }
  }

  private void snapshotOrThrow() throws IOException {
    synchronized (snapshotting) {
      byte[] bytes;
      long next;
      writes.lock();
      try {
        snapshotQueued = false;
        if (broken != null) {
          return;
        }
        String problem = directoryProblem();
        if (problem != null) {
          throw new IOException(problem);
        }
        bytes = service.snapshotBytes();
        next = seq + 1;
        WriteAheadLog fresh = WriteAheadLog.create(StateFiles.wal(dir, next), service.config().hash(),
            service.config().dim(), options.fsync());
        if (wal != null) {
          wal.close();
        }
        wal = fresh;
        seq = next;
        changesSinceSnapshot = 0;
      } finally {
        writes.unlock();
      }
      // Outside the lock: outcomes go on into the new log while the snapshot is written. Until the file
      // is durable, the previous snapshot and both logs hold the same state.
      StateFiles.writeAtomically(StateFiles.snapshot(dir, next), bytes);
      lastSnapshotNanos = System.nanoTime();
      long keepFrom = lastGoodSnapshot < 0 ? next : lastGoodSnapshot;
      lastGoodSnapshot = next;
      try { // the new snapshot is durable: files left over cost space, not state
        for (long s : StateFiles.sequences(dir, StateFiles.SNAPSHOT)) {
          if (s < keepFrom) {
            Files.deleteIfExists(StateFiles.snapshot(dir, s));
          }
        }
        for (long s : StateFiles.sequences(dir, StateFiles.WAL)) {
          if (s < keepFrom) {
            Files.deleteIfExists(StateFiles.wal(dir, s));
          }
        }
      } catch (IOException e) {
        log.accept("warning: cannot delete files older than snapshot " + next + ": " + describe(e));
      }
    }
  }

  /** Stops the state thread, writes a last snapshot, closes the log and releases the directory. */
  @Override
  public void close() throws IOException {
    if (dir == null) {
      return;
    }
    // shutdown, not shutdownNow: an interrupt would close the channel of a snapshot being written
    // (ClosedByInterruptException), which would read as a failed directory and skip the last snapshot.
    // Periodic tasks are cancelled; a queued snapshot still runs.
    stateThread.shutdown();
    try {
      if (!stateThread.awaitTermination(10, TimeUnit.SECONDS)) {
        stateThread.shutdownNow();
        stateThread.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (broken != null) {
        log.accept("error: no last snapshot written: the state directory failed earlier (" + broken + ")");
      } else {
        snapshotNow();
      }
    } finally {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    if (stateThread != null) {
      stateThread.shutdownNow();
    }
    writes.lock();
    try {
      if (wal != null) {
        wal.close();
        wal = null;
      }
    } catch (IOException e) {
      log.accept("warning: closing the write-ahead log: " + e.getMessage());
    } finally {
      writes.unlock();
    }
    try {
      if (lock != null) {
        lock.release();
      }
      if (lockChannel != null) {
        lockChannel.close();
      }
    } catch (IOException e) {
      log.accept("warning: releasing " + dir + "/lock: " + e.getMessage());
    }
  }
}
