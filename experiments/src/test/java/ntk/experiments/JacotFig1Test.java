package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * jacot-fig1: the verdict on constructed Results (each side of each line), the report generated from the Result,
 * and a tiny real run's properties that do not depend on the order of floating-point sums.
 */
class JacotFig1Test {
    static final int[] WIDTHS = {100, 300, 1000};
    static final double[] LIMIT = {1, 2, 1};
    static final double[] U = {1, 0, -1}; // zero mean: moves the curve's shape, not its level

    /**
     * Curves on a 3-point grid: network s of width w starts at Θ∞·(1 + level(w) + 0.002 z_s) + spread(w)(1 + 0.2 z_s)·U
     * and after training is Θ₀·(1 + infl(w)(1 + 0.2 z_s)) + move(w)(1 + 0.2 z_s)·U, z_s = s − (seeds − 1)/2.
     */
    static JacotFig1.Result constructed(int[] widths, int seeds, DoubleUnaryOperator spread, DoubleUnaryOperator level,
            DoubleUnaryOperator infl, DoubleUnaryOperator move) {
        JacotFig1.Config c = new JacotFig1.Config(widths, seeds, 200, 1.0, 100, 3, 0);
        double[][][] init = new double[widths.length][seeds][3];
        double[][][] trained = new double[widths.length][seeds][3];
        double[][] loss = new double[widths.length][seeds];
        for (int w = 0; w < widths.length; w++) {
            double x = widths[w];
            for (int s = 0; s < seeds; s++) {
                double z = s - (seeds - 1) / 2.0;
                for (int i = 0; i < 3; i++) {
                    init[w][s][i] = LIMIT[i] * (1 + level.applyAsDouble(x) + 0.002 * z)
                            + spread.applyAsDouble(x) * (1 + 0.2 * z) * U[i];
                    trained[w][s][i] = init[w][s][i] * (1 + infl.applyAsDouble(x) * (1 + 0.2 * z))
                            + move.applyAsDouble(x) * (1 + 0.2 * z) * U[i];
                }
                loss[w][s] = 0.01;
            }
        }
        return JacotFig1.Result.of(c, Points.angles(3), LIMIT, init, trained, loss);
    }

    static JacotFig1.Result paperLike(double narrowLevel, double narrowInflation) {
        return constructed(WIDTHS, 5, w -> 0.3 * Math.pow(w / 100, -0.5), w -> w == 100 ? narrowLevel : 0,
                w -> w == 100 ? narrowInflation : 0.2 * 100 / w, w -> 0.5 * 100 / w);
    }

    @Test
    void shownWhenSpreadFallsLikeInverseRootWidthKernelInflatesAndMovesLessWhenWider() {
        JacotFig1.Result r = paperLike(0, 0.2);
        LineFit dev = r.slope(JacotFig1.Measure.DEVIATION);
        assertEquals(-0.5, dev.slope(), 0.05);
        assertTrue(dev.slopeSe() > 0 && dev.slopeSe() < 0.25, "slope error " + dev.slopeSe());
        Decision d = JacotFig1.decide(r);
        assertEquals(Report.Verdict.SHOWN, d.verdict(), d.reason());
    }

    @Test
    void partlyWhenOnePartFails() {
        // the narrow kernel's level 5 % off the wide one's (errors ~0.1 %): "very close" fails
        Decision level = JacotFig1.decide(paperLike(0.05, 0.2));
        assertEquals(Report.Verdict.PARTLY, level.verdict(), level.reason());
        assertTrue(level.reason().contains("differ by more than 2 standard errors"), level.reason());
        // no inflation at the narrow width
        Decision flat = JacotFig1.decide(paperLike(0, 0));
        assertEquals(Report.Verdict.PARTLY, flat.verdict(), flat.reason());
        assertTrue(flat.reason().contains("no inflation"), flat.reason());
        // the spread falls like width^-1 instead of width^-1/2: it falls, but not at the predicted rate
        Decision fast = JacotFig1.decide(constructed(WIDTHS, 5, w -> 0.3 * 100 / w, w -> 0, w -> 0.2 * 100 / w,
                w -> 0.5 * 100 / w));
        assertEquals(Report.Verdict.PARTLY, fast.verdict(), fast.reason());
        assertTrue(fast.reason().contains("not like width^−1/2"), fast.reason());
        // the same inflation (20 %) at every width: it inflates, but not "much less" for the wider network
        Decision same = JacotFig1.decide(constructed(WIDTHS, 5, w -> 0.3 * Math.pow(w / 100, -0.5), w -> 0,
                w -> 0.2, w -> 0.5 * 100 / w));
        assertEquals(Report.Verdict.PARTLY, same.verdict(), same.reason());
        assertTrue(same.reason().contains("not less than at the narrowest"), same.reason());
    }

