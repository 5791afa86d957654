package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Lazy training on a tiny run: the linearisation gap falls like width^−1/2, the outputs approach the NTK's. */
class LinearizationTest {
    @Test
    void gapFallsLikeInverseSquareRootOfWidth() {
        int n = 32;
        int m = 16;
        int d = 4;
        double[] x = Points.gaussian(n, d, 3);
        double[] t = Points.gaussian(m, d, 4);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(2 * x[i * d]) + x[i * d + 1] * x[i * d + 2];
        }
        Linearization.Config c = new Linearization.Config(x, n, d, y, 1, t, m, new int[] {64, 256, 1024}, 3, 60, 1.0, 0);
        Linearization.Result r = Linearization.compute(c, Progress.QUIET);
        assertTrue(Math.abs(r.gapFit().slope() + 0.5) < 0.2, "gap slope " + r.gapFit());
        assertTrue(r.distanceFit().slope() < -0.3, "distance slope " + r.distanceFit());
        // in 4 dimensions the hidden layers dominate P ∝ width², so ‖θ − θ₀‖/‖θ₀‖ ∝ 1/width, while ‖θ − θ₀‖ stays O(1)
        assertTrue(r.paramFit().slope() < -0.8, "parameter change slope " + r.paramFit());
        double lo = Arrays.stream(r.paramDistance()).min().orElseThrow();
        double hi = Arrays.stream(r.paramDistance()).max().orElseThrow();
        assertTrue(hi < 1.5 * lo, "parameter distance " + Arrays.toString(r.paramDistance()));
    }
}
