package ntk.model;

import static ntk.arch.Stax.conv1d;
import static ntk.arch.Stax.dense;
import static ntk.arch.Stax.erf;
import static ntk.arch.Stax.globalAvgPool;
import static ntk.arch.Stax.relu;
import static ntk.arch.Stax.residualInvSqrtDepth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.arch.Stax;
import ntk.dynamics.TrainingTime;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import org.junit.jupiter.api.Test;

/** The typed front API: Stax builders against spec strings, KernelRegressor against hand-written solves. */
class KernelRegressorTest {

    static NdArray random(long seed, int... shape) {
        Random r = new Random(seed);
        int size = 1;
        for (int s : shape) {
            size *= s;
        }
        double[] v = new double[size];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return new NdArray(shape, v);
    }

    @Test
    void staxBuildsTheNetworkOfTheSpec() {
        Network typed = Stax.serial(dense(512, 1.5, 0.1), erf(), residualInvSqrtDepth(relu(), dense(512)), dense(1));
        Network parsed = Network.parse("Dense(512, W_std=1.5, b_std=0.1), Erf, Residual(Relu, Dense(512),"
                + " scale=invsqrt_depth), Dense(1)", Parameterization.NTK);
        assertEquals(parsed, typed);
        assertEquals(parsed.spec(), typed.spec());
        Network cnn = Stax.serial(Parameterization.STANDARD, conv1d(16, 3), relu(), globalAvgPool(), dense(1));
        assertEquals(Network.parse("Conv1D(16, 3), Relu, GlobalAvgPool, Dense(1)", Parameterization.STANDARD), cnn);
        BadInputException e = assertThrows(BadInputException.class, () -> conv1d(4, 2));
        assertTrue(e.getMessage().contains("filter size k must be a positive odd number"), e.getMessage());
    }

