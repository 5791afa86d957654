package ntk.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.Parameterization;
import ntk.activations.Activation;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import ntk.arch.Network;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import org.junit.jupiter.api.Test;

/** NTK against depth: recorded kernels vs separate runs, and convergence rates measured, not assumed. */
class DepthAnalysisTest {
    /** 4 points on the circle of radius √2 in 2-d (‖x‖²/d = 1). */
    static final double[] X = circle(0, 0.5, 1.0, 2.0);

    static double[] circle(double... angles) {
        double[] x = new double[2 * angles.length];
        for (int i = 0; i < angles.length; i++) {
            x[2 * i] = Math.sqrt(2) * Math.cos(angles[i]);
            x[2 * i + 1] = Math.sqrt(2) * Math.sin(angles[i]);
        }
        return x;
    }

    @Test
    void recordedKernelsOfEveryDepthEqualSeparateRunsOfTheSpec() {
        for (ArchKind kind : ArchKind.values()) {
            if (kind.convolutional()) {
                continue; // signals: ConvDepthTest
            }
            Activation act = new Tanh();
            DepthProfile p = DepthAnalysis.run(act, 1.2, 0.3, kind, 6, X, 4, 2);
            for (int l : new int[] {1, 3, 6}) {
                Network net = Network.parse(kind.spec(l, act, 1.2, 0.3), Parameterization.NTK);
                Kernels k = new KernelEngine(1).kernels(net, X, 4, null, 0, 2, true);
                for (int e = 0; e < 16; e++) {
                    // Same arithmetic in the same order: equal up to the engine's diagonal/pair split (rounding).
                    assertEquals(k.ntk()[e], p.ntk()[l - 1][e], 1e-13 * Math.abs(k.ntk()[e]), kind + " L=" + l);
                    assertEquals(k.nngp()[e], p.nngp()[l - 1][e], 1e-13 * Math.abs(k.nngp()[e]), kind + " L=" + l);
                }
            }
        }
    }

    /**
     * Relu on its EOC (σ_w = √2, σ_b = 0): Θ^L(x, x) = L q exactly (Θ^{l+1} = Θ^l + q), and off the diagonal
     * the average NTK tends to q/4 (1 − f'(c^l) ≈ 3/l) with a distance ~ (a + b log L)/L, whose local
     * log-log slope is −1 + b/(a + b log L): within 1/log L of −1. The NTK stays invertible (Hayou et al., Lemma 1).
     */
    @Test
    void reluAverageNtkOnTheEdgeOfChaosConvergesLikeOneOverDepth() {
        int maxDepth = 200;
        DepthProfile p = DepthAnalysis.run(new Relu(), Math.sqrt(2), 0.0, ArchKind.DENSE, maxDepth, X, 4, 2);
        assertEquals("depth", p.normalisation());
        for (int l : new int[] {1, 50, 200}) {
            assertEquals(2.0, p.normalised()[l - 1][0], 1e-13 * l);
        }
        assertEquals(0.5, p.limit()[1], 1e-15);
        assertTrue(p.polynomial().rss() < p.exponential().rss(), "polynomial fits better on the EOC");
        double slope = Math.log(p.distance()[199] / p.distance()[99]) / Math.log(2.0);
        assertEquals(-1.0, slope, 1.0 / Math.log(100), "local exponent between L = 100 and 200");
        for (int l = 2; l <= maxDepth; l++) {
            assertTrue(p.lambdaMin()[l - 1] > 0.1, "invertible at L=" + l + ": " + p.lambdaMin()[l - 1]);
        }
    }

