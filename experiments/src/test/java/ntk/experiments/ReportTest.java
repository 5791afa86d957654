package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ntk.NdArray;
import ntk.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report writer: files, JSON, tagged numbers that must equal the summary, log-axis SVG geometry. */
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void writesPageSummaryDataAndPlots() throws Exception {
        Report r = new Report("toy", "A toy <experiment>")
                .claim("y = x²").verdict(Report.Verdict.SHOWN, "it is").param("n", 3).seeds(7, 8)
                .summary("widths", new int[] {10, 100}).summary("gap", new double[] {0.5, Double.NaN});
        r.table("t", List.of("width", "gap"), List.of(List.of(10, Report.num("gap/0", 0.5)),
                List.of(100, Report.num("gap/1", Double.NaN))));
        double[] x = {1, 10, 100, 1000};
        r.plot("p", new SvgPlot("power law", "x", "y").logX().logY().line("x^-1/2", x, new double[] {1, 0.316, 0.1, 0.0316}),
                "caption");
        r.npz("toy.npz", Map.of("x", NdArray.vector(x)));
        r.csv("toy.csv", List.of("x", "y"), List.of(x, new double[] {1, 2, 3, Double.NaN}));
        r.runTime(1.25);
        r.write(dir.resolve("toy"));
        Path out = dir.resolve("toy");
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h1>A toy &lt;experiment&gt;</h1>"), html);
        assertTrue(html.contains("data-key=\"gap/0\" data-value=\"0.5\">0.5000<"), html);
        assertTrue(html.contains("data-verdict=\"shown\""), html);
        String json = Files.readString(out.resolve("summary.json"));
        assertTrue(json.contains("\"widths\": [10, 100]"), json);
        assertTrue(json.contains("\"gap\": [0.5, null]"), json);
        assertTrue(json.contains("\"seeds\": [7, 8]"), json);
        assertTrue(json.contains("\"run_time_seconds\": 1.25"), json);
        assertEquals("x,y\n1.0,1.0\n10.0,2.0\n100.0,3.0\n1000.0,nan\n", Files.readString(out.resolve("toy.csv")));
        assertEquals(1000.0, Npz.read(out.resolve("toy.npz")).get("x").data[3], 0.0);
        assertTrue(Files.readString(out.resolve("p.svg")).startsWith("<svg"));
        // a page number that is not the summary's is refused before anything is written
        Report bad = new Report("bad", "b").summary("a", 1.0);
        bad.paragraph("a = %s", Report.num("a", 2.0));
        assertThrows(IllegalStateException.class, () -> bad.write(dir.resolve("bad")));
        assertTrue(!Files.exists(dir.resolve("bad")));
    }

    /** The declarative layer: tables, sentences and data files name summary numbers; the page shows and tags them. */
    @Test
    void tablesAndSentencesAreBuiltFromTheSummary() {
        Report r = new Report("toy", "t").summary("widths", new int[] {10, 100})
                .estimates("gap", 2, i -> Estimate.of(1.0 / (i + 1), 2.0 / (i + 1)))
                .slope("gap_slope", LogLogFit.of(new double[] {10, 100}, new double[] {1, 0.1}));
        r.table("per width", 2, r.label("width", "widths"), r.column("gap", "gap", "%.3f"), r.se("gap_se"),
                Report.of("note", i -> i == 0 ? "narrow" : "wide"));
        r.sentence("The gap falls as width^{gap_slope|%.2f} ± {gap_slope_se|%.1g}; {gap/0} at width 10.");
        String html = r.html();
        assertTrue(html.contains("<thead><tr><th>width</th><th>gap</th><th>± se</th><th>note</th></tr></thead>"), html);
        assertTrue(html.contains("<tr><td>10</td><td><span class=\"num\" data-key=\"gap/0\" data-value=\"1.5\">1.500"
                + "</span></td>"), html);
        assertTrue(html.contains("<td>wide</td>"), html);
        assertTrue(html.contains("<p>The gap falls as width^<span class=\"num\" data-key=\"gap_slope\" data-value=\""),
                html);
        assertTrue(html.contains(">-1.00</span> ± <span class=\"num\" data-key=\"gap_slope_se\""), html);
        assertTrue(html.contains("1.500</span> at width 10.</p>"), html);
        // the numbers follow the summary: change it and the sentence changes
        Report s = new Report("toy", "t").summary("gap_slope", -0.5).summary("gap_slope_se", 0.1).summary("gap",
                new double[] {2});
        s.sentence("The gap falls as width^{gap_slope|%.2f} ± {gap_slope_se|%.1g}; {gap/0} at width 10.");
        assertTrue(s.html().contains(">-0.50</span>"), s.html());
        // a sentence or column naming a number the summary does not hold is refused
        assertThrows(IllegalArgumentException.class, () -> s.sentence("{missing}"));
        assertThrows(IllegalArgumentException.class, () -> s.table("x", 2, s.column("gap", "gap")));
    }

    @Test
    void logLogLineIsStraightAndTicksAreDecades() {
        double[] x = {1, 10, 100, 1000};
        double[] y = {1, 1e-1, 1e-2, 1e-3};
        String svg = new SvgPlot("t", "x", "y").logX().logY().line("a", x, y).svg("s");
        // the path's points are equally spaced along a straight line on log-log axes
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<path d=\"([^\"]+)\" fill=\"none\"").matcher(svg);
        assertTrue(m.find(), svg);
        String[] pts = m.group(1).replaceAll("[ML]", " ").trim().split("\\s+");
        assertEquals(4, pts.length);
        double[][] p = new double[4][];
        for (int i = 0; i < 4; i++) {
            String[] xy = pts[i].split(",");
            p[i] = new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])};
        }
        for (int i = 1; i < 3; i++) {
            assertEquals(p[1][0] - p[0][0], p[i + 1][0] - p[i][0], 0.02);
            assertEquals(p[1][1] - p[0][1], p[i + 1][1] - p[i][1], 0.02);
        }
        assertEquals(SvgPlot.LEFT, p[0][0], 0.01);
        assertEquals(SvgPlot.RIGHT, p[3][0], 0.01);
        assertEquals(List.of(1.0, 10.0, 100.0, 1000.0), SvgPlot.ticks(new double[] {1, 1000}, true));
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0), SvgPlot.ticks(new double[] {0, 1}, false));
        // non-positive values on a log axis break the line instead of breaking the plot
        String broken = new SvgPlot("t", "x", "y").logY().line("a", new double[] {1, 2, 3},
                new double[] {1, 0, 2}).svg("b");
        assertTrue(broken.contains("M") && !broken.contains("NaN") && !broken.contains("Infinity"), broken);
    }
}
