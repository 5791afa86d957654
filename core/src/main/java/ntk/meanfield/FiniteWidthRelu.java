package ntk.meanfield;

import ntk.BadInputException;

/**
 * The scale of a deep ReLU network's activations at finite width, on the edge of chaos (σ_w = √2, σ_b = 0), where the
 * mean-field recursion keeps it constant (q_{l+1} = q_l).
 *
 * <p>Given a layer's input x, its pre-activations h_i = (√2/√fan_in)·W_i·x with W ~ N(0, 1) (NTK parameterisation; the
 * standard one draws W ~ N(0, 2/fan_in), the same law) are independent N(0, 2‖x‖²/fan_in), so ‖relu(h)‖² =
 * (2‖x‖²/fan_in)·χ²_K with K ~ Binomial(n, 1/2) degrees of freedom, n the width (by the symmetry of h, which units are
 * on is independent of the magnitudes). The ratio R = (2/n)·χ²_K of ‖relu(h)‖² to the mean-field value (‖x‖²·n/fan_in)
 * has the same law at every layer and does not depend on x, so after L layers the log of the scale relative to the
 * mean-field one is a sum of L independent log R, with mean L·E[log R] and variance L·Var[log R], where
 * E[log R] = log(4/n) + E_K[ψ(K/2)] and Var[log R] = E_K[ψ'(K/2)] + Var_K[ψ(K/2)] (ψ the digamma function; log χ²_k
 * has mean ψ(k/2) + log 2 and variance ψ'(k/2)). For large n they are about −2.5/n and 5/n: the scale performs a random
 * walk in log with a downward drift, so at depth comparable to the width a typical network's activations (and its
 * NTK, made of them and of the backward pass's like walk) are far below the mean-field value, although E[R] = 1.
 */
public final class FiniteWidthRelu {
    private static final double EULER = 0.5772156649015329;

    private FiniteWidthRelu() {
    }

    /** {E[log R], Var[log R]} of one layer at width n (the K = 0 term, probability 2^−n, left out). */
    public static double[] logScaleMoments(int n) {
        if (n < 1 || n > 10_000_000) {
            throw new BadInputException("FiniteWidthRelu: width must be in [1, 10000000], got " + n);
        }
        // the Binomial(n, 1/2) weights by recurrence in logs; ψ(k/2) and ψ'(k/2) from ψ(x + 1) = ψ(x) + 1/x and
        // ψ'(x + 1) = ψ'(x) − 1/x², starting at ψ(1/2) = −γ − 2 log 2, ψ(1) = −γ, ψ'(1/2) = π²/2, ψ'(1) = π²/6
        double[] psi = {-EULER - 2 * Math.log(2), -EULER}; // ψ(k/2) for the last odd and even k
        double[] tri = {Math.PI * Math.PI / 2, Math.PI * Math.PI / 6};
        double e = 0;
        double e2 = 0;
        double t = 0;
        double logChoose = 0; // log C(n, k)
        for (int k = 1; k <= n; k++) {
            int parity = (k + 1) % 2; // 0 for odd k, 1 for even
            if (k > 2) {
                double x = (k - 2) / 2.0;
                psi[parity] += 1 / x;
                tri[parity] -= 1 / (x * x);
            }
            logChoose += Math.log((double) (n - k + 1) / k);
            double p = Math.exp(logChoose - n * Math.log(2));
            e += p * psi[parity];
            e2 += p * psi[parity] * psi[parity];
            t += p * tri[parity];
        }
        return new double[] {Math.log(4.0 / n) + e, t + e2 - e * e};
    }

    /**
     * The median of the scale of relu(h_L) relative to the mean-field value after L layers of width n, e^{L·E[log R]}
     * (the log is a sum of L independent terms, close to normal), with the standard deviation of its log, √(L·Var).
     */
    public static double[] medianScale(int n, int depth) {
        double[] m = logScaleMoments(n);
        return new double[] {Math.exp(depth * m[0]), Math.sqrt(depth * m[1])};
    }
}
