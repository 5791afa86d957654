package ntk.dynamics;

import static ntk.BadInputException.param;

import java.util.SplittableRandom;
import ntk.BadInputException;
import ntk.linalg.Linalg;

/**
 * Minibatch SGD as a stochastic differential equation in function space (Hayou, Doucet &amp; Rousseau, "Training
 * dynamics of deep networks using stochastic gradient descent via neural tangent kernel", §5; the parameter-space
 * SDE is Li, Tai &amp; E 2017's), for one scalar output in this project's convention: loss
 * L = 1/(2n) Σ_i (f(x_i) − y_i)², SGD θ ← θ − η g_B with g_B = (1/b) Σ_{i∈B} ∇_θ f(x_i) r_i, r = f(X) − Y, and B a
 * uniformly drawn set of b distinct training points, drawn afresh each step.
 *
 * <p>Parameter space: E[g_B] = ∇L and Cov[g_B] = c_b Σ(θ), with Σ(θ) = (1/n) Σ_i (g_i − ∇L)(g_i − ∇L)ᵀ the covariance
 * of one example's gradient g_i = ∇_θ f(x_i) r_i and c_b = (n − b)/(b(n − 1)) the without-replacement factor (the
 * paper's 1/|B| is the with-replacement, n ≫ b, value). Matching the first two moments of a step of size η over
 * time dt = η gives dθ = −∇L dt + √(η c_b) Σ^{1/2} dW. Itô's formula for f(x; θ) with the Hessian term dropped
 * (it vanishes as the width grows, where ∇_θ f is constant: the NTK regime) gives, on any finite set of points A
 * (here the training points X followed by test points T), the SDE in function space
 * <pre>
 *   df_t(A) = −(1/n) Θ(A, X) r_t dt + √(η c_b) C_t(A)^{1/2} dW_t,
 *   C_t(A) = (1/n) Σ_i (G_i − Ḡ)(G_i − Ḡ)ᵀ,   G_i = Θ(A, x_i) r_{t,i},   Ḡ = (1/n) Σ_i G_i,
 * </pre>
 * because ∇_θ f(A) g_i = ∇_θ f(A) ∇_θ f(x_i)ᵀ r_i = Θ(A, x_i) r_i: a mean-reverting process (towards f(X) = Y on the
 * training points) whose noise vanishes with the residuals. Θ is the NTK (here: the empirical NTK at
 * initialisation, fixed).
 *
 * <p>Euler–Maruyama with step Δt = η (so step k is time t = kη) needs no square root of C: with z ~ N(0, I_n) and
 * z̄ its mean, (1/√n) Σ_i z_i (G_i − Ḡ) = (1/√n) Θ(A, X)(r ∘ (z − z̄)) has covariance C, so one step is
 * <pre>
 *   f(A) ← f(A) − (η/n) Θ(A, X) [r ∘ w],   w_i = 1 − √(n c_b) (z_i − z̄).
 * </pre>
 * SGD itself, linearised, is the same update with w_i = (n/b)·1[i ∈ B]; both weight vectors have mean 1, variance
 * n/b − 1 and covariance −c_b between distinct points, so the SDE is SGD with Gaussian instead of minibatch weights.
 */
public final class SgdSde {
    private final double[] kAX;
    private final int n;
    private final int m;
    private final double[] y;
    private final int batch;
    private final double factor;

    /**
     * kAX: the NTK Θ(A, X), row-major (n + m) × n, rows the n training points then the m test points, columns the
     * training points; y: the n training targets; batch: the minibatch size b (1 ≤ b ≤ n).
     */
    public SgdSde(double[] kAX, int n, int m, double[] y, int batch) {
        if (n < 2 || m < 0 || kAX.length != (long) (n + m) * n) {
            throw new IllegalArgumentException("kernel has " + kAX.length + " entries, expected (n + m)·n with n ≥ 2");
        }
        if (y.length != n) {
            throw new BadInputException("the SDE needs one scalar target per training point: " + y.length + " targets for "
                    + n + " points");
        }
        if (batch < 1 || batch > n) {
            throw BadInputException.of(param("batchSize"), " must be in [1, " + n + "], got " + batch);
        }
        this.kAX = kAX;
        this.n = n;
        this.m = m;
        this.y = y;
        this.batch = batch;
        this.factor = minibatchFactor(n, batch);
    }