    /**
     * Tanh in the ordered phase (σ_w = 1, σ_b = 0.3, χ₁ ≈ 0.70): K^L → q* / (1 − χ₁) with a distance ~ L χ₁^L
     * (the source terms 1 − c^l and the contraction of Θ share the rate χ₁), so a line through log d has slope
     * log χ₁ + s, s the least-squares slope of log L over the fitted depths; the remaining error (of the
     * prefactor's 1/L terms) is asserted below half of s.
     */
    @Test
    void orderedPhaseConvergesExponentiallyAtTheRateMinusLogChi1() {
        DepthProfile p = DepthAnalysis.run(new Tanh(), 1.0, 0.3, ArchKind.DENSE, 120, X, 4, 2);
        MeanField m = p.meanField();
        assertEquals(Phase.ORDERED, m.phase());
        assertEquals("none", p.normalisation());
        assertTrue(p.exponential().rss() < p.polynomial().rss(), "exponential fits better in the ordered phase");
        RateFit e = p.exponential();
        double st = 0;
        double sl = 0;
        double stt = 0;
        double stl = 0;
        int count = 0;
        for (int l = e.from(); l <= e.to(); l++) {
            if (p.distance()[l - 1] > DepthAnalysis.FLOOR * Math.max(p.limit()[0], 1.0)) {
                st += l;
                sl += Math.log(l);
                stt += (double) l * l;
                stl += l * Math.log(l);
                count++;
            }
        }
        assertEquals(e.points(), count);
        double s = (count * stl - st * sl) / (count * stt - st * st);
        double predicted = -Math.log(m.chi1()) - s;
        assertEquals(predicted, e.rate(), s / 2, "fitted 1/xi vs -log chi1 = " + (-Math.log(m.chi1())));
    }

    /**
     * Tanh in the chaotic phase (σ_w = 2.5, σ_b = 0.2): Θ(x, x) grows like χ₁^L while Θ(x, x') stays bounded
     * (σ_w²E[φ'φ'] at the fixed correlation c* &lt; 1 is below 1), so the NTK's correlation dies like χ₁^−L:
     * its tail rate must be log χ₁ from the mean-field solver, a number the kernel engine never sees.
     */
    @Test
    void chaoticPhaseCorrelationDiesAtTheRateLogChi1() {
        DepthProfile p = DepthAnalysis.run(new Tanh(), 2.5, 0.2, ArchKind.DENSE, 200, X, 4, 2);
        assertEquals(Phase.CHAOTIC, p.meanField().phase());
        assertEquals("diagonal", p.normalisation());
        assertEquals("exponential", p.better().model());
        double tail = Math.log(p.distance()[99] / p.distance()[199]) / 100;
        assertEquals(Math.log(p.meanField().chi1()), tail, 1e-3, "rate between L = 100 and 200");
    }

    /**
     * Tanh on its EOC (σ_b = 0.2): Hayou et al. state K^L/L − K∞ = Θ(log L / L) for smooth φ. Measured: for every
     * off-diagonal pair L·(K^L/L − q* / 3) ≈ A_ij + B log L with one B for all pairs (here B ln 2 ≈ −0.47 per doubling,
     * while A_ij differ), so the log term is real and universal; on the diagonal L·(K^L/L − q*) is constant (1/L).
     */
    @Test
    void smoothActivationOnTheEdgeOfChaosConvergesLikeLogDepthOverDepth() {
        double sigmaW = new EdgeOfChaos(new Tanh()).find(0.2).sigmaW();
        DepthProfile p = DepthAnalysis.run(new Tanh(), sigmaW, 0.2, ArchKind.DENSE, 2000, X, 4, 2);
        assertEquals("depth", p.normalisation());
        double[] lim = p.limit();
        double q = p.meanField().qStar();
        assertEquals(q, lim[0], 1e-12 * q);
        assertEquals(q / 3, lim[1], 1e-12 * q);
        double[] perDoubling = new double[2];
        int[] pairs = {1, 3}; // entries (0, 1) and (0, 3): angles 0.5 and 2 apart
        for (int k = 0; k < 2; k++) {
            int e = pairs[k];
            double at1000 = 1000 * (p.normalised()[999][e] - lim[e]);
            double at2000 = 2000 * (p.normalised()[1999][e] - lim[e]);
            perDoubling[k] = at2000 - at1000;
            assertTrue(Math.abs(perDoubling[k]) > 0.3, "a log L / L term, not 1/L, in entry " + e + ": " + perDoubling[k]);
        }
        assertEquals(perDoubling[0], perDoubling[1], 0.1 * Math.abs(perDoubling[1]), "one B for all pairs");
        double diag1000 = 1000 * (p.normalised()[999][0] - lim[0]);
        double diag2000 = 2000 * (p.normalised()[1999][0] - lim[0]);
        assertEquals(diag1000, diag2000, 1e-6, "the diagonal converges like 1/L exactly");
    }

