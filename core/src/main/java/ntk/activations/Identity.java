package ntk.activations;

/** φ(x) = x: E[uv] = s12 (passed through unchanged), E[φ'φ'] = 1. */
/** φ(x) = x: the network stays linear. */
public final class Identity implements Activation {
    /** The activation ({@code Activations.parse("Identity")} gives the same). */
    public Identity() {
    }

    @Override
    public String spec() {
        return "Identity";
    }

    @Override
    public double value(double x) {
        return x;
    }

    @Override
    public double derivative(double x) {
        return 1.0;
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        if (outPhi != s12) {
            System.arraycopy(s12, 0, outPhi, 0, n);
        }
        if (outDphi != null) {
            java.util.Arrays.fill(outDphi, 0, n, 1.0);
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
