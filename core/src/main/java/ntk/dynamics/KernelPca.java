package ntk.dynamics;

import ntk.linalg.SymmetricEigen;

/**
 * Kernel principal components of the training kernel K + rI and the targets' motion along them under
 * gradient flow (Jacot et al. 2018 §5): the residual's component along eigenvector i decays as
 * e^{−λᵢt/n}, so the largest components are fitted first. Components are indexed largest eigenvalue
 * first (i = 0). Eigenvalues within rounding of zero or below (≤ n·ε·λ_max) count as 0: they never decay.
 */
public final class KernelPca {
    private final KernelPredictor fit;
    private final SymmetricEigen eigen;
    private final int n;
    private final int o;
    private final double tolerance;

    KernelPca(KernelPredictor fit) {
        this.fit = fit;
        this.eigen = fit.eigen();
        this.n = fit.trainingPoints();
        this.o = fit.outputs();
        this.tolerance = fit.singularTolerance();
    }

    /** Components of K(X,X) (no ridge) with targets y (n×o). */
    public static KernelPca of(double[] kxx, int n, double[] y, int o) {
        return KernelPredictor.fit(kxx, n, y, o, 0).pca();
    }

    /**
     * The number of components.
     * @return n
     */
    public int size() {
        return n;
    }

    private int ascending(int i) {
        return n - 1 - i;
    }

    /** The i-th largest eigenvalue. */
    public double eigenvalue(int i) {
        return eigen.values()[ascending(i)];
    }

    /** All eigenvalues, largest first. */
    public double[] eigenvalues() {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = eigenvalue(i);
        }
        return v;
    }

    /** The unit eigenvector of the i-th largest eigenvalue (length n; its sign is LAPACK's). */
    public double[] eigenvector(int i) {
        double[] v = new double[n];
        System.arraycopy(eigen.vectors(), ascending(i) * n, v, 0, n);
        return v;
    }

    /** The targets' projection on component i, vᵢᵀY (length o). */
    public double[] projection(int i) {
        double[] p = new double[o];
        System.arraycopy(fit.projections(), ascending(i) * o, p, 0, o);
        return p;
    }

    /** ‖vᵢᵀY‖²: the share of ‖Y‖² that lies along component i (they sum to ‖Y‖²). */
    public double targetWeight(int i) {
        double s = 0;
        for (double p : projection(i)) {
            s += p * p;
        }
        return s;
    }

    /** The factor by which the mean residual along component i has shrunk at time t: e^{−λᵢt/n} (Jacot et al. §5). */
    public double residualDecay(int i, double t) {
        double lambda = effective(eigenvalue(i));
        return t == Double.POSITIVE_INFINITY ? (lambda > 0 ? 0 : 1) : Math.exp(-lambda * t / n);
    }

    /** The time n/λᵢ over which the residual along component i shrinks by e; +∞ where λᵢ is zero to rounding. */
    public double decayTime(int i) {
        double lambda = eigenvalue(i);
        return lambda <= tolerance ? Double.POSITIVE_INFINITY : n / lambda;
    }

    private double effective(double lambda) {
        return lambda <= tolerance ? 0 : lambda;
    }

    /** Y = Σᵢ vᵢ (vᵢᵀY): the targets rebuilt from their projections (n×o). */
    public double[] reconstruct() {
        double[] y = new double[n * o];
        double[] v = eigen.vectors();
        double[] p = fit.projections();
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < n; r++) {
                double vi = v[i * n + r];
                for (int c = 0; c < o; c++) {
                    y[r * o + c] += vi * p[i * o + c];
                }
            }
        }
        return y;
    }

    /**
     * Fraction of ‖Y‖² fitted at time t by the mean prediction (f_0 of mean zero):
     * 1 − ‖e^{−tK/n}Y‖²/‖Y‖² = 1 − Σᵢ e^{−2λᵢt/n}‖vᵢᵀY‖² / Σᵢ‖vᵢᵀY‖². Non-decreasing in t. NaN for Y = 0.
     */
    public double fractionFitted(double t) {
        double total = 0;
        double left = 0;
        for (int i = 0; i < n; i++) {
            double w = targetWeight(i);
            double d = residualDecay(i, t);
            total += w;
            left += w * d * d;
        }
        return 1 - left / total;
    }

    /**
     * The gradient-flow time at which {@link #fractionFitted} first reaches {@code fraction} (in (0, 1)):
     * +∞ when the components that never decay (λ ≈ 0) hold more than 1 − fraction of ‖Y‖².
     * Bisection to relative precision 1e-12 on the monotone fraction.
     */
    public double timeToFit(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new ntk.BadInputException("fraction must lie strictly between 0 and 1, got " + fraction);
        }
        if (fractionFitted(Double.POSITIVE_INFINITY) < fraction) {
            return Double.POSITIVE_INFINITY;
        }
        double hi = n / effective(eigenvalue(0));
        while (fractionFitted(hi) < fraction) {
            hi *= 2;
        }
        double lo = 0;
        while (hi - lo > 1e-12 * hi) {
            double mid = 0.5 * (lo + hi);
            if (fractionFitted(mid) >= fraction) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }
}
