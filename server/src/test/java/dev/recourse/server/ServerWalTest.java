package dev.recourse.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log alone: records read back as written; a log cut at every byte of its last record
 * replays the records before it and drops the rest; a flipped bit in the last record's payload or CRC
 * drops that record, with no intact record after it (a torn last write); a flipped bit anywhere in a
 * record followed by others reports the intact record after it (damage in the middle); zeros after a
 * torn record are no record; a log of another configuration or dimension is refused.
 */
class ServerWalTest {

  static final long HASH = 0x1234_5678_9ABC_DEF0L;
  static final int DIM = 3;

  @TempDir
  Path dir;

  /** Records the visitor saw, as text. */
  static final class Seen implements WriteAheadLog.Visitor {
    final List<String> records = new ArrayList<>();

    @Override
    public void outcome(long decisionId, int arm, double reward, double[] played, double[] realised) {
      records.add("outcome " + decisionId + " " + arm + " " + reward + " " + Arrays.toString(played) + " "
          + Arrays.toString(realised));
    }

    @Override
    public void addArm(int arm) {
      records.add("add " + arm);
    }

    @Override
    public void retireArm(int arm) {
      records.add("retire " + arm);
    }
  }

  private Path write(WriteAheadLog.FsyncPolicy fsync) throws IOException {
    Path file = dir.resolve("wal-" + fsync + ".log");
    try (WriteAheadLog wal = WriteAheadLog.create(file, HASH, DIM, fsync)) {
      wal.appendOutcome(7, 1, 0.5, new double[] {1, 2, 3}, new double[] {1, 2, 3.5});
      wal.appendAddArm(2);
      wal.appendOutcome(1L << 40, 2, -1.25, new double[] {-0.0, 1e-300, 4}, new double[] {-0.0, 1e-300, 4});
      wal.appendRetireArm(0);
      wal.appendOutcome(9, 1, 3.0, new double[] {0, 0, 0}, new double[] {0.1, 0.2, 0.3});
    }
    return file;
  }

  static final List<String> WRITTEN = List.of(
      "outcome 7 1 0.5 [1.0, 2.0, 3.0] [1.0, 2.0, 3.5]",
      "add 2",
      "outcome 1099511627776 2 -1.25 [-0.0, 1.0E-300, 4.0] [-0.0, 1.0E-300, 4.0]",
      "retire 0",
      "outcome 9 1 3.0 [0.0, 0.0, 0.0] [0.1, 0.2, 0.3]");

  @Test
  void recordsReadBackAsWrittenUnderEveryFsyncPolicy() throws IOException {
    for (WriteAheadLog.FsyncPolicy fsync : WriteAheadLog.FsyncPolicy.values()) {
      Seen seen = new Seen();
      WriteAheadLog.Replay r = WriteAheadLog.replay(write(fsync), HASH, DIM, seen);
      assertEquals(WRITTEN, seen.records, fsync.toString());
      assertEquals(5, r.records());
      assertEquals(0, r.droppedBytes());
    }
  }

  @Test
  void aLogCutAnywhereInItsLastRecordDropsOnlyThatRecord() throws IOException {
    Path file = write(WriteAheadLog.FsyncPolicy.NEVER);
    byte[] whole = Files.readAllBytes(file);
    int lastRecord = whole.length - (8 + 1 + 8 + 4 + 8 + 16 * DIM);
    Path cut = dir.resolve("cut.log");
    for (int length = lastRecord; length < whole.length; length++) {
      Files.write(cut, Arrays.copyOf(whole, length));
      Seen seen = new Seen();
      WriteAheadLog.Replay r = WriteAheadLog.replay(cut, HASH, DIM, seen);
      assertEquals(WRITTEN.subList(0, 4), seen.records, "cut at " + length);
      assertEquals(length - lastRecord, r.droppedBytes(), "cut at " + length);
      assertEquals(lastRecord, r.validBytes());
    }
  }

  @Test
  void aFlippedBitInTheLastRecordDropsIt() throws IOException {
    Path file = write(WriteAheadLog.FsyncPolicy.NEVER);
    byte[] whole = Files.readAllBytes(file);
    int lastRecord = whole.length - (8 + 1 + 8 + 4 + 8 + 16 * DIM);
    Path bad = dir.resolve("bad.log");
    // every byte from the CRC on (a flipped length bit instead makes the record run past the end: also dropped)
    for (int at = lastRecord; at < whole.length; at++) {
      byte[] copy = whole.clone();
      copy[at] ^= 0x10;
      Files.write(bad, copy);
      Seen seen = new Seen();
      WriteAheadLog.Replay r = WriteAheadLog.replay(bad, HASH, DIM, seen);
      assertEquals(WRITTEN.subList(0, 4), seen.records, "bit flipped at byte " + at);
      assertTrue(r.droppedBytes() > 0);
      assertEquals(-1, r.intactAfter(), "nothing intact follows: a torn last write, at byte " + at);
    }
  }