    /** c_b = (n − b)/(b(n − 1)): Cov[g_B] = c_b Σ for b distinct points drawn uniformly from n (0 at full batch). */
    public static double minibatchFactor(int n, int b) {
        return (double) (n - b) / ((double) b * (n - 1));
    }

    public int batchSize() {
        return batch;
    }

    /** The drift −(1/n) Θ(A, X)(f(X) − Y) at outputs f on A (length n + m). */
    public double[] drift(double[] f) {
        double[] r = residual(f);
        double[] out = new double[n + m];
        Linalg.gemm(false, false, n + m, 1, n, -1.0 / n, kAX, r, 0.0, out);
        return out;
    }

    /** The diffusion's covariance per unit time, η c_b C(A) ((n + m) × (n + m), row-major), at outputs f on A. */
    public double[] diffusion(double[] f, double eta) {
        double[] r = residual(f);
        int a = n + m;
        double[] centred = new double[a * n]; // column i: G_i − Ḡ
        for (int p = 0; p < a; p++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += kAX[p * n + i] * r[i];
            }
            mean /= n;
            for (int i = 0; i < n; i++) {
                centred[p * n + i] = kAX[p * n + i] * r[i] - mean;
            }
        }
        double[] c = new double[a * a];
        Linalg.gemm(false, true, a, a, n, eta * factor / n, centred, centred, 0.0, c);
        return c;
    }

    /**
     * Euler–Maruyama paths from f0 (length n + m) with step η: returns out[j][p·(n + m) + q], the outputs of path p
     * at record j, for the steps recordSteps (increasing, each in [0, steps]). Paths are independent given seed, run
     * together (one (n + m)×n by n×paths GEMM per step).
     */
    public double[][] simulate(double[] f0, double eta, int[] recordSteps, int paths, long seed) {
        int a = n + m;
        if (f0.length != a) {
            throw new IllegalArgumentException("f0 has " + f0.length + " entries, expected " + a);
        }
        if (!(eta > 0) || paths < 1) {
            throw new BadInputException("the SDE needs a positive step and at least one path");
        }
        double[] f = new double[paths * a]; // row p: path p
        for (int p = 0; p < paths; p++) {
            System.arraycopy(f0, 0, f, p * a, a);
        }
        double[][] out = new double[recordSteps.length][];
        double scale = Math.sqrt(n * factor);
        double[] w = new double[n * paths]; // column p: r ∘ w for path p
        double[] z = new double[n];
        SplittableRandom rng = new SplittableRandom(seed);
        int step = 0;
        for (int j = 0; j < recordSteps.length; j++) {
            int until = recordSteps[j];
            if (until < step) {
                throw new IllegalArgumentException("record steps must increase");
            }
            for (; step < until; step++) {
                for (int p = 0; p < paths; p++) {
                    double zbar = 0;
                    for (int i = 0; i < n; i++) {
                        z[i] = rng.nextGaussian();
                        zbar += z[i];
                    }
                    zbar /= n;
                    for (int i = 0; i < n; i++) {
                        double r = f[p * a + i] - y[i];
                        w[i * paths + p] = r * (1 - scale * (z[i] - zbar));
                    }
                }
                // f(A)ᵀ for all paths: F (paths × a) += −(η/n) Wᵀ Θ(A, X)ᵀ
                Linalg.gemm(true, true, paths, a, n, -eta / n, w, kAX, 1.0, f);
            }
            out[j] = f.clone();
        }
        return out;
    }

    private double[] residual(double[] f) {
        if (f.length != n + m) {
            throw new IllegalArgumentException("f has " + f.length + " entries, expected " + (n + m));
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = f[i] - y[i];
        }
        return r;
    }
}
