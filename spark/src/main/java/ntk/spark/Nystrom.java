package ntk.spark;

import java.util.Random;
import ntk.linalg.Linalg;
import org.netlib.util.intW;

/**
 * The randomized Nyström approximation K ≈ U Λ Uᵀ of a symmetric positive semidefinite n × n matrix from ℓ products
 * with it, and the preconditioner built on it (Frangella, Tropp &amp; Udell, "Randomized Nyström preconditioning",
 * SIAM J. Matrix Anal. Appl. 44(2), 2023): Algorithm 2.1 for the approximation, eq. (5.3) for the inverse
 * preconditioner P⁻¹ = (λ_ℓ + μ) U(Λ + μI)⁻¹Uᵀ + (I − UUᵀ) of K + μI.
 *
 * <p>Algorithm 2.1: Ω an n × ℓ Gaussian matrix with orthonormalised columns; Y = KΩ; shift ν = √n·eps(‖Y‖) (here
 * ‖Y‖_F, an upper bound of ‖Y‖₂, so the shift is at least the paper's); Y_ν = Y + νΩ; C the Cholesky factor of
 * Ωᵀ Y_ν = C Cᵀ; B = Y_ν C⁻ᵀ; thin SVD B = UΣVᵀ; Λ = max(0, Σ² − νI). All dense n × ℓ work, on this JVM (LAPACK).
 *
 * <p>μ = 0 (no ridge): eq. (5.3) then reads λ_ℓ U Λ⁻¹Uᵀ + (I − UUᵀ), which needs λ_ℓ &gt; 0. Directions whose
 * shifted eigenvalue is not positive (K numerically of rank &lt; ℓ) are dropped, so the rank kept is the number of
 * positive λ and λ_ℓ is the smallest of them; P⁻¹ stays symmetric positive definite with eigenvalues in (0, 1] on
 * span U and 1 on its complement.
 */
final class Nystrom {
    /** Products with K: row-major n × w in, row-major n × w out. */
    interface Products {
        double[] times(double[] p, int w);
    }

    final int n;
    /** The rank kept (positive λ). */
    final int rank;
    /** U, row-major n × rank, orthonormal columns. */
    final double[] u;
    /** Λ, descending, all positive. */
    final double[] lambda;
    /** The shift ν of Algorithm 2.1. */
    final double nu;

    private Nystrom(int n, int rank, double[] u, double[] lambda, double nu) {
        this.n = n;
        this.rank = rank;
        this.u = u;
        this.lambda = lambda;
        this.nu = nu;
    }

