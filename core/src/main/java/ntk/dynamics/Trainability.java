package ntk.dynamics;

import static ntk.BadInputException.param;

import ntk.BadInputException;
import ntk.linalg.Linalg;
import ntk.linalg.SymmetricEigen;

/**
 * Whether gradient descent with a kernel K can fit a training set, and how fast (loss 1/(2n)Σ‖f − y‖²):
 * the extreme eigenvalues of K, its condition number, the largest stable learning rate 2n/λ_max of
 * discrete steps (|1 − ηλ/n| &lt; 1 for every λ), and the gradient-flow time to fit a fraction of the targets.
 * A kernel singular to working precision (λ_min ≤ n·ε·λ_max) is reported untrainable — as the NTK of a
 * deep network in the ordered phase becomes (Hayou et al., Lemma 1) — never jittered.
 *
 * @param timeToFit with targets: time for the mean prediction to fit {@code fraction} of ‖Y‖²
 *                  ({@link KernelPca#timeToFit}); without: time for the slowest direction's residual to shrink
 *                  by that fraction, n·ln(1/(1 − fraction))/λ_min; +∞ when never
 */
public record Trainability(int n, double lambdaMin, double lambdaMax, double conditionNumber,
        double maxStableLearningRate, boolean trainable, double singularTolerance, double fraction, double timeToFit,
        boolean withTargets) {

    /**
     * Diagnoses the training kernel K(X, X), an (n, n) array (not written), with targets y (n, o) or (n,), or none.
     *
     * @param kxx the training kernel, (n, n)
     * @param y the targets, or null
     * @param fraction the fraction of the targets (or of the slowest residual) to fit, in (0, 1)
     * @return the diagnosis
     */
    public static Trainability diagnose(ntk.NdArray kxx, ntk.NdArray y, double fraction) {
        int n = KernelPredictor.squareSide(kxx, "kxx");
        return diagnose(kxx.data(), n, y == null ? null : y.data(), y == null ? 1 : KernelPredictor.outputsOf(y, n, "y"),
                fraction);
    }

    /** Diagnoses the row-major n×n kernel kxx (untouched); y (n×o) may be null. */
    public static Trainability diagnose(double[] kxx, int n, double[] y, int o, double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw BadInputException.of(param("fraction"), " must lie strictly between 0 and 1, got " + fraction);
        }
        if (n == 0) {
            throw new ntk.BadInputException("no training points");
        }
        KernelPredictor fit = y == null ? null : KernelPredictor.fit(kxx, n, y, o, 0);
        SymmetricEigen e = fit == null ? Linalg.symmetricEigen(kxx, n) : fit.eigen();
        double tol = KernelPredictor.singularTolerance(e);
        double min = e.smallest();
        double max = e.largest();
        boolean trainable = min > tol;
        double cond = trainable ? max / min : Double.POSITIVE_INFINITY;
        double rate = max > 0 ? 2.0 * n / max : Double.POSITIVE_INFINITY; // stability of (I − ηK/n)^k
        double time;
        if (fit != null) {
            time = fit.pca().timeToFit(fraction);
        } else {
            time = trainable ? n * Math.log(1 / (1 - fraction)) / min : Double.POSITIVE_INFINITY; // e^{−λt/n} = 1 − q
        }
        return new Trainability(n, min, max, cond, rate, trainable, tol, fraction, time, fit != null);
    }
}
