// The least a JVM command that reads a stream can cost (issue #17's whole-command ratios): without an
// argument it only starts and prints a line; with a file it also reads the file's bytes and counts its
// lines (1 MiB reads into a direct buffer, no parsing). bench/peers/whole_command.sh runs it with FLOOR=1
// beside numpy and `replay` on the same streams; BENCHMARKS.md "Session 9" has the figures.
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

public class JvmFloor {
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.out.println("started");
      return;
    }
    long lines = 0;
    try (FileChannel ch = FileChannel.open(Path.of(args[0]))) {
      ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
      while (ch.read(buf) > 0) {
        buf.flip();
        while (buf.hasRemaining()) {
          if (buf.get() == '\n') {
            lines++;
          }
        }
        buf.clear();
      }
    }
    System.out.println("lines: " + lines);
  }
}
