package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Jacot et al.'s Fig. 3 claim on a tiny run: trained towards f₀ + ½f⁽²⁾, wider networks keep closer to the straight
 * line and decay along f⁽²⁾ at a rate closer to the limit's λ₂.
 */
class JacotFig3Test {
    @Test
    void widerNetworksFollowTheSecondComponentAtTheLimitsRate() {
        int n = 48;
        int d = 6;
        double[] x = Points.gaussian(n, d, 11);
        JacotFig3.Config c = new JacotFig3.Config(x, n, d, null, new int[] {32, 1024}, 3, 0.5, 1.5, 16, 0);
        JacotFig3.Result r = JacotFig3.compute(c, Progress.QUIET);
        // descending eigenvalues, p_in-unit components
        for (int i = 1; i < r.eigenvalues().length; i++) {
            assertTrue(r.eigenvalues()[i] <= r.eigenvalues()[i - 1]);
        }
        for (double[] f : r.components()) {
            assertEquals(1, Arrays.stream(f).map(v -> v * v).sum() / n, 1e-12);
        }
        double theory = r.pc2RateDiscrete();
        double narrow = Math.abs(r.pc2RateMeasured()[0] - theory);
        double wide = Math.abs(r.pc2RateMeasured()[1] - theory);
        assertTrue(wide < narrow, "rate error " + wide + " (wide) vs " + narrow + " (narrow)");
        assertTrue(wide < 0.1 * theory, "wide rate " + r.pc2RateMeasured()[1] + " vs " + theory);
        assertTrue(r.lineDeviation()[1] < r.lineDeviation()[0], "line deviation " + Arrays.toString(r.lineDeviation()));
        // at t = 0 the residual is −½f⁽²⁾ exactly
        assertEquals(-0.5, r.g()[0][0][0], 1e-12);
        assertEquals(0, r.h()[0][0][0], 1e-12);
    }
}
