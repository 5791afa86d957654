package ntk.experiments;

import ntk.BadInputException;
import ntk.kernels.KernelEngine;
import ntk.linalg.Linalg;

/**
 * The spectrum of the limiting NTK (Pleiss' lecture notes §1.2; Jacot et al. 2018 §5): the eigenvalues of the
 * Gram matrix Θ∞(X, X)/n of the depth-4 ReLU network (β = 0.1), largest first, on data, with a power law
 * λ_i ≈ C·i^−α fitted by least squares on log λ against log i over a stated range of indices. Gradient descent
 * fits the component along eigenvector i at the rate λ_i (e^{−λ_i t}), so a fast decay means the network learns
 * a few smooth directions first (spectral bias).
 *
 * <p>On the sphere S^{d−1} the NTK is a dot-product kernel whose eigenfunctions are the spherical harmonics; for
 * ReLU networks the eigenvalue of degree k decays like k^−d (Bietti &amp; Mairal 2019, Thm 4; Basri et al. 2019)
 * and degree k has multiplicity ∝ k^{d−2}, so the i-th largest eigenvalue decays like i^{−d/(d−1)}: α = 1.5 on
 * S² ⊂ R³. That case is the independent check of the fit; {@link #onSphere} computes it.
 */
public final class Spectrum {
    private Spectrum() {
    }

    /** Eigenvalues λ of Θ∞(X,X)/n, fitted over i ∈ [from, to] (1-based); alpha = −slope. */
    public record Result(int n, double[] eigenvalues, int from, int to, LogLogFit fit) {
        public double alpha() {
            return -fit.slope();
        }
    }

    /**
     * The spectrum of n inputs x (row-major n×d), power law fitted over [from, to]. 0 < from < to ≤ n.
     */
    public static Result of(double[] x, int n, int d, int from, int to) {
        if (from < 1 || to > n || to - from < 2) {
            throw new BadInputException("spectrum: fit range [" + from + ", " + to + "] must lie in 1.." + n
                    + " and hold at least 3 eigenvalues");
        }
        double[] k = new KernelEngine().kernels(JacotNetworks.limit(1), x, n, null, 0, d, true).ntk();
        return ofKernel(k, n, from, to);
    }

    /** The same from a Gram matrix k (n×n, overwritten). */
    public static Result ofKernel(double[] k, int n, int from, int to) {
        double[] asc = Linalg.symmetricEigenvalues(k, n);
        double[] desc = new double[n];
        for (int i = 0; i < n; i++) {
            desc[i] = asc[n - 1 - i] / n;
        }
        return new Result(n, desc, from, to, LogLogFit.ofIndex(desc, from, to));
    }

    /** The theory's exponent on S^{d−1}: d/(d−1). */
    public static double sphereAlpha(int d) {
        return d / (d - 1.0);
    }

    /** n points uniform on S^{d−1} (seeded), fitted over [from, to]. */
    public static Result onSphere(int n, int d, int from, int to, long seed) {
        return of(Points.sphere(n, d, seed), n, d, from, to);
    }
}
