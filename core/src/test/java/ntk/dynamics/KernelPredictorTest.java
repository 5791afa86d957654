package ntk.dynamics;

import static ntk.dynamics.Fixture.expm;
import static ntk.dynamics.Fixture.maxAbs;
import static ntk.dynamics.Fixture.maxDiff;
import static ntk.dynamics.Fixture.mul;
import static ntk.dynamics.Fixture.scaled;
import static ntk.dynamics.Fixture.transpose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.BadInputException;
import ntk.linalg.Linalg;
import org.junit.jupiter.api.Test;

/**
 * Closed forms of the mean and covariance against independent computations: a Taylor matrix exponential,
 * RK4 on the ODE df/dt = −(1/n)K(f − Y), Cholesky kernel regression, explicit matrix powers.
 * Error budget used throughout: both sides are backward stable in K (‖δK‖ ≲ nε‖K‖), so a spectral
 * function f(K) moves by ≲ max|f′|·nε‖K‖ (Daleckii–Krein); 64 covers the constants of both methods.
 */
class KernelPredictorTest {
    static final double EPS = Math.ulp(1.0);
    final Fixture fx = new Fixture(14, 6, 2, 5, 11);
    final int n = fx.n;
    final int m = fx.m;
    final int o = fx.o;
    final double[] k = fx.train.ntk();
    final double lmax = Fixture.powerIteration(k, n);

    double tolerance(double maxDerivative, double scale) {
        return 64 * n * EPS * lmax * maxDerivative * scale;
    }

    /** (I − e^{−tK/n})Y with the Taylor exponential. */
    double[] flowOnTraining(double t) {
        double[] e = expm(scaled(k, -t / n), n);
        double[] r = mul(e, n, n, fx.y, o);
        double[] f = fx.y.clone();
        for (int i = 0; i < f.length; i++) {
            f[i] -= r[i];
        }
        return f;
    }

    @Test
    void gradientFlowOnTrainingPointsEqualsMatrixExponential() {
        KernelPredictor p = KernelPredictor.fit(k, n, fx.y, o, 0);
        Prediction self = p.on(k, n);
        for (double t : new double[] {0, 0.3 * n / lmax, 3 * n / lmax, 40 * n / lmax}) {
            double[] want = flowOnTraining(t);
            // f(λ) = 1 − e^{−tλ/n} has |f′| ≤ t/n; the matrix exponential's squarings add ~log2(tλ/n) roundings
            double tol = tolerance(Math.max(t / n, 1 / lmax) * (1 + Math.log(1 + t * lmax / n)), maxAbs(fx.y));
            assertTrue(maxDiff(want, p.trainingMean(TrainingTime.flow(t))) < tol, "t=" + t);
            assertTrue(maxDiff(want, self.mean(TrainingTime.flow(t))) < tol, "through K(T,X) = K, t=" + t);
        }
    }

    /** RK4 for (f_X, f_T) from f_0 = 0: df_X/dt = −K(f_X − Y)/n, df_T/dt = −K(T,X)(f_X − Y)/n. */
    double[] rk4TestMean(double t, int steps) {
        double h = t / steps;
        double[] fx0 = new double[n * o];
        double[] ft = new double[m * o];
        for (int s = 0; s < steps; s++) {
            double[][] k1 = rhs(fx0);
            double[][] k2 = rhs(axpy(fx0, h / 2, k1[0]));
            double[][] k3 = rhs(axpy(fx0, h / 2, k2[0]));
            double[][] k4 = rhs(axpy(fx0, h, k3[0]));
            for (int i = 0; i < fx0.length; i++) {
                fx0[i] += h / 6 * (k1[0][i] + 2 * k2[0][i] + 2 * k3[0][i] + k4[0][i]);
            }
            for (int i = 0; i < ft.length; i++) {
                ft[i] += h / 6 * (k1[1][i] + 2 * k2[1][i] + 2 * k3[1][i] + k4[1][i]);
            }
        }
        return ft;
    }

    double[][] rhs(double[] f) {
        double[] res = new double[n * o];
        for (int i = 0; i < res.length; i++) {
            res[i] = -(f[i] - fx.y[i]) / n;
        }
        return new double[][] {mul(k, n, n, res, o), mul(fx.cross.ntk(), m, n, res, o)};
    }