    @Test
    void theInflationSectionSaysWhatTheDataShow() {
        Report less = JacotFig1.render(paperLike(0, 0.2));
        Report same = JacotFig1.render(constructed(WIDTHS, 5, w -> 0.3 * Math.pow(w / 100, -0.5), w -> 0,
                w -> 0.2, w -> 0.5 * 100 / w));
        assertTrue(less.html().contains("Inflation in training"));
        assertTrue(less.html().contains("less inflation at the wider width"), less.html());
        assertTrue(same.html().contains("not shown to be smaller"), same.html());
        // paperLike inflates like 0.2·100/w at widths past the narrowest: a fitted power near −1 with an error
        double slope = (double) less.summary().get("inflation_slope");
        assertTrue(slope < -0.5 && slope > -1.5, "inflation slope " + slope);
        assertEquals(0.2 - 0.02, (double) less.summary().get("inflation_difference"), 1e-3);
        assertEquals(15, ((Number) less.summary().get("networks_inflated")).intValue());
    }

    @Test
    void notShownWhenNothingFallsWithWidthOrThereIsNoError() {
        Decision flat = JacotFig1.decide(constructed(WIDTHS, 5, w -> 0.3, w -> 0, w -> 0.2, w -> 0.5));
        assertEquals(Report.Verdict.NOT_SHOWN, flat.verdict(), flat.reason());
        // the example: widths 10 and 20, one seed: two networks give no error, whatever they show
        Decision one = JacotFig1.decide(constructed(new int[] {10, 20}, 1, w -> 3 / Math.sqrt(w), w -> 0,
                w -> 2 / w, w -> 5 / w));
        assertEquals(Report.Verdict.NOT_SHOWN, one.verdict(), one.reason());
        assertTrue(one.reason().contains("not shown at this size"), one.reason());
    }

    @Test
    void tooFewSeedsForTheRateSaysHowManyWould() {
        // a wide seed-to-seed scatter: the slope's error exceeds 0.25, so the rate is untested
        JacotFig1.Result r = constructed(new int[] {100, 130}, 3, w -> 0.3 * Math.pow(w / 100, -0.5), w -> 0,
                w -> 0.2 * 100 / w, w -> 0.5 * 100 / w);
        assertTrue(r.slope(JacotFig1.Measure.DEVIATION).slopeSe() > 0.25);
        Decision d = JacotFig1.decide(r);
        assertNotEquals(Report.Verdict.SHOWN, d.verdict(), d.reason());
        assertTrue(d.reason().contains("seeds per width would bring it"), d.reason());
    }

    @Test
    void theReportIsGeneratedFromTheResult() {
        Report a = JacotFig1.render(paperLike(0, 0.2));
        Report b = JacotFig1.render(paperLike(0, 0.35));
        assertNotEquals(a.verdictText(), b.verdictText());
        assertTrue(a.verdictText().contains("+20.0"), a.verdictText());
        assertTrue(b.verdictText().contains("+35.0"), b.verdictText());
        assertTrue(b.html().contains("data-key=\"inflation/0\""));
        assertEquals("shown", a.summaryJson().get("verdict"));
        for (String k : new String[] {"init_deviation", "init_deviation_se", "kernel_change", "kernel_change_se",
                "init_slope", "init_slope_se", "change_slope", "change_slope_se", "inflation_se", "final_loss"}) {
            assertTrue(a.summary().containsKey(k), k);
        }
        assertTrue(!a.html().contains("bunch around"));
    }

    /** A tiny real run: properties that hold whatever order the sums are taken in. */
    @Test
    void tinyRunTrainsAndItsLimitPeaksAtTheStartingPoint() {
        JacotFig1.Config c = new JacotFig1.Config(new int[] {32, 128}, 2, 30, 1.0, 24, 31, 0);
        JacotFig1.Result r = JacotFig1.compute(c, Progress.QUIET);
        int mid = (c.grid() - 1) / 2;
        assertEquals(0, r.gammas()[mid], 1e-15);
        for (double v : r.limit()) {
            assertTrue(v <= r.limit()[mid] + 1e-12);
        }
        for (int w = 0; w < 2; w++) {
            for (int s = 0; s < 2; s++) {
                // the finite kernel at the starting point is positive and of the limit's order
                assertTrue(r.init()[w][s][mid] > 0.2 * r.limit()[mid] && r.init()[w][s][mid] < 5 * r.limit()[mid]);
                assertTrue(r.finalLoss()[w][s] < 0.5, "loss " + r.finalLoss()[w][s]);
            }
        }
        Report rep = JacotFig1.render(r);
        assertTrue(rep.html().contains("“For the wider network, the NTK shows less variance"));
        assertTrue(rep.deviations().size() >= 4, rep.deviations().toString());
    }
}
