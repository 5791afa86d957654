package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * §5: the verdict on constructed Results on each side of each line, and a tiny run. The run's outcome is a statistic of
 * seeded minibatch draws (SplittableRandom), not of summation order: a different BLAS kernel moves each output by
 * rounding only, far below the Monte Carlo error asserted against.
 */
class HayouSgdTest {

    /** A Result with 40 runs and 4000 SDE paths whose SGD and reshuffled spreads are the given multiples of the SDE's. */
    static HayouSgd.Result constructed(double sgdOverSde, double reshuffledOverSde, double nan) {
        HayouSgd.Config c = new HayouSgd.Config(1024, 2, 16, 4, 2, 0.5, 50, 10, 40, 4000, 0);
        double[] sde = {0.10, 0.12, 0.08, 0.11};
        double[] mean = {0.5, 0.1, -0.3, nan};
        double[] sgd = Arrays.stream(sde).map(v -> v * sgdOverSde).toArray();
        double[] rr = Arrays.stream(sde).map(v -> v * reshuffledOverSde).toArray();
        double[] angles = {-3, -1, 1, 3};
        return new HayouSgd.Result(c, "spec", 0.01, 100, angles, new double[16], new double[16], new double[20],
                mean, sgd, mean.clone(), sde, mean.clone(), mean.clone(), mean.clone(), rr, new double[40 * 4],
                new int[] {50}, new double[] {HayouSgd.rms(sgd)}, new double[] {HayouSgd.rms(sde)},
                new double[] {HayouSgd.rms(rr)});
    }

    /** The constructed Result with second routes: Γ_0 ∝ width^slope exactly over 3 seeds (seed s scaled by 1 + s/10). */
    static HayouSgd.Result withRoutes(double slope) {
        HayouSgd.Result r = constructed(1, 0.5, 0);
        int[] widths = {128, 256, 512, 1024};
        double[][] norm = new double[4][3];
        double[][] rel = new double[4][3];
        for (int w = 0; w < 4; w++) {
            for (int s = 0; s < 3; s++) {
                norm[w][s] = (1 + s / 10.0) * Math.pow(widths[w], slope);
                rel[w][s] = 0.01 * norm[w][s];
            }
        }
        double[] four = {0.1, 0.1, 0.1, 0.1};
        HayouSgd.Routes q = new HayouSgd.Routes(four, new double[] {1e-4, -2e-4, 1e-4, 0}, new double[] {1e-5, 1e-5,
                1e-5, 1e-5}, 3e-3, new double[] {0.11, 0.13, 0.085, 0.12}, 0.5, 14.0 / 30, r.sdeMean(), r.sdeStd(),
                r.sdeMean(), r.sdeStd(), nan(r.sdeStd().length), 10, 1e-9, widths, norm, rel);
        return new HayouSgd.Result(r.config(), r.arch(), r.learningRate(), r.lambdaMax(), r.testAngles(),
                r.trainAngles(), r.trainY(), r.f0(), r.sgdMean(), r.sgdStd(), r.sdeMean(), r.sdeStd(), r.flowMean(),
                r.gdMean(), r.reshuffledMean(), r.reshuffledStd(), r.sgdOutputs(), r.recordSteps(), r.sgdSpread(),
                r.sdeSpread(), r.reshuffledSpread(), q);
    }

    /** The Γ section's numbers come from the Result: the fitted slope follows the constructed power law. */
    @Test
    void gammaSectionReportsTheFittedSlope() {
        Report a = HayouSgd.render(withRoutes(-1.0));
        Report b = HayouSgd.render(withRoutes(-0.5));
        Map<String, Object> s = a.summaryJson();
        assertEquals(-1.0, (Double) s.get("gamma_norm_slope"), 1e-9);
        assertEquals(-0.5, (Double) b.summaryJson().get("gamma_norm_slope"), 1e-9);
        assertEquals(-1.0, (Double) s.get("gamma_norm_slope_over_seeds"), 1e-9);
        for (String k : List.of("gamma_norm", "gamma_norm_se", "gamma_norm_slope_se", "gamma_relative_slope",
                "ou_vs_simulated", "spread_ratio_sgd_over_sde_paper_constant", "gamma_mean_shift_rms",
                "spread_ratio_sgd_over_sde")) {
            assertTrue(s.containsKey(k), k);
        }
        assertTrue(a.html().contains("-1.000") && b.html().contains("-0.500"));
        assertEquals(0.0, (Double) ((Map<?, ?>) s.get("ou_vs_simulated")).get("mean_max_abs_z"), 1e-12);
        // the verdict is the main comparison's, unchanged by the second routes
        assertEquals(HayouSgd.decide(constructed(1, 0.5, 0)).verdict(), HayouSgd.decide(withRoutes(-1)).verdict());
    }

