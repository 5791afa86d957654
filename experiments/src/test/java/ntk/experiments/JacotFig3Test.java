package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * jacot-fig3: the verdict on constructed Results (each side), the report generated from the Result, and a tiny real
 * run's properties that do not depend on the order of floating-point sums.
 */
class JacotFig3Test {
    static final int[] WIDTHS = {100, 300, 1000};

    /**
     * Two networks per width with limit rate λ₂ = 1: network s decays along f⁽²⁾ at 1 + excess(w) ± eps and leaves
     * the line by line(w)·(1 ± 0.05).
     */
    static JacotFig3.Result constructed(DoubleUnaryOperator excess, double eps, DoubleUnaryOperator line) {
        JacotFig3.Config c = new JacotFig3.Config(new double[4], 4, 1, null, WIDTHS, 2, 0.5, 2, 3, 0);
        double[] time = new double[11];
        for (int t = 0; t < time.length; t++) {
            time[t] = 0.2 * t;
        }
        double[][][] g = new double[WIDTHS.length][2][time.length];
        double[][][] h = new double[WIDTHS.length][2][time.length];
        for (int w = 0; w < WIDTHS.length; w++) {
            for (int s = 0; s < 2; s++) {
                double sign = s == 0 ? -1 : 1;
                double rate = 1 + excess.applyAsDouble(WIDTHS[w]) + sign * eps;
                double amp = line.applyAsDouble(WIDTHS[w]) * (1 + 0.05 * sign);
                for (int t = 0; t < time.length; t++) {
                    g[w][s][t] = -0.5 * Math.exp(-rate * time[t]);
                    h[w][s][t] = 0.5 * amp * Math.sin(Math.PI * t / (time.length - 1));
                }
            }
        }
        double[][] comps = {{1, 1, 1, 1}, {1, -1, 1, -1}, {1, 1, -1, -1}};
        return JacotFig3.Result.of(c, new double[] {20, 1, 0.5, 0.2}, comps, 0.025, 80, time, g, h, 1, 1);
    }

    @Test
    void shownWhenTheWidestReachesTheLimitAndTheLineDeviationFalls() {
        JacotFig3.Result r = constructed(w -> Math.pow(100.0 / w, 2), 0.008, w -> 0.3 * Math.sqrt(100.0 / w));
        assertEquals(1 + 1, r.rate(0, 1), 0.01);
        Decision d = JacotFig3.decide(r);
        assertEquals(Report.Verdict.SHOWN, d.verdict(), d.reason());
    }

    @Test
    void notShownAtThisSizeSaysWhatWidthTheTrendNeeds() {
        // the excess falls like width^-1/2 but is still 32 % at width 1000
        Decision d = JacotFig3.decide(constructed(w -> Math.sqrt(100.0 / w), 0.01, w -> 0.3 * Math.sqrt(100.0 / w)));
        assertEquals(Report.Verdict.PARTLY, d.verdict(), d.reason());
        assertTrue(d.reason().contains("not shown at this size"), d.reason());
        assertTrue(d.reason().contains("reaches 10 % at width ≈ "), d.reason());
    }

    @Test
    void aSmallResolvedExcessIsNotExtrapolatedToTheTarget() {
        // the excess falls to 5 % at width 1000, resolved (2 networks ± 0.5 %): below the 10 % target, not zero
        Decision d = JacotFig3.decide(constructed(w -> 0.05 * 1000.0 / w, 0.005, w -> 0.3 * Math.sqrt(100.0 / w)));
        assertEquals(Report.Verdict.PARTLY, d.verdict(), d.reason());
        assertTrue(d.reason().contains("already below 10 %"), d.reason());
        assertTrue(!d.reason().contains("Extrapolated"), d.reason());
    }

    @Test
    void notShownWhenNothingApproachesTheLimit() {
        Decision d = JacotFig3.decide(constructed(w -> 0.5, 0.01, w -> 0.3));
        assertEquals(Report.Verdict.NOT_SHOWN, d.verdict(), d.reason());
    }

    @Test
    void theReportIsGeneratedFromTheResult() {
        Report a = JacotFig3.render(constructed(w -> Math.pow(100.0 / w, 2), 0.008, w -> 0.3 * Math.sqrt(100.0 / w)));
        Report b = JacotFig3.render(constructed(w -> Math.sqrt(100.0 / w), 0.01, w -> 0.3 * Math.sqrt(100.0 / w)));
        assertNotEquals(a.verdictText(), b.verdictText());
        assertEquals("shown", a.summaryJson().get("verdict"));
        assertEquals("partly shown", b.summaryJson().get("verdict"));
        for (String k : new String[] {"pc2_rate_measured", "pc2_rate_measured_se", "line_deviation",
                "line_deviation_se", "rate_excess_se", "line_slope_se", "excess_slope_se"}) {
            assertTrue(a.summary().containsKey(k), k);
        }
        assertTrue(b.html().contains("data-key=\"rate_excess/2\""));
    }

    /** A tiny real run: the components and the trajectories' start, which hold whatever the order of the sums. */
    @Test
    void tinyRunStartsOnTheSecondComponent() {
        int n = 48;
        int d = 6;
        double[] x = Points.gaussian(n, d, 11);
        JacotFig3.Config c = new JacotFig3.Config(x, n, d, null, new int[] {32, 128}, 2, 0.5, 1.0, 8, 0);
        JacotFig3.Result r = JacotFig3.compute(c, Progress.QUIET);
        for (int i = 1; i < r.eigenvalues().length; i++) {
            assertTrue(r.eigenvalues()[i] <= r.eigenvalues()[i - 1]);
        }
        for (double[] f : r.components()) {
            assertEquals(1, Arrays.stream(f).map(v -> v * v).sum() / n, 1e-12);
        }
        // at t = 0 the residual is −½f⁽²⁾ exactly, and it decays
        assertEquals(-0.5, r.g()[0][0][0], 1e-12);
        assertEquals(0, r.h()[0][0][0], 1e-12);
        for (int w = 0; w < 2; w++) {
            for (int s = 0; s < 2; s++) {
                assertTrue(r.rate(w, s) > 0, "rate " + r.rate(w, s));
            }
        }
        Report rep = JacotFig3.render(r);
        assertTrue(rep.html().contains("“As expected, we see in Figure 3b"));
    }
}
