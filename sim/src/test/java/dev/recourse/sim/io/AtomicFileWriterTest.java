package dev.recourse.sim.io;

import dev.recourse.sim.config.InputException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {

  @TempDir
  Path dir;

  private List<Path> filesInDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  /** More text than the writer's buffer, so part of it has reached the temporary file before a failure. */
  private static String largeText() {
    return "0123456789abcdef\n".repeat(20_000);
  }

  @Test
  void commitWritesTheWholeFileAndLeavesNoTemporary() throws IOException {
    Path target = dir.resolve("out.csv");
    String text = largeText();
    AtomicFileWriter.write(target, false, w -> w.write(text));
    assertEquals(text, Files.readString(target));
    assertEquals(List.of(target), filesInDir());
  }

  @Test
  void commitWithFsyncReplacesAnExistingFile() throws IOException {
    Path target = dir.resolve("out.csv");
    Files.writeString(target, "old\n");
    AtomicFileWriter.write(target, true, w -> w.write("new\n"));
    assertEquals("new\n", Files.readString(target));
    assertEquals(List.of(target), filesInDir());
  }

  @Test
  void failureMidWriteLeavesNoTargetAndNoTemporary() throws IOException {
    Path target = dir.resolve("out.csv");
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> AtomicFileWriter.write(target, false, w -> {
          w.write(largeText());
          w.flush();
          assertFalse(Files.exists(target), "target must not appear before commit");
          assertEquals(1, filesInDir().size(), "the text goes to one temporary file");
          throw boom;
        }));
    assertSame(boom, thrown);
    assertFalse(Files.exists(target));
    assertEquals(List.of(), filesInDir());
  }

  @Test
  void failureMidWriteKeepsTheOldTarget() throws IOException {
    Path target = dir.resolve("out.csv");
    Files.writeString(target, "old\n");
    assertThrows(IOException.class, () -> AtomicFileWriter.write(target, false, w -> {
      w.write(largeText());
      throw new IOException("disk full");
    }));
    assertEquals("old\n", Files.readString(target));
    assertEquals(List.of(target), filesInDir());
  }

  @Test
  void closeWithoutCommitAbandonsTheFile() throws IOException {
    Path target = dir.resolve("out.csv");
    try (AtomicFileWriter file = AtomicFileWriter.open(target, false)) {
      file.writer().write("partial");
      assertEquals(target.toAbsolutePath(), file.target());
    }
    assertEquals(List.of(), filesInDir());
  }

  @Test
  void commitTwiceIsAnError() throws IOException {
    Path target = dir.resolve("out.csv");
    try (AtomicFileWriter file = AtomicFileWriter.open(target, false)) {
      file.writer().write("x");
      file.commit();
      assertThrows(IllegalStateException.class, file::commit);
    }
    assertEquals("x", Files.readString(target));
  }

  @Test
  void committedFileIsNotOwnerOnly() throws IOException {
    Path target = dir.resolve("out.csv");
    Path plain = Files.writeString(dir.resolve("plain.txt"), "");
    AtomicFileWriter.write(target, false, w -> w.write("x"));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
  }

  @Test
  void checkTargetRejectsMissingDirectoryAndDirectories() throws IOException {
    Path missing = dir.resolve("no/such/dir/out.csv");
    InputException e = assertThrows(InputException.class, () -> AtomicFileWriter.checkTarget(missing));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    Path sub = Files.createDirectory(dir.resolve("sub"));
    e = assertThrows(InputException.class, () -> AtomicFileWriter.checkTarget(sub));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    AtomicFileWriter.checkTarget(dir.resolve("fine.csv"));
  }

  /** A process id that no running process has (the highest possible, above any pid_max). */
  private static final long DEAD_PID = 4_194_305L;

  @Test
  void staleTemporariesOfAKilledWriterAreSweptByTheNextOne() throws IOException {
    Path target = dir.resolve("out.csv");
    Path dead = Files.writeString(dir.resolve(".out.csv." + DEAD_PID + "-1a2b3c.tmp"), "left by kill -9");
    long running = ProcessHandle.current().parent().orElseThrow().pid();
    Path alive = Files.writeString(dir.resolve(".out.csv." + running + "-4d5e6f.tmp"), "still being written");
    Path legacy = Files.writeString(dir.resolve(".out.csv.89abcdef01234567.tmp"), "an old version's");
    Files.setLastModifiedTime(legacy, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3_600_000));
    Path legacyRecent = Files.writeString(dir.resolve(".out.csv.0123456789abcdef.tmp"), "maybe still written");
    Path otherTarget = Files.writeString(dir.resolve(".other.csv." + DEAD_PID + "-1a2b3c.tmp"), "not ours");
    AtomicFileWriter.write(target, false, w -> w.write("x"));
    assertFalse(Files.exists(dead));
    assertFalse(Files.exists(legacy));
    assertTrue(Files.exists(alive), "a running writer's temporary");
    assertTrue(Files.exists(legacyRecent), "an old-style temporary written to recently");
    assertTrue(Files.exists(otherTarget), "another target's temporary");
  }

  @Test
  void checkDirectoryAcceptsAFolderToBeCreatedButCreatesNothing() {
    Path nested = dir.resolve("a/b/c");
    AtomicFileWriter.checkDirectory(nested, "--out");
    assertFalse(Files.exists(dir.resolve("a")));
  }

  @Test
  void checkDirectoryRejectsAFileInThePath() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "");
    InputException e = assertThrows(InputException.class,
        () -> AtomicFileWriter.checkDirectory(file.resolve("sub"), "--out"));
    assertTrue(e.getMessage().startsWith("--out " + file.resolve("sub") + ": "), e.getMessage());
    assertTrue(e.getMessage().endsWith(file + " is a file, not a folder"), e.getMessage());
  }

  @Test
  void checkTargetSaysWhenItsFolderIsAFile() throws IOException {
    Path file = Files.writeString(dir.resolve("file"), "");
    for (Path target : List.of(file.resolve("out.csv"), file.resolve("sub/out.csv"))) {
      InputException e = assertThrows(InputException.class, () -> AtomicFileWriter.checkTarget(target));
      assertEquals(target + ": " + file + " is a file, not a folder", e.getMessage());
    }
  }

  /** The checks create a file (or folder) to see that they can, and leave nothing behind. */
  @Test
  void checksLeaveNothingBehind() throws IOException {
    AtomicFileWriter.checkTarget(dir.resolve("out.csv"));
    AtomicFileWriter.checkDirectory(dir, "--out");
    AtomicFileWriter.checkDirectory(dir.resolve("new/nested"), "--out");
    assertEquals(List.of(), filesInDir());
  }

  /**
   * Files.isWritable is true for root on /proc, where no file can be created: the checks try, and fail
   * before any work with the operating system's reason.
   */
  @Test
  void checksProbeTheFolderInsteadOfTrustingItsPermissions() {
    Path proc = Path.of("/proc");
    assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux /proc");
    InputException e = assertThrows(InputException.class, () -> AtomicFileWriter.checkTarget(proc.resolve("r.csv")));
    assertTrue(e.getMessage().startsWith("/proc/r.csv: cannot create files in /proc ("), e.getMessage());
    e = assertThrows(InputException.class, () -> AtomicFileWriter.checkDirectory(proc.resolve("x"), "--out"));
    assertTrue(e.getMessage().startsWith("--out /proc/x: cannot create folders in /proc ("), e.getMessage());
    e = assertThrows(InputException.class, () -> AtomicFileWriter.checkDirectory(proc, "--out-dir"));
    assertTrue(e.getMessage().startsWith("--out-dir /proc: cannot create files in /proc ("), e.getMessage());
    assertFalse(e.getMessage().contains("Exception"), e.getMessage());
  }

  /** A failed commit names the file the user asked for, not the temporary, and removes the temporary. */
  @Test
  void aFailedCommitNamesTheTargetNotTheTemporary() throws IOException {
    Path target = Files.createDirectory(dir.resolve("out.csv"));
    Files.writeString(target.resolve("inside"), "keeps the folder non-empty");
    IOException e = assertThrows(IOException.class, () -> AtomicFileWriter.write(target, false, w -> w.write("x")));
    assertTrue(e.getMessage().startsWith(target.toAbsolutePath().toString()), e.getMessage());
    assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    e = assertThrows(IOException.class, () -> AtomicFileWriter.writeBytes(target, new byte[] {1}));
    assertTrue(e.getMessage().startsWith(target.toAbsolutePath().toString()), e.getMessage());
    assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    assertEquals(List.of(target), filesInDir());
  }
}
