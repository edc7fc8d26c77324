package dev.recourse.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The snapshot file, format version 2 (big-endian); version 1 files still load:
 *
 * <pre>
 * offset  size  field
 *      0     8  magic "RCRSSNAP"
 *      8     4  format version (2; 1 still read)
 *     12     2  policy type length n (UTF-8 bytes), then n bytes: linucb, glrb, glrb-robust, glrb-nc, libra
 *   14+n     8  configuration hash ({@link ServiceConfig#hash()})
 *   22+n     8  model version
 *   30+n     8  body length in bytes (a multiple of 8)
 *   38+n     …  body: 64-bit words (service section, then the policy's exported state)
 *      …     4  CRC32C of everything from offset 8 to the end of the body
 * </pre>
 *
 * The body's service section is {@code activeArms, maxArms, retired[0..maxArms) as 0/1, nextDecisionId};
 * then the policy's state in parts, each preceded by its length in words: the shared part, then one part
 * per arm slot ({@code Snapshottable.exportShared}, {@code exportArm}; their layout is the core classes'). A later format
 * version adds a reader here and keeps this one, so that old files stay loadable.
 *
 * <p>Version 2 changes the body: after {@code nextDecisionId} comes the number of per-arm parts (0 for a
 * policy whose state is all shared, such as the GAMBITTS agents; version 1 always had {@code maxArms}),
 * then the shared part and those arm parts, then the pending decisions: their context dimension, their
 * number, and per decision {@code id, arm, model version, age in ns} and the context's raw bits.
 */
final class SnapshotFormat {

  static final long MAGIC = 0x5243525353_4E4150L; // "RCRSSNAP"
  static final int VERSION_1 = 1;
  static final int VERSION_2 = 2;
  static final int CURRENT = VERSION_2;

  /** What a snapshot holds once its header and checksum are verified. */
  record Contents(String policyType, long configHash, long modelVersion, int activeArms, boolean[] retired,
                  long nextDecisionId, long[] shared, long[][] arms, int pendingDim, long[] pending) {

    /** The whole state in {@code exportState} order: the shared part, then every arm's. */
    long[] state() {
      int n = shared.length;
      for (long[] a : arms) {
        n += a.length;
      }
      long[] all = java.util.Arrays.copyOf(shared, n);
      int at = shared.length;
      for (long[] a : arms) {
        System.arraycopy(a, 0, all, at, a.length);
        at += a.length;
      }
      return all;
    }
  }

  private SnapshotFormat() {}

  /**
   * The current format. {@code pending} is {@link PendingDecisions#export()}'s words, entries of
   * {@code 4 + dim} words; {@code dim} is written with them.
   */
  static byte[] encode(String policyType, long configHash, long modelVersion, int activeArms, boolean[] retired,
                       long nextDecisionId, long[] shared, long[][] arms, int pendingDim, long[] pending) {
    return encode(VERSION_2, policyType, configHash, modelVersion, activeArms, retired, nextDecisionId, shared, arms,
        pendingDim, pending);
  }

  /** Version 1, for tests of old files: no pending decisions, one part per arm slot. */
  static byte[] encodeV1(String policyType, long configHash, long modelVersion, int activeArms, boolean[] retired,
                         long nextDecisionId, long[] shared, long[][] arms) {
    return encode(VERSION_1, policyType, configHash, modelVersion, activeArms, retired, nextDecisionId, shared, arms,
        0, new long[0]);
  }

  private static byte[] encode(int version, String policyType, long configHash, long modelVersion, int activeArms,
                               boolean[] retired, long nextDecisionId, long[] shared, long[][] arms, int pendingDim,
                               long[] pending) {
    if (version == VERSION_1 && arms.length != retired.length) {
      throw new IllegalArgumentException("format 1 has one part per arm slot: " + arms.length + " parts, "
          + retired.length + " slots");
    }
    int stride = PendingDecisions.SAVED_HEADER + pendingDim;
    if (pending.length % stride != 0) {
      throw new IllegalArgumentException("pending words " + pending.length + " are not entries of " + stride);
    }
    byte[] type = policyType.getBytes(StandardCharsets.UTF_8);
    long bodyWords = 2 + retired.length + 1 + 1 + shared.length;
    for (long[] a : arms) {
      bodyWords += 1 + a.length;
    }
    if (version >= VERSION_2) {
      bodyWords += 1 + 2 + pending.length;
    }
    long bodyBytes = 8L * bodyWords;
    long total = 38L + type.length + bodyBytes + 4;
    if (total > Integer.MAX_VALUE - 16) {
      throw new SnapshotException("a snapshot of " + total + " bytes is too large for one array");
    }
    ByteBuffer b = ByteBuffer.allocate((int) total);
    b.putLong(MAGIC).putInt(version).putShort((short) type.length).put(type).putLong(configHash)
        .putLong(modelVersion).putLong(bodyBytes);
    b.putLong(activeArms).putLong(retired.length);
    for (boolean r : retired) {
      b.putLong(r ? 1 : 0);
    }
    b.putLong(nextDecisionId);
    if (version >= VERSION_2) {
      b.putLong(arms.length);
    }
    putPart(b, shared);
    for (long[] a : arms) {
      putPart(b, a);
    }
    if (version >= VERSION_2) {
      b.putLong(pendingDim).putLong(pending.length / stride);
      b.asLongBuffer().put(pending);
      b.position(b.position() + 8 * pending.length);
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 8, b.position() - 8);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  private static void putPart(ByteBuffer b, long[] words) {
    b.putLong(words.length);
    b.asLongBuffer().put(words);
    b.position(b.position() + 8 * words.length);
  }

  /** Reads one length-prefixed part, never past the body's end. */
  private static long[] getPart(ByteBuffer b, long bodyEnd, String source, String what) {
    if (b.position() + 8 > bodyEnd) {
      throw new SnapshotException(source + ": body ends before " + what);
    }
    long n = b.getLong();
    if (n < 0 || b.position() + 8 * n > bodyEnd) {
      throw new SnapshotException(source + ": " + what + " of " + n + " words runs past the body");
    }
    long[] words = new long[(int) n];
    b.asLongBuffer().get(words);
    b.position(b.position() + 8 * (int) n);
    return words;
  }

  /**
   * Verifies and decodes {@code bytes} from {@code source} (named in every error) for a service running
   * {@code policyType} with configuration hash {@code configHash}.
   */
  static Contents decode(byte[] bytes, String source, String policyType, long configHash) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (bytes.length < 14) {
      throw new SnapshotException(source + ": truncated: " + bytes.length + " bytes, a header needs at least 14");
    }
    long magic = b.getLong();
    if (magic != MAGIC) {
      throw new SnapshotException(source + ": not a recourse snapshot (magic 0x" + Long.toHexString(magic)
          + ", expected 0x" + Long.toHexString(MAGIC) + ")");
    }
    int version = b.getInt();
    if (version != VERSION_1 && version != VERSION_2) {
      throw new SnapshotException(source + ": format version " + version + " is not supported (this build reads "
          + VERSION_1 + " to " + CURRENT + ")");
    }
    return decode(version, b, bytes, source, policyType, configHash);
  }

  /** Versions 1 and 2 share the header; the body differs in the arm-part count and the pending section. */
  private static Contents decode(int version, ByteBuffer b, byte[] bytes, String source, String policyType,
                                 long configHash) {
    int typeLength = b.getShort() & 0xFFFF;
    long headerEnd = 38L + typeLength;
    if (bytes.length < headerEnd) {
      throw new SnapshotException(source + ": truncated: " + bytes.length + " bytes, the header needs " + headerEnd);
    }
    byte[] type = new byte[typeLength];
    b.get(type);
    long hash = b.getLong();
    long modelVersion = b.getLong();
    long bodyBytes = b.getLong();
    if (bodyBytes < 0 || bodyBytes % 8 != 0 || headerEnd + bodyBytes + 4 != bytes.length) {
      throw new SnapshotException(source + ": truncated or padded: the header announces a body of " + bodyBytes
          + " bytes, so " + (headerEnd + bodyBytes + 4) + " bytes in all, the file has " + bytes.length);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 8, (int) (headerEnd + bodyBytes - 8));
    int stored = ByteBuffer.wrap(bytes, (int) (headerEnd + bodyBytes), 4).getInt();
    if (stored != (int) crc.getValue()) {
      throw new SnapshotException(source + ": corrupt: CRC32C is 0x" + Integer.toHexString((int) crc.getValue())
          + ", the file says 0x" + Integer.toHexString(stored));
    }
    String typeName = new String(type, StandardCharsets.UTF_8);
    if (!typeName.equals(policyType)) {
      throw new SnapshotException(source + ": holds a '" + typeName + "' policy, this service runs '" + policyType + "'");
    }
    if (hash != configHash) {
      throw new SnapshotException(source + ": written for configuration hash 0x" + Long.toHexString(hash)
          + ", this service's configuration hashes to 0x" + Long.toHexString(configHash)
          + " (a changed dim, arms, feasible set or policy key)");
    }
    long bodyEnd = headerEnd + bodyBytes;
    long words = bodyBytes / 8;
    if (words < 4) {
      throw new SnapshotException(source + ": body of " + words + " words is too short");
    }
    long activeArms = b.getLong();
    long maxArms = b.getLong();
    if (maxArms < 1 || maxArms > words - 4 || activeArms < 1 || activeArms > maxArms) {
      throw new SnapshotException(source + ": arms " + activeArms + " of " + maxArms + " is inconsistent");
    }
    boolean[] retired = new boolean[(int) maxArms];
    for (int a = 0; a < maxArms; a++) {
      retired[a] = b.getLong() != 0;
    }
    long nextId = b.getLong();
    long parts = maxArms;
    if (version >= VERSION_2) {
      if (b.position() + 8 > bodyEnd) {
        throw new SnapshotException(source + ": body ends before the number of arm parts");
      }
      parts = b.getLong();
      if (parts < 0 || parts > maxArms) {
        throw new SnapshotException(source + ": " + parts + " arm parts for " + maxArms + " arm slots");
      }
    }
    long[] shared = getPart(b, bodyEnd, source, "the shared state");
    long[][] arms = new long[(int) parts][];
    for (int a = 0; a < parts; a++) {
      arms[a] = getPart(b, bodyEnd, source, "arm " + a + "'s state");
    }
    int pendingDim = 0;
    long[] pending = new long[0];
    if (version >= VERSION_2) {
      if (b.position() + 16 > bodyEnd) {
        throw new SnapshotException(source + ": body ends before the pending decisions");
      }
      long dim = b.getLong();
      long count = b.getLong();
      if (dim < 0 || dim > Integer.MAX_VALUE - PendingDecisions.SAVED_HEADER || count < 0
          || count > (bodyEnd - b.position()) / 8 / (PendingDecisions.SAVED_HEADER + dim)) {
        throw new SnapshotException(source + ": " + count + " pending decisions of dim " + dim + " run past the body");
      }
      pendingDim = (int) dim;
      pending = new long[(int) (count * (PendingDecisions.SAVED_HEADER + dim))];
      b.asLongBuffer().get(pending);
      b.position(b.position() + 8 * pending.length);
    }
    if (b.position() != bodyEnd) {
      throw new SnapshotException(source + ": " + (bodyEnd - b.position()) + " bytes beyond the last section");
    }
    return new Contents(typeName, hash, modelVersion, (int) activeArms, retired, nextId, shared, arms, pendingDim,
        pending);
  }

  /**
   * Writes {@code bytes} to {@code file} so that a crash at any moment leaves the previous file or the
   * new one: a temporary file in the same directory, forced to disk, renamed over the target
   * atomically, then the directory forced so that the rename itself is durable. A process killed
   * mid-write leaves its temporary ({@code <name>.tmp-<pid>-<thread>}) beside the snapshot: it is never
   * read, and may be deleted.
   */
  static void writeAtomically(Path file, byte[] bytes) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    sweepStaleTemporaries(target);
    Path tmp = dir.resolve(target.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
        + Thread.currentThread().threadId());
    boolean moved = false;
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        moved = true;
      } catch (AtomicMoveNotSupportedException e) {
        throw new SnapshotException(dir + ": the file system cannot rename atomically; snapshots need it", e);
      }
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      } catch (IOException e) {
        // Some platforms cannot open a directory; the rename is then as durable as the OS makes it.
      }
    } catch (IOException e) {
      throw new SnapshotException(target + ": cannot write the snapshot: " + e.getMessage(), e);
    } finally {
      if (!moved) { // whatever failed (the SnapshotException above included), the temporary is garbage
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the error being thrown is the one that matters
        }
      }
    }
  }

  /**
   * Deletes the temporaries ({@code <name>.tmp-<pid>-<thread>}) that writers of {@code file} left when
   * they died mid-write: those whose pid names no live process. A live writer's temporary is never
   * touched (a pid reused since is kept too: merely left for a later sweep). Returns how many went;
   * failures to list or delete are ignored, as the temporaries are garbage that is never read.
   */
  static int sweepStaleTemporaries(Path file) {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    String prefix = target.getFileName() + ".tmp-";
    int swept = 0;
    try (var entries = Files.newDirectoryStream(dir, path -> path.getFileName().toString().startsWith(prefix))) {
      for (Path tmp : entries) {
        String rest = tmp.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        long pid;
        try {
          pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue; // not one of ours
        }
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) {
          try {
            if (Files.deleteIfExists(tmp)) {
              swept++;
            }
          } catch (IOException e) {
            // left for the next sweep
          }
        }
      }
    } catch (IOException | java.nio.file.DirectoryIteratorException e) {
      // a directory that cannot be listed: nothing to sweep here, the write or read reports its own errors
    }
    return swept;
  }

  static byte[] read(Path file) {
    sweepStaleTemporaries(file);
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new SnapshotException(file + ": cannot read the snapshot: " + e, e);
    }
  }
}
