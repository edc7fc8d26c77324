package dev.recourse.sim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CSV reader's fast double parsers (on strings, and on bytes in {@link FastNumericCsv}) agree with
 * {@link Double#parseDouble} bit for bit, and reject exactly the strings it rejects (issue #17: the parser was most of a large replay's wall time).
 */
class NumericCsvReaderFastParseTest {

  private static String jdk(String s) {
    try {
      return Long.toHexString(Double.doubleToRawLongBits(Double.parseDouble(s)));
    } catch (NumberFormatException e) {
      return "rejected";
    }
  }

  private static String fast(String s) {
    try {
      return Long.toHexString(Double.doubleToRawLongBits(NumericCsvReader.parseDouble(s)));
    } catch (NumberFormatException e) {
      return "rejected";
    }
  }

  /** FastNumericCsv's parser: FastDoubleParser on the field's bytes, inside a longer buffer. */
  private static String fromBytes(String s) {
    byte[] padded = (",7" + s + "9,").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try {
      return Long.toHexString(Double.doubleToRawLongBits(
          ch.randelshofer.fastdoubleparser.JavaDoubleParser.parseDouble(padded, 2, s.length())));
    } catch (NumberFormatException e) {
      return "rejected";
    }
  }

  private static void check(String s) {
    String expected = jdk(s);
    assertEquals(expected, fast(s), () -> "'" + s + "'");
    assertEquals(expected, fromBytes(s), () -> "bytes '" + s + "'");
  }

  /** Every string of up to 5 characters over the reader's numeric alphabet (valid or not). */
  @Test
  void everyShortStringOfTheNumericAlphabet() {
    char[] alphabet = "019.eE+-".toCharArray();
    for (int len = 1; len <= 5; len++) {
      char[] buf = new char[len];
      int total = (int) Math.pow(alphabet.length, len);
      for (int code = 0; code < total; code++) {
        int c = code;
        for (int i = 0; i < len; i++) {
          buf[i] = alphabet[c % alphabet.length];
          c /= alphabet.length;
        }
        check(new String(buf));
      }
    }
  }

  /** Random doubles of every magnitude, printed as %.17g (numpy's and gen_stream.py's), repr, %e and plain. */
  @Test
  void randomDoublesInTheUsualFormats() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int i = 0; i < 100_000; i++) {
      double v = switch (i % 4) {
        case 0 -> rng.nextGaussian();
        case 1 -> Double.longBitsToDouble(rng.nextLong());
        case 2 -> rng.nextDouble() * Math.pow(10, rng.nextInt(-320, 300));
        default -> rng.nextGaussian() * 1e-3;
      };
      if (!Double.isFinite(v)) {
        continue;
      }
      check(Double.toString(v));
      check(String.format(Locale.ROOT, "%.17g", v));
      check(String.format(Locale.ROOT, "%.16e", v));
      check(String.format(Locale.ROOT, "%.3f", v));
      String plain = new BigDecimal(v).toPlainString();
      check(plain.substring(0, Math.min(40, plain.length())));
    }
    for (String s : new String[] {"4.9e-324", "2.4703282292062328e-324", "2.4703282292062327e-324",
        "1.7976931348623157e308", "1.7976931348623159e308", "9007199254740993", "0.1", "-0", "+.5", "5.",
        "1e400", "00000000000000000000000000001", "123456789012345678901234567890e-30"}) {
      check(s);
    }
  }
}
