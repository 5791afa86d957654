package ntk.dynamics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The closed-form OU moments of the linearised SGD SDE against hand formulas, an exact ODE solution and simulation. */
class SgdOuTest {

    /**
     * A diagonal kernel K = kI by hand: r_i has mean e^{−kt/n} r_i(0), and E[r r ᵀ] obeys
     * M_ii' = (−2k/n + η c k²(1 − 1/n)/n) M_ii, M_ij' = (−2k/n − η c k²/n²) M_ij (i ≠ j). A test point whose kernel
     * row is training point 0's moves with it (same drift, same noise): same variance, same covariances.
     */
    @Test
    void diagonalKernelByHand() {
        int n = 3;
        int m = 1;
        double k = 2.5;
        double[] kAX = new double[(n + m) * n];
        for (int i = 0; i < n; i++) {
            kAX[i * n + i] = k;
        }
        kAX[n * n] = k; // the test point's row: Θ(t, x_0) = k, others 0
        double[] y = {0.4, -0.2, 0.9};
        double[] f0 = {-0.3, 0.5, 0.1, 0.7};
        double eta = 0.3;
        SgdSde sde = new SgdSde(kAX, n, m, y, 2);
        double c = sde.noiseFactor();
        double t = 1.7;
        SgdOu.Moments mo = new SgdOu(sde, eta).at(t, f0, 400);
        double e = Math.exp(-k * t / n);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = f0[i] - y[i];
            assertEquals(y[i] + e * r[i], mo.mean()[i], 1e-13, "mean " + i);
        }
        assertEquals(f0[3] - k * r[0] * (1 - e) / k, mo.mean()[3], 1e-13, "test mean");
        double diag = Math.exp((-2 * k / n + eta * c * k * k * (1 - 1.0 / n) / n) * t);
        double off = Math.exp((-2 * k / n - eta * c * k * k / (n * n)) * t);
        int a = n + m;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double cov = r[i] * r[j] * ((i == j ? diag : off) - e * e);
                assertEquals(cov, mo.cov()[i * a + j], 1e-9, "cov " + i + "," + j);
                assertEquals(cov, new SgdOu(sde, eta).residualSecondMoment(t, f0)[i * n + j] - r[i] * r[j] * e * e,
                        1e-12, "second moment " + i + "," + j);
            }
            assertEquals(mo.cov()[0 * a + i], mo.cov()[3 * a + i], 1e-9, "the test point moves with x_0: " + i);
        }
        assertEquals(mo.cov()[0], mo.cov()[3 * a + 3], 1e-9);
        assertTrue(mo.cov()[0] > 1e-3, "visible noise");
        assertTrue(mo.quadratureError() < 1e-7, "quadrature " + mo.quadratureError());
    }

    static double[] kernel(int n, int m, long seed) {
        int na = n + m;
        Random r = new Random(seed);
        double[] gm = new double[na * 4];
        for (int i = 0; i < gm.length; i++) {
            gm[i] = r.nextGaussian();
        }
        double[] kAX = new double[na * n];
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < n; j++) {
                double v = 1.0;
                for (int q = 0; q < 4; q++) {
                    v += 0.5 * gm[i * 4 + q] * gm[j * 4 + q];
                }
                kAX[i * n + j] = v;
            }
        }
        return kAX;
    }

    /** On the training points the quadrature's covariance equals the exact one, E[r rᵀ] − E r E rᵀ from e^{tL}. */
    @Test
    void quadratureMatchesTheExactTrainingCovariance() {
        int n = 5;
        int m = 2;
        double[] kAX = kernel(n, m, 3);
        double[] y = {0.5, -0.3, 0.8, 0.1, -0.9};
        double[] f0 = {0.1, 0.2, -0.4, 0.3, 0.0, 0.5, -0.2};
        SgdSde sde = new SgdSde(kAX, n, m, y, 2);
        SgdOu ou = new SgdOu(sde, 0.5);
        double t = 3.0;
        SgdOu.Moments mo = ou.at(t, f0, 800);
        double[] m2 = ou.residualSecondMoment(t, f0);
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double ri = mo.mean()[i] - y[i];
                double rj = mo.mean()[j] - y[j];
                double exact = m2[i * n + j] - ri * rj;
                max = Math.max(max, Math.abs(exact));
                assertEquals(exact, mo.cov()[i * (n + m) + j], 1e-9, "cov " + i + "," + j);
            }
        }
        assertTrue(max > 1e-4, "visible noise: " + max);
    }

    /**
     * The closed form against Monte Carlo over Euler–Maruyama paths of the continuous SDE (20 substeps per η): every
     * mean and covariance entry on A within 4.5 of its Monte Carlo standard errors (per-path products' spread), with
     * the paper's noise constant and with c_b; and the Γ term's first-order mean shift against the simulated shift
     * (same noise draws with and without Γ, so the difference has small variance).
     */
    @Test
    void closedFormMatchesSimulatedPaths() {
        int n = 5;
        int m = 2;
        int a = n + m;
        double[] kAX = kernel(n, m, 8);
        double[] y = {0.5, -0.3, 0.8, 0.1, -0.9};
        double[] f0 = {0.1, 0.2, -0.4, 0.3, 0.0, 0.5, -0.2};
        double eta = 0.25;
        int steps = 10;
        int paths = 12000;
        Random rnd = new Random(4);
        double[] h = new double[a * n * n]; // a synthetic symmetric Hessian kernel
        for (int s = 0; s < a; s++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k <= j; k++) {
                    double v = 0.3 * rnd.nextGaussian();
                    h[(s * n + j) * n + k] = v;
                    h[(s * n + k) * n + j] = v;
                }
            }
        }
        for (SgdSde.NoiseConstant nc : SgdSde.NoiseConstant.values()) {
            SgdSde sde = new SgdSde(kAX, n, m, y, 2).withNoise(nc);
            double[] sim = sde.simulate(f0, eta, 20, new int[] {steps}, paths, 17)[0];
            SgdOu.Moments mo = new SgdOu(sde, eta).at(steps * eta, f0, 400);
            double[] mu = new double[a];
            for (int p = 0; p < paths; p++) {
                for (int s = 0; s < a; s++) {
                    mu[s] += sim[p * a + s] / paths;
                }
            }
            double worst = 0;
            for (int s = 0; s < a; s++) {
                double var = mo.cov()[s * a + s];
                worst = Math.max(worst, Math.abs(mu[s] - mo.mean()[s]) / Math.sqrt(var / paths));
                for (int u = 0; u <= s; u++) {
                    double c1 = 0;
                    double c2 = 0;
                    for (int p = 0; p < paths; p++) {
                        double prod = (sim[p * a + s] - mu[s]) * (sim[p * a + u] - mu[u]);
                        c1 += prod;
                        c2 += prod * prod;
                    }
                    double cov = c1 / (paths - 1);
                    double se = Math.sqrt((c2 / paths - Math.pow(c1 / paths, 2)) / paths);
                    worst = Math.max(worst, Math.abs(cov - mo.cov()[s * a + u]) / se);
                }
            }
            assertTrue(worst < 4.5, nc + ": largest |closed form − Monte Carlo| = " + worst + " standard errors");

            if (nc == SgdSde.NoiseConstant.PAPER) {
                continue; // the Γ shift once (c_b)
            }
            SgdSde withGamma = sde.withHessianKernel(h);
            double[] simG = withGamma.simulate(f0, eta, 20, new int[] {steps}, paths, 17)[0];
            SgdOu.Moments moG = new SgdOu(withGamma, eta).at(steps * eta, f0, 400);
            for (int s = 0; s < a; s++) {
                double d1 = 0;
                double d2 = 0;
                for (int p = 0; p < paths; p++) {
                    double dd = simG[p * a + s] - sim[p * a + s];
                    d1 += dd;
                    d2 += dd * dd;
                }
                double shift = d1 / paths;
                double se = Math.sqrt((d2 / paths - shift * shift) / paths);
                double ouShift = moG.mean()[s] - mo.mean()[s];
                assertTrue(Math.abs(ouShift) > 10 * se, "a visible Γ shift at " + s + ": " + ouShift + " ± " + se);
                assertEquals(ouShift, shift, 4.5 * se + 0.05 * Math.abs(ouShift), nc + " Γ shift at " + s);
            }
        }
    }
}
