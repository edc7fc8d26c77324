package dev.recourse.spark;

import dev.recourse.sim.config.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SHA-256 of data files, each remembered while the file keeps its size, modification time and identity
 * (its inode, where the file system has one): a JVM that parses the same study again, or another study on
 * the same data, does not read the file a second time. A file replaced by another (a copy moved into
 * place) has a new identity even within the modification time's resolution.
 */
final class FileDigests {

  /** The digests of this JVM: the driver's, or an executor's shared by all its tasks. */
  static final FileDigests SHARED = new FileDigests();

  private static final int BUFFER_BYTES = 1 << 16;

  private record Known(long bytes, FileTime modified, Object identity, String sha256) {

    boolean describes(BasicFileAttributes now) {
      return bytes == now.size() && modified.equals(now.lastModifiedTime()) && Objects.equals(identity, now.fileKey());
    }
  }

  /** A file's size and SHA-256 (lower-case hexadecimal). */
  record Digest(long bytes, String sha256) {}

  private final ConcurrentHashMap<Path, Known> known = new ConcurrentHashMap<>();
  private final AtomicInteger computed = new AtomicInteger();

  /** The digest of {@code file} as it is now; read only if it changed since the last call (or never seen). */
  Digest of(Path file) {
    // compute() holds the entry while hashing: tasks of one executor that ask together hash it once.
    Known k = known.compute(file.toAbsolutePath(), (path, old) -> {
      BasicFileAttributes before = attributes(path);
      // Attributes taken before the read: a file changed while it is read is read again next time.
      return old != null && old.describes(before) ? old
          : new Known(before.size(), before.lastModifiedTime(), before.fileKey(), sha256(path));
    });
    return new Digest(k.bytes(), k.sha256());
  }

  /** How many times a file was read and hashed (tests). */
  int computed() {
    return computed.get();
  }

  private static BasicFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new InputException("data file " + file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private String sha256(Path file) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e); // every Java SE platform must have it
    }
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) != -1) {
        sha.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new InputException("data file " + file + ": cannot read: " + e.getMessage(), e);
    }
    computed.incrementAndGet();
    return HexFormat.of().formatHex(sha.digest());
  }
}
