package ntk.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Headless PNG plots (XChart), written atomically. */
final class Plots {
    private Plots() {
    }

    /** How one series is drawn; legend false keeps it out of the legend (e.g. the 2nd..nth draw of a family). */
    record Style(Color color, boolean dashed, boolean legend) {
        Style(Color color, boolean dashed) {
            this(color, dashed, true);
        }
    }

    static void lines(Path file, String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series)
            throws IOException {
        lines(file, title, xLabel, yLabel, x, series, Map.of());
    }

    static void lines(Path file, String title, String xLabel, String yLabel, double[] x, Map<String, double[]> series,
            Map<String, Style> styles) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisDecimalPattern("0.##");
        chart.getStyler().setYAxisDecimalPattern("0.##");
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), x, e.getValue());
            s.setMarker(SeriesMarkers.NONE);
            Style st = styles.get(e.getKey());
            if (st != null) {
                s.setShowInLegend(st.legend());
                s.setLineColor(st.color());
                s.setLineStyle(st.dashed() ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
            } else {
                s.setLineStyle(new BasicStroke(2f));
            }
        }
        save(chart, file);
    }

    /**
     * Curves with their own abscissae ({x, y} per series) on log-log axes; points with y &lt;= floor (or not finite)
     * are left out, so a curve that reaches rounding level simply ends there.
     */
    static void logLog(Path file, String title, String xLabel, String yLabel, Map<String, double[][]> curves,
            double floor) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(1000).height(620).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0.#E0");
        for (Map.Entry<String, double[][]> e : curves.entrySet()) {
            double[] x = e.getValue()[0];
            double[] y = e.getValue()[1];
            int m = 0;
            double[] xs = new double[x.length];
            double[] ys = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                if (y[i] > floor && Double.isFinite(y[i]) && x[i] > 0) {
                    xs[m] = x[i];
                    ys[m] = y[i];
                    m++;
                }
            }
            if (m == 0) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), java.util.Arrays.copyOf(xs, m), java.util.Arrays.copyOf(ys, m));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(2f));
        }
        save(chart, file);
    }

    private static void save(XYChart chart, Path file) throws IOException {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, png, BitmapEncoder.BitmapFormat.PNG);
        ntk.io.AtomicFiles.writeBytes(file, png.toByteArray());
    }
}
