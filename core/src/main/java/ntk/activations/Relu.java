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
        ArcCosine.relu(q1, q2, s12, n, outPhi, outDphi, true);
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi,
            boolean vector) {
        ArcCosine.relu(q1, q2, s12, n, outPhi, outDphi, vector);
    }

    /**
     * The expectations on the offset planes of a convolutional network's position pairs, from the roots of the
     * variances made once per example and position (the layout and the rule: ArcCosine.reluPlanes): sig = E[φφ] from
     * s12 = sig, ntk (if not null) multiplied by E[φ'φ'].
     */
    public void expectationsOnPlanes(double[] sig, double[] ntk, int offsetStart, int offsets, int len, int w,
            double[] a, int oa, double[] b, int ob) {
        ArcCosine.reluPlanes(sig, ntk, offsetStart, offsets, len, w, a, oa, b, ob);
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
