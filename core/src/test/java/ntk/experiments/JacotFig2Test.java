package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** jacot-fig2, tiny: the GP passes through the training points, and the wider networks' kernel moves less. */
class JacotFig2Test {
    @Test
    void gaussianProcessFitsThePointsAndWiderNetsAreLazier() {
        JacotFig2.Result r = JacotFig2.compute(new JacotFig2.Config(new int[] {16, 256}, 3, 150, 1.0, 0), Progress.QUIET);
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
        assertTrue(r.meanKernelChange(1) < r.meanKernelChange(0) / 2,
                "kernel change falls with width: " + r.meanKernelChange(0) + " -> " + r.meanKernelChange(1));
        Report rep = JacotFig2.render(r);
        assertEquals(2, ((double[]) rep.summary().get("mean_gap")).length);
    }
}
