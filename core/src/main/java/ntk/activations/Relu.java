package ntk.activations;

/** relu(x) = max(x, 0); relu'(0) = 0 as in PyTorch. Closed form: arc-cosine kernel (Cho &amp; Saul 2009), vectorised. */
/** φ(x) = max(0, x), with the arc-cosine kernels of Cho &amp; Saul (2009). */
public final class Relu implements Activation {
    /** The activation ({@code Activations.parse("Relu")} gives the same). */
    public Relu() {
    }

    @Override
    public String spec() {
        return "Relu";
    }

    @Override
    public double value(double x) {
        return x > 0.0 ? x : 0.0;
    }

    @Override
    public double derivative(double x) {
        return x > 0.0 ? 1.0 : 0.0;
    }

    @Override
    public boolean smooth() {
        return false;
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        ArcCosine.relu(q1, q2, s12, n, outPhi, outDphi);
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
