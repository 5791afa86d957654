package ntk.meanfield;

import ntk.activations.Activation;

/**
 * The correlation map at the variance fixed point q*: c ↦ f(c) = (σ_w² E[φ(u)φ(v)] + σ_b²) / q* with
 * (u, v) of variance q* and correlation c (Poole et al. 2016, eq. 5; Schoenholz et al. 2017, eq. 4).
 * By Price's theorem its slope is f'(c) = σ_w² E[φ'(u)φ'(v)], so f'(1) = χ₁ (Poole et al., eq. 7).
 */
public final class CorrelationMap {
    private final double sigmaW;
    private final double sigmaB;
    private final double qStar;
    private final GaussianMoments moments;
    private final Activation act;

    /** qStar must be a finite positive fixed point of the variance map. */
    public CorrelationMap(Activation act, double sigmaW, double sigmaB, double qStar) {
        MeanField.checkSigmas(sigmaW, sigmaB);
        if (!(qStar > 0) || !Double.isFinite(qStar)) {
            throw new IllegalArgumentException("the correlation map needs a finite q* > 0, got " + qStar);
        }
        this.act = act;
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.qStar = qStar;
        this.moments = new GaussianMoments(act);
    }

    /** f(c) = (σ_w² E[φ(u)φ(v)] + σ_b²)/q* (Poole et al. 2016, eq. 5). */
    public double apply(double c) {
        return (sigmaW * sigmaW * moments.phiPhi(qStar, c) + sigmaB * sigmaB) / qStar;
    }

    /** f'(c) = σ_w² E[φ'(u)φ'(v)] (Schoenholz et al. 2017, eq. 9: χ_c at c = c*). */
    public double slope(double c) {
        return sigmaW * sigmaW * moments.dphiDphi(qStar, c);
    }

    /** χ₁ = σ_w² E[φ'(√q* Z)²] (Poole et al. 2016, eq. 7; Schoenholz et al. 2017, eq. 6). */
    public double chi1() {
        return sigmaW * sigmaW * moments.dphiSquared(qStar);
    }

    /**
     * The attracting fixed correlation c*: 1 when χ₁ ≤ 1 (ordered phase and its edge), otherwise
     * the largest stable root of f(c) − c in [−1, 1) (chaotic phase, Schoenholz et al. 2017, §3),
     * found by a sign scan over 64 cells and Brent's method.
     */
    public double fixedPoint() {
        if (chi1() <= 1.0) {
            return 1.0;
        }
        int cells = 64;
        double best = Double.NaN;
        double prevC = -1.0;
        double prevG = apply(-1.0) + 1.0;
        for (int k = 1; k <= cells; k++) {
            // Stop short of 1, where f(1) = 1 is the unstable root; the scan's last point is 1 - 1e-9.
            double c = k == cells ? 1.0 - 1e-9 : -1.0 + 2.0 * k / cells;
            double g = apply(c) - c;
            double root = Double.NaN;
            if (prevG == 0) {
                root = prevC;
            } else if (prevG > 0 && g < 0) {
                root = Roots.brent(x -> apply(x) - x, prevC, c, 1e-15);
            }
            if (!Double.isNaN(root) && Math.abs(slope(root)) < 1.0) {
                best = root;
            }
            prevC = c;
            prevG = g;
        }
        return best;
    }

    /**
     * The variance fixed point q* the correlations are taken at.
     * @return q*
     */
    public double qStar() {
        return qStar;
    }

    /**
     * The activation.
     * @return φ
     */
    public Activation activation() {
        return act;
    }
}
