package ntk.activations;

/** sin(x). Closed form from the Gaussian characteristic function: E[sin u sin v] = e^{-(q1+q2)/2} sinh(s12), E[cos u cos v] = e^{-(q1+q2)/2} cosh(s12). */
/** φ(x) = sin(x), with closed-form kernels. */
public final class Sin implements Activation {
    /** The activation ({@code Activations.parse("Sin")} gives the same). */
    public Sin() {
    }

    @Override
    public String spec() {
        return "Sin";
    }

    @Override
    public double value(double x) {
        return Math.sin(x);
    }

    @Override
    public double derivative(double x) {
        return Math.cos(x);
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        for (int i = 0; i < n; i++) {
            double a = q1[i];
            double b = q2[i];
            double lim = Math.sqrt(Math.max(a * b, 0.0));
            double c = Math.max(-lim, Math.min(lim, s12[i])); // |ρ| <= 1, so |s12| <= (q1+q2)/2
            double m = 0.5 * (a + b);
            double ph;
            double dp;
            if (m <= 700.0) {
                // E[sin u sin v] = (E cos(u-v) - E cos(u+v))/2 = e^{-m}(e^{s12} - e^{-s12})/2
                double e = Math.exp(-m);
                ph = e * Math.sinh(c);
                dp = e * Math.cosh(c);
            } else { // avoid overflow of sinh: e^{-m}e^{±c} = e^{±c-m} with |c| <= m
                double ep = Math.exp(c - m);
                double em = Math.exp(-c - m);
                ph = 0.5 * (ep - em);
                dp = 0.5 * (ep + em);
            }
            outPhi[i] = ph;
            if (outDphi != null) {
                outDphi[i] = dp;
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
