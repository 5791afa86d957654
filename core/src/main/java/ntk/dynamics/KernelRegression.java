package ntk.dynamics;

import static ntk.BadInputException.param;

import ntk.BadInputException;
import ntk.linalg.Linalg;

/**
 * The trained infinite-width network at t = ∞ only — kernel regression (Jacot et al. §5) — from one Cholesky
 * factorisation of K + rI: the mean K(T,X)(K + rI)⁻¹Y and the covariance of Lee et al. 2019 eq. 16 at t = ∞, where
 * B = K(T,X)(K + rI)⁻¹. No eigendecomposition: dpotrf's N³/3 flops against dsyevd's ~4N³ plus its slower divide and
 * conquer (measured at N = 10,000: 3.4 s against ~90 s). {@link KernelPredictor} remains the path for finite times.
 *
 * <p>A kernel that is not positive definite to working precision is refused rather than jittered: Cholesky must
 * succeed and LAPACK's reciprocal condition estimate (dpocon, 1-norm) must exceed n·ε — the analogue of
 * KernelPredictor's λ_min &gt; n·ε·λ_max.
 */
public final class KernelRegression {
    private final int n;
    private final int o;
    private final double[] factor;
    private final double[] alpha;

    private KernelRegression(int n, int o, double[] factor, double[] alpha) {
        this.n = n;
        this.o = o;
        this.factor = factor;
        this.alpha = alpha;
    }

    /** Fits on the row-major n×n training kernel k (overwritten by its factor), targets y (n×o) and ridge r ≥ 0. */
    public static KernelRegression fitInPlace(double[] k, int n, double[] y, int o, double ridge) {
        if (k.length != (long) n * n) {
            throw new IllegalArgumentException("training kernel has " + k.length + " entries, expected n² = " + (long) n * n);
        }
        KernelPredictor.checkTargets(y, n, o);
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw BadInputException.of(param("ridge"), " must be finite and >= 0, got " + ridge);
        }
        double norm1 = 0;
        for (int i = 0; i < n; i++) {
            k[i * n + i] += ridge; // cli-contract.md: --ridge r adds r·I to K
        }
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < n; j++) {
                row += Math.abs(k[i * n + j]);
            }
            norm1 = Math.max(norm1, row); // symmetric: row sums are column sums
        }
        double limit = n * Math.ulp(1.0);
        if (!Linalg.choleskyInPlace(k, n)) {
            throw singular("not positive definite (Cholesky failed)", norm1);
        }
        double rcond = Linalg.choleskyReciprocalCondition(k, n, norm1);
        if (!(rcond > limit)) {
            throw singular(String.format("reciprocal condition number %.3e <= n * machine eps = %.3e", rcond, limit),
                    norm1);
        }
        double[] a = y.clone();
        Linalg.choleskySolve(k, n, a, o);
        return new KernelRegression(n, o, k, a);
    }

    private static BadInputException singular(String why, double norm1) {
        return BadInputException.of("t = inf needs K^-1, but the training kernel is singular to working precision: "
                + why + "; train for a finite time or add a ridge (", param("ridge"), " r, e.g. "
                + String.format("%.1e", Math.max(1e-10, 1e-8 * norm1)) + ")");
    }

    /**
     * The number of training points n.
     * @return n
     */
    public int trainingPoints() {
        return n;
    }

    /** The mean on test points T given K(T,X) (row-major m×n): (m, o). */
    public double[] mean(double[] kTx, int m) {
        KernelPredictor.checkLength(kTx, (long) m * n, "K(T,X)");
        return Linalg.multiply(false, false, m, o, n, kTx, alpha);
    }

    /**
     * The covariance (m, m) on T: with a fitted-kernel prior (NNGP training, Σ = K + rI) Σ(T,T) − K(T,X)(K + rI)⁻¹K(X,T);
     * otherwise (NTK training, NNGP prior Σ) Σ(T,T) − BΣ(X,T) − Σ(T,X)Bᵀ + BΣ(X,X)Bᵀ with B = Θ(T,X)(Θ + rI)⁻¹
     * (Lee et al. 2019, eq. 16 at t = ∞).
     */
    public double[] covariance(double[] kTx, int m, PriorCovariance prior) {
        KernelPredictor.checkLength(kTx, (long) m * n, "K(T,X)");
        KernelPredictor.checkLength(prior.testTest(), (long) m * m, "Σ(T,T)");
        // K(T,X) row-major m×n is K(X,T) column-major n×m: solving in place gives (K + rI)⁻¹K(X,T) column-major,
        // which read row-major is its transpose B = K(T,X)(K + rI)⁻¹ (m×n)
        double[] b = kTx.clone();
        Linalg.choleskySolveColumnMajor(factor, n, b, m);
        double[] cov = prior.testTest().clone();
        if (prior.isFittedKernel()) {
            Linalg.gemm(false, true, m, m, n, -1.0, b, kTx, 1.0, cov);
        } else {
            KernelPredictor.checkLength(prior.testTrain(), (long) m * n, "Σ(T,X)");
            KernelPredictor.checkLength(prior.trainTrain(), (long) n * n, "Σ(X,X)");
            double[] bs = Linalg.multiply(false, true, m, m, n, b, prior.testTrain()); // BΣ(X,T)
            double[] bsx = Linalg.multiply(false, false, m, n, n, b, prior.trainTrain()); // BΣ(X,X)
            Linalg.gemm(false, true, m, m, n, 1.0, bsx, b, 1.0, cov);
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < m; c++) {
                    cov[r * m + c] -= bs[r * m + c] + bs[c * m + r];
                }
            }
        }
        Prediction.symmetrise(cov, m);
        return cov;
    }
}
