package ntk.dynamics;

import ntk.linalg.Linalg;
import ntk.linalg.SymmetricEigen;

/**
 * The closed-form solution of the linearised SGD SDE of {@link SgdSde} (Hayou, Doucet &amp; Rousseau, App. C, eqs.
 * 34–35): the mean and covariance of f_t(A) at time t, for the kernel frozen at Θ (K = Θ(X, X)), the second route
 * beside the simulated paths. In the paper's notation (N = n, S the batch size, η/S our η c):
 * <pre>
 *   f_t(X) = e^{−tK/n} f_0(X) + (I − e^{−tK/n}) Y + A_t(X)                                        (34)
 *   f_t(x) = f_0(x) + Θ(x, X) K⁻¹ (I − e^{−tK/n})(Y − f_0(X)) + Z_t(x) + R_t(x)                   (35)
 * </pre>
 * with A_t, R_t stochastic integrals of e^{−(t−s)K/n} against the diffusion and Z_t the Γ term. Here:
 * <ul>
 * <li><b>Mean</b> (Γ left out): E f_t(A) = f_0(A) − Θ(A, X) K⁻¹(I − e^{−tK/n}) r_0, r_0 = f_0(X) − Y — eq. 35's
 * deterministic part, which on X is eq. 34's (Θ(X, X) K⁻¹ = I); K⁻¹(I − e^{−tK/n}) is formed on K's eigenvectors as
 * −expm1(−tλ/n)/λ (→ t/n as λ → 0), so a singular K is no obstacle. Exact: the drift is linear and the noise has
 * mean zero.</li>
 * <li><b>Covariance</b> by Itô's isometry on the stochastic integrals: with Φ(t, s) the drift's propagator,
 * Φ(t, s) Θ(A, X) = Θ(A, X) e^{−(t−s)K/n} (the propagator of eq. 35's R_t), so
 * <pre>
 *   Cov f_t(A) = η c Θ(A, X) [∫_0^t e^{−(t−s)K/n} (1/n)(M_s ∘ P) e^{−(t−s)K/n} ds] Θ(A, X)ᵀ,
 * </pre>
 * P = I − 11ᵀ/n, M_s = E[r_s r_sᵀ]: the noise of eq. 15, ∇f Σ^{1/2}, has covariance (1/n) Θ(A, X)(r rᵀ ∘ P)Θ(X, A)
 * and depends on the path; the paper leaves it inside the integral. Its expectation closes: M obeys the linear ODE
 * dM/dt = −(KM + MK)/n + (η c/n) K (M ∘ P) K, solved exactly by a matrix exponential of the n² × n² operator
 * (scaling and squaring), so M_s = e^{sL} M_0, M_0 = r_0 r_0ᵀ. The outer integral is composite Simpson on
 * {@code intervals} equal panels; {@link Moments#quadratureError} is the largest change of a covariance entry
 * against half as many panels (Simpson's error is then about a sixteenth of it). On X, Cov = M_t − E r_t E r_tᵀ
 * exactly, which {@link #residualSecondMoment} gives without quadrature (a check of the quadrature).</li>
 * <li><b>The Γ term</b> (when the SDE has a Hessian kernel): the drift gains ½ η c Γ_t, Γ_t a quadratic form of the
 * residuals, so the mean gains ½ η c ∫_0^t Φ(t, s) E[Γ_s] ds with E[Γ_s(a)] = Σ_jk G_a[j, k] M_s[j, k] — eq. 35's
 * Z_t (and eq. 34's Γ part of A_t), in expectation. M_s is taken without the Γ term, so the mean is exact to first
 * order in η c; the covariance is the one without Γ.</li>
 * </ul>
 * Two misprints of the paper are not followed: M_t = Y − (ηN/2S) K⁻¹ Γ_t and A_t's "−η/(2S) ∫ e^{…}Γ_s ds" have the
 * opposite sign to eq. 33's drift +½(η/S)Γ_t (Itô's formula gives +); and eq. 35's "(I − e^{−(t−s)K/N})" outside an
 * integral is (I − e^{−tK/N}), as its proof's last line has it.
 */
public final class SgdOu {
    private final SgdSde sde;
    private final double noise; // η c
    private final SymmetricEigen eig;
    private final int n;
    private final int a;

    /** The mean (length n + m), covariance ((n + m)², row-major) and quadrature error estimate at time t. */
    public record Moments(double t, double[] mean, double[] cov, double quadratureError) {
    }

