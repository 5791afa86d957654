package ntk.meanfield;

import java.util.ArrayList;
import java.util.List;
import ntk.BadInputException;
import ntk.activations.Activation;

/**
 * The edge of chaos χ₁ = 1 (Schoenholz et al. 2017, §3; Hayou et al. 2019, Def. 2). The coupled system
 * q = σ_w² E[φ(√q Z)²] + σ_b², σ_w² E[φ'(√q Z)²] = 1 is solved along q: each q &gt; 0 fixes
 * σ_w²(q) = 1 / E[φ'(√q Z)²] and then σ_b²(q) = q − σ_w²(q) E[φ(√q Z)²], so the EOC point for a given
 * σ_b is a root in q of the scalar function σ_b²(q) − σ_b², bracketed by a scan over q ∈ [1e-6, 1e4]
 * and refined by Brent's method. Of several roots the smallest q that attracts the variance map wins.
 */
public final class EdgeOfChaos {
    static final double Q_MIN = 1e-6;
    static final double Q_MAX = 1e4;
    static final int PER_DECADE = 12;

    private final Activation act;
    private final GaussianMoments moments;

    /**
     * The edge of chaos of this activation.
     * @param act φ
     */
    public EdgeOfChaos(Activation act) {
        this.act = act;
        this.moments = new GaussianMoments(act);
    }

    /** σ_w(q) on the EOC: σ_w² E[φ'(√q Z)²] = 1 (χ₁ = 1, Poole et al. 2016, eq. 7). */
    public double sigmaWAt(double q) {
        return 1.0 / Math.sqrt(moments.dphiSquared(q));
    }

    /** σ_b²(q) on the EOC: q* = σ_w² E[φ(√q Z)²] + σ_b² (Poole et al. 2016, eq. 3) solved for σ_b². */
    public double sigmaB2At(double q) {
        return q - moments.phiSquared(q) / moments.dphiSquared(q);
    }

    /**
     * The EOC point for bias scale sigmaB.
     *
     * @throws BadInputException when the activation has no edge of chaos with a finite q* at sigmaB
     */
    public EocPoint find(double sigmaB) {
        if (!(sigmaB >= 0) || !Double.isFinite(sigmaB)) {
            throw new BadInputException("sigma_b must be a non-negative number, got " + sigmaB);
        }
        double target = sigmaB * sigmaB;
        int n = (int) Math.round(Math.log10(Q_MAX / Q_MIN) * PER_DECADE);
        double[] qs = new double[n + 1];
        double[] h = new double[n + 1];
        boolean homogeneous = true;
        for (int k = 0; k <= n; k++) {
            qs[k] = Q_MIN * Math.pow(10, (double) k / PER_DECADE);
            double s2 = sigmaB2At(qs[k]);
            h[k] = s2 - target;
            homogeneous &= Math.abs(s2) <= 1e-12 * qs[k];
        }
        if (homogeneous) {
            // E[φ²]/E[φ'²] = q for all q (Relu, LeakyRelu, Abs, Identity): χ₁ = 1 forces σ_b = 0.
            if (sigmaB == 0) {
                double sw = sigmaWAt(1.0);
                return new EocPoint(0.0, sw, sw * sw, sw * sw * moments.dphiSquared(1.0), true);
            }
            throw new BadInputException(act.spec() + " has no edge of chaos at sigma_b = " + sigmaB
                    + ": chi1 = 1 needs sigma_w = " + fmt(sigmaWAt(1.0))
                    + ", where q grows by sigma_b^2 every layer (no finite q*); its edge of chaos is the single point"
                    + " (sigma_b, sigma_w) = (0, " + fmt(sigmaWAt(1.0)) + ")");
        }
        if (sigmaB == 0 && act.value(0.0) == 0.0 && act.derivative(0.0) != 0.0 && Math.abs(h[0]) <= 1e-3 * qs[0]) {
            // σ_b²(q) → 0 as q → 0: the EOC at σ_b = 0 is σ_w = 1/|φ'(0)| with q* = 0 (Tanh, Erf, Sin).
            double d0 = Math.abs(act.derivative(0.0));
            return new EocPoint(0.0, 1.0 / d0, 0.0, 1.0, false);
        }
        for (int k = 0; k < n; k++) {
            if (h[k] == 0 || (h[k] < 0) != (h[k + 1] < 0)) {
                double q = h[k] == 0 ? qs[k] : Roots.brent(x -> sigmaB2At(x) - target, qs[k], qs[k + 1], 1e-15 * qs[k]);
                double sw = sigmaWAt(q);
                VarianceMap v = new VarianceMap(act, sw, sigmaB);
                if (v.slope(q) < 1.0) {
                    return new EocPoint(sigmaB, sw, q, sw * sw * moments.dphiSquared(q), false);
                }
            }
        }
        throw new BadInputException(act.spec() + " has no edge of chaos at sigma_b = " + sigmaB + ": "
                + whyNot(sigmaB, qs, h) + stableReach(qs, h, target));
    }

