package ntk.dynamics;

import ntk.linalg.Linalg;

/**
 * Predictions of a {@link KernelPredictor} on m test points T, with K(T,X)·V (and Σ(T,X)·V) computed once:
 * a mean costs m·n·o per time, and {@link #means} does any number of times in one GEMM.
 * Means are over initialisations, with f_0 of mean zero.
 */
public final class Prediction {
    private final KernelPredictor fit;
    private final int m;
    private final double[] kTv;
    private final PriorCovariance prior;
    private final double[] sTv;

    Prediction(KernelPredictor fit, int m, double[] kTv, PriorCovariance prior, double[] sTv) {
        this.fit = fit;
        this.m = m;
        this.kTv = kTv;
        this.prior = prior;
        this.sTv = sTv;
    }

    /**
     * The number of test points m.
     * @return m
     */
    public int testPoints() {
        return m;
    }

    /** Mean output on T after training for {@code time}: row-major m×o. */
    public double[] mean(TrainingTime time) {
        return means(time)[0];
    }

    /**
     * Means at several times (result[j] is m×o for times[j]), all from one m×n by n×(o·times) GEMM:
     * mean(T) = K(T,X) V diag((1 − R(λ))/λ) VᵀY (Lee et al. 2019 eq. 15; Jacot et al. §5 for R = e^{−tλ/n}).
     */
    public double[][] means(TrainingTime... times) {
        int n = fit.trainingPoints();
        int o = fit.outputs();
        int w = o * times.length;
        double[] proj = fit.projections();
        double[] scaled = new double[Math.multiplyExact(n, w)]; // [diag(g_1)VᵀY | diag(g_2)VᵀY | …]
        for (int j = 0; j < times.length; j++) {
            double[] g = fit.solveFactors(times[j]);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < o; c++) {
                    scaled[i * w + j * o + c] = g[i] * proj[i * o + c];
                }
            }
        }
        double[] all = Linalg.multiply(false, false, m, w, n, kTv, scaled);
        double[][] out = new double[times.length][m * o];
        for (int j = 0; j < times.length; j++) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(all, r * w + j * o, out[j], r * o, o);
            }
        }
        return out;
    }

    /** Means at several gradient-flow times (each ≥ 0 or {@code Double.POSITIVE_INFINITY}). */
    public double[][] trajectory(double... times) {
        TrainingTime[] tt = new TrainingTime[times.length];
        for (int j = 0; j < times.length; j++) {
            tt[j] = TrainingTime.flow(times[j]);
        }
        return means(tt);
    }

    /**
     * Covariance over initialisations of the outputs on T (m×m, the same for every output), Lee et al. 2019
     * eq. 16 as cli-contract.md writes it: with B = K(T,X) K⁻¹(I − R(K)),
     * cov = Σ(T,T) − BΣ(X,T) − Σ(T,X)Bᵀ + BΣ(X,X)Bᵀ. Needs the prior given to {@link KernelPredictor#on}.
     * Costs O(m²n) per time when Σ is the fitted kernel, else O(mn² + m²n).
     */
    public double[] covariance(TrainingTime time) {
        if (prior == null) {
            throw new IllegalStateException("covariance needs the prior Σ: use KernelPredictor.on(kTx, m, prior)");
        }
        int n = fit.trainingPoints();
        double[] g = fit.solveFactors(time);
        double[] lambda = fit.eigen().values();
        double[] cov = prior.testTest().clone();
        if (prior.isFittedKernel()) {
            // Σ = K + rI = VΛVᵀ and Σ(T,X)V = K(T,X)V: cov = Σ(T,T) − K(T,X)V diag(g(2 − λg)) VᵀK(X,T)
            double[] w = new double[m * n];
            for (int r = 0; r < m; r++) {
                for (int i = 0; i < n; i++) {
                    w[r * n + i] = kTv[r * n + i] * g[i] * (2 - lambda[i] * g[i]);
                }
            }
            Linalg.gemm(false, true, m, m, n, -1.0, w, kTv, 1.0, cov);
        } else {
            double[] w = new double[m * n]; // W = K(T,X)V diag(g); B = W Vᵀ
            for (int r = 0; r < m; r++) {
                for (int i = 0; i < n; i++) {
                    w[r * n + i] = kTv[r * n + i] * g[i];
                }
            }
            double[] b = Linalg.multiply(false, false, m, n, n, w, fit.eigen().vectors());
            // BΣ(X,T) = W (Σ(T,X)V)ᵀ; its transpose is Σ(T,X)Bᵀ
            double[] bs = Linalg.multiply(false, true, m, m, n, w, sTv);
            double[] bsx = Linalg.multiply(false, false, m, n, n, b, prior.trainTrain());
            Linalg.gemm(false, true, m, m, n, 1.0, bsx, b, 1.0, cov);
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < m; c++) {
                    cov[r * m + c] -= bs[r * m + c] + bs[c * m + r];
                }
            }
        }
        symmetrise(cov, m);
        return cov;
    }

    static void symmetrise(double[] a, int m) {
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < r; c++) {
                double v = 0.5 * (a[r * m + c] + a[c * m + r]);
                a[r * m + c] = v;
                a[c * m + r] = v;
            }
        }
    }
}
