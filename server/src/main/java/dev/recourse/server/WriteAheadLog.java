package dev.recourse.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The write-ahead log of the changes a server acknowledged since its last snapshot (big-endian):
 *
 * <pre>
 * header   8  magic "RCRSWAL1"
 *          8  configuration hash (a log only replays into a service of the same configuration)
 *          4  context dimension d
 * record   4  payload length n
 *          4  CRC32C of the payload
 *          n  payload: type (1 byte), then
 *               OUTCOME     decision id (8), arm (4), reward (8), played (8·d), realised (8·d)
 *               ADD_ARM     the arm slot it activated (4)
 *               RETIRE_ARM  arm (4)
 *               OUTCOME_Z   as OUTCOME, then the treatment embedding Z (8·d_z; GAMBITTS agents)
 * </pre>
 *
 * Each record is written with one {@code write} before its request is acknowledged, so a killed process
 * loses none (the page cache outlives it); {@link FsyncPolicy} decides when the file is forced to the
 * device, which is what survives a power loss. On replay a record whose length runs past the end of the
 * file, or whose CRC does not match, ends the log and is never parsed: when no intact record follows it,
 * it is a torn last write, dropped; when one does, it is damage in the middle of the log, which the
 * caller refuses (see {@link Replay}). Not thread-safe: the server appends under its one write lock.
 */
final class WriteAheadLog implements AutoCloseable {

  static final long MAGIC = 0x5243525357414C31L; // "RCRSWAL1"
  static final int HEADER_BYTES = 20;
  static final byte OUTCOME = 1;
  static final byte ADD_ARM = 2;
  static final byte RETIRE_ARM = 3;
  static final byte OUTCOME_Z = 4;

  /** When the log is forced to the device. */
  enum FsyncPolicy {
    /** After every record, before the acknowledgement: survives a power loss. */
    ALWAYS,
    /** Every {@code fsync-interval-ms} by the server's state thread. */
    INTERVAL,
    /** Never by the server (the OS writes back when it likes): survives a process kill only. */
    NEVER
  }

  /** What a replay reads. */
  interface Visitor {
    void outcome(long decisionId, int arm, double reward, double[] played, double[] realised);

    /** An outcome with its treatment embedding; a visitor that cannot apply one refuses it. */
    default void outcome(long decisionId, int arm, double reward, double[] played, double[] realised,
                         double[] treatment) {
      throw new UnsupportedOperationException("an outcome with a treatment embedding");
    }

    void addArm(int arm);

    void retireArm(int arm);
  }

  /**
   * The result of a replay: records applied; the bytes from the first bad record to the end of the
   * file ({@code droppedBytes}, 0 when every record was intact) and where that record starts
   * ({@code validBytes}); what is wrong with it ({@code damage}, null when none); and where the first
   * intact record after it starts ({@code intactAfter}, -1 when none: then the bad record is a torn last
   * write; otherwise the log is damaged in its middle and the records after the bad one were
   * acknowledged).
   */
  record Replay(int records, long droppedBytes, long validBytes, String damage, long intactAfter) {}

  private final Path file;
  private final FileChannel channel;
  private final int dim;
  private final FsyncPolicy fsync;
  private ByteBuffer buffer;
  private final CRC32C crc = new CRC32C();
  private boolean dirty;
  /** The bytes written: the header and every record appended (and not taken back). */
  private long size = HEADER_BYTES;

  private WriteAheadLog(Path file, FileChannel channel, int dim, FsyncPolicy fsync) {
    this.file = file;
    this.channel = channel;
    this.dim = dim;
    this.fsync = fsync;
    this.buffer = ByteBuffer.allocate(8 + 1 + 8 + 4 + 8 + 16 * dim);
  }