    /** The closed form of the given SDE (its kernel, targets, noise constant and Hessian kernel) at learning rate η. */
    public SgdOu(SgdSde sde, double eta) {
        if (!(eta > 0)) {
            throw new IllegalArgumentException("eta must be positive, got " + eta);
        }
        this.sde = sde;
        this.n = sde.n();
        this.a = sde.n() + sde.m();
        this.noise = eta * sde.noiseFactor();
        double[] k = new double[n * n];
        System.arraycopy(sde.kernel(), 0, k, 0, n * n);
        for (int i = 0; i < n; i++) { // symmetrise (an empirical NTK is symmetric to rounding)
            for (int j = 0; j < i; j++) {
                double v = 0.5 * (k[i * n + j] + k[j * n + i]);
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        }
        this.eig = Linalg.symmetricEigen(k, n);
    }

    /** V diag(φ(λ)) Vᵀ on K's eigenvectors. */
    private double[] spectral(java.util.function.DoubleUnaryOperator phi) {
        double[] out = new double[n * n];
        for (int q = 0; q < n; q++) {
            double w = phi.applyAsDouble(Math.max(eig.values()[q], 0.0));
            for (int i = 0; i < n; i++) {
                double vi = eig.vector(q, i) * w;
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += vi * eig.vector(q, j);
                }
            }
        }
        return out;
    }

    /** e^{−τK/n}. */
    private double[] decay(double tau) {
        return spectral(l -> Math.exp(-tau * l / n));
    }

    /** K⁻¹(I − e^{−τK/n}) = ∫_0^τ e^{−sK/n} ds / n. */
    private double[] integratedDecay(double tau) {
        return spectral(l -> l > 0 ? -Math.expm1(-tau * l / n) / l : tau / n);
    }