    /** The χ₁ = 1 fixed points at σ_b that repel the variance map, or why χ₁ = 1 has none there. */
    private String whyNot(double sigmaB, double[] qs, double[] h) {
        StringBuilder s = new StringBuilder();
        double target = sigmaB * sigmaB;
        for (int k = 0; k + 1 < qs.length; k++) {
            if (h[k] == 0 || (h[k] < 0) != (h[k + 1] < 0)) {
                double q = h[k] == 0 ? qs[k] : Roots.brent(x -> sigmaB2At(x) - target, qs[k], qs[k + 1], 1e-15 * qs[k]);
                s.append(s.length() > 0 ? "; " : "").append("chi1 = 1 at q = ").append(fmt(q)).append(" (sigma_w = ")
                        .append(fmt(sigmaWAt(q))).append(") is a variance fixed point that repels (V'(q) = ")
                        .append(fmt(slopeOnEoc(q))).append(" > 1)");
            }
        }
        return s.length() > 0 ? s.toString() : "no q* in [1e-6, 1e4] has chi1 = 1 with this sigma_b";
    }

    /** V'(q*) at the EOC point of q (σ_w(q), σ_b(q)); below 1 the fixed point attracts. */
    private double slopeOnEoc(double q) {
        return new VarianceMap(act, sigmaWAt(q), Math.sqrt(Math.max(0, sigmaB2At(q)))).slope(q);
    }

    /**
     * The σ_b range over which the EOC point attracts the variance map (V'(q*) &lt; 1), from the q grid with the
     * ends where the slope crosses 1 refined by Brent's method; the range asked about lies outside it.
     */
    private String stableReach(double[] qs, double[] h, double target) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        boolean any = false;
        boolean[] stable = new boolean[qs.length];
        for (int k = 0; k < qs.length; k++) {
            double s2 = h[k] + target;
            any |= s2 >= 0;
            stable[k] = s2 >= 0 && slopeOnEoc(qs[k]) < 1;
            if (stable[k]) {
                lo = Math.min(lo, Math.sqrt(s2));
                hi = Math.max(hi, Math.sqrt(s2));
            }
        }
        for (int k = 0; k + 1 < qs.length; k++) {
            if (stable[k] != stable[k + 1] && h[k] + target >= 0 && h[k + 1] + target >= 0) {
                double q = Roots.brent(x -> slopeOnEoc(x) - 1, qs[k], qs[k + 1], 1e-12 * qs[k]);
                double sb = Math.sqrt(Math.max(0, sigmaB2At(q)));
                lo = Math.min(lo, sb);
                hi = Math.max(hi, sb);
            }
        }
        if (!any) {
            return "; chi1 = 1 gives sigma_b^2 < 0 for every q* in [1e-6, 1e4]";
        }
        if (!(lo <= hi)) {
            return "; no point of its edge of chaos with q* in [1e-6, 1e4] attracts the variance map";
        }
        if (stable[qs.length - 1]) {
            // the scan ends at q* = 1e4 inside the attracting part: no upper end is known
            return "; its edge of chaos attracts the variance map for sigma_b >= " + fmt(lo) + " (q* searched up to 1e4)";
        }
        return "; for q* in [1e-6, 1e4] its edge of chaos attracts the variance map for sigma_b in [" + fmt(lo) + ", "
                + fmt(hi) + "]";
    }

    /** The EOC curve at `points` evenly spaced σ_b in [sigmaBMin, sigmaBMax]; σ_b without an EOC are left out. */
    public List<EocPoint> curve(double sigmaBMin, double sigmaBMax, int points) {
        if (points < 2 || !(sigmaBMax > sigmaBMin) || !(sigmaBMin >= 0)) {
            throw new BadInputException("the EOC curve needs 0 <= sigma_b min < max and at least 2 points, got ["
                    + sigmaBMin + ", " + sigmaBMax + "] with " + points);
        }
        List<EocPoint> out = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            double sb = sigmaBMin + (sigmaBMax - sigmaBMin) * i / (points - 1);
            try {
                out.add(find(sb));
            } catch (BadInputException e) {
                // no EOC at this σ_b: a gap in the curve
            }
        }
        return out;
    }

    /** The phase of (σ_b, σ_w) for unit-variance inputs (‖x‖²/d = 1), from χ₁ at q*. */
    public Phase classify(double sigmaB, double sigmaW) {
        return MeanField.analyse(act, sigmaW, sigmaB).phase();
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