  /** Creates a new, empty log (fails if {@code file} exists) and forces its header and directory entry. */
  static WriteAheadLog create(Path file, long configHash, int dim, FsyncPolicy fsync) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    try {
      ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).putLong(MAGIC).putLong(configHash).putInt(dim).flip();
      while (h.hasRemaining()) {
        ch.write(h);
      }
      ch.force(true);
      StateFiles.forceDirectory(file.getParent());
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return new WriteAheadLog(file, ch, dim, fsync);
  }

  Path file() {
    return file;
  }

  /** The log's length in bytes: where the next record goes. */
  long size() {
    return size;
  }

  /**
   * Takes back the records appended after the log was {@code size} bytes long (a record the model then
   * refused), forcing the shorter length to the device unless the policy is NEVER.
   */
  void truncate(long size) throws IOException {
    if (size < HEADER_BYTES || size > this.size) {
      throw new IllegalArgumentException("size must be in [" + HEADER_BYTES + ", " + this.size + "], got " + size);
    }
    channel.truncate(size);
    channel.position(size);
    this.size = size;
    if (fsync != FsyncPolicy.NEVER) {
      channel.force(false);
    }
  }

  void appendOutcome(long decisionId, int arm, double reward, double[] played, double[] realised) {
    ByteBuffer b = begin(OUTCOME).putLong(decisionId).putInt(arm).putDouble(reward);
    for (int i = 0; i < dim; i++) {
      b.putDouble(played[i]);
    }
    for (int i = 0; i < dim; i++) {
      b.putDouble(realised[i]);
    }
    finish();
  }

  /** An outcome with its treatment embedding {@code Z} (a GAMBITTS agent's); the buffer grows once to fit it. */
  void appendOutcome(long decisionId, int arm, double reward, double[] played, double[] realised, double[] treatment) {
    if (treatment == null) {
      appendOutcome(decisionId, arm, reward, played, realised);
      return;
    }
    int need = 8 + 1 + 8 + 4 + 8 + 16 * dim + 8 * treatment.length;
    if (buffer.capacity() < need) {
      buffer = ByteBuffer.allocate(need);
    }
    ByteBuffer b = begin(OUTCOME_Z).putLong(decisionId).putInt(arm).putDouble(reward);
    for (int i = 0; i < dim; i++) {
      b.putDouble(played[i]);
    }
    for (int i = 0; i < dim; i++) {
      b.putDouble(realised[i]);
    }
    for (double z : treatment) {
      b.putDouble(z);
    }
    finish();
  }

  void appendAddArm(int arm) {
    begin(ADD_ARM).putInt(arm);
    finish();
  }

  void appendRetireArm(int arm) {
    begin(RETIRE_ARM).putInt(arm);
    finish();
  }

  private ByteBuffer begin(byte type) {
    buffer.clear();
    buffer.position(8); // length and CRC are filled in by finish()
    return buffer.put(type);
  }

  private void finish() {
    int length = buffer.position() - 8;
    crc.reset();
    crc.update(buffer.array(), 8, length);
    buffer.putInt(0, length).putInt(4, (int) crc.getValue());
    buffer.flip();
    try {
      while (buffer.hasRemaining()) {
        size += channel.write(buffer);
      }
      if (fsync == FsyncPolicy.ALWAYS) {
        channel.force(false);
      } else {
        dirty = true;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to the write-ahead log " + file + ": " + StateStore.describe(e), e);
    }
  }

  /** Forces what was appended since the last force (the INTERVAL policy's tick; a no-op when clean). */
  void force() throws IOException {
    if (dirty) {
      dirty = false;
      channel.force(false);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (fsync != FsyncPolicy.NEVER) {
        force();
      }
    } finally {
      channel.close();
    }
  }

  /**
   * Reads {@code file} and hands every intact record to {@code visitor} in order, stopping at the first
   * record that is cut short or fails its CRC (its bytes never parsed); the result tells whether an
   * intact record follows it.
   *
   * @throws IOException if the file cannot be read, or its header is not a log of this configuration
   */
  static Replay replay(Path file, long configHash, int dim, Visitor visitor) throws IOException {
    ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file));
    if (all.remaining() < HEADER_BYTES) {
      // The header is forced before the log is used: a short one is a log created at a crash, empty.
      return new Replay(0, all.remaining(), 0, all.remaining() == 0 ? null : "a header cut short", -1);
    }
    long magic = all.getLong();
    if (magic != MAGIC) {
      throw new IOException(file + ": not a recourse write-ahead log (magic " + Long.toHexString(magic) + ")");
    }
    long hash = all.getLong();
    if (hash != configHash) {
      throw new IOException(file + ": written for configuration hash " + Long.toHexString(hash) + ", this policy's is "
          + Long.toHexString(configHash) + " (the policy file changed?)");
    }
    int fileDim = all.getInt();
    if (fileDim != dim) {
      throw new IOException(file + ": written for dim " + fileDim + ", the policy has dim " + dim);
    }
    CRC32C crc = new CRC32C();
    double[] played = new double[dim];
    double[] realised = new double[dim];
    int records = 0;
    while (true) {
      int start = all.position();
      if (!all.hasRemaining()) {
        return new Replay(records, 0, start, null, -1);
      }
      if (all.remaining() < 8) {
        return new Replay(records, all.remaining(), start, "a record header cut short", -1);
      }
      int length = all.getInt();
      int expected = all.getInt();
      if (length < 1 || length > all.remaining()) {
        return new Replay(records, all.limit() - start, start, "its length field reads " + length + ", but "
            + all.remaining() + " bytes follow its header", intactRecordAfter(all, start + 1, dim));
      }
      crc.reset();
      crc.update(all.array(), all.position(), length);
      if ((int) crc.getValue() != expected) {
        return new Replay(records, all.limit() - start, start, "its " + length + " bytes fail their CRC32C",
            intactRecordAfter(all, start + 1, dim));
      }
      ByteBuffer r = all.slice(all.position(), length);
      all.position(all.position() + length);
      byte type = r.get();
      switch (type) {
        case OUTCOME -> {
          checkLength(file, start, length, 1 + 8 + 4 + 8 + 16 * dim);
          long id = r.getLong();
          int arm = r.getInt();
          double reward = r.getDouble();
          for (int i = 0; i < dim; i++) {
            played[i] = r.getDouble();
          }
          for (int i = 0; i < dim; i++) {
            realised[i] = r.getDouble();
          }
          visitor.outcome(id, arm, reward, played, realised);
        }
        case OUTCOME_Z -> {
          int base = 1 + 8 + 4 + 8 + 16 * dim;
          if (length <= base || (length - base) % 8 != 0) {
            throw new IOException(file + ": record at byte " + start + " has length " + length
                + ", expected " + base + " + 8·d_z");
          }
          long id = r.getLong();
          int arm = r.getInt();
          double reward = r.getDouble();
          for (int i = 0; i < dim; i++) {
            played[i] = r.getDouble();
          }
          for (int i = 0; i < dim; i++) {
            realised[i] = r.getDouble();
          }
          double[] z = new double[(length - base) / 8]; // replay only: not a hot path
          for (int i = 0; i < z.length; i++) {
            z[i] = r.getDouble();
          }
          visitor.outcome(id, arm, reward, played, realised, z);
        }
        case ADD_ARM -> {
          checkLength(file, start, length, 5);
          visitor.addArm(r.getInt());
        }
        case RETIRE_ARM -> {
          checkLength(file, start, length, 5);
          visitor.retireArm(r.getInt());
        }
        default -> throw new IOException(file + ": record at byte " + start + " has unknown type " + type
            + " but a valid CRC (written by a newer version?)");
      }
      records++;
    }
  }

  /**
   * The offset of the first intact record starting at or after {@code from}: a length that fits the
   * file and is one a record of this dimension can have, the type byte that goes with that length, and
   * a matching CRC32C (a chance match inside damaged bytes: about 2⁻³² per candidate). -1 when none:
   * zeros (a file extended but never written, as a power loss can leave) and random bytes are not.
   */
  static long intactRecordAfter(ByteBuffer all, int from, int dim) {
    int outcome = 1 + 8 + 4 + 8 + 16 * dim;
    CRC32C crc = new CRC32C();
    for (int p = from; p + 8 + 5 <= all.limit(); p++) {
      int length = all.getInt(p);
      if (length < 5 || length > all.limit() - p - 8) {
        continue;
      }
      byte type = all.get(p + 8);
      boolean fits = length == 5 ? type == ADD_ARM || type == RETIRE_ARM
          : length == outcome ? type == OUTCOME
          : length > outcome && (length - outcome) % 8 == 0 && type == OUTCOME_Z;
      if (!fits) {
        continue;
      }
      crc.reset();
      crc.update(all.array(), p + 8, length);
      if ((int) crc.getValue() == all.getInt(p + 4)) {
        return p;
      }
    }
    return -1;
  }

  private static void checkLength(Path file, int at, int length, int expected) throws IOException {
    if (length != expected) {
      throw new IOException(file + ": record at byte " + at + " has length " + length + ", expected " + expected);
    }
  }
}