    /** The n² × n² operator L of dM/dt = L(M) (row-major vec of M). */
    private double[] operator() {
        double[] k = sde.kernel();
        int nn = n * n;
        double[] l = new double[nn * nn];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int row = (i * n + j) * nn;
                for (int q = 0; q < n; q++) {
                    l[row + q * n + j] -= k[i * n + q] / n; // (KM)_ij
                    l[row + i * n + q] -= k[q * n + j] / n; // (MK)_ij
                }
                for (int p = 0; p < n; p++) {
                    for (int q = 0; q < n; q++) {
                        double pq = (p == q ? 1.0 : 0.0) - 1.0 / n;
                        l[row + p * n + q] += noise / n * k[i * n + p] * pq * k[q * n + j];
                    }
                }
            }
        }
        return l;
    }

    /** e^{tL} by scaling and squaring of a Taylor series (‖tL/2^s‖₁ ≤ 1/2, 24 terms: rounding-level truncation). */
    static double[] expm(double[] l, int d, double t) {
        double norm = 0;
        for (int j = 0; j < d; j++) {
            double c = 0;
            for (int i = 0; i < d; i++) {
                c += Math.abs(l[i * d + j]);
            }
            norm = Math.max(norm, c);
        }
        int s = Math.max(0, (int) Math.ceil(Math.log(Math.max(norm * Math.abs(t), 1e-300) / 0.5) / Math.log(2)));
        double scale = t / Math.pow(2, s);
        double[] x = new double[d * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = l[i] * scale;
        }
        double[] sum = new double[d * d];
        double[] term = new double[d * d];
        for (int i = 0; i < d; i++) {
            sum[i * d + i] = 1;
            term[i * d + i] = 1;
        }
        double[] next = new double[d * d];
        for (int k = 1; k <= 24; k++) {
            Linalg.gemm(false, false, d, d, d, 1.0 / k, term, x, 0.0, next);
            double[] tmp = term;
            term = next;
            next = tmp;
            for (int i = 0; i < sum.length; i++) {
                sum[i] += term[i];
            }
        }
        for (int q = 0; q < s; q++) {
            Linalg.gemm(false, false, d, d, d, 1.0, sum, sum, 0.0, next);
            double[] tmp = sum;
            sum = next;
            next = tmp;
        }
        return sum;
    }

    private double[] residual0(double[] f0) {
        if (f0.length != a) {
            throw new IllegalArgumentException("f0 has " + f0.length + " entries, expected " + a);
        }
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = f0[i] - sde.targets()[i];
        }
        return r;
    }

    /** E[r_t r_tᵀ] (n × n) without quadrature: e^{tL} applied to r_0 r_0ᵀ (Γ left out). */
    public double[] residualSecondMoment(double t, double[] f0) {
        double[] r = residual0(f0);
        double[] m0 = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m0[i * n + j] = r[i] * r[j];
            }
        }
        double[] e = expm(operator(), n * n, t);
        double[] out = new double[n * n];
        Linalg.gemm(false, false, n * n, 1, n * n, 1.0, e, m0, 0.0, out);
        return out;
    }

    /** The mean and covariance of f_t(A) from f_0 (length n + m) at time t ≥ 0, Simpson on {@code intervals} panels (a multiple of 4). */
    public Moments at(double t, double[] f0, int intervals) {
        if (!(t >= 0) || intervals < 4 || intervals % 4 != 0) {
            throw new IllegalArgumentException("t >= 0 and a multiple of 4 intervals are needed (Simpson on N and N/2)");
        }
        double[] r0 = residual0(f0);
        double[] kAX = sde.kernel();
        double[] mean = f0.clone();
        double[] phi = integratedDecay(t);
        double[] pr = new double[n];
        Linalg.gemm(false, false, n, 1, n, 1.0, phi, r0, 0.0, pr);
        Linalg.gemm(false, false, a, 1, n, -1.0, kAX, pr, 1.0, mean);
        double[] cov = new double[a * a];
        if (t == 0) {
            return new Moments(t, mean, cov, 0);
        }
        int nn = n * n;
        double h = t / intervals;
        double[] step = expm(operator(), nn, h);
        double[] ms = new double[nn];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ms[i * n + j] = r0[i] * r0[j];
            }
        }
        double[] inner = new double[nn]; // ∫ e^{−(t−s)K/n} S_s e^{−(t−s)K/n} ds, Simpson on N panels
        double[] coarse = new double[nn]; // the same on N/2 panels
        double[] gammaInt = sde.hasHessianDrift() ? new double[a] : null;
        double[] gammaCoarse = sde.hasHessianDrift() ? new double[a] : null;
        double[] sMat = new double[nn];
        double[] tmp = new double[nn];
        double[] term = new double[nn];
        double[] next = new double[nn];
        for (int node = 0; node <= intervals; node++) {
            double s = node * h;
            double tau = t - s;
            double w = (node == 0 || node == intervals) ? 1 : (node % 2 == 1 ? 4 : 2);
            double wc = node % 2 == 1 ? 0 : ((node == 0 || node == intervals) ? 1 : (node % 4 == 2 ? 4 : 2));
            double[] e = decay(tau);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double pij = (i == j ? 1.0 : 0.0) - 1.0 / n;
                    sMat[i * n + j] = ms[i * n + j] * pij / n;
                }
            }
            Linalg.gemm(false, false, n, n, n, 1.0, e, sMat, 0.0, tmp);
            Linalg.gemm(false, false, n, n, n, 1.0, tmp, e, 0.0, term);
            for (int q = 0; q < nn; q++) {
                inner[q] += w * term[q];
                coarse[q] += wc * term[q];
            }
            if (gammaInt != null) {
                double[] g = sde.expectedGamma(ms);
                // Φ(t, s) g: training part e^{−τK/n} g_X, test part g_T − Θ(T, X) K⁻¹(I − e^{−τK/n}) g_X
                double[] prop = g.clone();
                double[] ex = new double[n];
                Linalg.gemm(false, false, n, 1, n, 1.0, e, g, 0.0, ex);
                System.arraycopy(ex, 0, prop, 0, n);
                if (a > n) {
                    double[] pg = new double[n];
                    Linalg.gemm(false, false, n, 1, n, 1.0, integratedDecay(tau), g, 0.0, pg);
                    double[] kTX = java.util.Arrays.copyOfRange(kAX, nn, a * n);
                    double[] corr = new double[a - n];
                    Linalg.gemm(false, false, a - n, 1, n, 1.0, kTX, pg, 0.0, corr);
                    for (int q = n; q < a; q++) {
                        prop[q] -= corr[q - n];
                    }
                }
                for (int q = 0; q < a; q++) {
                    gammaInt[q] += w * prop[q];
                    gammaCoarse[q] += wc * prop[q];
                }
            }
            Linalg.gemm(false, false, nn, 1, nn, 1.0, step, ms, 0.0, next);
            System.arraycopy(next, 0, ms, 0, nn);
        }
        for (int q = 0; q < nn; q++) {
            inner[q] *= noise * h / 3;
            coarse[q] *= noise * 2 * h / 3;
        }
        double[] cc = new double[a * a];
        project(kAX, inner, cov);
        project(kAX, coarse, cc);
        double err = 0;
        for (int q = 0; q < cov.length; q++) {
            err = Math.max(err, Math.abs(cov[q] - cc[q]));
        }
        if (gammaInt != null) {
            for (int q = 0; q < a; q++) {
                mean[q] += 0.5 * noise * gammaInt[q] * h / 3;
                err = Math.max(err, 0.5 * noise * Math.abs(gammaInt[q] * h / 3 - gammaCoarse[q] * 2 * h / 3));
            }
        }
        return new Moments(t, mean, cov, err);
    }

    /** out = Θ(A, X) w Θ(A, X)ᵀ. */
    private void project(double[] kAX, double[] w, double[] out) {
        double[] t1 = new double[a * n];
        Linalg.gemm(false, false, a, n, n, 1.0, kAX, w, 0.0, t1);
        Linalg.gemm(false, true, a, a, n, 1.0, t1, kAX, 0.0, out);
    }
}
