package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import ntk.BadInputException;
import ntk.data.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo composed small (kernel regression classifies real digits, the summary's keys), its verdicts on
 * constructed Results on every side, and its refusals.
 */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void tinyDemoClassifiesDigitsAndWritesTheSummaryKeys() throws Exception {
        Demo.Config c = new Demo.Config(Mnist.shippedSplit(), 200, 100, 20, new int[] {16, 128}, 2, 5, 1.0, 20, 0);
        Demo.Result r = Demo.compute(c, Progress.QUIET);
        // 200 real digits already classify far above chance (0.1) with either kernel
        assertTrue(r.nngpAccuracy() > 0.7 && r.ntkAccuracy() > 0.7, r.nngpAccuracy() + " " + r.ntkAccuracy());
        assertEquals(2, r.distance()[0].length);
        Report rep = Demo.render(r);
        rep.write(dir);
        String json = Files.readString(dir.resolve("summary.json"));
        for (String k : new String[] {"mnist_train", "mnist_test", "nngp_accuracy", "nngp_accuracy_se", "ntk_accuracy",
            "ntk_accuracy_se", "widths", "distance_to_ntk", "distance_to_ntk_se", "distance_slope_se",
            "linearization_gap", "linearization_gap_se", "gap_slope_se", "kernel_change_se", "finite_accuracy_se",
            "ntk_network_accuracy_se", "spectrum_alpha", "spectrum_alpha_se", "sections", "depth_lambda_min",
            "paper_claim", "paper_ref", "verdict", "deviations"}) {
            assertTrue(json.contains("\"" + k + "\":"), k);
        }
        Map<String, Object> s = rep.summaryJson();
        assertNotNull(PaperTexts.source(Demo.CLAIM.quote()), Demo.CLAIM.quote());
        assertNotNull(PaperTexts.source(Demo.DEPTH_CLAIM.quote()), Demo.DEPTH_CLAIM.quote());
        assertNotNull(PaperTexts.source(Spectrum.CLAIM.quote()), Spectrum.CLAIM.quote());
        assertEquals(200, s.get("mnist_train"));
        assertEquals(r.ntkAccuracy(), (double) s.get("ntk_accuracy"), 0);
        assertEquals(Demo.CLAIM.quote(), s.get("paper_claim"));
        assertEquals(Demo.decide(r).verdict().label, s.get("verdict"));
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("data-plot=\"demo-widths\"") && html.contains("data-plot=\"demo-depth\""));
    }

    private static final int[] WIDTHS = {64, 128, 256, 512};

    /** A stand-in split for constructed Results (the Config only checks its sizes). */
    private static final Mnist.Split SPLIT = new Mnist.Split(new Mnist(1000, 28, 28, new double[1000 * 784],
            new int[1000]), new Mnist(100, 28, 28, new double[100 * 784], new int[100]), "constructed");

    /** Values c·width^slope for two seeds, ±1 % apart (so each fit has a small, finite standard error). */
    private static double[][] law(double slope) {
        double[][] v = new double[WIDTHS.length][2];
        for (int w = 0; w < WIDTHS.length; w++) {
            double m = 0.5 * Math.pow(WIDTHS[w], slope);
            v[w][0] = m * (1 + 0.01 * (w % 2 == 0 ? 1 : -1));
            v[w][1] = m * (1 - 0.01 * (w % 2 == 0 ? 1 : -1));
        }
        return v;
    }

    private static double[][] constant(double value) {
        double[][] v = new double[WIDTHS.length][2];
        for (double[] row : v) {
            java.util.Arrays.fill(row, value);
        }
        return v;
    }

    private static Demo.Result constructed(double distSlope, double kernelSlope, double gapSlope, double alpha,
            Decision depth) {
        Demo.Config c = new Demo.Config(SPLIT, 400, 100, 40, WIDTHS, 2, 10, 1.0, 20, 0);
        double[] eig = new double[400];
        for (int i = 1; i <= 400; i++) {
            eig[i - 1] = Math.pow(i, -alpha) * (1 + 0.05 * (i % 2 == 0 ? 1 : -1));
        }
        return new Demo.Result(c, "constructed", 0.9, 0.91, Spectrum.ofEigenvalues(eig, 10, 100), 0.5, law(gapSlope),
                law(kernelSlope), law(distSlope), constant(0.8), constant(0.81), null, depth);
    }

    @Test
    void sectionVerdictsOnEachSide() {
        Decision shown = Decision.shown("depth shown");
        assertEquals(Report.Verdict.SHOWN, Demo.widthsDecision(constructed(-0.5, -0.5, -0.5, 1.5, shown)).verdict());
        // the gap falls, but more slowly than width^−1/2
        assertEquals(Report.Verdict.PARTLY, Demo.widthsDecision(constructed(-0.5, -0.5, -0.2, 1.5, shown)).verdict());
        // the kernel change does not fall beyond its error (flat)
        assertEquals(Report.Verdict.PARTLY, Demo.widthsDecision(constructed(-0.5, 0, -0.5, 1.5, shown)).verdict());
        Decision grows = Demo.widthsDecision(constructed(0.3, -0.5, -0.5, 1.5, shown));
        assertEquals(Report.Verdict.NOT_SHOWN, grows.verdict());
        assertTrue(grows.reason().contains("grows"), grows.reason());
        assertEquals(Report.Verdict.SHOWN, Demo.spectrumDecision(constructed(-0.5, -0.5, -0.5, 1.5, shown)).verdict());
        assertEquals(Report.Verdict.NOT_SHOWN, Demo.spectrumDecision(constructed(-0.5, -0.5, -0.5, 0.89, shown))
                .verdict());
        // an i^−1 law (±5 % wiggle): α = 1 within its error is neither above nor below 1
        assertEquals(Report.Verdict.PARTLY, Demo.spectrumDecision(constructed(-0.5, -0.5, -0.5, 1.0, shown)).verdict());
    }

    @Test
    void decideCombinesTheSectionsOnEachSide() {
        Decision shown = Decision.shown("depth shown");
        Decision notShown = Decision.notShown("depth not shown");
        Decision partly = Decision.partly("depth partly shown");
        assertEquals(Report.Verdict.SHOWN, Demo.decide(constructed(-0.5, -0.5, -0.5, 1.5, shown)).verdict());
        assertEquals(Report.Verdict.NOT_SHOWN, Demo.decide(constructed(0.3, 0.3, 0.3, 0.8, notShown)).verdict());
        // one section short of shown, in turn
        assertEquals(Report.Verdict.PARTLY, Demo.decide(constructed(-0.5, -0.5, -0.5, 1.5, partly)).verdict());
        assertEquals(Report.Verdict.PARTLY, Demo.decide(constructed(-0.5, -0.5, -0.5, 0.8, shown)).verdict());
        Decision d = Demo.decide(constructed(0.3, 0.3, 0.3, 1.5, shown));
        assertEquals(Report.Verdict.PARTLY, d.verdict());
        assertTrue(d.reason().contains("2 not shown") && d.reason().contains("3 shown")
                && d.reason().contains("4 shown"), d.reason());
    }

    @Test
    void reportTextFollowsTheResult() {
        Report a = Demo.render(constructed(-0.5, -0.5, -0.5, 1.5, Decision.shown("depth fine")));
        Report b = Demo.render(constructed(-0.5, -0.5, -0.2, 0.89, Decision.partly("depth so-so")));
        assertEquals(Report.Verdict.SHOWN, a.verdict());
        assertEquals(Report.Verdict.PARTLY, b.verdict());
        String ha = a.html();
        String hb = b.html();
        assertNotEquals(a.verdictText(), b.verdictText());
        assertTrue(ha.contains("3. The NTK’s spectrum on the training digits: shown")
                || ha.contains("3. The NTK&#39;s spectrum on the training digits: shown")
                || ha.contains("spectrum on the training digits: shown"), "section heading carries its verdict");
        assertTrue(hb.contains("spectrum on the training digits: not shown"));
        assertTrue(ha.contains("depth fine") && hb.contains("depth so-so"));
        assertTrue(hb.contains("(slower than −1/2") && ha.contains("(not slower than −1/2"));
        // the accuracy comparison is chosen from the data: 0.90 vs 0.91 on 100 test digits is within the errors
        assertTrue(ha.contains("Neither kernel is ahead"));
        List<?> sections = (List<?>) a.summaryJson().get("sections");
        assertEquals(3, sections.size());
    }

    @Test
    void valuesBelowRoundingPrintAsSuch() {
        // λ_min of a 4×4 matrix with entries of size 1: rounding is 4²·2.2e−16 ≈ 3.6e−15
        assertEquals("0 to rounding (|λ| < 3.6e-15)", Demo.roundingAware(-1.1e-17, 1.0, 4, "%.3g"));
        assertEquals("0 to rounding (|λ| < 3.6e-15)", Demo.roundingAware(1.9e-15, 1.0, 4, "%.3g"));
        assertEquals("0.00123", Demo.roundingAware(0.00123, 1.0, 4, "%.3g"));
        // the level follows the matrix's scale: the same value is real next to entries of size 1e−6
        assertEquals("-1.1e-17", Demo.roundingAware(-1.1e-17, 1e-6, 4, "%.2g"));
    }

    @Test
    void testImagesOfAnotherSizeAreRefusedBeforeAnyWork() {
        Mnist train = new Mnist(20, 28, 28, new double[20 * 784], new int[20]);
        Mnist test = new Mnist(20, 20, 20, new double[20 * 400], new int[20]);
        BadInputException e = assertThrows(BadInputException.class, () -> Demo.Config.standard(new Mnist.Split(train,
                test, "a directory")));
        assertTrue(e.getMessage().contains("20×20") && e.getMessage().contains("28×28") && !e.getMessage()
                .contains("\n"), e.getMessage());
    }
}
