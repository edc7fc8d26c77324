package dev.recourse.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Names and durable writes in a state directory: {@code snapshot-<seq>.snap} is the model when
 * {@code wal-<seq>.log} was started, so the state is the newest valid snapshot plus the logs of its
 * sequence number and after; {@code epoch} counts the server's starts (decision ids of a start begin at
 * {@code epoch << 40}).
 */
final class StateFiles {

  static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{12})\\.snap");
  static final Pattern WAL = Pattern.compile("wal-(\\d{12})\\.log");

  private StateFiles() {}

  static Path snapshot(Path dir, long seq) {
    return dir.resolve(String.format("snapshot-%012d.snap", seq));
  }

  static Path wal(Path dir, long seq) {
    return dir.resolve(String.format("wal-%012d.log", seq));
  }

  /** The sequence numbers of the files in {@code dir} matching {@code pattern}, ascending. */
  static List<Long> sequences(Path dir, Pattern pattern) throws IOException {
    List<Long> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = pattern.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.add(Long.parseLong(m.group(1)));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Writes {@code bytes} to a temporary beside {@code file}, forces it, renames it over {@code file}, forces the directory. */
  /** A temporary of {@link #writeAtomically}: {@code .<name>.<pid>.tmp}. */
  static final Pattern TEMPORARY = Pattern.compile("\\..+\\.(\\d+)\\.tmp");

  /**
   * Deletes the temporaries in {@code dir} of writers that died mid-write (their pid names no live
   * process); a live process's are kept. Returns how many went.
   */
  static int sweepStaleTemporaries(Path dir) throws IOException {
    int swept = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Matcher m = TEMPORARY.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
          continue;
        }
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty() && Files.deleteIfExists(f)) {
          swept++;
        }
      }
    }
    return swept;
  }

  static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(tmp);
      throw new IOException(dir + ": the file system cannot rename atomically; put --state-dir on a local disk", e);
    }
    forceDirectory(dir);
  }

  /** Forces a directory's entries (new and renamed files) to the device, where the platform allows it. */
  static void forceDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for reading; Linux can, and there the force is what counts.
      if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
        throw e;
      }
    }
  }
}
