package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Jacot et al.'s Fig. 1 claim on a tiny run: wider networks start nearer the limit and their kernel moves less. */
class JacotFig1Test {
    @Test
    void widerNetworksStartNearerTheLimitAndTheirKernelMovesLess() {
        JacotFig1.Config c = new JacotFig1.Config(new int[] {32, 512}, 4, 60, 1.0, 24, 31, 0);
        JacotFig1.Result r = JacotFig1.compute(c, Progress.QUIET);
        // Theorems 1 and 2: both fall like 1/√width, a factor 4 from width 32 to 512; allow a wide band for 4 seeds
        double devRatio = r.initDeviation()[0] / r.initDeviation()[1];
        double changeRatio = r.kernelChange()[0] / r.kernelChange()[1];
        assertTrue(devRatio > 2 && devRatio < 8, "init deviation ratio " + devRatio);
        assertTrue(changeRatio > 2, "kernel change ratio " + changeRatio);
        // training fitted the target: loss well below the initial 1/(2n)Σ(x₁x₂)² scale
        for (double[] l : r.finalLoss()) {
            for (double v : l) {
                assertTrue(v < 0.1, "final loss " + v);
            }
        }
        // the limit at γ = 0 is Θ∞(x₀, x₀), the largest value on the circle
        int mid = (c.grid() - 1) / 2;
        assertEquals(0, r.gammas()[mid], 1e-15);
        for (double v : r.limit()) {
            assertTrue(v <= r.limit()[mid] + 1e-12);
        }
    }
}
