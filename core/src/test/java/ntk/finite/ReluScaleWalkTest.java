package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.Parameterization;
import ntk.arch.Network;
import ntk.meanfield.FiniteWidthRelu;
import org.junit.jupiter.api.Test;

/**
 * The forward pass of a deep ReLU network at finite width, NTK parameterisation, on the edge of chaos (σ_w = √2,
 * σ_b = 0), against the exact law of its scale ({@link FiniteWidthRelu}, computed there by recurrences and here a
 * second way, from closed forms of ψ and ψ' at half-integers).
 *
 * <p>Given a layer's input x, the pre-activations h_i = (√2/√fan_in)·W_i·x (raw W ~ N(0, 1)) are independent
 * N(0, 2‖x‖²/fan_in), so ‖relu(h)‖² = (2‖x‖²/fan_in)·Σ_i g_i²·1[g_i &gt; 0] with g_i standard normal; by the symmetry
 * of g the sum is χ² with K ~ Binomial(n, 1/2) degrees of freedom (n the width). The ratio R = (2/n)·χ²_K of
 * ‖relu(h_l)‖² to the scale the mean-field recursion keeps (‖x‖²·n/fan_in at the first layer, ‖relu(h_{l−1})‖² after)
 * has the same law at every layer and does not depend on x, so log(‖relu(h_L)‖²·d/(n‖x‖²)) is a sum of L independent
 * log R with E[log R] = log(4/n) + E_K[ψ(K/2)] and Var[log R] = E_K[ψ'(K/2)] + Var_K[ψ(K/2)] (the log of χ²_k has mean
 * ψ(k/2) + log 2 and variance ψ'(k/2)). The mean-field recursion q_{l+1} = q_l says the scale is kept; at finite width
 * its log drifts by about −2.5/n a layer and spreads by 5/n: at width and depth 300 (Hayou et al.'s Table 1 network)
 * the median scale at the top is 0.08 of the mean-field one, within a factor e^{±2.2} (one standard deviation).
 */
class ReluScaleWalkTest {
    static final double EULER = 0.5772156649015329;

    /** ψ(k/2) for an integer k ≥ 1, in closed form (ψ(m) = −γ + H_{m−1}; ψ(m + 1/2) = −γ − 2 log 2 + Σ 2/(2j − 1)). */
    static double digammaHalf(int k) {
        double s = -EULER;
        if (k % 2 == 0) {
            for (int j = 1; j < k / 2; j++) {
                s += 1.0 / j;
            }
            return s;
        }
        s -= 2 * Math.log(2);
        for (int j = 1; j <= (k - 1) / 2; j++) {
            s += 2.0 / (2 * j - 1);
        }
        return s;
    }

    /** ψ'(k/2) for an integer k ≥ 1 (ψ'(m) = π²/6 − Σ_{j<m} 1/j²; ψ'(m + 1/2) = π²/2 − Σ_{j≤m} 4/(2j − 1)²). */
    static double trigammaHalf(int k) {
        double s;
        if (k % 2 == 0) {
            s = Math.PI * Math.PI / 6;
            for (int j = 1; j < k / 2; j++) {
                s -= 1.0 / ((double) j * j);
            }
            return s;
        }
        s = Math.PI * Math.PI / 2;
        for (int j = 1; j <= (k - 1) / 2; j++) {
            s -= 4.0 / ((2.0 * j - 1) * (2.0 * j - 1));
        }
        return s;
    }

    /** {E[log R], Var[log R]} for R = (2/n)·χ²_K, K ~ Binomial(n, 1/2), from the closed forms (K = 0 left out). */
    static double[] logRatioMoments(int n) {
        double e = 0;
        double e2 = 0;
        double t = 0;
        for (int k = 1; k <= n; k++) {
            double p = Math.exp(lgammaInt(n + 1) - lgammaInt(k + 1) - lgammaInt(n - k + 1) - n * Math.log(2));
            double psi = digammaHalf(k);
            e += p * psi;
            e2 += p * psi * psi;
            t += p * trigammaHalf(k);
        }
        return new double[] {Math.log(4.0 / n) + e, t + e2 - e * e};
    }

