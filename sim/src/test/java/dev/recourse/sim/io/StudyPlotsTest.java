package dev.recourse.sim.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recourse.core.simd.Kernels;
import dev.recourse.sim.env.SyntheticScenario;
import dev.recourse.sim.metrics.PolicyAggregate;
import dev.recourse.sim.policy.AdvisorSpec;
import dev.recourse.sim.policy.GlrbSpec;
import dev.recourse.sim.policy.LibraSpec;
import dev.recourse.sim.policy.NoopSpec;
import dev.recourse.sim.policy.PolicySpec;
import dev.recourse.sim.policy.RadiusSpec;
import dev.recourse.sim.run.LocalStudyRunner;
import dev.recourse.sim.run.ProgressListener;
import dev.recourse.sim.run.Study;
import dev.recourse.sim.run.StudyResult;
import java.awt.BasicStroke;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Plots of a study with many policies (issue 15): one look per policy, a legend clear of the curves. */
class StudyPlotsTest {

  private static final int HORIZON = 10_000;
  private static StudyResult thirty;

  /** 30 policies: 10 noop (linear regret), 10 GLRB, 10 LIBRA, with long labels. */
  @BeforeAll
  static void runThirtyPolicies() {
    List<PolicySpec> policies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      policies.add(new NoopSpec("a noop policy with a rather long label number " + i));
    }
    for (int i = 0; i < 10; i++) {
      policies.add(new GlrbSpec(GlrbSpec.Variant.PLAIN, "GLRB " + (i + 1), new RadiusSpec.Constant(0.5 + i), 1));
    }
    for (int i = 0; i < 10; i++) {
      policies.add(new LibraSpec("LIBRA " + (i + 1), new RadiusSpec.Constant(0.25 * (i + 1)), 1, 1,
          new AdvisorSpec.Quality(0.8)));
    }
    Study study = new Study("thirty", new SyntheticScenario(2, 2, 2, 1), policies, HORIZON, 1, 3,
        Study.evenCheckpoints(HORIZON, 100), 0);
    thirty = new LocalStudyRunner(2, Kernels.get()).run(study, ProgressListener.none());
  }

  /** The policy lines (not the bands) of a chart, by label. */
  private static Map<String, XYSeries> lines(XYChart chart) {
    Map<String, XYSeries> lines = new HashMap<>();
    for (XYSeries s : chart.getSeriesMap().values()) {
      if (s.isShowInLegend()) {
        lines.put(s.getName(), s);
      }
    }
    return lines;
  }

  private static String look(XYSeries s) {
    BasicStroke stroke = s.getLineStyle();
    return s.getLineColor() + " " + Arrays.toString(stroke.getDashArray());
  }

  @Test
  void noTwoOfThirtyPoliciesShareColourAndDash() throws Exception {
    XYChart chart = StudyPlots.regretChart(thirty);
    BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    Map<String, XYSeries> lines = lines(chart);
    assertEquals(30, lines.size());
    Set<String> looks = new HashSet<>();
    for (XYSeries s : lines.values()) {
      assertTrue(looks.add(look(s)), "two series look alike: " + look(s));
    }
  }

  @Test
  void aPolicyLooksTheSameInEveryPlot() throws Exception {
    Map<String, XYSeries> regret = lines(StudyPlots.regretChart(thirty));
    XYChart zoom = StudyPlots.regretZoomChart(thirty);
    assertNotNull(zoom, "the noop policies' linear regret should be left out of the zoom");
    List<PolicyAggregate> advised = thirty.policies().subList(20, 30);
    Map<String, Map<String, XYSeries>> others = Map.of("zoom", lines(zoom), "queries",
        lines(StudyPlots.queriesChart(thirty, advised)));
    others.forEach((plot, lines) -> {
      assertTrue(lines.size() >= 10, plot);
      lines.forEach((label, s) -> assertEquals(look(regret.get(label)), look(s), plot + ": " + label));
    });
  }

  @Test
  void theLegendIsOutsideThePlotAndFitsTheImage() throws Exception {
    XYChart chart = StudyPlots.regretChart(thirty);
    assertEquals(org.knowm.xchart.style.Styler.LegendPosition.OutsideE, chart.getStyler().getLegendPosition());
    var font = chart.getStyler().getLegendFont();
    double lineHeight = font.getLineMetrics("Ag", new java.awt.font.FontRenderContext(null, true, true)).getHeight();
    double rows = 30 * (lineHeight + chart.getStyler().getLegendPadding());
    assertTrue(chart.getHeight() >= rows + 60, "legend of 30 rows (" + rows + " px) in " + chart.getHeight() + " px");
  }

  @Test
  void xTicksEndAtTheHorizon() throws Exception {
    for (XYChart chart : List.of(StudyPlots.regretChart(thirty), StudyPlots.regretZoomChart(thirty),
        StudyPlots.queriesChart(thirty, thirty.policies().subList(20, 30)))) {
      BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
      // XChart computes one tick beyond each end and does not draw it.
      List<Double> ticks = new ArrayList<>();
      for (String label : xTickLabels(chart)) {
        double t = Double.parseDouble(label.replace(",", ""));
        if (t >= 0 && t <= HORIZON) {
          ticks.add(t);
        }
      }
      assertEquals(HORIZON, ticks.get(ticks.size() - 1), ticks::toString);
    }
  }

  /** Nothing is drawn in the outermost pixel columns of the title's rows: the title is not cut. */
  @Test
  void titlesAreNotCutAtTheEdges() {
    XYChart zoom = StudyPlots.regretZoomChart(thirty);
    assertTrue(zoom.getTitle().matches(".*\\d+ policies.*"), zoom.getTitle());
    for (XYChart chart : List.of(zoom, StudyPlots.regretChart(thirty))) {
      java.awt.image.BufferedImage image = BitmapEncoder.getBufferedImage(chart);
      for (int y = 0; y < 30; y++) {
        for (int x : new int[] {0, 1, 2, image.getWidth() - 3, image.getWidth() - 2, image.getWidth() - 1}) {
          assertEquals(0xffffffff, image.getRGB(x, y), chart.getTitle() + ": pixel (" + x + ", " + y + ")");
        }
      }
    }
  }

  /** XChart computes the ticks while painting and keeps them in its (non-public) axis. */
  private static List<String> xTickLabels(XYChart chart) throws Exception {
    Field pair = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredField("axisPair");
    pair.setAccessible(true);
    Object axisPair = pair.get(chart);
    Method xAxis = axisPair.getClass().getMethod("getXAxis");
    xAxis.setAccessible(true);
    Object axis = xAxis.invoke(axisPair);
    Method calc = axis.getClass().getMethod("getAxisTickCalculator");
    calc.setAccessible(true);
    Object calculator = calc.invoke(axis);
    Method labels = calculator.getClass().getMethod("getTickLabels");
    labels.setAccessible(true);
    @SuppressWarnings("unchecked")
    List<String> list = (List<String>) labels.invoke(calculator);
    List<String> nonEmpty = new ArrayList<>();
    for (String l : list) {
      if (l != null && !l.isBlank()) {
        nonEmpty.add(l);
      }
    }
    return nonEmpty;
  }

}