    @Test
    void verdictOnEachSideOfEachLine() {
        // relative standard error with 40 runs and 4000 paths: √(1/78 + 1/7998) = 0.114
        assertEquals(0.114, constructed(1, 0.5, 0).sgdRatio().se(), 0.001);
        // SGD as the SDE, reshuffling 4.4 standard errors below: the alternative fails -> shown
        assertEquals(Report.Verdict.SHOWN, HayouSgd.decide(constructed(1.0, 0.5, 0)).verdict());
        // both within 2 standard errors of the SDE: cannot separate -> partly, and says so
        Decision both = HayouSgd.decide(constructed(1.05, 0.85, 0));
        assertEquals(Report.Verdict.PARTLY, both.verdict());
        assertTrue(both.reason().contains("cannot separate"), both.reason());
        // SGD's spread off the SDE's by more than 2 standard errors -> not shown (whatever reshuffling does)
        assertEquals(Report.Verdict.NOT_SHOWN, HayouSgd.decide(constructed(1.4, 0.5, 0)).verdict());
        assertEquals(Report.Verdict.NOT_SHOWN, HayouSgd.decide(constructed(0.6, 1.0, 0)).verdict());
        // no spread at all -> not shown
        assertEquals(Report.Verdict.NOT_SHOWN, HayouSgd.decide(constructed(0, 0.5, 0)).verdict());
        // an output that stopped being finite -> diverged, not shown
        HayouSgd.Result div = constructed(1.0, 0.5, Double.NaN);
        assertTrue(div.diverged());
        assertEquals(Report.Verdict.NOT_SHOWN, HayouSgd.decide(div).verdict());
        assertTrue(HayouSgd.decide(div).reason().startsWith("Diverged"));
    }

    @Test
    void reportIsGeneratedFromTheResult() {
        Report a = HayouSgd.render(constructed(1.0, 0.5, 0));
        Report b = HayouSgd.render(constructed(1.05, 0.85, 0));
        assertNotEquals(a.verdictText(), b.verdictText());
        assertTrue(a.verdictText().contains("0.500 ± 0.057") && b.verdictText().contains("0.850 ± 0.097"),
                a.verdictText() + " / " + b.verdictText());
        Map<String, Object> s = a.summaryJson();
        for (String k : List.of("spread_ratio_sgd_over_sde", "spread_ratio_standard_error",
                "spread_ratio_reshuffled_over_sde", "spread_ratio_sgd_over_sde_se", "spread_ratio_reshuffled_over_sde_se",
                "mean_gap_sgd_sde_in_standard_errors", "diverged", "paper_claim", "paper_ref", "verdict",
                "deviations")) {
            assertTrue(s.containsKey(k), k);
        }
        assertEquals(false, s.get("diverged"));
        assertTrue(a.html().contains("What the data show: shown"));
    }

    @Test
    void sgdSpreadsAsTheSdeSaysAndReshufflingDoesNot() {
        HayouSgd.Config c = new HayouSgd.Config(512, 2, 8, 7, 2, 0.5, 12, 3, 60, 6000, 3);
        HayouSgd.Result r = HayouSgd.compute(c, Progress.QUIET);
        // measured: ratio 1.017 ± 0.093, reshuffled/SDE 0.52 ± 0.05, mean gap 0.75 standard errors
        assertTrue(r.sgdRatio().consistentWith(1.0, 0), "SGD spread / SDE spread " + r.sgdRatio());
        assertEquals(Report.Verdict.SHOWN, HayouSgd.decide(r).verdict(), HayouSgd.decide(r).reason());
        // the spread is real (0.12 here), an order of magnitude above the 0.01 asserted
        double sgd = HayouSgd.rms(r.sgdStd());
        assertTrue(sgd > 0.01, "SGD outputs spread: " + sgd);
        // gradient flow is deterministic: its one trajectory has no spread, and the SDE's mean is near it
        assertTrue(HayouSgd.rms(minus(r.sdeMean(), r.flowMean())) < 0.5 * sgd);
        // the means agree to a few standard errors of SGD's sample mean (finite width adds a little)
        assertTrue(r.meanGapInStandardErrors() < 4, "mean gap " + r.meanGapInStandardErrors());
    }

    private static double[] minus(double[] a, double[] b) {
        double[] o = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i] - b[i];
        }
        return o;
    }

    static double[] nan(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    /** The fourth-moment standard error of a sample std: Gaussian σ/√(2P) for Gaussian draws, larger for heavy tails. */
    @Test
    void stdErrorsFollowTheFourthMoment() {
        int rows = 200_000;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        double[] s = new double[rows * 2];
        for (int r = 0; r < rows; r++) {
            double g = gaussian(rnd);
            s[2 * r] = 2 * g;
            // a Laplace column (kurtosis 6): var(s²) = (6 − 1)·σ⁴ instead of 2σ⁴
            double u = rnd.nextDouble() - 0.5;
            s[2 * r + 1] = -Math.signum(u) * Math.log(1 - 2 * Math.abs(u));
        }
        double[] se = HayouSgd.stdErrors(s, rows, 2, 0, 2);
        assertEquals(2 / Math.sqrt(2.0 * rows), se[0], 0.02 * se[0]);
        double sigma = Math.sqrt(2);
        assertEquals(Math.sqrt(5.0 / rows) * sigma / 2, se[1], 0.05 * se[1]);
    }

    private static double gaussian(java.util.SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