    /**
     * ResNets live on the EOC for any σ_w (Hayou et al. §4): with Relu the NTK's correlation tends to 1/4 (the
     * derivation is in DepthAnalysis) at rate 1/L for plain blocks, and only like 1/log L when the l-th block is
     * scaled by 1/√l — degeneration slowed, as the paper says. Both measured here, with a bias too.
     */
    @Test
    void reluResNetsTendToCorrelationOneQuarterLikeOneOverLAndScaledOnesLikeOneOverLogL() {
        for (double b : new double[] {0.0, 0.2}) {
            DepthProfile res = DepthAnalysis.run(new Relu(), 1.0, b, ArchKind.RESNET, 1000, X, 4, 2);
            assertEquals(0.25, res.limit()[1], 0.0);
            // a power of L; with the log-polynomial model beside it, log(L)·L^−1.1 fits these depths a little better
            assertTrue(res.better().model().contains("polynomial"), res.better().model());
            assertEquals(1.0, res.polynomial().rate(), 0.12, "ResNet exponent, sigma_b = " + b);
            assertTrue(res.distance()[999] < 0.02, "ResNet at L = 1000: " + res.distance()[999]);
        }
        DepthProfile scaled = DepthAnalysis.run(new Relu(), 2.0, 0.0, ArchKind.SCALED_RESNET, 2000, X, 4, 2);
        DepthProfile plain = DepthAnalysis.run(new Relu(), 2.0, 0.0, ArchKind.RESNET, 400, X, 4, 2);
        assertEquals("logarithmic", scaled.better().model());
        assertTrue(scaled.polynomial().rate() < 0.15, "no power of L: " + scaled.polynomial().rate());
        // (log L)·d climbs towards its constant: 1.72 at L = 1000, 1.76 at 2000 (1.88 at 20,000): ~ 1/log L
        double c1000 = Math.log(1000) * scaled.distance()[999];
        double c2000 = Math.log(2000) * scaled.distance()[1999];
        assertTrue(c2000 > c1000 && c2000 < 1.02 * c1000 + 0.05, c1000 + " -> " + c2000);
        assertTrue(scaled.distance()[399] > 10 * plain.distance()[399], "scaling the blocks slows degeneration");
    }

    /**
     * Elu (α = 1) has a continuous φ', so on the EOC its average NTK's off-diagonal tends to q* / 3 like Tanh's (a = 2 in
     * DepthAnalysis), not to the q* / 4 of Relu-like φ' with a jump; the distance falls like a power of L.
     */
    @Test
    void eluOnTheEdgeOfChaosTendsToTheSmoothLimit() {
        EocPoint eoc = new EdgeOfChaos(new ntk.activations.Elu()).find(0.2);
        assertEquals(1.2292511, eoc.sigmaW(), 1e-6, "Hayou et al.'s ELU EOC point at sigma_b = 0.2");
        DepthProfile p = DepthAnalysis.run(new ntk.activations.Elu(), eoc.sigmaW(), 0.2, ArchKind.DENSE, 400, X, 4, 2);
        double q = p.meanField().qStar();
        assertEquals(q / 3, p.limit()[1], 1e-12);
        double at200 = Math.abs(p.normalised()[199][1] - q / 3);
        double at400 = Math.abs(p.normalised()[399][1] - q / 3);
        assertTrue(at400 < 0.05 * q && at400 < at200 / 1.6, at200 + " -> " + at400);
        assertTrue(Math.abs(p.normalised()[399][1] - q / 4) > 2 * at400, "closer to q*/3 than to the Relu-like q*/4");
        assertTrue(DepthAnalysis.derivativeJumps(new Relu()) && DepthAnalysis.derivativeJumps(
                new ntk.activations.LeakyRelu(0.01)) && !DepthAnalysis.derivativeJumps(new ntk.activations.Elu()));
    }

