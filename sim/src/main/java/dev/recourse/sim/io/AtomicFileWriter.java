package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a text file so that readers see either the old file or the complete new one, never a
 * partial one: the text goes to a temporary file in the target's directory (same file system, so the
 * final rename is atomic), which {@link #commit()} moves over the target. Closing without committing
 * (an exception, an early return) deletes the temporary file and leaves the target untouched.
 *
 * <pre>{@code
 * try (AtomicFileWriter file = AtomicFileWriter.open(target, false)) {
 *   file.writer().write("t,arm,reward\n");
 *   ...
 *   file.commit();
 * }
 * }</pre>
 *
 * The temporary file is named {@code .<name>.<pid>-<random>.tmp}. A JVM stopped by SIGTERM or SIGINT
 * (Ctrl-C) deletes its temporaries in a shutdown hook, and with them the directories
 * {@link #createDirectories} made that are still empty; a JVM killed harder (SIGKILL, a crash) leaves
 * the temporary, which the next writer of the same target deletes once the process named in it is
 * gone. Never a half-written target. Not thread-safe.
 */
public final class AtomicFileWriter implements AutoCloseable {

  /** Writes the whole content; may throw to abandon the file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  private static final int BUFFER_CHARS = 1 << 16;
  private static final int MAX_NAME_ATTEMPTS = 16;
  private static final long PID = ProcessHandle.current().pid();
  /**
   * Temporaries of earlier versions ({@code .<name>.<random>.tmp}, no process id) are swept only
   * when nobody has written to them for this long.
   */
  private static final long LEGACY_STALE_MILLIS = 10 * 60 * 1000L;

  private final Path target;
  private final Path temp;
  private final boolean fsync;
  private final FileChannel channel;
  private final Writer writer;
  private boolean finished;

  private AtomicFileWriter(Path target, Path temp, boolean fsync, FileChannel channel) {
    this.target = target;
    this.temp = temp;
    this.fsync = fsync;
    this.channel = channel;
    this.writer = new BufferedWriter(
        new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), BUFFER_CHARS);
  }

  /**
   * Starts writing {@code target} (UTF-8). With {@code fsync}, {@link #commit()} forces the data and
   * then the directory entry to disk, so the file also survives a power loss (slower).
   */
  public static AtomicFileWriter open(Path target, boolean fsync) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    sweepStale(absolute);
    for (int attempt = 0; ; attempt++) {
      Path temp = temporaryFor(absolute);
      FileChannel channel;
      Temporaries.register(temp);
      try {
        // CREATE_NEW (not Files.createTempFile, which makes the file owner-only) so the committed file
        // gets the usual permissions from the umask, like any file the user creates.
        channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        Temporaries.unregister(temp);
        if (attempt < MAX_NAME_ATTEMPTS) {
          continue;
        }
        throw e;
      } catch (java.nio.file.FileSystemException e) {
        Temporaries.unregister(temp);
        // Name the folder the user chose, not the temporary file they never asked for.
        throw new java.nio.file.FileSystemException(dir.toString(), null,
            "cannot create a file in this folder (" + reason(e) + ")");
      } catch (IOException | RuntimeException e) {
        Temporaries.unregister(temp);
        throw e;
      }
      try {
        return new AtomicFileWriter(absolute, temp, fsync, channel);
      } catch (RuntimeException e) {
        channel.close();
        Files.deleteIfExists(temp);
        Temporaries.unregister(temp);
        throw e;
      }
    }
  }

  /** {@code .<name>.<pid>-<random>.tmp} next to {@code target}. */
  private static Path temporaryFor(Path absolute) {
    return absolute.getParent().resolve("." + absolute.getFileName() + "." + PID + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
  }

  /**
   * Deletes the temporaries of {@code target} that a killed writer left: those whose process is no
   * longer running, and those of earlier versions (no process id in the name) untouched for
   * {@value #LEGACY_STALE_MILLIS} ms. A running writer's temporary is never touched. Best effort.
   */
  static void sweepStale(Path target) {
    Path dir = target.getParent();
    String prefix = "." + target.getFileName() + ".";
    if (dir == null || !Files.isDirectory(dir)) {
      return;
    }
    try (var entries = Files.newDirectoryStream(dir, entry -> {
      String n = entry.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(".tmp");
    })) {
      long now = System.currentTimeMillis();
      for (Path entry : entries) {
        String middle = entry.getFileName().toString();
        middle = middle.substring(prefix.length(), middle.length() - ".tmp".length());
        if (isStale(entry, middle, now)) {
          Files.deleteIfExists(entry);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Only housekeeping: the write itself does not depend on it.
    }
  }

  private static boolean isStale(Path entry, String middle, long nowMillis) throws IOException {
    if (middle.matches("[0-9]+-[0-9a-f]{1,16}")) {
      long pid = Long.parseLong(middle.substring(0, middle.indexOf('-')));
      return pid != PID && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }
    return middle.matches("[0-9a-f]{1,16}")
        && nowMillis - Files.getLastModifiedTime(entry).toMillis() > LEGACY_STALE_MILLIS;
  }

  /**
   * Creates {@code dir} and its missing parents. The directories created here are removed again when
   * the JVM exits (normally or by SIGTERM/SIGINT) while they are still empty, so a run that is stopped
   * or fails before its first file is committed leaves no empty output folder behind.
   */
  public static void createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath().normalize();
    java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
    for (Path p = absolute; p != null && !Files.exists(p); p = p.getParent()) {
      missing.push(p);
    }
    Files.createDirectories(absolute);
    for (Path p : missing) {
      Temporaries.registerDirectory(p);
    }
  }

  /**
   * Checks, before any work is done, that files can be written into {@code dir}: it is a directory,
   * or it does not exist and its nearest existing parent is one, and a file (a folder, when {@code dir}
   * must be created) can really be made there: a uniquely named one is created and deleted at once
   * ({@link Files#isWritable} is not enough: it is true for root on read-only or virtual file systems
   * such as /proc). Nothing is left behind. Throws {@link InputException} naming {@code option} and the
   * folder.
   */
  public static void checkDirectory(Path dir, String option) {
    Path absolute = dir.toAbsolutePath().normalize();
    Path existing = nearestExisting(absolute);
    if (existing == null) {
      throw new InputException(option + " " + dir + ": no part of the path exists");
    }
    if (!Files.isDirectory(existing)) {
      throw new InputException(option + " " + dir + ": " + existing + " is a file, not a folder");
    }
    boolean create = !existing.equals(absolute);
    String failure = probe(existing, create);
    if (failure != null) {
      throw new InputException(option + " " + dir + ": cannot create " + (create ? "folders" : "files") + " in "
          + existing + " (" + failure + ")");
    }
  }

  /**
   * Checks, before any work is done, that {@code target} can be written: its folder exists and a file
   * can really be created in it (probed as in {@link #checkDirectory}), and {@code target} is not a
   * directory. Throws {@link InputException} naming the path, so a long run does not fail only at the
   * end.
   */
  public static void checkTarget(Path target) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null) {
      throw new InputException(target + ": not a file path");
    }
    if (!Files.isDirectory(dir)) {
      Path existing = nearestExisting(dir);
      if (existing != null && !Files.isDirectory(existing)) {
        throw new InputException(target + ": " + existing + " is a file, not a folder");
      }
      throw new InputException(target + ": directory " + dir + " does not exist");
    }
    if (Files.isDirectory(absolute)) {
      throw new InputException(target + ": is a directory, expected a file path");
    }
    String failure = probe(dir, false);
    if (failure != null) {
      throw new InputException(target + ": cannot create files in " + dir + " (" + failure + ")");
    }
  }

  /** {@code path} or its nearest ancestor that exists; null if none does. */
  private static Path nearestExisting(Path path) {
    Path existing = path;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing;
  }

  /**
   * Creates and deletes a uniquely named file (or folder) in {@code dir}: null if that worked, else
   * the reason. Its name is that of a temporary ({@code .recourse-probe.<pid>-<random>.tmp}), so one
   * a killed process left is swept like the others, and the shutdown hook deletes it.
   */
  private static String probe(Path dir, boolean folder) {
    Path name = dir.resolve("recourse-probe");
    sweepStale(name);
    for (int attempt = 0; ; attempt++) {
      Path probe = temporaryFor(name);
      Temporaries.register(probe);
      boolean created = false;
      try {
        if (folder) {
          Files.createDirectory(probe);
        } else {
          Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        }
        created = true;
        return null;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= MAX_NAME_ATTEMPTS) {
          return reason(e);
        }
      } catch (IOException e) {
        return reason(e);
      } catch (RuntimeException e) { // e.g. an invalid path on this file system
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      } finally {
        if (created) {
          try {
            Files.deleteIfExists(probe);
          } catch (IOException e) {
            // Left to the next sweep (its process will be gone) or the shutdown hook.
          }
        }
        Temporaries.unregister(probe);
      }
    }
  }

  /**
   * The operating system's reason for {@code e}, as a person reads it: NIO leaves it out for the
   * common failures (no such file, permission denied), whose exception class names them instead.
   */
  public static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "No such file or directory";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "Permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "File exists";
    }
    if (e instanceof java.nio.file.FileSystemException) {
      return e.getClass().getSimpleName();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** {@code e} reported against {@code target}, the file the user asked for, not the temporary. */
  private static IOException naming(Path target, IOException e) {
    IOException named = new java.nio.file.FileSystemException(target.toString(), null, reason(e));
    named.initCause(e);
    return named;
  }

  /** Writes {@code target} in one call: all of {@code content}, or (if it throws) nothing. */
  public static void write(Path target, boolean fsync, Content content) throws IOException {
    try (AtomicFileWriter file = open(target, fsync)) {
      content.writeTo(file.writer());
      file.commit();
    }
  }

  /**
   * Writes {@code bytes} to {@code target} the same way: a temporary file in the target's directory,
   * then an atomic move over the target, so a reader never sees part of it (images, for instance).
   */
  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    Path absolute = target.toAbsolutePath();
    sweepStale(absolute);
    Path temp = temporaryFor(absolute);
    Temporaries.register(temp);
    try {
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw naming(absolute, e);
    } finally {
      Files.deleteIfExists(temp);
      Temporaries.unregister(temp);
    }
  }

  /** Where the text goes until {@link #commit()}. Do not close it; close this object instead. */
  public Writer writer() {
    return writer;
  }

  /** The file this writer will replace. */
  public Path target() {
    return target;
  }

  /** Flushes, optionally forces to disk, and atomically moves the temporary file over the target. */
  public void commit() throws IOException {
    if (finished) {
      throw new IllegalStateException("already committed or closed: " + target);
    }
    try {
      writer.flush();
      if (fsync) {
        channel.force(true);
      }
      writer.close();
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw naming(target, e); // close() deletes the temporary
    }
    Temporaries.unregister(temp);
    finished = true;
    if (fsync) {
      forceDirectory(target.getParent());
    }
  }

  /** Abandons the file unless it was committed: deletes the temporary file, keeps the target as it was. */
  @Override
  public void close() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    try {
      writer.close();
    } catch (IOException e) {
      // The content is being thrown away; only the cleanup below matters.
    } finally {
      Files.deleteIfExists(temp);
      Temporaries.unregister(temp);
    }
  }

  /**
   * The temporaries being written and the directories created by this JVM, for the shutdown hook
   * (installed on first use) that deletes the former and the latter while empty.
   */
  private static final class Temporaries {

    private static final java.util.Set<Path> FILES = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final java.util.Deque<Path> DIRECTORIES = new java.util.concurrent.ConcurrentLinkedDeque<>();

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(Temporaries::cleanUp, "atomic-file-cleanup"));
    }

    private Temporaries() {}

    static void register(Path temp) {
      FILES.add(temp);
    }

    static void unregister(Path temp) {
      FILES.remove(temp);
    }

    static void registerDirectory(Path dir) {
      DIRECTORIES.push(dir);
    }

    /** Deepest directories first (they were pushed parent first), so a chain of empty ones all goes. */
    private static void cleanUp() {
      for (Path temp : FILES) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException | RuntimeException e) {
          // The JVM is going down; nothing else to do.
        }
      }
      for (Path dir : DIRECTORIES) {
        try {
          Files.deleteIfExists(dir);
        } catch (IOException | RuntimeException e) {
          // Not empty (a file was committed into it) or gone: keep it.
        }
      }
    }
  }

  /** Makes the rename durable. Some platforms cannot open a directory for syncing; the move stands anyway. */
  private static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(Objects.requireNonNull(dir), StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Best effort: the data itself was forced before the move.
    }
  }
}
