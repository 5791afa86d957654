package ntk.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small self-contained SVG line plot (no dependencies): lines, filled bands and point markers on linear or
 * logarithmic axes, with ticks, grid, axis labels and a legend under the plot. Points that cannot be drawn
 * (not finite, or &lt;= 0 on a log axis, or at or below {@link #floor}) break the line there.
 * The plot area is the {@code <rect class="plot-area">}; the root carries {@code data-plot="id"}.
 */
public final class SvgPlot {
    /** matplotlib's tab10 colours, for series without an explicit colour. */
    public static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
        "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    static final int WIDTH = 760;
    static final int LEFT = 78;
    static final int RIGHT = 736;
    static final int TOP = 44;
    static final int BOTTOM = 364;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private boolean logX;
    private boolean logY;
    private double floor = Double.NEGATIVE_INFINITY;
    private final List<Series> series = new ArrayList<>();

    private enum Kind { LINE, DASHED, BAND, POINTS }

    private record Series(Kind kind, String label, double[] x, double[] y, double[] y2, String color, boolean legend) {
    }

    public SvgPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgPlot logX() {
        logX = true;
        return this;
    }

    public SvgPlot logY() {
        logY = true;
        return this;
    }

    /** y values at or below this are not drawn (e.g. rounding level on a log axis). */
    public SvgPlot floor(double f) {
        floor = f;
        return this;
    }

    /** Colour i of the palette (cycling). */
    public static String color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    public SvgPlot line(String label, double[] x, double[] y) {
        return line(label, x, y, color(series.size()), false, true);
    }

    /** A line; legend false keeps it out of the legend (e.g. the 2nd..nth draw of a family). */
    public SvgPlot line(String label, double[] x, double[] y, String color, boolean dashed, boolean legend) {
        check(x, y);
        series.add(new Series(dashed ? Kind.DASHED : Kind.LINE, label, x, y, null, color, legend));
        return this;
    }

    /** A translucent band between lo and hi. */
    public SvgPlot band(String label, double[] x, double[] lo, double[] hi, String color) {
        check(x, lo);
        check(x, hi);
        series.add(new Series(Kind.BAND, label, x, lo, hi, color, true));
        return this;
    }

    /** Point markers. */
    public SvgPlot points(String label, double[] x, double[] y, String color) {
        check(x, y);
        series.add(new Series(Kind.POINTS, label, x, y, null, color, true));
        return this;
    }

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " points, y " + y.length);
        }
    }

    private boolean drawable(double v, boolean log, boolean isY) {
        return Double.isFinite(v) && (!log || v > 0) && (!isY || v > floor);
    }

    /** The SVG element (no XML prolog), ready to inline into HTML or to save as a .svg file. */
    public String svg(String id) {
        double[] xr = range(true);
        double[] yr = range(false);
        List<Series> shown = series.stream().filter(Series::legend).toList();
        int legendRows = (shown.size() + 1) / 2;
        int height = BOTTOM + 54 + 18 * legendRows;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plot\" data-plot=\"%s\""
                + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, sans-serif\""
                + " font-size=\"12\">%n", esc(id), WIDTH, height, WIDTH, height));
        s.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>%n",
                WIDTH, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" text-anchor=\"middle\" font-size=\"14\""
                + " font-weight=\"bold\">%s</text>%n", (LEFT + RIGHT) / 2, esc(title)));
        s.append(String.format(Locale.ROOT, "<rect class=\"plot-area\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\""
                + " fill=\"white\" stroke=\"#444\"/>%n", LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP));
        // ticks and grid
        for (double t : ticks(xr, logX)) {
            double px = px(t, xr);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, TOP, px, BOTTOM, px,
                    BOTTOM + 16, label(t, logX)));
        }
        for (double t : ticks(yr, logY)) {
            double py = py(t, yr);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, py, RIGHT, py, LEFT - 5,
                    py + 4, label(t, logY)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                (LEFT + RIGHT) / 2, BOTTOM + 34, esc(xLabel)));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">"
                + "%s</text>%n", (TOP + BOTTOM) / 2, (TOP + BOTTOM) / 2, esc(yLabel)));
        s.append(String.format(Locale.ROOT, "<clipPath id=\"clip-%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
                + "</clipPath>%n<g clip-path=\"url(#clip-%s)\">%n", esc(id), LEFT, TOP, RIGHT - LEFT, BOTTOM - TOP,
                esc(id)));
        for (Series se : series) {
            switch (se.kind()) {
                case BAND -> s.append(band(se, xr, yr));
                case POINTS -> {
                    for (int i = 0; i < se.x().length; i++) {
                        if (drawable(se.x()[i], logX, false) && drawable(se.y()[i], logY, true)) {
                            s.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"4.5\" fill=\"%s\""
                                    + " stroke=\"black\" stroke-width=\"0.8\"/>%n", px(se.x()[i], xr), py(se.y()[i], yr),
                                    se.color()));
                        }
                    }
                }
                default -> s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\""
                        + " stroke-width=\"%s\"%s/>%n", path(se.x(), se.y(), xr, yr), se.color(),
                        se.kind() == Kind.DASHED ? "1.6" : "2", se.kind() == Kind.DASHED ? " stroke-dasharray=\"6 4\"" : ""));
            }
        }
        s.append("</g>\n");
        for (int i = 0; i < shown.size(); i++) {
            Series se = shown.get(i);
            int lx = LEFT + (i % 2) * ((RIGHT - LEFT) / 2);
            int ly = BOTTOM + 56 + 18 * (i / 2);
            String mark = switch (se.kind()) {
                case BAND -> String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"24\" height=\"10\" fill=\"%s\""
                        + " fill-opacity=\"0.25\"/>", lx, ly - 9, se.color());
                case POINTS -> String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4.5\" fill=\"%s\""
                        + " stroke=\"black\" stroke-width=\"0.8\"/>", lx + 12, ly - 4, se.color());
                default -> String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                        + " stroke-width=\"2\"%s/>", lx, ly - 4, lx + 24, ly - 4, se.color(),
                        se.kind() == Kind.DASHED ? " stroke-dasharray=\"6 4\"" : "");
            };
            s.append(mark).append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", lx + 30, ly,
                    esc(se.label())));
        }
        return s.append("</svg>\n").toString();
    }

    private String band(Series se, double[] xr, double[] yr) {
        StringBuilder up = new StringBuilder();
        StringBuilder out = new StringBuilder();
        List<double[]> run = new ArrayList<>();
        for (int i = 0; i <= se.x().length; i++) {
            boolean ok = i < se.x().length && drawable(se.x()[i], logX, false) && drawable(se.y()[i], logY, true)
                    && drawable(se.y2()[i], logY, true);
            if (ok) {
                run.add(new double[] {px(se.x()[i], xr), py(se.y()[i], yr), py(se.y2()[i], yr)});
            } else if (!run.isEmpty()) {
                up.setLength(0);
                for (int k = 0; k < run.size(); k++) {
                    up.append(k == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.2f,%.2f ", run.get(k)[0],
                            run.get(k)[2]));
                }
                for (int k = run.size() - 1; k >= 0; k--) {
                    up.append(String.format(Locale.ROOT, "L%.2f,%.2f ", run.get(k)[0], run.get(k)[1]));
                }
                out.append(String.format(Locale.ROOT, "<path d=\"%sZ\" fill=\"%s\" fill-opacity=\"0.25\""
                        + " stroke=\"none\"/>%n", up, se.color()));
                run.clear();
            }
        }
        return out.toString();
    }

    private String path(double[] x, double[] y, double[] xr, double[] yr) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < x.length; i++) {
            if (drawable(x[i], logX, false) && drawable(y[i], logY, true)) {
                d.append(pen ? "L" : "M").append(String.format(Locale.ROOT, "%.2f,%.2f ", px(x[i], xr), py(y[i], yr)));
                pen = true;
            } else {
                pen = false;
            }
        }
        return d.toString().trim();
    }

    private double[] range(boolean isX) {
        boolean log = isX ? logX : logY;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series se : series) {
            for (double[] v : isX ? new double[][] {se.x()} : se.y2() == null ? new double[][] {se.y()}
                    : new double[][] {se.y(), se.y2()}) {
                for (int i = 0; i < v.length; i++) {
                    boolean ok = isX ? drawable(v[i], log, false)
                            : drawable(v[i], log, true) && drawable(se.x()[i], logX, false);
                    if (ok) {
                        lo = Math.min(lo, v[i]);
                        hi = Math.max(hi, v[i]);
                    }
                }
            }
        }
        if (lo > hi) {
            return log ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (log) {
            double a = Math.log10(lo);
            double b = Math.log10(hi);
            if (b - a < 1e-9) {
                a -= 0.5;
                b += 0.5;
            }
            double pad = isX ? 0 : 0.04 * (b - a);
            return new double[] {Math.pow(10, a - pad), Math.pow(10, b + pad)};
        }
        if (hi - lo < 1e-300 || hi - lo < 1e-12 * Math.abs(hi)) {
            double w = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - w, hi + w};
        }
        double pad = isX ? 0 : 0.05 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }

    private double px(double x, double[] r) {
        return LEFT + (RIGHT - LEFT) * frac(x, r, logX);
    }

    private double py(double y, double[] r) {
        return BOTTOM - (BOTTOM - TOP) * frac(y, r, logY);
    }

    private static double frac(double v, double[] r, boolean log) {
        return log ? (Math.log10(v) - Math.log10(r[0])) / (Math.log10(r[1]) - Math.log10(r[0]))
                : (v - r[0]) / (r[1] - r[0]);
    }

    /** Tick positions: 1-2-5 steps (about 6 ticks) on linear axes; decades (with 2 and 5 when few) on log axes. */
    static List<Double> ticks(double[] r, boolean log) {
        List<Double> t = new ArrayList<>();
        if (log) {
            int a = (int) Math.floor(Math.log10(r[0]));
            int b = (int) Math.ceil(Math.log10(r[1]));
            int stride = Math.max(1, (b - a + 6) / 7);
            int[] mant = b - a <= 2 ? new int[] {1, 2, 5} : new int[] {1};
            for (int e = a; e <= b; e++) {
                for (int m : mant) {
                    double v = m * Math.pow(10, e);
                    if (v >= r[0] * (1 - 1e-9) && v <= r[1] * (1 + 1e-9) && (m != 1 || Math.floorMod(e - a, stride) == 0)) {
                        t.add(v);
                    }
                }
            }
            return t;
        }
        double raw = (r[1] - r[0]) / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
        for (double v = Math.ceil(r[0] / step) * step; v <= r[1] + step * 1e-9; v += step) {
            t.add(Math.abs(v) < step * 1e-9 ? 0.0 : v);
        }
        return t;
    }

    private static String label(double v, boolean log) {
        if (log) {
            int e = (int) Math.floor(Math.log10(v) + 1e-9);
            long m = Math.round(v / Math.pow(10, e));
            if (e >= 0 && e <= 4) {
                return Long.toString(Math.round(v));
            }
            return (m == 1 ? "" : m + "·") + "1e" + e;
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
