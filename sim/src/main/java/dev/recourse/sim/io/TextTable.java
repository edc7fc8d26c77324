package dev.recourse.sim.io;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table for stdout: a header row, a rule, rows; the first column left-aligned, the rest right. */
public final class TextTable {

  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public TextTable(String... header) {
    this.header = List.of(header);
  }

  public TextTable row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("expected " + header.size() + " cells, got " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  /** Mean ± half-width with {@code decimals} decimals (the half-width left out when it is NaN; "-" for no mean). */
  public static String pm(double mean, double halfWidth, int decimals) {
    if (Double.isNaN(mean)) {
      return "-";
    }
    String m = String.format(java.util.Locale.ROOT, "%,." + decimals + "f", mean);
    if (!Double.isFinite(halfWidth)) {
      return m;
    }
    return m + " ± " + String.format(java.util.Locale.ROOT, "%,." + decimals + "f", halfWidth);
  }

  public static String num(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%,." + decimals + "f", v);
  }

  public String render() {
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    int total = 0;
    for (int w : width) {
      total += w;
    }
    sb.append("-".repeat(total + 2 * (width.length - 1))).append('\n');
    for (List<String> r : rows) {
      line(sb, r, width);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    for (int c = 0; c < cells.size(); c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      if (c > 0) {
        sb.append("  ");
      }
      sb.append(c == 0 ? cell + pad : pad + cell);
    }
    int end = sb.length();
    while (end > 0 && sb.charAt(end - 1) == ' ') {
      end--;
    }
    sb.setLength(end);
    sb.append('\n');
  }
}
