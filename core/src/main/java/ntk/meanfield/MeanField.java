package ntk.meanfield;

import ntk.BadInputException;
import ntk.activations.Activation;

/**
 * Everything mean-field theory says about a deep fully connected network with activation φ and
 * weight/bias scales (σ_w, σ_b): the variance fixed point q*, χ₁, the fixed correlation c*, its slope
 * χ_c, the depth scales ξ_q and ξ_c, and the phase. Unbounded quantities are +∞ (ξ at the edge of
 * chaos), undefined ones NaN (c* when q* is 0 or infinite).
 */
public record MeanField(double sigmaW, double sigmaB, VarianceFixedPoint fixedPoint, double chi1, double cStar,
        double chiC, double xiQ, double xiC, Phase phase) {

    /**
     * The variance fixed point q*.
     * @return q*
     */
    public double qStar() {
        return fixedPoint.qStar();
    }

    /** Refuses σ_w ≤ 0, σ_b &lt; 0 and non-finite values with a one-line message. */
    public static void checkSigmas(double sigmaW, double sigmaB) {
        if (!(sigmaW > 0) || !Double.isFinite(sigmaW)) {
            throw new BadInputException("sigma_w must be a positive number, got " + sigmaW);
        }
        if (!(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
            throw new BadInputException("sigma_b must be a non-negative number, got " + sigmaB);
        }
    }

    /**
     * Analyses (σ_w, σ_b) for inputs whose first pre-activation variance is qStart (σ_w²‖x‖²/d + σ_b²;
     * it matters only where V has several attractors or is the identity).
     */
    public static MeanField analyse(Activation act, double sigmaW, double sigmaB, double qStart) {
        VarianceMap v = new VarianceMap(act, sigmaW, sigmaB);
        VarianceFixedPoint fp = v.fixedPoint(qStart);
        if (!fp.finite()) {
            return new MeanField(sigmaW, sigmaB, fp, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Phase.DIVERGENT);
        }
        double q = fp.qStar();
        // ξ_q⁻¹ = −log V'(q*) (Schoenholz et al. 2017, eq. 5: χ₁ + σ_w² E[φ''φ] is V'(q*)).
        double xiQ = fp.kind() == VarianceFixedPoint.Kind.EVERY_Q ? Double.POSITIVE_INFINITY
                : -1.0 / Math.log(v.slope(q));
        if (q == 0) {
            double d0 = act.derivative(0.0);
            double chi1 = sigmaW * sigmaW * d0 * d0; // χ₁ at q* = 0 (Poole et al. 2016, eq. 7)
            return new MeanField(sigmaW, sigmaB, fp, chi1, Double.NaN, Double.NaN, xiQ, Double.NaN,
                    Phase.ofChi1(chi1));
        }
        CorrelationMap f = new CorrelationMap(act, sigmaW, sigmaB, q);
        double chi1 = f.chi1();
        Phase phase = Phase.ofChi1(chi1);
        double cStar = phase == Phase.CHAOTIC ? f.fixedPoint() : 1.0;
        double chiC = Double.isNaN(cStar) ? Double.NaN : cStar == 1.0 ? chi1 : f.slope(cStar);
        // ξ_c⁻¹ = −log χ_c (Schoenholz et al. 2017, eq. 9); infinite on the edge of chaos.
        double xiC = phase == Phase.EDGE_OF_CHAOS ? Double.POSITIVE_INFINITY : -1.0 / Math.log(chiC);
        return new MeanField(sigmaW, sigmaB, fp, chi1, cStar, chiC, xiQ, xiC, phase);
    }

    /** {@link #analyse} for inputs with ‖x‖²/d = 1. */
    public static MeanField analyse(Activation act, double sigmaW, double sigmaB) {
        return analyse(act, sigmaW, sigmaB, sigmaW * sigmaW + sigmaB * sigmaB);
    }
}