    /** log((m − 1)!) = log Γ(m) for an integer m ≥ 1. */
    static double lgammaInt(int m) {
        double s = 0;
        for (int j = 2; j < m; j++) {
            s += Math.log(j);
        }
        return s;
    }

    @Test
    void closedFormsAgreeWithTheTextbookValues() {
        assertEquals(-EULER, digammaHalf(2), 1e-15); // ψ(1)
        assertEquals(-EULER - 2 * Math.log(2), digammaHalf(1), 1e-15); // ψ(1/2)
        assertEquals(Math.PI * Math.PI / 6, trigammaHalf(2), 1e-15); // ψ'(1)
        assertEquals(Math.PI * Math.PI / 2, trigammaHalf(1), 1e-15); // ψ'(1/2)
        // the two routes to the moments agree
        for (int n : new int[] {2, 3, 64, 300}) {
            double[] closed = logRatioMoments(n);
            double[] rec = FiniteWidthRelu.logScaleMoments(n);
            assertEquals(closed[0], rec[0], 1e-10, "mean at width " + n); // log n! summed in the closed route
            assertEquals(closed[1], rec[1], 1e-10, "variance at width " + n);
        }
        // large n: E[log R] → −(5/2)/n, Var[log R] → 5/n (delta method: Var R = (4/n)(E[relu(g)⁴] − 1/4) = 5/n)
        double[] m = FiniteWidthRelu.logScaleMoments(20_000);
        assertEquals(-2.5, 20_000 * m[0], 0.01);
        assertEquals(5.0, 20_000 * m[1], 0.01);
        // Hayou et al.'s Table 1 network, width and depth 300: median scale 0.082 of the mean-field one
        assertEquals(0.0816, FiniteWidthRelu.medianScale(300, 299)[0], 5e-4);
    }

    /**
     * 400 networks of depth 32 and width 64 (seeds 0–399), one input each: the mean and variance of log(‖relu(h_L)‖² ·
     * d/(n‖x‖²)) over the networks against L·E[log R] and L·Var[log R] (−1.28 and 2.66 here; the mean-field
     * recursion says 0). The mean is asserted within 4 of its standard errors, the variance within 30 % (its
     * standard error is about 7.5 % over 400 near-normal draws): a statement about 400 seeds, not about a lucky one,
     * and the same on any BLAS (rounding moves a log by 1e-15).
     */
    @Test
    void deepReluScaleFollowsTheExactFiniteWidthLaw() {
        int n = 64;
        int depth = 32;
        int d = 16;
        int seeds = 400;
        StringBuilder spec = new StringBuilder();
        for (int l = 0; l < depth; l++) {
            spec.append(l == 0 ? "" : ", ").append("Dense(").append(n).append(", W_std=1.4142135623730951), Relu");
        }
        FiniteNetwork net = new FiniteNetwork(Network.parse(spec.toString(), Parameterization.NTK), d);
        double[] x = FiniteNetworkTest.random(d, 5);
        double xx = 0;
        for (double v : x) {
            xx += v * v;
        }
        double sum = 0;
        double sum2 = 0;
        for (int s = 0; s < seeds; s++) {
            double[] out = net.forward(net.init(s), x, 1).out();
            double yy = 0;
            for (double v : out) {
                yy += v * v;
            }
            double y = Math.log(yy * d / (n * xx));
            sum += y;
            sum2 += y * y;
        }
        double mean = sum / seeds;
        double var = (sum2 - seeds * mean * mean) / (seeds - 1);
        double[] m = FiniteWidthRelu.logScaleMoments(n);
        double wantMean = depth * m[0];
        double wantVar = depth * m[1];
        double se = Math.sqrt(wantVar / seeds);
        assertTrue(Math.abs(mean - wantMean) < 4 * se, "mean log scale " + mean + ", exact " + wantMean + " ± " + se);
        assertTrue(Math.abs(var / wantVar - 1) < 0.3, "variance of the log scale " + var + ", exact " + wantVar);
        assertTrue(wantMean < -10 * se, "the drift is resolved: the mean-field value 0 is far outside");
    }
}
