package ntk.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Kernel PCA (Jacot et al. §5) against the Taylor exponential and the definitions. */
class KernelPcaTest {
    static final double EPS = Math.ulp(1.0);
    final Fixture fx = new Fixture(12, 2, 3, 4, 21);
    final int n = fx.n;
    final double[] k = fx.train.ntk();
    final KernelPca pca = KernelPca.of(k, n, fx.y, fx.o);

    @Test
    void projectionsReconstructTargetsAndEigenpairsHold() {
        double scale = Fixture.maxAbs(fx.y);
        assertTrue(Fixture.maxDiff(fx.y, pca.reconstruct()) < 16 * n * EPS * scale); // V orthogonal to nε
        double lmax = pca.eigenvalue(0);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                assertTrue(pca.eigenvalue(i) <= pca.eigenvalue(i - 1), "largest first");
            }
            double[] v = pca.eigenvector(i);
            double[] kv = Fixture.mul(k, n, n, v, 1);
            for (int r = 0; r < n; r++) {
                assertEquals(pca.eigenvalue(i) * v[r], kv[r], 16 * n * EPS * lmax); // K v = λ v
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += pca.targetWeight(i);
        }
        assertEquals(Fixture.dot(fx.y, fx.y), total, 16 * n * EPS * total);
    }

    @Test
    void fractionFittedEqualsMatrixExponentialAndIsMonotone() {
        double lmax = pca.eigenvalue(0);
        double prev = -1;
        for (double t : new double[] {0, 0.1, 1, 10, 100, 1000, 1e4}) {
            double[] r = Fixture.mul(Fixture.expm(Fixture.scaled(k, -t / n), n), n, n, fx.y, fx.o); // e^{−tK/n}Y
            double want = 1 - Fixture.dot(r, r) / Fixture.dot(fx.y, fx.y);
            double got = pca.fractionFitted(t);
            assertEquals(want, got, 64 * n * EPS * (1 + t * lmax / n), "t=" + t);
            assertTrue(got >= prev, "monotone at t=" + t);
            prev = got;
        }
        assertEquals(0.0, pca.fractionFitted(0), 0.0);
        assertEquals(1.0, pca.fractionFitted(Double.POSITIVE_INFINITY), 1e-15);
    }

    @Test
    void residualDecaysFastestAlongLargestComponentAndTimeToFitInvertsFraction() {
        double t = 3 * n / pca.eigenvalue(0);
        assertEquals(Math.exp(-pca.eigenvalue(0) * t / n), pca.residualDecay(0, t), 1e-15);
        assertTrue(pca.residualDecay(0, t) < pca.residualDecay(n - 1, t));
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            double tq = pca.timeToFit(q);
            assertEquals(q, pca.fractionFitted(tq), 1e-9, "q=" + q);
            assertTrue(pca.fractionFitted(tq * (1 - 1e-6)) < q);
        }
        assertThrows(ntk.BadInputException.class, () -> pca.timeToFit(1.0));
    }

    @Test
    void singularKernelNeverFitsTargetsWithWeightInItsNullSpace() {
        Fixture dup = new Fixture(8, 1, 1, 4, 5, true);
        double[] y = new double[8];
        y[0] = 1;
        y[1] = -1; // rows 0 and 1 are the same input: this Y lies along K's null vector (e₀ − e₁)/√2
        KernelPca p = KernelPca.of(dup.train.ntk(), 8, y, 1);
        assertEquals(Double.POSITIVE_INFINITY, p.timeToFit(0.5));
        assertFalse(p.fractionFitted(1e6) > 1e-6, "never fitted: " + p.fractionFitted(1e6));
    }
}
