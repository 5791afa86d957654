package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The NTK's spectrum on the sphere S² against harmonic analysis: degree-k eigenvalues ∝ k^−3 with multiplicity
 * 2k + 1 give λ_i ∝ i^−3/2 (Bietti &amp; Mairal 2019), an exponent the fit must find on 800 random points.
 */
class SpectrumTest {
    @Test
    void sphereSpectrumDecaysWithTheHarmonicExponent() {
        int n = 800;
        Spectrum.Result r = Spectrum.onSphere(n, 3, 10, n / 4, 1);
        assertEquals(1.5, Spectrum.sphereAlpha(3), 0);
        assertTrue(Math.abs(r.alpha() - Spectrum.sphereAlpha(3)) < 0.15, "alpha " + r.alpha());
        assertTrue(r.fit().r2() > 0.99, "r2 " + r.fit().r2());
        // degree 0 alone, then the three degree-1 harmonics nearly equal (x₁, x₂, x₃ on random points)
        double[] l = r.eigenvalues();
        assertTrue(l[0] > 3 * l[1]);
        assertTrue(l[3] > 0.8 * l[1] && l[3] > 2 * l[4], "degree-1 block " + l[1] + ", " + l[3] + ", " + l[4]);
        // the eigenvalues of K/n sum to the mean diagonal Θ∞(x, x), the same for every point of the sphere
        double trace = 0;
        for (double v : l) {
            trace += v;
        }
        double[] x0 = {1, 0, 0};
        double diag = new ntk.kernels.KernelEngine().kernels(JacotNetworks.limit(1), x0, 1, null, 0, 3, true).ntk()[0];
        assertEquals(diag, trace, 1e-10 * diag);
    }

    @Test
    void logLogFitRecoversAnExactPowerLaw() {
        double[] v = new double[50];
        for (int i = 1; i <= 50; i++) {
            v[i - 1] = 3 * Math.pow(i, -1.7);
        }
        LogLogFit f = LogLogFit.ofIndex(v, 5, 40);
        assertEquals(-1.7, f.slope(), 1e-12);
        assertEquals(Math.log(3), f.intercept(), 1e-12);
        assertEquals(1, f.r2(), 1e-12);
        assertEquals(36, f.points());
    }
}
