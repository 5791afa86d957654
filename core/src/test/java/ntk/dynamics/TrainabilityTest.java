package ntk.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Trainability diagnostics against power iteration, explicit GD iterations and the singular case. */
class TrainabilityTest {
    static final double EPS = Math.ulp(1.0);

    @Test
    void extremesAndStableRateAgreeWithIndependentComputations() {
        Fixture fx = new Fixture(10, 1, 1, 4, 31);
        int n = fx.n;
        double[] k = fx.train.ntk();
        Trainability t = Trainability.diagnose(k, n, null, 1, 0.99);
        double lmax = Fixture.powerIteration(k, n);
        assertEquals(lmax, t.lambdaMax(), 64 * n * EPS * lmax);
        assertTrue(t.trainable());
        assertEquals(t.lambdaMax() / t.lambdaMin(), t.conditionNumber(), 1e-12 * t.conditionNumber());
        assertEquals(2 * n / lmax, t.maxStableLearningRate(), 64 * n * EPS * 2 * n / lmax);
        // explicit GD on the residual r ← (I − ηK/n) r: shrinks just below the limit, blows up just above
        assertTrue(gdResidual(k, n, 0.95 * t.maxStableLearningRate(), 2000) < 1);
        assertTrue(gdResidual(k, n, 1.05 * t.maxStableLearningRate(), 2000) > 1e6);
        // slowest direction: e^{−λ_min t/n} = 0.01
        assertEquals(n * Math.log(100) / t.lambdaMin(), t.timeToFit(), 1e-12 * t.timeToFit());
    }

    static double gdResidual(double[] k, int n, double eta, int steps) {
        double[] r = new double[n];
        java.util.Arrays.fill(r, 1);
        for (int s = 0; s < steps; s++) {
            double[] kr = Fixture.mul(k, n, n, r, 1);
            for (int i = 0; i < n; i++) {
                r[i] -= eta * kr[i] / n;
            }
        }
        return Math.sqrt(Fixture.dot(r, r) / n);
    }

    @Test
    void targetsGiveTimeToFitTheirFraction() {
        Fixture fx = new Fixture(10, 1, 2, 4, 32);
        Trainability t = Trainability.diagnose(fx.train.ntk(), fx.n, fx.y, 2, 0.9);
        assertTrue(t.withTargets());
        assertEquals(0.9, KernelPca.of(fx.train.ntk(), fx.n, fx.y, 2).fractionFitted(t.timeToFit()), 1e-9);
    }

    @Test
    void singularKernelIsReportedUntrainable() {
        // Hayou et al. Lemma 1: a kernel that loses rank cannot be trained; duplicated inputs make K exactly singular
        Fixture dup = new Fixture(8, 1, 1, 4, 5, true);
        Trainability t = Trainability.diagnose(dup.train.ntk(), 8, null, 1, 0.99);
        assertFalse(t.trainable());
        assertTrue(t.lambdaMin() <= t.singularTolerance());
        assertEquals(Double.POSITIVE_INFINITY, t.conditionNumber());
        assertEquals(Double.POSITIVE_INFINITY, t.timeToFit());
    }
}
