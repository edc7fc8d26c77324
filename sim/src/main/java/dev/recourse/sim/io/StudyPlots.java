package dev.recourse.sim.io;

import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.metrics.RunningStats;
import dev.recourse.sim.run.StudyResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG plots of a study with XChart (paper Figures 3, 8, 10): mean cumulative regret per policy with
 * its 95% band, and the cumulative advisor queries of the policies that consult one. Rendered
 * headless (no display is needed or used); each file is written atomically.
 */
public final class StudyPlots {

  static {
    // XChart draws with AWT; without this a machine with no display fails on the first font lookup.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final int WIDTH = 1200;
  private static final int MIN_HEIGHT = 620;
  /** Height of one legend row at {@link #LEGEND_FONT}, with XChart's padding between rows. */
  private static final int LEGEND_ROW_PX = 26;
  /** Title, axis title, tick labels and margins above and below the legend. */
  private static final int LEGEND_MARGIN_PX = 110;
  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 18);
  private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  /** Legend width beyond its widest label: the line sample, paddings and the gap to the plot. */
  private static final int LEGEND_EXTRA_PX = 80;
  /**
   * Ten colours: the colour-blind-safe Okabe and Ito (2008) palette (its yellow, unreadable on white,
   * replaced by Tol's wine) plus Tol's olive and indigo. With {@link #DASHES} they give 40 distinct
   * (colour, dash) pairs; policy i gets colour i mod 10 and dash i / 10, so the first ten policies are
   * solid lines.
   */
  private static final Color[] PALETTE = {
      new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
      new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(136, 34, 85),
      new Color(153, 153, 51), new Color(51, 34, 136)};
  /** Solid, dashed, dotted and dash-dotted (pixel lengths of the dash pattern). */
  private static final float[][] DASHES = {null, {10f, 5f}, {2.5f, 4f}, {12f, 4f, 2.5f, 4f}};
  private static final float LINE_WIDTH = 2.5f;
  private static final int BAND_ALPHA = 55;
  private static final double ZOOM_FACTOR = 10;

  private StudyPlots() {}

  /** Cumulative regret, mean and 95% band per policy. */
  public static void writeRegret(Path target, StudyResult result) throws IOException {
    write(target, regretChart(result));
  }

  /**
   * The regret plot again without the policies whose final regret exceeds {@value #ZOOM_FACTOR} times
   * the lowest, which otherwise flatten the others into the axis (LinUCB's linear regret is 50 times
   * GLRB's on the synthetic problem). Returns false and writes nothing when no policy would be left out.
   */
  public static boolean writeRegretZoom(Path target, StudyResult result) throws IOException {
    XYChart chart = regretZoomChart(result);
    if (chart == null) {
      return false;
    }
    write(target, chart);
    return true;
  }

  /**
   * Cumulative advisor queries of {@code advised} (a subset of the policies), mean and 95% band; returns
   * false (and writes nothing) when the list is empty.
   */
  public static boolean writeQueries(Path target, StudyResult result, List<PolicyAggregate> advised)
      throws IOException {
    if (advised.isEmpty()) {
      return false;
    }
    write(target, queriesChart(result, advised));
    return true;
  }

  static XYChart regretChart(StudyResult result) {
    XYChart chart = chart(result.study().name() + ": cumulative regret (mean and 95% CI over "
        + result.study().replications() + " replication" + (result.study().replications() == 1 ? "" : "s") + ")",
        "Cumulative regret", result.policies());
    add(chart, result, result.policies(), PolicyAggregate::regret);
    return chart;
  }

  /** The zoomed regret chart, or null when no policy's final regret is over {@value #ZOOM_FACTOR}x the lowest. */
  static XYChart regretZoomChart(StudyResult result) {
    int last = result.study().checkpoints().length - 1;
    double lowest = Double.POSITIVE_INFINITY;
    for (PolicyAggregate p : result.policies()) {
      lowest = Math.min(lowest, p.regret().mean(last));
    }
    List<PolicyAggregate> kept = new java.util.ArrayList<>();
    List<String> left = new java.util.ArrayList<>();
    for (PolicyAggregate p : result.policies()) {
      if (lowest > 0 && p.regret().mean(last) > ZOOM_FACTOR * lowest) {
        left.add(p.label());
      } else {
        kept.add(p);
      }
    }
    if (left.isEmpty() || kept.isEmpty()) {
      return null;
    }
    String title = result.study().name() + ": cumulative regret, zoomed (not shown: " + String.join(", ", left) + ")";
    if (!fits(title, kept)) {
      // The names do not fit above the plot (XChart would cut the title at both edges): count them.
      title = result.study().name() + ": cumulative regret, zoomed (" + left.size() + " polic"
          + (left.size() == 1 ? "y" : "ies") + " with final regret > " + (int) ZOOM_FACTOR + "x the lowest not shown)";
    }
    XYChart chart = chart(title, "Cumulative regret", kept);
    add(chart, result, kept, PolicyAggregate::regret);
    return chart;
  }

  static XYChart queriesChart(StudyResult result, List<PolicyAggregate> advised) {
    XYChart chart = chart(result.study().name() + ": cumulative advisor (LLM) queries", "Cumulative queries",
        advised);
    add(chart, result, advised, PolicyAggregate::queries);
    return chart;
  }