  @Test
  void aFlippedBitInAMiddleRecordReportsTheIntactRecordAfterIt() throws IOException {
    Path file = write(WriteAheadLog.FsyncPolicy.NEVER);
    byte[] whole = Files.readAllBytes(file);
    int outcome = 8 + 1 + 8 + 4 + 8 + 16 * DIM;
    int second = WriteAheadLog.HEADER_BYTES + outcome; // add arm 2: 8 + 5 bytes
    int third = second + 13;
    Path bad = dir.resolve("bad.log");
    for (int at = second; at < third; at++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = whole.clone();
        copy[at] ^= (byte) (1 << bit);
        Files.write(bad, copy);
        Seen seen = new Seen();
        WriteAheadLog.Replay r = WriteAheadLog.replay(bad, HASH, DIM, seen);
        String what = "bit " + bit + " of byte " + at;
        assertEquals(WRITTEN.subList(0, 1), seen.records, what);
        assertEquals(second, r.validBytes(), what);
        assertEquals(whole.length - second, r.droppedBytes(), what);
        assertEquals(third, r.intactAfter(), what);
        assertTrue(r.damage() != null, what);
      }
    }
  }

  @Test
  void zerosAfterATornRecordAreNoRecord() throws IOException {
    Path file = write(WriteAheadLog.FsyncPolicy.NEVER);
    byte[] whole = Files.readAllBytes(file);
    int lastRecord = whole.length - (8 + 1 + 8 + 4 + 8 + 16 * DIM);
    // a power loss can leave the file longer than what reached the disk, the rest zeros
    byte[] torn = Arrays.copyOf(Arrays.copyOf(whole, lastRecord + 20), whole.length + 8192);
    Files.write(file, torn);
    Seen seen = new Seen();
    WriteAheadLog.Replay r = WriteAheadLog.replay(file, HASH, DIM, seen);
    assertEquals(WRITTEN.subList(0, 4), seen.records);
    assertEquals(lastRecord, r.validBytes());
    assertEquals(-1, r.intactAfter());
  }

  @Test
  void aRecordTakenBackIsGoneAndTheNextTakesItsPlace() throws IOException {
    Path file = dir.resolve("wal.log");
    try (WriteAheadLog wal = WriteAheadLog.create(file, HASH, DIM, WriteAheadLog.FsyncPolicy.ALWAYS)) {
      wal.appendOutcome(7, 1, 0.5, new double[] {1, 2, 3}, new double[] {1, 2, 3.5});
      long before = wal.size();
      wal.appendAddArm(2);
      assertEquals(Files.size(file), wal.size());
      wal.truncate(before);
      assertEquals(before, Files.size(file));
      wal.appendRetireArm(0);
    }
    Seen seen = new Seen();
    WriteAheadLog.replay(file, HASH, DIM, seen);
    assertEquals(List.of(WRITTEN.get(0), "retire 0"), seen.records);
  }

  @Test
  void aLogOfAnotherConfigurationIsRefused() throws IOException {
    Path file = write(WriteAheadLog.FsyncPolicy.ALWAYS);
    IOException e = assertThrows(IOException.class, () -> WriteAheadLog.replay(file, HASH + 1, DIM, new Seen()));
    assertTrue(e.getMessage().contains("configuration hash"), e.getMessage());
    e = assertThrows(IOException.class, () -> WriteAheadLog.replay(file, HASH, DIM + 1, new Seen()));
    assertTrue(e.getMessage().contains("dim"), e.getMessage());
    Path garbage = dir.resolve("garbage.log");
    Files.write(garbage, ByteBuffer.allocate(40).putLong(42).array());
    e = assertThrows(IOException.class, () -> WriteAheadLog.replay(garbage, HASH, DIM, new Seen()));
    assertTrue(e.getMessage().contains("not a recourse write-ahead log"), e.getMessage());
  }

  @Test
  void anExistingLogIsNeverOverwritten() throws IOException {
    Path file = write(WriteAheadLog.FsyncPolicy.NEVER);
    byte[] before = Files.readAllBytes(file);
    assertThrows(IOException.class, () -> WriteAheadLog.create(file, HASH, DIM, WriteAheadLog.FsyncPolicy.NEVER));
    assertArrayEquals(before, Files.readAllBytes(file));
  }
}