    /** Mean at t = ∞ against (K + rI)⁻¹ solved here by Gaussian elimination with partial pivoting. */
    @Test
    void infinityIsKernelRegressionAndFiniteTimesApproachIt() {
        int n = 7;
        int m = 4;
        int d = 3;
        NdArray x = random(1, n, d);
        NdArray t = random(2, m, d);
        NdArray y = random(3, n, 2);
        double ridge = 1e-3;
        Network net = Stax.serial(dense(64, 1.3, 0.2), relu(), dense(2));
        for (KernelKind kind : KernelKind.values()) {
            KernelRegressor model = new KernelRegressor(net, kind).ridge(ridge);
            assertTrue(model.infinityOnly());
            Predictions p = model.fit(x, y).predict(t);
            assertEquals("(4, 2)", p.meanArray().shapeString());
            double[] spectrum = model.spectrum(); // the Cholesky path computes it on demand
            assertEquals(2.0 * n / spectrum[0], model.maxStableLearningRate(), 1e-12);

            KernelEngine engine = new KernelEngine();
            double[] kxx = engine.kernels(net, x, null, KernelKind.NTK).of(kind);
            double[] ktx = engine.kernels(net, t, x, KernelKind.NTK).of(kind);
            double[] a = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    a[i * n + j] = kxx[i * n + j] + (i == j ? ridge : 0);
                }
            }
            double[] alpha = solve(a, y.data.clone(), n, 2);
            double[] want = new double[m * 2];
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < 2; c++) {
                    for (int j = 0; j < n; j++) {
                        want[i * 2 + c] += ktx[i * n + j] * alpha[j * 2 + c];
                    }
                }
            }
            assertArrayEquals(want, p.means()[0], 1e-10 * max(want), kind + " at t = inf");

            // the eigendecomposition path at a long time (e^{-tλ/n} below rounding) gives the same mean
            KernelRegressor eig = new KernelRegressor(net, kind).ridge(ridge)
                    .times(TrainingTime.flow(0), TrainingTime.flow(1e9), TrainingTime.INFINITY);
            assertFalse(eig.infinityOnly());
            Predictions q = eig.fit(x, y).predict(t);
            assertEquals("(3, 4, 2)", q.meanArray().shapeString());
            assertArrayEquals(new double[m * 2], q.means()[0], 0.0, "t = 0: the prior mean");
            assertArrayEquals(want, q.means()[1], 1e-8 * max(want), kind + " at t = 1e9");
            assertArrayEquals(want, q.means()[2], 1e-8 * max(want), kind + " at t = inf by eigen");
            assertTrue(eig.maxStableLearningRate() > 0);
        }
    }

    @Test
    void theMemoryPlanFollowsTheSolver() {
        Network net = Stax.serial(dense(8), relu(), dense(1));
        MemoryPlan chol = new KernelRegressor(net, KernelKind.NTK).plan(40000, 3);
        assertEquals(8 * (2L * 40000 * 40000 + 4L * 3 * 40000 + 2L * 9), chol.bytes());
        assertTrue(chol.blockable());
        MemoryPlan eig = new KernelRegressor(net, KernelKind.NNGP).times(TrainingTime.flow(1)).plan(40000, 3);
        assertEquals(8 * (3L * 40000 * 40000 + 4L * 3 * 40000 + 2L * 9), eig.bytes());
        assertEquals("the 40000 x 40000 training kernels and the eigendecomposition's workspace", eig.what());
        assertThrows(IllegalStateException.class, () -> new KernelRegressor(net, KernelKind.NTK).predict(random(1, 2, 3)));
    }

    private static double max(double[] v) {
        double s = 0;
        for (double x : v) {
            s = Math.max(s, Math.abs(x));
        }
        return s;
    }

    /** Solves A X = B (A n×n, B n×k, row-major) by Gaussian elimination with partial pivoting. */
    private static double[] solve(double[] a, double[] b, int n, int k) {
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r * n + c]) > Math.abs(a[piv * n + c])) {
                    piv = r;
                }
            }
            for (int j = 0; j < n; j++) {
                double tmp = a[c * n + j];
                a[c * n + j] = a[piv * n + j];
                a[piv * n + j] = tmp;
            }
            for (int j = 0; j < k; j++) {
                double tmp = b[c * k + j];
                b[c * k + j] = b[piv * k + j];
                b[piv * k + j] = tmp;
            }
            for (int r = c + 1; r < n; r++) {
                double f = a[r * n + c] / a[c * n + c];
                for (int j = c; j < n; j++) {
                    a[r * n + j] -= f * a[c * n + j];
                }
                for (int j = 0; j < k; j++) {
                    b[r * k + j] -= f * b[c * k + j];
                }
            }
        }
        for (int r = n - 1; r >= 0; r--) {
            for (int j = 0; j < k; j++) {
                double s = b[r * k + j];
                for (int c = r + 1; c < n; c++) {
                    s -= a[r * n + c] * b[c * k + j];
                }
                b[r * k + j] = s / a[r * n + r];
            }
        }
        return b;
    }

    /**
     * Precomputed kernels (one kernel computation serving several fits, as the demo and the experiments use them) give
     * the same numbers as fitting on the inputs (to the last bits: LAPACK on a copy of the kernel and on the engine's
     * own array may round differently), on both solvers (Cholesky for t = ∞ alone, the eigendecomposition
     * otherwise), for both kernels, with the covariance; the caller's kernels are left untouched.
     */
    @Test
    void precomputedKernelsGiveTheSameBitsAsInputs() {
        Network net = Stax.serial(dense(32, 1.3, 0.1), erf(), dense(32), relu(), dense(2));
        NdArray x = random(11, 9, 3);
        NdArray y = random(12, 9, 2);
        NdArray t = random(13, 5, 3);
        KernelEngine engine = new KernelEngine();
        ntk.kernels.Kernels kxx = engine.kernels(net, x, null, KernelKind.NTK);
        ntk.kernels.Kernels ktx = engine.kernels(net, t, x, KernelKind.NTK);
        double[] sigmaTT = engine.kernels(net, t, null, KernelKind.NNGP).nngp();
        double[] kxxBefore = kxx.ntk().clone();
        for (KernelKind kind : KernelKind.values()) {
            for (TrainingTime[] times : new TrainingTime[][] {{TrainingTime.INFINITY},
                {TrainingTime.flow(3), TrainingTime.steps(20, 0.5), TrainingTime.INFINITY}}) {
                Predictions a = new KernelRegressor(net, kind).ridge(1e-3).times(times).withCovariance(true).fit(x, y)
                        .predict(t);
                Predictions b = new KernelRegressor(net, kind).ridge(1e-3).times(times).withCovariance(true).fit(kxx, y)
                        .predict(ktx, sigmaTT);
                Predictions c = KernelRegressor.precomputed(kind).ridge(1e-3).times(times).fit(kxx, y).predict(ktx);
                for (int j = 0; j < times.length; j++) {
                    close(a.means()[j], b.means()[j], kind + " mean " + times[j]);
                    close(a.means()[j], c.means()[j], kind + " mean without covariance " + times[j]);
                    close(a.covariances()[j], b.covariances()[j], kind + " covariance " + times[j]);
                }
            }
        }
        assertArrayEquals(kxxBefore, kxx.ntk(), 0.0, "precomputed kernels are left untouched");
        KernelRegressor fitted = new KernelRegressor(net, KernelKind.NTK).fit(kxx, y);
        assertThrows(IllegalStateException.class, () -> fitted.predict(t), "no training inputs to compute K(T, X) from");
        assertThrows(IllegalStateException.class, () -> KernelRegressor.precomputed(KernelKind.NTK).fit(x, y),
                "a precomputed-kernel regressor has no network to compute kernels with");
        // the NTK covariance needs Σ beside Θ: kernels without it are refused by name, not a NullPointerException
        ntk.kernels.Kernels thetaOnly = new ntk.kernels.Kernels(kxx.n1(), kxx.n2(), null, kxx.ntk());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KernelRegressor(net,
                KernelKind.NTK).withCovariance(true).fit(thetaOnly, y));
        assertTrue(e.getMessage().contains("NNGP"), e.getMessage());
        KernelRegressor withCov = new KernelRegressor(net, KernelKind.NTK).withCovariance(true).fit(kxx, y);
        assertThrows(IllegalArgumentException.class, () -> withCov.predict(new ntk.kernels.Kernels(ktx.n1(), ktx.n2(),
                null, ktx.ntk()), sigmaTT));
        assertThrows(IllegalArgumentException.class, () -> withCov.predict(ktx, null));
    }

    /**
     * Kernel principal components through the model equal the array tier's, and their decay times are n/λᵢ
     * (Jacot et al. §5) with +∞ for an eigenvalue zero to rounding (two equal inputs make K singular).
     */
    @Test
    void componentsAreTheArrayTiersWithDecayTimes() {
        Network net = Stax.serial(dense(16), relu(), dense(1));
        NdArray x = random(21, 6, 2);
        System.arraycopy(x.data, 0, x.data, 2, 2); // x1 = x0: one eigenvalue of the NNGP is zero to rounding
        NdArray y = random(22, 6, 1);
        for (KernelKind kind : KernelKind.values()) {
            double[] k = new KernelEngine().kernels(net, x, null, kind).of(kind);
            ntk.dynamics.KernelPca ref = ntk.dynamics.KernelPredictor.fit(k, 6, y.data, 1, 0).pca();
            ntk.dynamics.KernelPca pca = new KernelRegressor(net, kind).components(x, y);
            close(ref.eigenvalues(), pca.eigenvalues(), kind.toString());
            for (int i = 0; i < 6; i++) {
                close(ref.eigenvector(i), pca.eigenvector(i), kind + " component " + i);
                close(ref.projection(i), pca.projection(i), kind + " projection " + i);
                double lambda = pca.eigenvalue(i);
                if (i < 5) {
                    assertEquals(6 / lambda, pca.decayTime(i), 0.0, kind + " component " + i);
                    assertEquals(6 / ref.eigenvalue(i), pca.decayTime(i), 1e-10 * pca.decayTime(i));
                } else {
                    assertTrue(Math.abs(lambda) < 1e-12 * pca.eigenvalue(0), kind + ": smallest " + lambda);
                    assertEquals(Double.POSITIVE_INFINITY, pca.decayTime(i), kind.toString());
                }
            }
            assertEquals(8L * 4 * 36, new KernelRegressor(net, kind).componentsPlan(6).bytes());
        }
    }

    /** Equal to rounding: within 1e-12 of the larger magnitude in the array. */
    private static void close(double[] expected, double[] actual, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertArrayEquals(expected, actual, 1e-12 * scale, what);
    }
}
