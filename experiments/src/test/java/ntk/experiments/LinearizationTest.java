package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * linearization: the verdict on Pleiss' eq. 7 on constructed Results (each side), the report generated from the
 * Result, and a tiny real run's bookkeeping (properties that do not depend on the order of floating-point sums).
 */
class LinearizationTest {
    static final int[] WIDTHS = {64, 128, 256, 512, 1024};

    /**
     * Two networks per width: network s travels ‖θ_T − θ₀‖ = dist(w)(1 ± 0.05) and leaves a remainder
     * |f − f_lin| = rem(w)(1 ± 0.05)·‖θ_T − θ₀‖².
     */
    static Linearization.Result constructed(DoubleUnaryOperator dist, DoubleUnaryOperator rem) {
        int nw = WIDTHS.length;
        Linearization.Config c = new Linearization.Config(new double[4], 2, 2, new double[2], 1, new double[2], 1,
                WIDTHS, 2, 50, 1.0, 0);
        double[][] theta = new double[nw][2];
        double[][] abs = new double[nw][2];
        double[][] rel = new double[nw][2];
        double[] one = new double[nw];
        double[] w = new double[nw];
        for (int i = 0; i < nw; i++) {
            w[i] = WIDTHS[i];
            one[i] = 1;
            for (int s = 0; s < 2; s++) {
                double f = s == 0 ? 0.95 : 1.05;
                theta[i][s] = dist.applyAsDouble(WIDTHS[i]) * f;
                abs[i][s] = rem.applyAsDouble(WIDTHS[i]) * (s == 0 ? 1.05 : 0.95) * theta[i][s] * theta[i][s];
                rel[i][s] = 0.1;
            }
        }
        LogLogFit flat = LogLogFit.of(w, one);
        return new Linearization.Result(c, 0.1, one, one, one, one, one, one, one, flat, flat, flat, flat,
                new double[nw][2][1], new double[nw][2][1], abs, theta, rel, rel, rel);
    }

    @Test
    void shownWhenTheNetworksStayCloseAndTheRemainderFallsAtLeastLikeTheBound() {
        Linearization.Result r = constructed(w -> 8, w -> 0.02 * Math.pow(w, -0.6));
        assertEquals(-0.6, r.slope(r.remainder()).slope(), 0.02);
        Decision d = Linearization.decide(r);
        assertEquals(Report.Verdict.SHOWN, d.verdict(), d.reason());
    }

    @Test
    void partlyWhenTheRemainderFallsMoreSlowlyThanTheBoundOrTheNetworksTravelTooFar() {
        Decision slow = Linearization.decide(constructed(w -> 8, w -> 0.02 * Math.pow(w, -0.25)));
        assertEquals(Report.Verdict.PARTLY, slow.verdict(), slow.reason());
        assertTrue(slow.reason().contains("more slowly"), slow.reason());
        // ‖θ − θ₀‖ growing like √width: the premise o(√width) fails, though the remainder still falls
        Decision far = Linearization.decide(constructed(w -> Math.sqrt(w), w -> 0.02 / w / w));
        assertEquals(Report.Verdict.PARTLY, far.verdict(), far.reason());
        assertTrue(far.reason().contains("not shown"), far.reason());
    }

    @Test
    void notShownWhenTheRemainderDoesNotFall() {
        Decision d = Linearization.decide(constructed(w -> 8, w -> 0.001));
        assertEquals(Report.Verdict.NOT_SHOWN, d.verdict(), d.reason());
    }

    @Test
    void theReportIsGeneratedFromTheResult() {
        Report a = Linearization.render(constructed(w -> 8, w -> 0.02 * Math.pow(w, -0.6)));
        Report b = Linearization.render(constructed(w -> 9, w -> 0.02 * Math.pow(w, -0.7)));
        assertNotEquals(a.verdictText(), b.verdictText());
        assertEquals("shown", a.summaryJson().get("verdict"));
        for (String k : new String[] {"linearization_gap", "gap_slope", "gap_slope_se", "param_change", "param_distance",
                "param_distance_se", "distance_to_ntk", "distance_slope_se", "absolute_gap", "absolute_gap_slope_se",
                "remainder_slope", "remainder_slope_se", "theta_distance_slope_se"}) {
            assertTrue(a.summary().containsKey(k), k);
        }
        assertTrue(!a.html().contains("as lazy training says"));
        assertTrue(a.html().contains("“Curiously Eq. (7) tells us that"));
    }

    /** A tiny real run: the per-network numbers and the per-width ones agree, whatever the order of the sums. */
    @Test
    void tinyRunsBookkeeping() {
        int n = 16;
        int d = 4;
        double[] x = Points.gaussian(n, d, 3);
        double[] t = Points.gaussian(8, d, 4);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(2 * x[i * d]) + x[i * d + 1] * x[i * d + 2];
        }
        Linearization.Config c = new Linearization.Config(x, n, d, y, 1, t, 8, new int[] {16, 32, 64}, 2, 10, 1.0, 0);
        Linearization.Result r = Linearization.compute(c, Progress.QUIET);
        for (int w = 0; w < 3; w++) {
            assertEquals(r.linearizationGap()[w], Linearization.Result.rms(r.seedGap()[w]).mean(), 1e-12);
            assertEquals(r.paramDistance()[w], Linearization.Result.rms(r.thetaDistance()[w]).mean(),
                    1e-9 * r.paramDistance()[w]);
            for (int s = 0; s < 2; s++) {
                assertTrue(r.absoluteGap()[w][s] > 0 && Double.isFinite(r.absoluteGap()[w][s]));
                assertTrue(r.thetaDistance()[w][s] > 0);
            }
        }
        assertTrue(Linearization.render(r).summaryJson().get("verdict") != null);
    }
}
