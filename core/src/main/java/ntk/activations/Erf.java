package ntk.activations;

/** erf(x). Closed forms of Williams (1997), "Computing with infinite networks", eq. 11, and its derivative analogue. */
/** φ(x) = erf(x), with the closed-form kernels of Williams (1997). */
public final class Erf implements Activation {
    /** The activation ({@code Activations.parse("Erf")} gives the same). */
    public Erf() {
    }

    private static final double TWO_OVER_SQRT_PI = 1.1283791670955125739;

    @Override
    public String spec() {
        return "Erf";
    }

    @Override
    public double value(double x) {
        return SpecialFunctions.erf(x);
    }

    @Override
    public double derivative(double x) {
        return TWO_OVER_SQRT_PI * Math.exp(-x * x);
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        for (int i = 0; i < n; i++) {
            double a = q1[i];
            double b = q2[i];
            double lim = Math.sqrt(Math.max(a * b, 0.0));
            double c = Math.max(-lim, Math.min(lim, s12[i])); // |ρ| <= 1
            double d = (1.0 + 2.0 * a) * (1.0 + 2.0 * b);
            // Williams 1997 eq. 11: E[erf(u)erf(v)] = (2/π) asin(2 s12 / √((1+2q1)(1+2q2)))
            double arg = Math.max(-1.0, Math.min(1.0, 2.0 * c / Math.sqrt(d)));
            outPhi[i] = (2.0 / Math.PI) * Math.asin(arg);
            if (outDphi != null) {
                // E[(4/π) e^{-u²-v²}] = (4/π) det(I + 2Σ)^{-1/2} = (4/π)/√((1+2q1)(1+2q2) - 4 s12²)
                outDphi[i] = (4.0 / Math.PI) / Math.sqrt(d - 4.0 * c * c);
            }
        }
    }

    @Override
    public boolean closedForm() {
        return true;
    }

    @Override
    public String toString() {
        return spec();
    }
}
