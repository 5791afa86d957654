package ntk.meanfield;

import ntk.BadInputException;
import ntk.activations.Activation;

/**
 * The length (variance) map of a deep fully connected network at infinite width,
 * q^{l+1} = V(q^l) = σ_w² E[φ(√q^l Z)²] + σ_b² (Poole et al. 2016, eq. 3; Schoenholz et al. 2017, eq. 3).
 */
public final class VarianceMap {
    /** Above this q the iteration is declared divergent. */
    static final double Q_MAX = 1e15;

    private final Activation act;
    private final double sigmaW;
    private final double sigmaB;
    private final GaussianMoments moments;

    /**
     * The variance map of this activation and initialisation.
     * @param act φ
     * @param sigmaW σ_w
     * @param sigmaB σ_b
     */
    public VarianceMap(Activation act, double sigmaW, double sigmaB) {
        MeanField.checkSigmas(sigmaW, sigmaB);
        this.act = act;
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.moments = new GaussianMoments(act);
    }

    /** V(q) = σ_w² E[φ(√q Z)²] + σ_b² (Poole et al. 2016, eq. 3). */
    public double apply(double q) {
        return sigmaW * sigmaW * moments.phiSquared(q) + sigmaB * sigmaB;
    }

    /** V'(q) by a central difference with step 1e-4·q (relative error ~1e-8); for q = 0 one-sided. */
    public double slope(double q) {
        double h = q > 0 ? 1e-4 * q : 1e-8;
        if (q > h) {
            return (apply(q + h) - apply(q - h)) / (2 * h);
        }
        return (apply(q + h) - apply(q)) / h;
    }

    /**
     * The fixed point reached by iterating V from qStart &gt; 0 (the first layer's pre-activation
     * variance, σ_w²‖x‖²/d + σ_b²): iteration brings q near the attractor, then Brent's method on
     * V(q) − q polishes it to ~1e-15 relative, independently of how slowly the iteration converges.
     */
    public VarianceFixedPoint fixedPoint(double qStart) {
        if (!(qStart > 0) || !Double.isFinite(qStart)) {
            throw new BadInputException("the starting variance must be a positive number, got " + qStart);
        }
        if (isIdentity(qStart)) {
            return new VarianceFixedPoint(VarianceFixedPoint.Kind.EVERY_Q, qStart);
        }
        double q = qStart;
        for (int i = 0; i < 60 && q < Q_MAX && q > 0; i++) {
            q = apply(q);
        }
        if (!(q < Q_MAX)) {
            return new VarianceFixedPoint(VarianceFixedPoint.Kind.DIVERGES, Double.POSITIVE_INFINITY);
        }
        if (q == 0) {
            return new VarianceFixedPoint(VarianceFixedPoint.Kind.FINITE, 0.0);
        }
        double g = apply(q) - q;
        if (g == 0) {
            return new VarianceFixedPoint(VarianceFixedPoint.Kind.FINITE, q);
        }
        // Bracket: an attracting fixed point has V(q) − q > 0 below it and < 0 above it.
        double lo = q;
        double hi = q;
        if (g > 0) {
            double step = Math.max(q * 1e-6, 1e-300);
            do {
                lo = hi;
                hi = hi + step;
                step *= 2;
                if (hi > Q_MAX) {
                    return new VarianceFixedPoint(VarianceFixedPoint.Kind.DIVERGES, Double.POSITIVE_INFINITY);
                }
            } while (apply(hi) - hi > 0);
        } else {
            double f = 1e-6;
            do {
                hi = lo;
                lo = q * Math.max(0.0, 1 - f);
                f *= 2;
            } while (lo > 0 && apply(lo) - lo < 0);
            if (lo == 0 && apply(0.0) == 0.0) {
                return new VarianceFixedPoint(VarianceFixedPoint.Kind.FINITE, 0.0);
            }
        }
        double qs = Roots.brent(x -> apply(x) - x, lo, hi, 1e-16 * hi);
        return new VarianceFixedPoint(VarianceFixedPoint.Kind.FINITE, qs);
    }

    /** True when V(q) = q to rounding at q0 and at scales 1e-3 and 1e3 away (a homogeneous φ on its EOC). */
    private boolean isIdentity(double q0) {
        for (double s : new double[] {1e-3, 1.0, 1e3}) {
            double q = q0 * s;
            if (Math.abs(apply(q) - q) > 1e-13 * q) {
                return false;
            }
        }
        return true;
    }

    /**
     * The activation.
     * @return φ
     */
    public Activation activation() {
        return act;
    }

    /**
     * σ_w.
     * @return σ_w
     */
    public double sigmaW() {
        return sigmaW;
    }

    /**
     * σ_b.
     * @return σ_b
     */
    public double sigmaB() {
        return sigmaB;
    }
}
