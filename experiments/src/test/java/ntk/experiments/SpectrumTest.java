package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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

    /** Eigenvalues C·i^−α·e^{noise·(−1)^i} on 1..n: an exact power law for noise 0, a noisy one (larger se) else. */
    static Spectrum.Result law(double alpha, double noise, int n) {
        double[] v = new double[n];
        for (int i = 1; i <= n; i++) {
            v[i - 1] = 2 * Math.pow(i, -alpha) * Math.exp(noise * (i % 2 == 0 ? 1 : -1));
        }
        return Spectrum.ofEigenvalues(v, 10, n / 4);
    }

    @Test
    void sideUsesTwoStandardErrors() {
        assertEquals(Spectrum.Side.ABOVE, Spectrum.side(new Estimate(1.11, 0.05, 10)));
        assertEquals(Spectrum.Side.UNDECIDED, Spectrum.side(new Estimate(1.09, 0.05, 10)));
        assertEquals(Spectrum.Side.UNDECIDED, Spectrum.side(new Estimate(0.91, 0.05, 10)));
        assertEquals(Spectrum.Side.BELOW, Spectrum.side(new Estimate(0.89, 0.05, 10)));
        assertEquals(Spectrum.Side.UNDECIDED, Spectrum.side(new Estimate(0.5, Double.NaN, 1)), "no error, no verdict");
    }

    @Test
    void decideGivesEachVerdictOnConstructedSpectra() {
        Spectrum.Result steep = law(1.5, 0, 400);
        Spectrum.Result flat = law(0.89, 0, 400);
        Spectrum.Result noisyOne = law(1.0, 0.5, 400);
        assertEquals(Spectrum.Side.UNDECIDED, Spectrum.side(noisyOne.alphaEstimate()), "" + noisyOne.alphaEstimate());
        assertEquals(Report.Verdict.SHOWN, Spectrum.decide(new Spectrum.Both(steep, steep, 3, 0)).verdict());
        assertEquals(Report.Verdict.NOT_SHOWN, Spectrum.decide(new Spectrum.Both(flat, flat, 3, 0)).verdict());
        Decision mixed = Spectrum.decide(new Spectrum.Both(flat, steep, 3, 0));
        assertEquals(Report.Verdict.PARTLY, mixed.verdict());
        assertTrue(mixed.reason().contains("0.890") && mixed.reason().contains("below 1")
                && mixed.reason().contains("not hold on the digits"), mixed.reason());
        assertEquals(Report.Verdict.PARTLY, Spectrum.decide(new Spectrum.Both(noisyOne, steep, 3, 0)).verdict());
        assertEquals(Report.Verdict.PARTLY, Spectrum.decide(new Spectrum.Both(steep, noisyOne, 3, 0)).verdict());
    }

    @Test
    void disjointSamplesDecideWhenThereAreSome() {
        Spectrum.Result steep = law(1.5, 0, 400);
        Spectrum.Result flat = law(0.89, 0, 400);
        // one fit below 1, but four samples spread 0.89..1.2: their mean is within two standard errors of 1
        List<Spectrum.Result> spread = List.of(flat, law(1.2, 0, 400), law(1.0, 0, 400), law(0.95, 0, 400));
        Spectrum.Both b = new Spectrum.Both(flat, steep, 3, 0, List.of(), List.of(), List.of(), List.of(),
                new double[0], spread, List.of(steep, law(1.45, 0, 400)));
        assertEquals(Spectrum.Side.UNDECIDED, Spectrum.side(Spectrum.verdictAlpha(flat, spread)));
        Decision d = Spectrum.decide(b);
        assertEquals(Report.Verdict.PARTLY, d.verdict());
        assertTrue(d.reason().contains("over 4 disjoint samples of 400 digits"), d.reason());
        Report rep = Spectrum.render(b);
        assertTrue(rep.html().contains("mean ± standard error over the samples"));
        // samples that agree below 1 decide "below"
        Spectrum.Both below = new Spectrum.Both(flat, flat, 3, 0, List.of(), List.of(), List.of(), List.of(),
                new double[0], List.of(flat, law(0.9, 0, 400)), List.of(flat, law(0.88, 0, 400)));
        assertEquals(Report.Verdict.NOT_SHOWN, Spectrum.decide(below).verdict());
    }

    @Test
    void reportTextFollowsTheData() {
        Spectrum.Result steep = law(1.5, 0, 400);
        Spectrum.Result flat = law(0.89, 0, 400);
        List<Spectrum.Series> dims = List.of(new Spectrum.Series(3, steep), new Spectrum.Series(100, flat));
        double[] moments = {4, 2, 1, 1};
        Report a = Spectrum.render(new Spectrum.Both(flat, steep, 3, 0, List.of(flat, flat), List.of(steep, steep), dims,
                List.of(new Spectrum.Series(3, steep)), moments, List.of(), List.of()));
        Report b = Spectrum.render(new Spectrum.Both(steep, steep, 3, 0, List.of(flat, steep), List.of(steep, steep),
                dims, List.of(new Spectrum.Series(3, flat)), moments, List.of(), List.of()));
        assertEquals(Report.Verdict.PARTLY, a.verdict());
        assertEquals(Report.Verdict.SHOWN, b.verdict());
        assertNotEquals(a.verdictText(), b.verdictText());
        String ha = a.html();
        String hb = b.html();
        assertTrue(ha.contains("does not change beyond two standard errors") && hb.contains("α rises from n = 400"), hb);
        assertTrue(ha.contains("α above 1 for k in [3]") && hb.contains("α above 1 for k in none"), hb);
        assertTrue(ha.contains("above 1 for d in [3] and not for d in [100]"));
        assertTrue(ha.contains("hold 90 % of Σλ"), "plain per cent signs");
        assertEquals(64.0 / 22, Spectrum.participationRatio(moments), 1e-12);
        assertEquals(2, Spectrum.holding(moments, 0.6));
        Object json = a.summaryJson().get("paper_claim");
        assertEquals(Spectrum.CLAIM.quote(), json);
    }

    @Test
    void windowsAndHeadsAreSlicesOfTheSameSpectrum() {
        Spectrum.Result r = law(1.3, 0, 400);
        assertEquals(1.3, r.alphaOver(2, 8).mean(), 1e-12);
        assertEquals(List.of(2, 5, 10, 25, 50, 100), Spectrum.windows(400).stream().map(w -> w[0]).toList());
        // the first m points' Gram matrix is the top-left block: a diagonal kernel gives its first m entries
        double[] k = new double[40 * 40];
        for (int i = 0; i < 40; i++) {
            k[i * 40 + i] = 100 - i;
        }
        Spectrum.Result head = Spectrum.ofHead(k, 40, 20, 1);
        assertEquals(20, head.n());
        assertEquals(81.0 / 20, head.eigenvalues()[19], 1e-12);
        assertEquals(5, head.to());
    }
}
