package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import ntk.KernelKind;
import ntk.data.Mnist;
import org.junit.jupiter.api.Test;

/** Jacot et al. §3.1 on a small run, and the verdict on constructed Results on each side. */
class JacotRandomFeaturesTest {

    @Test
    void tangentKernelMatchesTheClosedFormAndTheTwoDescentsAgree() {
        JacotRandomFeatures.Config c = new JacotRandomFeatures.Config(20, 10, new int[] {8, 32, 128, 512, 2048}, 8, 30,
                KernelKind.NNGP, 0);
        JacotRandomFeatures.Result r = JacotRandomFeatures.compute(c, Mnist.shippedSplit(), Progress.QUIET);
        // gradient descent on θ (through F) and kernel gradient descent with K̃ are the same map: equal to rounding
        assertTrue(r.maxGdDifference() < 1e-10 * r.outputScale(), r.maxGdDifference() + " of " + r.outputScale());
        // Monte Carlo mean square of ‖K̃ − K‖/‖K‖ against Isserlis' closed form ((tr K)² + ‖K‖²)/(P ‖K‖²)
        for (int pi = 0; pi < c.ps().length; pi++) {
            Estimate ms = r.meanSquareError(pi);
            double want = r.expectedRmsError()[pi] * r.expectedRmsError()[pi];
            assertTrue(Math.abs(ms.mean() - want) < 4 * ms.se() + 0.1 * want, "P = " + c.ps()[pi] + ": " + ms
                    + " vs " + want);
        }
        assertEquals(-0.5, r.kernelErrorFit().slope(), 0.1, "fitted " + r.kernelErrorFit());
        Report rep = JacotRandomFeatures.render(r);
        assertTrue(rep.summaryJson().keySet().containsAll(java.util.List.of("P", "kernel_error", "kernel_error_slope",
                "gd_equals_kernel_gd", "distance_to_kernel_regression", "paper_claim", "paper_ref", "verdict",
                "deviations")));
        rep.html();
    }

    /** A Result whose kernel error falls as P^slope, distance as P^dslope, descents differing by gd. */
    static JacotRandomFeatures.Result made(double slope, double dslope, double gd, double levelFactor) {
        int[] ps = {16, 64, 256, 1024, 4096};
        int s = 6;
        double[][] err = new double[5][s];
        double[][] g = new double[5][s];
        double[][] dist = new double[5][s];
        double[] rms = new double[5];
        for (int pi = 0; pi < 5; pi++) {
            rms[pi] = 2 * Math.pow(ps[pi], -0.5);
            for (int k = 0; k < s; k++) {
                double wobble = 1 + 0.02 * (k - 2.5);
                err[pi][k] = levelFactor * 2 * Math.pow(ps[pi], slope) * wobble;
                dist[pi][k] = 3 * Math.pow(ps[pi], dslope) * wobble;
                g[pi][k] = gd;
            }
        }
        return new JacotRandomFeatures.Result(new JacotRandomFeatures.Config(20, 10, ps, s, 10, KernelKind.NNGP, 0),
                err, g, dist, rms, 1.0, "made up");
    }

    @Test
    void verdictOnEachSide() {
        Decision shown = JacotRandomFeatures.decide(made(-0.5, -0.5, 1e-14, 1));
        assertEquals(Report.Verdict.SHOWN, shown.verdict(), shown.reason());
        // the kernel error at the wrong rate: partly (the equivalence and the approach hold)
        assertEquals(Report.Verdict.PARTLY, JacotRandomFeatures.decide(made(-0.25, -0.5, 1e-14, 1)).verdict());
        // right rate but twice the closed-form level: the law of large numbers is not shown
        assertEquals(Report.Verdict.PARTLY, JacotRandomFeatures.decide(made(-0.5, -0.5, 1e-14, 2)).verdict());
        // the descents differ: not shown whatever else holds
        assertEquals(Report.Verdict.NOT_SHOWN, JacotRandomFeatures.decide(made(-0.5, -0.5, 1e-3, 1)).verdict());
        // neither the rate nor an approach
        assertEquals(Report.Verdict.NOT_SHOWN, JacotRandomFeatures.decide(made(-0.1, 0.1, 1e-14, 1)).verdict());
    }

    @Test
    void theReportTextFollowsTheData() {
        String a = JacotRandomFeatures.render(made(-0.5, -0.5, 1e-14, 1)).html();
        String b = JacotRandomFeatures.render(made(-0.25, 0.1, 1e-14, 1)).html();
        assertNotEquals(a, b);
        assertTrue(a.contains("−0.5: consistent") && b.contains("−0.5: inconsistent"), "rate sentence");
        assertTrue(a.contains("it approaches") && b.contains("no approach shown"), "approach sentence");
        assertTrue(Arrays.asList(JacotRandomFeatures.CLAIM.quote().split(" ")).contains("law"));
    }
}
