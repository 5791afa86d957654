package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The statistics every verdict rests on, against values worked out by hand. */
class EstimateTest {

    @Test
    void meanAndStandardErrorOfTheMean() {
        Estimate e = Estimate.of(1, 2, 3, 4);
        assertEquals(2.5, e.mean(), 1e-15);
        // sample variance 5/3, se = sqrt(5/3 / 4)
        assertEquals(Math.sqrt(5.0 / 12), e.se(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), e.sd(), 1e-15);
        assertTrue(Double.isNaN(Estimate.of(7).se()));
    }

    @Test
    void aheadMeansMoreThanTwoCombinedStandardErrors() {
        Estimate a = new Estimate(0.50, 0.03, 5);
        Estimate b = new Estimate(0.40, 0.04, 5); // combined se 0.05: a difference of 0.10 is exactly 2 se
        assertFalse(a.aheadOf(b), "exactly 2 se is not more than 2 se");
        assertTrue(new Estimate(0.5001, 0.03, 5).aheadOf(b));
        assertFalse(b.aheadOf(a));
        assertFalse(new Estimate(0.9, Double.NaN, 1).aheadOf(b), "one run shows no difference");
        assertTrue(a.consistentWith(0.559, 0));
        assertFalse(a.consistentWith(0.561, 0));
    }

    @Test
    void lineFitStandardErrorsMatchTheTextbookByHand() {
        // x = 1..5, y = 1,3,2,5,4: slope 0.8, intercept 0.6, RSS 3.6, s² = 1.2, Sxx = 10
        LineFit f = LineFit.of(new double[] {1, 2, 3, 4, 5}, new double[] {1, 3, 2, 5, 4});
        assertEquals(0.8, f.slope(), 1e-14);
        assertEquals(0.6, f.intercept(), 1e-14);
        assertEquals(Math.sqrt(1.2 / 10), f.slopeSe(), 1e-14);
        assertEquals(Math.sqrt(1.2 * (1.0 / 5 + 9.0 / 10)), f.interceptSe(), 1e-14);
        assertEquals(1 - 3.6 / 10, f.r2(), 1e-14);
        LineFit exact = LineFit.of(new double[] {0, 1, 2}, new double[] {1, 3, 5});
        assertEquals(2, exact.slope(), 1e-14);
        assertEquals(0, exact.slopeSe(), 1e-7);
        assertTrue(Double.isNaN(LineFit.of(new double[] {0, 1}, new double[] {0, 1}).slopeSe()), "no residual freedom");
    }

    @Test
    void logLogFitRecoversAPowerLawAndItsError() {
        double[] x = {1, 2, 4, 8, 16};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 3 * Math.pow(x[i], -0.5);
        }
        LogLogFit f = LogLogFit.of(x, y);
        assertEquals(-0.5, f.slope(), 1e-13);
        assertEquals(0, f.slopeSe(), 1e-6);
        assertEquals(Math.log(3), f.intercept(), 1e-13);
    }
}