    /**
     * Hayou et al.'s Thm 2: ResNets converge at a rate that does not depend on σ_w. With their normalisation
     * α_L = L(1 + σ_w²/2)^{L−1}, the diagonal's distance is q_1/((1 + s)L) exactly (derived in DepthAnalysis) and the
     * fitted exponent of the whole distance (the off-diagonal dominates) is the same for every σ_w: 0.93-0.94 over
     * L in [60, 600] (log(L)·L^−1.11 fits better still). Smaller σ_w approach the same rate later: the distance is a
     * function of roughly (σ_w²/2)·L, so σ_w = 0.5 (0.86 at L = 1000) is still pre-asymptotic here.
     */
    @Test
    void reluResNetRateDoesNotDependOnSigmaWUnderThePapersNormalisation() {
        double[] rates = new double[3];
        double[] sigmas = {1.0, 1.5, 2.0};
        for (int k = 0; k < 3; k++) {
            double sw = sigmas[k];
            DepthProfile p = DepthAnalysis.run(new Relu(), sw, 0.0, ArchKind.RESNET, 600, X, 4, 2, true);
            assertEquals("paper", p.normalisation());
            double s = sw * sw / 2;
            double q1 = sw * sw; // |x|²/d = 1
            for (int l : new int[] {10, 100, 600}) {
                // to 1e-3 relative: the engine's ρ on the diagonal is 1 only to an ulp, and arccos(1 − ulp) ≈ 1.5e-8 makes
                // E[φ'²] low by ~5e-9 per block, a bias of ~L·1e-8 relative in K^L (2e-4 of the distance at L = 600)
                assertEquals(q1 / (1 + s) / l, p.normalised()[l - 1][0] - p.limit()[0], 1e-3 * q1 / (1 + s) / l,
                        "diagonal at L = " + l);
            }
            rates[k] = p.polynomial().rate();
            assertEquals(0.93, rates[k], 0.05, "sigma_w = " + sw);
        }
        assertEquals(rates[0], rates[1], 0.02);
        assertEquals(rates[0], rates[2], 0.02);
    }

    @Test
    void logPolynomialFitRecoversItsExponentAndBeatsThePlainPowerOnItsOwnCurve() {
        int[] depths = new int[1000];
        double[] d = new double[1000];
        for (int l = 1; l <= 1000; l++) {
            depths[l - 1] = l;
            d[l - 1] = 3 * Math.log(l) * Math.pow(l, -1.2);
        }
        RateFit lp = RateFit.fit("log-polynomial", depths, d, 100, 1000);
        RateFit poly = RateFit.fit("polynomial", depths, d, 100, 1000);
        assertEquals(1.2, lp.rate(), 1e-12);
        assertEquals(Math.log(3), lp.intercept(), 1e-10);
        assertTrue(lp.rss() < 1e-20 && poly.rss() > 1e-3, lp.rss() + " vs " + poly.rss());
    }

    @Test
    void aKernelThatLeavesTheDoubleRangeIsRefusedNamingTheDepth() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(ntk.BadInputException.class,
                () -> DepthAnalysis.run(new Relu(), 1.0, 0.0, ArchKind.RESNET, 2000, X, 4, 2));
        assertTrue(e.getMessage().contains("leaves the double range at depth 1736 "), e.getMessage());
    }
}
