package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * jacot-fig2: the sampling error of the statistics against independent formulas, the verdict on constructed Results
 * (each side), the report generated from the Result, and a tiny real run's properties that do not depend on the
 * order of floating-point sums.
 */
class JacotFig2Test {
    static final int G = 181;
    /** Ten values whose shares below −1.2816, below 0 and above 1.2816 are exactly 10 %, 50 % and 10 %. */
    static final double[] QUANTILES = {-1.7, -1.0, -0.6, -0.3, -0.1, 0.1, 0.3, 0.6, 1.0, 1.7};

    /** Ten "networks": at every angle the ten QUANTILES (in a seed-dependent order), shifted and scaled. */
    static double[] networks(double shift, double scale) {
        double[] o = new double[10 * G];
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < G; i++) {
                o[s * G + i] = shift + scale * QUANTILES[(s + i) % 10];
            }
        }
        return o;
    }

    /** A GP N(0, 1) at every angle, ten networks per width, and a sampling null written down by hand. */
    static JacotFig2.Result constructed(double[]... outputs) {
        int[] widths = new int[outputs.length];
        List<JacotFig2.WidthRun> runs = new java.util.ArrayList<>();
        for (int w = 0; w < outputs.length; w++) {
            widths[w] = 50 * (w + 1);
            runs.add(new JacotFig2.WidthRun(widths[w], outputs[w], new double[10]));
        }
        double[] zero = new double[G];
        double[] one = new double[G];
        java.util.Arrays.fill(one, 1);
        JacotFig2.SamplingNull nul = new JacotFig2.SamplingNull(new double[] {0.1, 0.5, 0.1, 0.32, 1.0},
                new double[] {0.03, 0.06, 0.03, 0.07, 0.2}, 2.6, 2000, 10);
        return new JacotFig2.Result(new JacotFig2.Config(widths, 10, 300, 1.0, 0), Points.angles(G), zero, one, zero,
                one, 10, runs, nul);
    }

    @Test
    void samplingErrorsOfIndependentPointsAreTheBinomialAndChiSquareOnes() {
        // identity covariance: 181 independent N(0, 1) angles, 10 draws each
        double[] cov = new double[G * G];
        for (int i = 0; i < G; i++) {
            cov[i * G + i] = 1;
        }
        JacotFig2.SamplingNull n = JacotFig2.SamplingNull.simulate(new double[G], cov, 10, 2000, 7);
        double m = 10.0 * G;
        assertEquals(0.1, n.mean()[0], 3 * Math.sqrt(0.09 / m / 2000) + 1e-4);
        assertEquals(Math.sqrt(0.09 / m), n.sd()[0], 0.1 * Math.sqrt(0.09 / m));
        assertEquals(Math.sqrt(0.25 / m), n.sd()[1], 0.1 * Math.sqrt(0.25 / m));
        // mean gap: √(χ²_181 / (10·181)) ≈ 1/√10; variance ratio: mean of χ²_9/9 over 181 angles, sd √(2/9/181)
        assertEquals(1 / Math.sqrt(10), n.mean()[3], 0.01);
        assertEquals(1, n.mean()[4], 0.01);
        assertEquals(Math.sqrt(2.0 / 9 / G), n.sd()[4], 0.1 * Math.sqrt(2.0 / 9 / G));
        // five statistics, 95 % family-wise: the threshold lies between one statistic's 1.96 and Bonferroni's 2.58
        assertTrue(n.maxZ95() > 1.96 && n.maxZ95() < 2.7, "threshold " + n.maxZ95());
    }

    @Test
    void theVerdictOnEachSide() {
        JacotFig2.Result both = constructed(networks(0, 1), networks(0, 1));
        assertEquals(0.1, both.statistics(0)[0], 1e-12);
        assertEquals(0.5, both.statistics(0)[1], 1e-12);
        assertEquals(0.8, both.coverage(0), 1e-12);
        assertEquals(0, both.meanGap(0), 1e-12);
        Decision shown = JacotFig2.decide(both);
        assertEquals(Report.Verdict.SHOWN, shown.verdict(), shown.reason());
        // the narrow networks sit one GP standard deviation off: outside sampling error
        Decision partly = JacotFig2.decide(constructed(networks(1, 1), networks(0, 1)));
        assertEquals(Report.Verdict.PARTLY, partly.verdict(), partly.reason());
        assertTrue(partly.reason().contains("Width 50") && partly.reason().contains("outside the sampling error"),
                partly.reason());
        // twice the GP's spread at both widths: the variance and the band fail
        Decision not = JacotFig2.decide(constructed(networks(0, 2), networks(0, 1.6)));
        assertEquals(Report.Verdict.NOT_SHOWN, not.verdict(), not.reason());
    }

    @Test
    void theReportIsGeneratedFromTheResult() {
        Report a = JacotFig2.render(constructed(networks(0, 1), networks(0, 1)));
        Report b = JacotFig2.render(constructed(networks(0.05, 1), networks(0, 1)));
        assertNotEquals(a.verdictText(), b.verdictText());
        assertTrue(b.html().contains("data-key=\"max_z/0\""));
        assertEquals("shown", a.summaryJson().get("verdict"));
        for (String k : new String[] {"mean_gap", "gp_band_coverage", "gp_band_coverage_se", "variance_ratio",
                "variance_ratio_se", "mean_gap_se", "below_p10_se", "max_z", "max_z_threshold"}) {
            assertTrue(a.summary().containsKey(k), k);
        }
        assertTrue(!a.html().contains("deviate more"));
    }

    /** A tiny real run: the GP interpolates the training points, and its simulated null is well formed. */
    @Test
    void gaussianProcessFitsThePointsAndItsNullIsCalibrated() {
        JacotFig2.Result r = JacotFig2.compute(new JacotFig2.Config(new int[] {16, 64}, 3, 150, 1.0, 0), Progress.QUIET);
        double[] gamma = r.gamma();
        for (int i = 0; i < JacotFig2.TRAIN_GAMMA.length; i++) {
            int j = 0;
            while (Math.abs(gamma[j] - JacotFig2.TRAIN_GAMMA[i]) > Math.abs(gamma[j + 1] - JacotFig2.TRAIN_GAMMA[i])) {
                j++;
            }
            // t → ∞: kernel regression interpolates; the grid point is within 1° of the training point
            assertEquals(JacotFig2.TRAIN_Y[i], r.gpMean()[j], 0.05, "GP mean near training point " + i);
            assertTrue(r.gpStd()[j] < 0.2 * r.gpStd()[(j + 45) % 181] + 0.02, "GP spread small at training point " + i);
        }
        JacotFig2.SamplingNull n = r.gpNull();
        assertEquals(3, n.seeds());
        assertEquals(0.1, n.mean()[0], 0.02);
        assertEquals(0.5, n.mean()[1], 0.02);
        assertEquals(1, n.mean()[4], 0.05);
        assertTrue(n.maxZ95() > 1.5 && n.maxZ95() < 3.5, "threshold " + n.maxZ95());
        Report rep = JacotFig2.render(r);
        assertEquals(2, ((double[]) rep.summary().get("mean_gap")).length);
        assertTrue(rep.html().contains("“The distributions of the network functions are very similar"));
    }
}
