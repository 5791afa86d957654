package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The near-|ρ| = 1 branch of the smooth activations' kernel maps ({@link NearOne}) against the kink-aware split
 * quadrature at high order, and its two ingredients against independent evidence: the closed-form Gaussian smoothings
 * of Elu and Gelu against direct Gauss–Legendre integration, and the Gauss–Hermite calibration against Gelu's closed
 * form.
 */
class NearOneTest {

    /**
     * Random (q1, q2, ρ) with q log-uniform in [1e-4, 100] (a third with q1 = q2) and ρ = ±(1 − 10^−u), u uniform in
     * [0.5, 12], or ±1 with q1 ≠ q2: NearOne (called directly, also where the series would still reach) against the split
     * quadrature at Legendre order 160, error relative to √(E φ(u)² E φ(v)²) ≤ 1e-12 and relative to the entry ≤ 1e-10
     * where it is ≥ 1e-3 of that scale. It must apply to every entry of the activations with a closed-form smoothing
     * and to most of the others (it declines only where the smoothing width √q_S ε exceeds the calibrated range).
     */
    @Test
    void nearOneMatchesTheQuadratureNearPlusMinusOne() {
        SplittableRandom r = new SplittableRandom(1129);
        int count = 90;
        for (Activation act : HermiteSeriesTest.smooth()) {
            NearOne near = new NearOne(act);
            double worstScaled = 0;
            double worstEntry = 0;
            int applied = 0;
            for (int i = 0; i < count; i++) {
                double q1 = HermiteSeriesTest.randomQ(r);
                double q2 = i % 3 == 0 ? q1 : HermiteSeriesTest.randomQ(r);
                double sign = r.nextBoolean() ? 1.0 : -1.0;
                double rho = i % 10 == 1 && q1 != q2 ? sign : sign * (1.0 - Math.pow(10.0, -r.nextDouble(0.5, 12.0)));
                double s = rho * Math.sqrt(q1 * q2);
                // the correlation as the kernel maps compute it (near ±1 an ulp of ρ moves a kinked φ' entry by ~1e-16/ε)
                rho = Math.max(-1.0, Math.min(1.0, s / ArcCosine.sqrtProduct(q1, q2)));
                double[] got = new double[2];
                if (!near.compute(q1, q2, rho, true, got)) {
                    continue;
                }
                applied++;
                double[] want = new double[2];
                double[] wantD = new double[1];
                double[] wp = new double[1];
                HermiteSeriesTest.REFINED.expectations(act, true, new double[] {q1}, new double[] {q2}, new double[] {s},
                        1, wp, wantD);
                want[0] = wp[0];
                want[1] = wantD[0];
                double[] a = ActivationExpectationsTest.one(act, q1, q1, q1);
                double[] b = ActivationExpectationsTest.one(act, q2, q2, q2);
                double[] scale = {Math.sqrt(a[0] * b[0]), Math.sqrt(a[1] * b[1])};
                for (int k = 0; k < 2; k++) {
                    double err = Math.abs(got[k] - want[k]);
                    String where = act.spec() + (k == 0 ? " E φφ" : " E φ'φ'") + " at q1=" + q1 + " q2=" + q2
                            + " rho=" + rho + ": near " + got[k] + " quadrature " + want[k];
                    assertTrue(err <= 1e-12 * scale[k], where);
                    worstScaled = Math.max(worstScaled, err / scale[k]);
                    if (Math.abs(want[k]) >= 1e-3 * scale[k]) {
                        assertTrue(err <= 1e-10 * Math.abs(want[k]), where);
                        worstEntry = Math.max(worstEntry, err / Math.abs(want[k]));
                    }
                }
            }
            System.out.printf("near |rho| = 1 vs quadrature, %s: %d of %d applied, worst %.1e of the Cauchy-Schwarz"
                    + " scale, %.1e of the entry%n", act.spec(), applied, count, worstScaled, worstEntry);
            boolean closed = act instanceof QuadratureActivation qa && qa.hasGaussianSmoothing();
            assertTrue(closed ? applied == count : applied >= count * 3 / 4, act.spec() + " applied " + applied);
        }
    }

    /** E[φ(μ + σW)] by Gauss–Legendre of order 200 on [−12, 12] split at the kink w = −μ/σ, and likewise φ'. */
    static double[] smoothedByLegendre(Activation act, double mu, double sigma) {
        double[][] l = GaussRules.legendre(200);
        double kink = Math.max(-12.0, Math.min(12.0, -mu / sigma));
        double[] res = new double[2];
        for (double[] p : new double[][] {{-12.0, kink}, {kink, 12.0}}) {
            double h = 0.5 * (p[1] - p[0]);
            double c = 0.5 * (p[1] + p[0]);
            for (int k = 0; k < 200 && h > 0; k++) {
                double w = c + h * l[0][k];
                double wt = h * l[1][k] * SpecialFunctions.normalPdf(w);
                res[0] += wt * act.value(mu + sigma * w);
                res[1] += wt * act.derivative(mu + sigma * w);
            }
        }
        return res;
    }

