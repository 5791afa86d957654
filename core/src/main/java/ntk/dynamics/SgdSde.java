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
 *
 * <p><b>The noise constant.</b> The paper's SDE (eq. 14 = 31; eq. 15 = 33 in function space) has √(η/S) with S the
 * batch size and Σ(θ) = Cov(∇_θ ℓ(f(X_1, θ), Y_1)) the covariance of one example's gradient under the data
 * distribution, from a central limit for S = o(N) (App. C, eqs. 29–30). Over the n training points, Cov[g_B] = Σ/b
 * exactly when the b points are drawn <em>with</em> replacement ({@link NoiseConstant#PAPER}, factor 1/b), and
 * Cov[g_B] = c_b Σ with c_b = (n − b)/(b(n − 1)) when they are b distinct points ({@link
 * NoiseConstant#WITHOUT_REPLACEMENT}); the two agree at b = 1 and as n/b → ∞, and c_b/(1/b) = (n − b)/(n − 1) &lt; 1
 * otherwise (0.93 at n = 16, b = 2). The default is c_b because minibatch SGD as run (here, in the Trainer and in
 * PyTorch's samplers) draws distinct points, for which c_b is the exact second moment (SgdSdeTest checks the
 * diffusion against the covariance over all C(n, b) batches); the paper's 1/b is kept as an option.
 *
 * <p><b>The Hessian drift Γ_t</b> (eq. 15 / Prop. 4, eq. 32): Itô's formula for f(x; θ_t) adds
 * ½ (η/S) Γ_t(x) dt with Γ_t(x) = Tr(Σ^{1/2} ∇²_θ f(x) Σ^{1/2}) = Tr(Σ ∇²_θ f(x)); with our constant, ½ η c Γ_t(x).
 * For the squared loss, g_i − ḡ = Σ_j (δ_ij − 1/n) ∇f(x_j) r_j, so
 * <pre>
 *   Γ(a) = (1/n) Σ_{j,k} (δ_jk − 1/n) H_a[j, k] r_j r_k,   H_a[j, k] = ∇_θ f(x_j)ᵀ ∇²_θ f(a) ∇_θ f(x_k),
 * </pre>
 * a quadratic form of the residuals in the Hessian kernel H ({@link ntk.finite.Hessians#hessianKernel}). Like Θ, H is
 * taken at initialisation (the second-order Taylor model of the network about θ0: the order at which Γ first
 * appears); without {@link #withHessianKernel} the term is left out, as in the paper's wide-network limit.
 * Euler–Maruyama with Γ adds Δt·½ η c Γ(A) to each step, from the residuals at the start of the step.
 */
public final class SgdSde {
    private final double[] kAX;
    private final int n;
    private final int m;
    private final double[] y;
    private final int batch;
    private final double factor;
    private final NoiseConstant noise;
    private final double[] gammaForm; // (n + m) × n²: (δ_jk − 1/n) H_a[j, k] / n, or null

    /** Which covariance factor multiplies Σ in the diffusion (see the class comment). */
    public enum NoiseConstant {
        /** c_b = (n − b)/(b(n − 1)): b distinct points per step (exact for minibatch SGD as run; the default). */
        WITHOUT_REPLACEMENT,
        /** 1/b, the paper's η/S (eqs. 14, 15, 31–33): b points drawn with replacement, or S = o(N). */
        PAPER;

        /** The factor for n training points and batches of b. */
        public double factor(int n, int b) {
            return this == PAPER ? 1.0 / b : minibatchFactor(n, b);
        }
    }

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
        this.noise = NoiseConstant.WITHOUT_REPLACEMENT;
        this.factor = noise.factor(n, batch);
        this.gammaForm = null;
    }

    private SgdSde(SgdSde o, NoiseConstant noise, double[] gammaForm) {
        this.kAX = o.kAX;
        this.n = o.n;
        this.m = o.m;
        this.y = o.y;
        this.batch = o.batch;
        this.noise = noise;
        this.factor = noise.factor(n, batch);
        this.gammaForm = gammaForm;
    }

    /** The same SDE with the given noise constant. */
    public SgdSde withNoise(NoiseConstant constant) {
        return new SgdSde(this, constant, gammaForm);
    }

    /**
     * The same SDE with the Hessian drift ½ η c Γ_t (eq. 15) from the Hessian kernel hAXX[(a·n + j)·n + k] =
     * ∇f(x_j)ᵀ∇²f(a)∇f(x_k) on the n + m points A against the n training points ({@link
     * ntk.finite.Hessians#hessianKernel}); null removes it.
     */
    public SgdSde withHessianKernel(double[] hAXX) {
        if (hAXX == null) {
            return new SgdSde(this, noise, null);
        }
        if (hAXX.length != (long) (n + m) * n * n) {
            throw new IllegalArgumentException("Hessian kernel has " + hAXX.length + " entries, expected (n + m)·n²");
        }
        double[] g = new double[hAXX.length];
        for (int a = 0; a < n + m; a++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < n; k++) {
                    int q = (a * n + j) * n + k;
                    g[q] = ((j == k ? 1.0 : 0.0) - 1.0 / n) * hAXX[q] / n;
                }
            }
        }
        return new SgdSde(this, noise, g);
    }

    /** The covariance factor in use (c_b or 1/b). */
    /** @return the factor multiplying η·Σ in the diffusion: c_b or 1/b, as {@link #noiseConstant()} says */
    public double noiseFactor() {
        return factor;
    }

    /** @return which noise constant this SDE uses (c_b for draws without replacement, or the paper's η/S) */
    public NoiseConstant noiseConstant() {
        return noise;
    }

    /** Whether the Hessian drift is included. */
    public boolean hasHessianDrift() {
        return gammaForm != null;
    }

    /**
     * Γ(A) = (Tr(Σ ∇²f(a)))_a at outputs f on A (length n + m), Σ the covariance of one example's gradient over the
     * training points at the residuals f(X) − Y (eq. 15's Γ_t, before its factor ½ η c); zeros without a Hessian
     * kernel.
     */
    public double[] gamma(double[] f) {
        double[] r = residual(f);
        double[] out = new double[n + m];
        if (gammaForm == null) {
            return out;
        }
        for (int a = 0; a < n + m; a++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double t = 0;
                for (int k = 0; k < n; k++) {
                    t += gammaForm[(a * n + j) * n + k] * r[k];
                }
                s += r[j] * t;
            }
            out[a] = s;
        }
        return out;
    }

    /** The whole drift of eq. 15 at outputs f on A: −(1/n) Θ(A, X)(f(X) − Y) + ½ η c Γ(A). */
    public double[] drift(double[] f, double eta) {
        double[] d = drift(f);
        double[] g = gamma(f);
        for (int a = 0; a < d.length; a++) {
            d[a] += 0.5 * eta * factor * g[a];
        }
        return d;
    }

    /** c_b = (n − b)/(b(n − 1)): Cov[g_B] = c_b Σ for b distinct points drawn uniformly from n (0 at full batch). */
    public static double minibatchFactor(int n, int b) {
        return (double) (n - b) / ((double) b * (n - 1));
    }

    /** @return the minibatch size b of the SGD this SDE models */
    public int batchSize() {
        return batch;
    }

    int n() {
        return n;
    }

    int m() {
        return m;
    }

    double[] kernel() {
        return kAX;
    }

    double[] targets() {
        return y;
    }

    /** E[Γ(A)] given the residuals' second moment M = E[r rᵀ] (n × n): Σ_jk G_a[j, k] M[j, k]. */
    double[] expectedGamma(double[] secondMoment) {
        double[] out = new double[n + m];
        if (gammaForm != null) {
            Linalg.gemm(false, false, n + m, 1, n * n, 1.0, gammaForm, secondMoment, 0.0, out);
        }
        return out;
    }

    /** The kernel part of the drift, −(1/n) Θ(A, X)(f(X) − Y), at outputs f on A (length n + m); see {@link #drift(double[], double)}. */
    public double[] drift(double[] f) {
        double[] r = residual(f);
        double[] out = new double[n + m];
        Linalg.gemm(false, false, n + m, 1, n, -1.0 / n, kAX, r, 0.0, out);
        return out;
    }

    /** The diffusion's covariance per unit time, η c C(A) (c = c_b or 1/b) ((n + m) × (n + m), row-major), at outputs f on A. */
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
        return simulate(f0, eta, 1, recordSteps, paths, seed);
    }

    /**
     * As {@link #simulate(double[], double, int[], int, long)} with each step of time η split into {@code substeps}
     * Euler–Maruyama steps of Δt = η/substeps (the SDE's noise level η c unchanged): substeps → ∞ approaches the
     * continuous-time SDE (the closed form {@link SgdOu}), substeps = 1 is the SGD-matched discretisation.
     */
    public double[][] simulate(double[] f0, double eta, int substeps, int[] recordSteps, int paths, long seed) {
        int a = n + m;
        if (substeps < 1) {
            throw new IllegalArgumentException("substeps must be >= 1, got " + substeps);
        }
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
        double dt = eta / substeps;
        double scale = Math.sqrt(n * factor * substeps);
        double[] w = new double[n * paths]; // column p: r ∘ w for path p
        double[] z = new double[n];
        double[] rr = gammaForm == null ? null : new double[n * n * paths]; // column p: r ⊗ r
        double[] gam = gammaForm == null ? null : new double[paths * a];
        SplittableRandom rng = new SplittableRandom(seed);
        int step = 0;
        for (int j = 0; j < recordSteps.length; j++) {
            int until = recordSteps[j];
            if (until * substeps < step) {
                throw new IllegalArgumentException("record steps must increase");
            }
            for (; step < until * substeps; step++) {
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
                    if (rr != null) {
                        for (int i = 0; i < n; i++) {
                            double ri = f[p * a + i] - y[i];
                            for (int k = 0; k < n; k++) {
                                rr[(i * n + k) * paths + p] = ri * (f[p * a + k] - y[k]);
                            }
                        }
                    }
                }
                if (rr != null) { // Γ (paths × a) = (r ⊗ r)ᵀ G ᵀ, from the residuals at the start of the step
                    Linalg.gemm(true, true, paths, a, n * n, 1.0, rr, gammaForm, 0.0, gam);
                }
                // f(A)ᵀ for all paths: F (paths × a) += −(Δt/n) Wᵀ Θ(A, X)ᵀ
                Linalg.gemm(true, true, paths, a, n, -dt / n, w, kAX, 1.0, f);
                if (rr != null) {
                    double c = 0.5 * dt * eta * factor;
                    for (int q = 0; q < gam.length; q++) {
                        f[q] += c * gam[q];
                    }
                }
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