    static double[] axpy(double[] x, double a, double[] y) {
        double[] r = x.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] += a * y[i];
        }
        return r;
    }

    @Test
    void testPointMeanEqualsRk4OfTheOde() {
        Prediction at = KernelPredictor.fit(k, n, fx.y, o, 0).on(fx.cross.ntk(), m);
        for (double t : new double[] {0.5 * n / lmax, 5 * n / lmax, 30 * n / lmax}) {
            int steps = (int) Math.ceil(t * lmax / n / 0.02); // hλ_max/n = 0.02
            double[] coarse = rk4TestMean(t, steps);
            double[] fine = rk4TestMean(t, 2 * steps);
            // RK4 is 4th order: the fine run's error ≈ |fine − coarse|/15; allow 4× that plus rounding
            double tol = 4 * maxDiff(fine, coarse) / 15 + tolerance(t / n, maxAbs(fx.y)) * steps;
            double err = maxDiff(fine, at.mean(TrainingTime.flow(t)));
            assertTrue(err < tol, "t=" + t + " err=" + err + " tol=" + tol);
            assertTrue(maxAbs(fine) > 1e-3, "the test is not vacuous");
        }
    }

    /** K(T,X)(K + rI)⁻¹Y by Cholesky (dpotrf/dpotrs), a different factorisation. */
    double[] choleskyRegression(double[] kTx, double ridge) {
        double[] f = Fixture.plusDiagonal(k, n, ridge);
        assertTrue(Linalg.choleskyInPlace(f, n));
        double[] alpha = fx.y.clone();
        Linalg.choleskySolve(f, n, alpha, o);
        return mul(kTx, m, n, alpha, o);
    }

    @Test
    void infiniteTimeIsKernelRegressionByCholesky() {
        KernelPredictor plain = KernelPredictor.fit(k, n, fx.y, o, 0);
        double lmin = plain.eigen().smallest();
        for (double ridge : new double[] {0, 1e-3 * lmax}) {
            double[] want = choleskyRegression(fx.cross.ntk(), ridge);
            double[] got = KernelPredictor.fit(k, n, fx.y, o, ridge).on(fx.cross.ntk(), m).mean(TrainingTime.INFINITY);
            // f(λ) = 1/λ: |f′| = 1/λ_min²; times ‖K(T,X)‖ ≈ λ_max for the product
            double tol = tolerance(lmax / ((lmin + ridge) * (lmin + ridge)), maxAbs(fx.y));
            assertTrue(maxDiff(want, got) < tol, "ridge=" + ridge + " err=" + maxDiff(want, got) + " tol=" + tol);
        }
    }

    /** (I − ηK/n)^k by k explicit matrix products. */
    double[] stepPower(double eta, int steps) {
        double[] a = Fixture.identity(n);
        double[] step = Fixture.identity(n);
        for (int i = 0; i < n * n; i++) {
            step[i] -= eta * k[i] / n;
        }
        for (int s = 0; s < steps; s++) {
            a = mul(a, n, n, step, n);
        }
        return a;
    }

    @Test
    void discreteStepsEqualExplicitMatrixPower() {
        double eta = 0.7 * n / lmax;
        int steps = 37;
        double[] a = stepPower(eta, steps);
        double[] r = mul(a, n, n, fx.y, o);
        double[] want = fx.y.clone();
        for (int i = 0; i < want.length; i++) {
            want[i] -= r[i]; // f_k(X) = Y − (I − ηK/n)^k Y with f_0 = 0
        }
        KernelPredictor p = KernelPredictor.fit(k, n, fx.y, o, 0);
        double tol = tolerance(steps * eta / n, maxAbs(fx.y)); // |d/dλ (1 − (1 − ηλ/n)^k)| ≤ kη/n when ηλ/n ≤ 1
        assertTrue(maxDiff(want, p.trainingMean(TrainingTime.steps(steps, eta))) < tol);
        assertTrue(maxDiff(want, p.on(k, n).mean(TrainingTime.steps(steps, eta))) < tol);
    }

    /** The covariance after k discrete steps (eq. 16 with (I − ηK/n)^k for e^{−tK/n}) against explicit matrix powers. */
    @Test
    void covarianceAfterDiscreteStepsEqualsExplicitMatrixPower() {
        double eta = 0.7 * n / lmax;
        int steps = 23;
        double[] a = stepPower(eta, steps);
        KernelPredictor p = KernelPredictor.fit(k, n, fx.y, o, 0);
        double[] sXX = fx.train.nngp();
        double[] got = p.on(fx.cross.ntk(), m, PriorCovariance.of(fx.test.nngp(), fx.cross.nngp(), sXX))
                .covariance(TrainingTime.steps(steps, eta));
        // direct formula on K itself (invertible for this fixture; the predictor's k-step path never needs K⁻¹)
        double[] want = directCovarianceFromDecay(k, fx.cross.ntk(), a, fx.test.nngp(), fx.cross.nngp(), sXX);
        double lmin = p.eigen().smallest();
        double tol = tolerance(steps * eta / n + 1 / lmin, maxAbs(fx.test.nngp())) * lmax / lmin;
        System.out.printf("covariance after %d steps vs explicit matrix power: err %.2e, tol %.2e, moved %.2e%n", steps,
                maxDiff(want, got), tol, maxDiff(got, fx.test.nngp()));
        assertTrue(maxDiff(want, got) < tol, "err=" + maxDiff(want, got) + " tol=" + tol);
        assertTrue(maxDiff(got, fx.test.nngp()) > 1e3 * tol, "training moved the covariance");
    }

    @Test
    void discreteStepsApproachGradientFlowWithFirstOrderError() {
        double t = 4 * n / lmax;
        Prediction at = KernelPredictor.fit(k, n, fx.y, o, 0).on(fx.cross.ntk(), m);
        double[] flow = at.mean(TrainingTime.flow(t));
        double[] err = new double[4];
        double[] etas = new double[4];
        for (int j = 0; j < 4; j++) {
            long steps = 100L << j;
            etas[j] = t / steps;
            err[j] = maxDiff(flow, at.mean(TrainingTime.steps(steps, etas[j])));
        }
        for (int j = 1; j < 4; j++) {
            double slope = Math.log(err[j] / err[j - 1]) / Math.log(etas[j] / etas[j - 1]);
            // (1 − x)^k = e^{−kx}(1 − kx²/2 + O(kx³, k²x⁴)): error ∝ η, slope 1 + O(ηλ/n) with ηλ/n ≤ 0.04
            assertEquals(1.0, slope, 0.05, "slope between eta=" + etas[j - 1] + " and " + etas[j]);
        }
    }

    @Test
    void trajectoryEqualsSeparateCalls() {
        Prediction at = KernelPredictor.fit(k, n, fx.y, o, 0.01).on(fx.cross.ntk(), m);
        double[] times = {0, 0.1, 1, 10, 100, Double.POSITIVE_INFINITY};
        double[][] all = at.trajectory(times);
        assertEquals(times.length, all.length);
        for (int j = 0; j < times.length; j++) {
            double[] one = at.mean(TrainingTime.flow(times[j]));
            // the same dot products, possibly summed in another order by the GEMM kernel
            assertTrue(maxDiff(one, all[j]) <= 4 * n * EPS * maxAbs(one) + Double.MIN_NORMAL, "t=" + times[j]);
        }
        assertTrue(maxDiff(all[0], all[5]) > 1e-3, "times differ");
    }

    /** Lee et al. eq. 16 written directly: B = K(T,X)·K⁻¹ by Cholesky·(I − e^{−tK/n}) by Taylor. */
    double[] directCovariance(double[] kxx, double[] kTx, double ridge, double t, double[] sTT, double[] sTX,
            double[] sXX) {
        double[] kr = Fixture.plusDiagonal(kxx, n, ridge);
        double[] decay = t == Double.POSITIVE_INFINITY ? new double[n * n] : expm(scaled(kr, -t / n), n);
        return directCovarianceFromDecay(kr, kTx, decay, sTT, sTX, sXX);
    }

    /** Eq. 16 with B = K(T,X)·K⁻¹(I − D) for a given decay matrix D (e^{−tK/n}, or (I − ηK/n)^k for k steps). */
    double[] directCovarianceFromDecay(double[] kr, double[] kTx, double[] decay, double[] sTT, double[] sTX,
            double[] sXX) {
        double[] factor = kr.clone();
        assertTrue(Linalg.choleskyInPlace(factor, n));
        double[] fitted = Fixture.identity(n);
        for (int i = 0; i < fitted.length; i++) {
            fitted[i] -= decay[i];
        }
        Linalg.choleskySolve(factor, n, fitted, n); // K⁻¹(I − D)
        double[] b = mul(kTx, m, n, fitted, n);
        double[] bsxt = mul(b, m, n, transpose(sTX, m, n), m);
        double[] bsb = mul(mul(b, m, n, sXX, n), m, n, transpose(b, m, n), m);
        double[] cov = sTT.clone();
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < m; c++) {
                cov[r * m + c] += -bsxt[r * m + c] - bsxt[c * m + r] + bsb[r * m + c];
            }
        }
        return cov;
    }

    @Test
    void ntkCovarianceEqualsDirectFormula() {
        double ridge = 1e-3 * lmax;
        Prediction at = KernelPredictor.fit(k, n, fx.y, o, ridge).on(fx.cross.ntk(), m,
                PriorCovariance.of(fx.test.nngp(), fx.cross.nngp(), fx.train.nngp()));
        for (double t : new double[] {0.5 * n / lmax, 10 * n / lmax, Double.POSITIVE_INFINITY}) {
            double[] want = directCovariance(k, fx.cross.ntk(), ridge, t, fx.test.nngp(), fx.cross.nngp(),
                    fx.train.nngp());
            double[] got = at.covariance(TrainingTime.flow(t));
            double tol = tolerance(lmax / (ridge * ridge), maxAbs(fx.test.nngp()));
            assertTrue(maxDiff(want, got) < tol, "t=" + t + " err=" + maxDiff(want, got) + " tol=" + tol);
        }
    }

    @Test
    void nngpCovarianceShortcutEqualsGeneralPathAndDirectFormula() {
        double[] s = fx.train.nngp();
        double slmax = Fixture.powerIteration(s, n);
        double ridge = 1e-3 * slmax;
        KernelPredictor p = KernelPredictor.fit(s, n, fx.y, o, ridge);
        Prediction shortcut = p.on(fx.cross.nngp(), m, PriorCovariance.ofFittedKernel(fx.test.nngp()));
        // cli-contract.md: with --kind nngp and a ridge, Σ(X,X) also gets rI
        Prediction general = p.on(fx.cross.nngp(), m,
                PriorCovariance.of(fx.test.nngp(), fx.cross.nngp(), Fixture.plusDiagonal(s, n, ridge)));
        for (double t : new double[] {0.5 * n / slmax, 10 * n / slmax, Double.POSITIVE_INFINITY}) {
            double[] want = directCovariance(s, fx.cross.nngp(), ridge, t, fx.test.nngp(), fx.cross.nngp(),
                    Fixture.plusDiagonal(s, n, ridge));
            double tol = 64 * n * EPS * slmax * slmax / (ridge * ridge) * maxAbs(fx.test.nngp());
            assertTrue(maxDiff(want, shortcut.covariance(TrainingTime.flow(t))) < tol, "shortcut t=" + t);
            assertTrue(maxDiff(want, general.covariance(TrainingTime.flow(t))) < tol, "general t=" + t);
        }
    }

    /**
     * KernelRegression (Cholesky, t = ∞ only) against KernelPredictor (eigendecomposition) — two factorisations —
     * for the mean and both covariances, and its refusal of a singular kernel.
     */
    @Test
    void choleskyRegressionEqualsTheEigenPathAtInfinity() {
        double ridge = 1e-3 * lmax;
        KernelPredictor eig = KernelPredictor.fit(k, n, fx.y, o, ridge);
        KernelRegression chol = KernelRegression.fitInPlace(k.clone(), n, fx.y, o, ridge);
        double tol = tolerance(lmax / (ridge * ridge), Math.max(maxAbs(fx.y), maxAbs(fx.test.nngp())));
        assertTrue(maxDiff(eig.on(fx.cross.ntk(), m).mean(TrainingTime.INFINITY), chol.mean(fx.cross.ntk(), m)) < tol);
        PriorCovariance prior = PriorCovariance.of(fx.test.nngp(), fx.cross.nngp(), fx.train.nngp());
        double[] want = eig.on(fx.cross.ntk(), m, prior).covariance(TrainingTime.INFINITY);
        double[] got = chol.covariance(fx.cross.ntk(), m, prior);
        assertTrue(maxDiff(want, got) < tol, "ntk covariance: " + maxDiff(want, got) + " tol " + tol);
        assertTrue(maxAbs(want) > 1e3 * tol, "a covariance that is not ~0");
        double[] s = fx.train.nngp();
        KernelPredictor eigS = KernelPredictor.fit(s, n, fx.y, o, ridge);
        KernelRegression cholS = KernelRegression.fitInPlace(s.clone(), n, fx.y, o, ridge);
        PriorCovariance fitted = PriorCovariance.ofFittedKernel(fx.test.nngp());
        assertTrue(maxDiff(eigS.on(fx.cross.nngp(), m, fitted).covariance(TrainingTime.INFINITY),
                cholS.covariance(fx.cross.nngp(), m, fitted)) < tol, "nngp covariance");
        // an exactly singular kernel (two equal inputs) is refused, not jittered
        Fixture dup = new Fixture(8, 3, 1, 4, 5, true);
        var e = assertThrows(ntk.BadInputException.class,
                () -> KernelRegression.fitInPlace(dup.train.ntk().clone(), 8, dup.y, 1, 0.0));
        assertTrue(e.getMessage().contains("singular to working precision") && e.getMessage().contains("add a ridge (ridge r, e.g."),
                e.getMessage());
    }

    @Test
    void covarianceIsPriorAtTimeZeroAndVanishesOnTrainingPointsAtInfinity() {
        KernelPredictor ntk = KernelPredictor.fit(k, n, fx.y, o, 0);
        double[] s = fx.train.nngp();
        Prediction atTest = ntk.on(fx.cross.ntk(), m, PriorCovariance.of(fx.test.nngp(), fx.cross.nngp(), s));
        assertArrayEquals(fx.test.nngp(), atTest.covariance(TrainingTime.flow(0)), 0.0); // B = 0 exactly
        assertArrayEquals(fx.test.nngp(), atTest.covariance(TrainingTime.steps(0, 0.5)), 0.0);
        double lmin = ntk.eigen().smallest();
        double[] covNtk = ntk.on(k, n, PriorCovariance.of(s, s, s)).covariance(TrainingTime.INFINITY);
        // B = K K⁻¹ = I up to nε·cond(K); cov = Σ − Σ − Σ + Σ
        assertTrue(maxAbs(covNtk) < 64 * n * EPS * (lmax / lmin) * maxAbs(s), "ntk: " + maxAbs(covNtk));
        KernelPredictor nngp = KernelPredictor.fit(s, n, fx.y, o, 0);
        double scond = nngp.eigen().largest() / nngp.eigen().smallest();
        double[] covNngp = nngp.on(s, n, PriorCovariance.ofFittedKernel(s)).covariance(TrainingTime.INFINITY);
        assertTrue(maxAbs(covNngp) < 64 * n * EPS * scond * maxAbs(s), "nngp: " + maxAbs(covNngp));
        assertTrue(maxAbs(nngp.on(s, n, PriorCovariance.ofFittedKernel(s)).covariance(TrainingTime.flow(1))) > 1e-3,
                "finite time leaves variance");
    }

    @Test
    void singularKernelIsRefusedAtInfinityButNotAtFiniteTimeOrWithRidge() {
        Fixture dup = new Fixture(8, 3, 1, 4, 5, true);
        double[] kd = dup.train.ntk();
        KernelPredictor p = KernelPredictor.fit(kd, 8, dup.y, 1, 0);
        assertTrue(!p.isInvertible());
        BadInputException e = assertThrows(BadInputException.class,
                () -> p.on(dup.cross.ntk(), 3).mean(TrainingTime.INFINITY));
        assertTrue(e.getMessage().contains("smallest eigenvalue") && e.getMessage().contains("add a ridge (ridge r, e.g."), e.getMessage());
        assertThrows(BadInputException.class, () -> p.trainingMean(TrainingTime.INFINITY));
        double[] finite = p.on(dup.cross.ntk(), 3).mean(TrainingTime.flow(100));
        for (double v : finite) {
            assertTrue(Double.isFinite(v));
        }
        double[] ridged = KernelPredictor.fit(kd, 8, dup.y, 1, 1e-6).on(dup.cross.ntk(), 3).mean(TrainingTime.INFINITY);
        for (double v : ridged) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void badInputIsRefused() {
        assertThrows(BadInputException.class, () -> TrainingTime.flow(-1));
        assertThrows(BadInputException.class, () -> TrainingTime.flow(Double.NaN));
        assertThrows(BadInputException.class, () -> TrainingTime.steps(10, -0.1));
        assertThrows(BadInputException.class, () -> TrainingTime.steps(-1, 0.1));
        double[] y = fx.y.clone();
        y[3] = Double.NaN;
        assertThrows(BadInputException.class, () -> KernelPredictor.fit(k, n, y, o, 0));
        assertThrows(BadInputException.class, () -> KernelPredictor.fit(k, n, new double[(n - 1) * o], o, 0));
        assertThrows(BadInputException.class, () -> KernelPredictor.fit(k, n, fx.y, o, -1));
    }
}
