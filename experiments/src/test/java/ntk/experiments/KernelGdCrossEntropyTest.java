package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.data.Mnist;
import org.junit.jupiter.api.Test;

/** Jacot et al. Thm 2 with the cross-entropy: a tiny run, and the verdict on constructed Results on each side. */
class KernelGdCrossEntropyTest {

    @Test
    void widerNetworksTrackTheKernelFlowCloser() {
        KernelGdCrossEntropy.Config c = new KernelGdCrossEntropy.Config(12, 6, new int[] {16, 64, 256}, 2, 15, 0);
        KernelGdCrossEntropy.Result r = KernelGdCrossEntropy.compute(c, Mnist.shippedSplit(), Progress.QUIET);
        // a factor 16 in width: the distance falls by about 4 (measured 0.6 → 0.15 at these settings); asserted 1.5
        assertTrue(r.distance(2).mean() * 1.5 < r.distance(0).mean(), r.distance(0) + " vs " + r.distance(2));
        Report rep = KernelGdCrossEntropy.render(r);
        assertTrue(rep.summaryJson().keySet().containsAll(java.util.List.of("widths", "distance", "distance_se",
                "distance_slope", "distance_slope_se", "paper_claim", "paper_ref", "verdict", "deviations")));
        rep.html();
    }

    static KernelGdCrossEntropy.Result made(double slope, double spread) {
        int[] w = {64, 256, 1024};
        double[][] d = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int s = 0; s < 3; s++) {
                d[i][s] = Math.pow(w[i] / 64.0, slope) * (1 + spread * (s - 1));
            }
        }
        double[][] acc = {{0.7, 0.7, 0.7}, {0.7, 0.7, 0.7}, {0.7, 0.7, 0.7}};
        return new KernelGdCrossEntropy.Result(new KernelGdCrossEntropy.Config(10, 5, w, 3, 10, 0), d, d, acc, acc,
                1, 10, "made up");
    }

    @Test
    void verdictOnEachSide() {
        assertEquals(Report.Verdict.SHOWN, KernelGdCrossEntropy.decide(made(-0.5, 0.01)).verdict());
        // widest closer than narrowest beyond 2 se, but three noisy means give no significant slope: partly
        KernelGdCrossEntropy.Result noisy = made(-0.5, 0.01);
        noisy.testDistance()[1] = new double[] {3, 3.1, 2.9};
        assertEquals(Report.Verdict.PARTLY, KernelGdCrossEntropy.decide(noisy).verdict(),
                KernelGdCrossEntropy.decide(noisy).reason());
        assertEquals(Report.Verdict.NOT_SHOWN, KernelGdCrossEntropy.decide(made(0.0, 0.01)).verdict());
        assertEquals(Report.Verdict.NOT_SHOWN, KernelGdCrossEntropy.decide(made(0.3, 0.01)).verdict());
        String a = KernelGdCrossEntropy.decide(made(-0.5, 0.01)).reason();
        String b = KernelGdCrossEntropy.decide(made(0.3, 0.01)).reason();
        assertTrue(a.contains("falling beyond") && b.contains("not falling beyond"), a + " / " + b);
    }
}
