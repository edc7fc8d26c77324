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
 * A JVM killed mid-write leaves a {@code .<name>.*.tmp} file next to the target, but never a
 * half-written target. Not thread-safe.
 */
public final class AtomicFileWriter implements AutoCloseable {

  /** Writes the whole content; may throw to abandon the file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(Writer out) throws IOException;
  }

  private static final int BUFFER_CHARS = 1 << 16;
  private static final int MAX_NAME_ATTEMPTS = 16;

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
    for (int attempt = 0; ; attempt++) {
      Path temp = dir.resolve("." + absolute.getFileName() + "."
          + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      FileChannel channel;
      try {
        // CREATE_NEW (not Files.createTempFile, which makes the file owner-only) so the committed file
        // gets the usual permissions from the umask, like any file the user creates.
        channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        if (attempt < MAX_NAME_ATTEMPTS) {
          continue;
        }
        throw e;
      }
      try {
        return new AtomicFileWriter(absolute, temp, fsync, channel);
      } catch (RuntimeException e) {
        channel.close();
        Files.deleteIfExists(temp);
        throw e;
      }
    }
  }

  /**
   * Checks, before any work is done, that {@code target} can be written: its directory exists and is
   * writable and {@code target} is not a directory. Throws {@link InputException} naming the path, so
   * a long run does not fail only at the end.
   */
  public static void checkTarget(Path target) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new InputException(target + ": directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir)) {
      throw new InputException(target + ": directory " + dir + " is not writable");
    }
    if (Files.isDirectory(absolute)) {
      throw new InputException(target + ": is a directory, expected a file path");
    }
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
    Path temp = absolute.getParent().resolve("." + absolute.getFileName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try {
      Files.write(temp, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
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
    writer.flush();
    if (fsync) {
      channel.force(true);
    }
    writer.close();
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
