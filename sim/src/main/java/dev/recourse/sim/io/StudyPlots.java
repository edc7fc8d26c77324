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

  private static final int WIDTH = 1000;
  private static final int HEIGHT = 620;
  /** Colour-blind-safe palette (Okabe and Ito 2008; its yellow, unreadable on white, replaced by Tol's wine). */
  private static final Color[] PALETTE = {
      new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
      new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(136, 34, 85)};
  private static final int BAND_ALPHA = 55;
  private static final double ZOOM_FACTOR = 10;

  private StudyPlots() {}

  /** Cumulative regret, mean and 95% band per policy. */
  public static void writeRegret(Path target, StudyResult result) throws IOException {
    XYChart chart = chart(result.study().name() + ": cumulative regret (mean and 95% CI over "
        + result.study().replications() + " replications)", "Cumulative regret");
    add(chart, result, result.policies(), PolicyAggregate::regret);
    AtomicFileWriter.writeBytes(target, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }

  /**
   * The regret plot again without the policies whose final regret exceeds {@value #ZOOM_FACTOR} times
   * the lowest, which otherwise flatten the others into the axis (LinUCB's linear regret is 50 times
   * GLRB's on the synthetic problem). Returns false and writes nothing when no policy would be left out.
   */
  public static boolean writeRegretZoom(Path target, StudyResult result) throws IOException {
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
      return false;
    }
    XYChart chart = chart(result.study().name() + ": cumulative regret, zoomed (not shown: "
        + String.join(", ", left) + ")", "Cumulative regret");
    add(chart, result, kept, PolicyAggregate::regret);
    AtomicFileWriter.writeBytes(target, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
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
    XYChart chart = chart(result.study().name() + ": cumulative advisor (LLM) queries", "Cumulative queries");
    add(chart, result, advised, PolicyAggregate::queries);
    AtomicFileWriter.writeBytes(target, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    return true;
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("Round t")
        .yAxisTitle(yTitle).build();
    var s = chart.getStyler();
    s.setChartBackgroundColor(Color.WHITE);
    s.setPlotBackgroundColor(Color.WHITE);
    s.setPlotGridLinesColor(new Color(220, 220, 220));
    s.setLegendPosition(Styler.LegendPosition.InsideNW);
    s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
    s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
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
      Color color = PALETTE[index % PALETTE.length];
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
      line.setLineStyle(new BasicStroke(2.5f));
      line.setMarker(SeriesMarkers.NONE);
    }
  }
}