    /**
     * Algorithm 2.1 with sketch size ℓ (at most n), the products taken {@code chunk} columns at a time; {@code seed}
     * fixes Ω.
     */
    static Nystrom sketch(Products k, int n, int ell, int chunk, long seed) {
        int l = Math.min(ell, n);
        double[] omega = new double[n * l]; // column-major n × ℓ throughout
        Random rng = new Random(seed);
        for (int a = 0; a < omega.length; a++) {
            omega[a] = rng.nextGaussian();
        }
        orthonormalize(omega, n, l);
        double[] y = new double[n * l];
        for (int c0 = 0; c0 < l; c0 += chunk) {
            int w = Math.min(chunk, l - c0);
            double[] p = new double[n * w];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < w; c++) {
                    p[i * w + c] = omega[(c0 + c) * n + i];
                }
            }
            double[] q = k.times(p, w);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < w; c++) {
                    y[(c0 + c) * n + i] = q[i * w + c];
                }
            }
        }
        double fro = 0;
        for (double v : y) {
            fro += v * v;
        }
        double nu = Math.sqrt(n) * Math.ulp(Math.sqrt(fro));
        double added = 0;
        double[] g = new double[l * l];
        for (int attempt = 0;; attempt++) {
            // Y_ν = Y + νΩ (a retry adds the difference: Ωᵀ Y_ν not positive definite to working precision)
            for (int a = 0; a < y.length; a++) {
                y[a] += (nu - added) * omega[a];
            }
            added = nu;
            Linalg.blas().dgemm("T", "N", l, l, n, 1.0, omega, n, y, n, 0.0, g, l);
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < i; j++) {
                    double s = 0.5 * (g[i * l + j] + g[j * l + i]);
                    g[i * l + j] = s;
                    g[j * l + i] = s;
                }
            }
            intW info = new intW(0);
            Linalg.lapack().dpotrf("L", l, g, l, info);
            if (info.val == 0) {
                break;
            }
            if (attempt == 5 || nu == 0) {
                throw new IllegalStateException("Nystrom sketch: Omega^T (K Omega + nu Omega) is not positive definite"
                        + " (dpotrf info " + info.val + ", nu " + nu + ")");
            }
            nu *= 100;
        }
        // B = Y_ν C⁻ᵀ: solve B Cᵀ = Y_ν with C lower (column-major factor of dpotrf "L")
        Linalg.blas().dtrsm("R", "L", "T", "N", n, l, 1.0, g, l, y, n);
        double[] s = new double[l];
        double[] vt = new double[l * l];
        intW info = new intW(0);
        int[] iwork = new int[8 * l];
        double[] query = new double[1];
        Linalg.lapack().dgesdd("O", n, l, y, n, s, new double[1], 1, vt, l, query, -1, iwork, info);
        double[] work = new double[Math.max(1, (int) query[0])];
        Linalg.lapack().dgesdd("O", n, l, y, n, s, new double[1], 1, vt, l, work, work.length, iwork, info);
        if (info.val != 0) {
            throw new IllegalStateException("Nystrom sketch: dgesdd failed (info " + info.val + ")");
        }
        int r = 0;
        while (r < l && s[r] * s[r] - nu > 0) { // s descending, so the positive Λ come first
            r++;
        }
        double[] lambda = new double[r];
        double[] u = new double[n * r];
        for (int c = 0; c < r; c++) {
            lambda[c] = s[c] * s[c] - nu;
            for (int i = 0; i < n; i++) {
                u[i * r + c] = y[c * n + i]; // dgesdd "O" leaves U in y
            }
        }
        return new Nystrom(n, r, u, lambda, nu);
    }

    /** Ω ← its thin QR factor Q (LAPACK dgeqrf, dorgqr), column-major n × ℓ. */
    private static void orthonormalize(double[] a, int n, int l) {
        double[] tau = new double[l];
        intW info = new intW(0);
        double[] query = new double[1];
        Linalg.lapack().dgeqrf(n, l, a, n, tau, query, -1, info);
        double[] work = new double[Math.max(l, (int) query[0])];
        Linalg.lapack().dgeqrf(n, l, a, n, tau, work, work.length, info);
        Linalg.lapack().dorgqr(n, l, l, a, n, tau, query, -1, info);
        work = new double[Math.max(work.length, (int) query[0])];
        Linalg.lapack().dorgqr(n, l, l, a, n, tau, work, work.length, info);
        if (info.val != 0) {
            throw new IllegalStateException("Nystrom sketch: QR of Omega failed (info " + info.val + ")");
        }
    }

    /** Uᵀ r for row-major n × o r: rank × o. */
    private double[] project(double[] r, int o) {
        return Linalg.multiply(true, false, rank, o, n, u, r);
    }

    /** P⁻¹ r of eq. (5.3) for K + μI, r row-major n × o: r + U diag((λ_ℓ + μ)/(λ_i + μ) − 1) Uᵀ r. */
    double[] inverse(double[] r, int o, double mu) {
        double[] z = r.clone();
        if (rank == 0) {
            return z;
        }
        double[] w = project(r, o);
        double last = lambda[rank - 1] + mu;
        for (int c = 0; c < rank; c++) {
            double f = last / (lambda[c] + mu) - 1;
            for (int j = 0; j < o; j++) {
                w[c * o + j] *= f;
            }
        }
        Linalg.gemm(false, false, n, o, rank, 1.0, u, w, 1.0, z);
        return z;
    }

    /** U(Λ + μI)⁻¹Uᵀ r: the top of the spectrum inverted, r row-major n × o. */
    double[] top(double[] r, int o, double mu) {
        double[] w = project(r, o);
        for (int c = 0; c < rank; c++) {
            for (int j = 0; j < o; j++) {
                w[c * o + j] /= lambda[c] + mu;
            }
        }
        return Linalg.multiply(false, false, n, o, rank, u, w);
    }

    /** (I − UUᵀ) r, r row-major n × o. */
    double[] complement(double[] r, int o) {
        double[] z = r.clone();
        if (rank > 0) {
            Linalg.gemm(false, false, n, o, rank, -1.0, u, project(r, o), 1.0, z);
        }
        return z;
    }
}
