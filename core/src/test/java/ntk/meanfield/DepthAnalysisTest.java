package ntk.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.activations.Activation;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import ntk.arch.Network;
import ntk.arch.Parameterization;
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
            if (p.distance()[l - 1] > 1e-13) {
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
}