    /** Elu's (α = 1 and 0.5) and Gelu's closed-form smoothings against direct integration, σ from 1e-6 to 3. */
    @Test
    void closedFormSmoothingsMatchDirectIntegration() {
        for (QuadratureActivation act : new QuadratureActivation[] {new Elu(), new Elu(0.5), new Gelu()}) {
            double worst = 0;
            for (double sigma : new double[] {1e-6, 1e-3, 0.05, 0.3, 1.0, 3.0}) {
                double[] mu = new double[41];
                for (int i = 0; i < mu.length; i++) {
                    mu[i] = -10.0 + 0.5 * i + (i % 2 == 0 ? 0.0 : 0.1 * sigma);
                }
                double[] val = new double[mu.length];
                double[] der = new double[mu.length];
                act.gaussianSmoothing(mu, sigma, mu.length, val, der);
                for (int i = 0; i < mu.length; i++) {
                    double[] want = smoothedByLegendre(act, mu[i], sigma);
                    double e = Math.max(Math.abs(val[i] - want[0]) / (1 + Math.abs(want[0])),
                            Math.abs(der[i] - want[1]) / (1 + Math.abs(want[1])));
                    assertTrue(e <= 1e-14, act.spec() + " mu=" + mu[i] + " sigma=" + sigma + ": " + val[i] + ", "
                            + der[i] + " vs " + want[0] + ", " + want[1]);
                    worst = Math.max(worst, e);
                }
            }
            System.out.printf("closed-form smoothing of %s vs Gauss-Legendre: worst %.1e of 1 + |g|%n", act.spec(), worst);
        }
    }

    /**
     * The Gauss–Hermite calibration checked where the answer is known: Gelu (calibrated as if it had no closed form)
     * smoothed with the calibrated node count agrees with its closed form to 1e-14 (1 + |g|) at random μ and σ up to
     * the calibrated range; the calibrated counts grow with σ; Tanh (the nearest poles of these φ, at ±iπ/2) reaches
     * σ ≥ 0.5.
     */
    @Test
    void calibrationAgreesWithGelusClosedForm() {
        Gelu gelu = new Gelu();
        int[] sizes = NearOne.calibrate(gelu);
        SplittableRandom r = new SplittableRandom(5);
        int top = 0;
        for (int j = 0; j < sizes.length && sizes[j] > 0; j++) {
            top = j;
            if (j > 0) {
                assertTrue(sizes[j] >= sizes[j - 1]);
            }
        }
        double worst = 0;
        for (int t = 0; t < 200; t++) {
            int j = r.nextInt(top + 1);
            double sigma = NearOne.SIGMA[j] * r.nextDouble(0.5, 1.0);
            double[] mu = {r.nextDouble(-20, 20)};
            double[] g = new double[1];
            double[] gd = new double[1];
            int n = sizes[j];
            NearOne.smoothGH(gelu, mu, 1, sigma, n, new double[n], new double[n], new double[n], g, gd);
            double[] v = new double[1];
            double[] d = new double[1];
            gelu.gaussianSmoothing(mu, sigma, 1, v, d);
            double e = Math.max(Math.abs(g[0] - v[0]) / (1 + Math.abs(v[0])), Math.abs(gd[0] - d[0]) / (1 + Math.abs(d[0])));
            assertTrue(e <= 1e-14, "mu=" + mu[0] + " sigma=" + sigma + " n=" + n + ": " + e);
            worst = Math.max(worst, e);
        }
        int[] tanh = NearOne.calibrate(new Tanh());
        int tanhTop = 0;
        while (tanhTop + 1 < tanh.length && tanh[tanhTop + 1] > 0) {
            tanhTop++;
        }
        System.out.printf("calibration: Gelu by Gauss-Hermite to sigma %.3g (worst %.1e vs closed form); Tanh to sigma"
                + " %.3g, sizes %s%n", NearOne.SIGMA[top], worst, NearOne.SIGMA[tanhTop], java.util.Arrays.toString(tanh));
        assertTrue(NearOne.SIGMA[tanhTop] >= 0.5, "Tanh calibrated to " + NearOne.SIGMA[tanhTop]);
        assertEquals(1, tanh[0]);
    }
}