  /**
   * Whether {@code title} fits in the title font. XChart centres the title over the plot area, which
   * the legend narrows, and cuts what sticks out at both edges of the image.
   */
  static boolean fits(String title, List<PolicyAggregate> legend) {
    return width(TITLE_FONT, title) <= titleSpace(legend);
  }

  /**
   * The width a title may take, centred on the plot area: the image less the legend on the right, less
   * as much again on the left than the y axis gives back (taken as nothing, to stay on the safe side).
   */
  private static double titleSpace(List<PolicyAggregate> legend) {
    double widest = 0;
    for (PolicyAggregate p : legend) {
      widest = Math.max(widest, width(LEGEND_FONT, p.label()));
    }
    return WIDTH - (widest + LEGEND_EXTRA_PX);
  }

  private static double width(Font font, String text) {
    return font.getStringBounds(text, new java.awt.font.FontRenderContext(null, true, true)).getWidth();
  }

  /** The title font, smaller (down to 11 pt) when the title would not fit otherwise. */
  private static Font titleFont(String title, List<PolicyAggregate> legend) {
    Font font = TITLE_FONT;
    double space = titleSpace(legend);
    while (font.getSize() > 11 && width(font, title) > space) {
      font = font.deriveFont((float) font.getSize() - 1);
    }
    return font;
  }

  /** The colour of the policy at {@code index} in the study: the same in every plot of the study. */
  static Color colour(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** The line of the policy at {@code index}: its dash pattern changes every {@code PALETTE.length} policies. */
  static BasicStroke stroke(int index) {
    float[] dash = DASHES[(index / PALETTE.length) % DASHES.length];
    return dash == null ? new BasicStroke(LINE_WIDTH)
        : new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
  }

  private static void write(Path target, XYChart chart) throws IOException {
    AtomicFileWriter.writeBytes(target, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }

  /**
   * An empty chart whose legend sits to the right of the plot area, one row per series, so it never
   * covers a curve or an axis; the chart grows taller when {@code legendRows} would not fit.
   */
  private static XYChart chart(String title, String yTitle, List<PolicyAggregate> legend) {
    int height = Math.max(MIN_HEIGHT, LEGEND_MARGIN_PX + legend.size() * LEGEND_ROW_PX);
    XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title(title).xAxisTitle("Round t")
        .yAxisTitle(yTitle).build();
    var s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(220, 220, 220));
    s.setLegendPosition(Styler.LegendPosition.OutsideE);
    s.setLegendLayout(Styler.LegendLayout.Vertical);
    s.setLegendBorderColor(Color.WHITE);
    s.setLegendSeriesLineLength(36);
    s.setChartTitleFont(titleFont(title, legend));
    s.setLegendFont(LEGEND_FONT);
    s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
    s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    s.setChartTitleBoxVisible(false);
    chart.getStyler().setXAxisDecimalPattern("#,###");
    chart.getStyler().setYAxisDecimalPattern("#,###.#");
    return chart;
  }

  private static void add(XYChart chart, StudyResult result, List<PolicyAggregate> policies,
                          Function<PolicyAggregate, RunningStats> quantity) {
    // Both plotted quantities are cumulative counts, exactly 0 at t = 0: start every curve there.
    int[] checkpoints = result.study().checkpoints();
    int n = checkpoints.length + 1;
    double[] t = new double[n];
    for (int i = 1; i < n; i++) {
      t[i] = checkpoints[i - 1];
    }
    for (PolicyAggregate p : policies) {
      int index = result.policies().indexOf(p);
      Color color = colour(index);
      RunningStats s = quantity.apply(p);
      double[] mean = new double[n];
      double[] polyX = new double[2 * n];
      double[] polyY = new double[2 * n];
      boolean band = true;
      for (int i = 0; i < n; i++) {
        mean[i] = i == 0 ? 0.0 : s.mean(i - 1);
        double half = i == 0 ? 0.0 : s.halfWidth95(i - 1);
        band &= Double.isFinite(half);
        polyX[i] = t[i];
        polyY[i] = mean[i] + half;
        polyX[2 * n - 1 - i] = t[i];
        polyY[2 * n - 1 - i] = mean[i] - half;
      }
      if (band) {
        XYSeries b = chart.addSeries(p.label() + " (95% CI)", polyX, polyY);
        b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        b.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), BAND_ALPHA));
        b.setLineColor(new Color(0, 0, 0, 0));
        b.setMarker(SeriesMarkers.NONE);
        b.setShowInLegend(false);
      }
      XYSeries line = chart.addSeries(p.label(), t, mean);
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setLineColor(color);
      line.setLineStyle(stroke(index));
      line.setMarker(SeriesMarkers.NONE);
    }
    // XChart labels every k-th x value when the x values are equally spaced (checkpoints usually are),
    // so the last tick falls short of the horizon unless k happens to divide their number (9,600 of
    // 10,000). One invisible point off that grid makes it choose round steps (1, 2, 2.5, 5 x 10^n)
    // instead, which end at round horizons. (1, 0) lies inside the plotted range: every curve starts at 0.
    if (t.length > 2 && t[1] > 1) {
      XYSeries anchor = chart.addSeries(" ", new double[] {1}, new double[] {0});
      anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      anchor.setMarker(SeriesMarkers.NONE);
      anchor.setMarkerColor(new Color(0, 0, 0, 0));
      anchor.setShowInLegend(false);
    }
  }
}
