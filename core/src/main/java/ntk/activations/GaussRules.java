package ntk.activations;

/**
 * Gauss quadrature rules computed from scratch.
 *
 * <p>Gauss–Hermite (probabilists', weight e^{-z²/2}/√(2π), weights summing to 1): the nodes are the
 * eigenvalues of the Jacobi matrix of the orthonormal Hermite polynomials (Golub &amp; Welsch 1969),
 * found by Sturm-sequence bisection on the symmetric tridiagonal matrix (Wilkinson, The Algebraic
 * Eigenvalue Problem, §5.37), then polished by Newton's method on p_n; the weights are the
 * Christoffel numbers 1/Σ_{k&lt;n} p_k(z)², which are relatively accurate even in the far tail.
 *
 * <p>Gauss–Legendre on [-1, 1]: Newton's method on the three-term recurrence from the
 * Tricomi-type starting guesses cos(π(i + 3/4)/(n + 1/2)); w = 2/((1 - x²) P_n'(x)²).
 */
public final class GaussRules {
    private GaussRules() {
    }

    /** Evaluates the orthonormal probabilists' Hermite polynomials: returns {p_n(x), p_{n-1}(x), Σ_{k<n} p_k²}. */
    private static void hermiteOrthonormal(int n, double x, double[] out) {
        // p_{k+1} = (x p_k - √k p_{k-1}) / √(k+1), p_0 = 1 (He_k/√(k!), orthonormal under N(0,1))
        double pm1 = 0.0;
        double p = 1.0;
        double sumsq = 0.0;
        for (int k = 0; k < n; k++) {
            sumsq += p * p;
            double next = (x * p - Math.sqrt(k) * pm1) / Math.sqrt(k + 1.0);
            pm1 = p;
            p = next;
        }
        out[0] = p;
        out[1] = pm1;
        out[2] = sumsq;
    }

    /** Number of eigenvalues below x of the n×n Jacobi matrix with zero diagonal and off-diagonal √k. */
    private static int sturmCount(int n, double x) {
        int count = 0;
        double d = -x;
        if (d < 0) {
            count++;
        }
        for (int k = 1; k < n; k++) {
            if (d == 0.0) {
                d = 1e-300;
            }
            d = -x - k / d;
            if (d < 0) {
                count++;
            }
        }
        return count;
    }

    /**
     * Probabilists' Gauss–Hermite rule of order n (1..400): {nodes ascending, weights} with
     * Σ w_i f(z_i) ≈ E[f(Z)], Z ~ N(0, 1); exact for polynomials of degree ≤ 2n-1.
     */
    public static double[][] hermite(int n) {
        if (n < 1 || n > 400) {
            throw new IllegalArgumentException("Gauss-Hermite order must be in 1..400: " + n);
        }
        double[] z = new double[n];
        double[] w = new double[n];
        double bound = 2.0 * Math.sqrt(n) + 1.0; // Gershgorin: |λ| ≤ 2√(n-1)
        double[] t = new double[3];
        for (int k = 0; k < (n + 1) / 2; k++) {
            double lo = -bound;
            double hi = 0.0;
            if (2 * k + 1 == n) {
                lo = hi = 0.0;
            } else {
                for (int it = 0; it < 200; it++) {
                    double mid = 0.5 * (lo + hi);
                    if (mid <= lo || mid >= hi) {
                        break;
                    }
                    if (sturmCount(n, mid) > k) {
                        hi = mid;
                    } else {
                        lo = mid;
                    }
                }
            }
            double x = 0.5 * (lo + hi);
            for (int it = 0; it < 3 && x != 0.0; it++) {
                hermiteOrthonormal(n, x, t);
                double dx = t[0] / (Math.sqrt(n) * t[1]); // p_n' = √n p_{n-1}
                x -= dx;
                if (Math.abs(dx) <= 1e-17 * Math.abs(x)) {
                    break;
                }
            }
            hermiteOrthonormal(n, x, t);
            z[k] = x;
            w[k] = 1.0 / t[2];
            z[n - 1 - k] = -x;
            w[n - 1 - k] = w[k];
        }
        return new double[][] {z, w};
    }

    /** Gauss–Legendre rule of order n on [-1, 1]: {nodes ascending, weights}. */
    public static double[][] legendre(int n) {
        if (n < 1 || n > 1000) {
            throw new IllegalArgumentException("Gauss-Legendre order must be in 1..1000: " + n);
        }
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double r = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0.0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1.0;
                double p1 = r;
                for (int k = 1; k < n; k++) {
                    double p2 = ((2.0 * k + 1.0) * r * p1 - k * p0) / (k + 1.0);
                    p0 = p1;
                    p1 = p2;
                }
                double pn = n == 1 ? r : p1;
                double pnm1 = n == 1 ? 1.0 : p0;
                dp = n * (r * pn - pnm1) / (r * r - 1.0);
                double dr = pn / dp;
                r -= dr;
                if (Math.abs(dr) <= 1e-16) {
                    // one more evaluation of P_n' at the converged node for the weight
                    p0 = 1.0;
                    p1 = r;
                    for (int k = 1; k < n; k++) {
                        double p2 = ((2.0 * k + 1.0) * r * p1 - k * p0) / (k + 1.0);
                        p0 = p1;
                        p1 = p2;
                    }
                    pn = n == 1 ? r : p1;
                    pnm1 = n == 1 ? 1.0 : p0;
                    dp = n * (r * pn - pnm1) / (r * r - 1.0);
                    break;
                }
            }
            if (2 * i + 1 == n) {
                r = 0.0;
            }
            double wi = 2.0 / ((1.0 - r * r) * dp * dp);
            x[i] = -r;
            w[i] = wi;
            x[n - 1 - i] = r;
            w[n - 1 - i] = wi;
        }
        return new double[][] {x, w};
    }

    /**
     * A composite Gauss–Legendre rule for E[f(Z)], Z ~ N(0, 1), on [−b_last, b_last]: the reference rule {t, w} on [−1, 1]
     * mapped to each panel [b_p, b_{p+1}] of the ascending breakpoints (b_0 = 0) and mirrored to the negative side.
     * Returns {z, w}: nodes ascending with node M−1−i = −node i, weights including the density e^{−z²/2}/√(2π).
     */
    static double[][] symmetricNormalRule(java.util.List<Double> breaks, double[] t, double[] w) {
        int order = t.length;
        int half = (breaks.size() - 1) * order;
        double[] z = new double[2 * half];
        double[] wt = new double[2 * half];
        int m = half;
        for (int p = 0; p + 1 < breaks.size(); p++) {
            double lo = breaks.get(p);
            double hi = breaks.get(p + 1);
            double hh = 0.5 * (hi - lo);
            double mid = 0.5 * (hi + lo);
            for (int k = 0; k < order; k++) {
                double zz = mid + hh * t[k];
                z[m] = zz;
                wt[m] = hh * w[k] * StrictMath.exp(-0.5 * zz * zz) * SpecialFunctions.INV_SQRT_2PI;
                z[2 * half - 1 - m] = -zz;
                wt[2 * half - 1 - m] = wt[m];
                m++;
            }
        }
        return new double[][] {z, wt};
    }
}
