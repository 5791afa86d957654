package ntk.activations;

/**
 * |x|; derivative sign(x) with sign(0) = 0 as in PyTorch. Closed form: LeakyRelu with α = -1, i.e.
 * E|u||v| = (2/π)√(q1q2)(√(1-ρ²) + ρ asin ρ), E[sign u sign v] = (2/π) asin ρ.
 */
/** |φ(x)| = |x| (arc-cosine family, closed forms). */
public final class Abs implements Activation {
    /** The activation ({@code Activations.parse("Abs")} gives the same). */
    public Abs() {
    }

    @Override
    public String spec() {
        return "Abs";
    }

    @Override
    public double value(double x) {
        return Math.abs(x);
    }

    @Override
    public double derivative(double x) {
        return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : 0.0;
    }

    @Override
    public boolean smooth() {
        return false;
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        ArcCosine.leaky(-1.0, q1, q2, s12, n, outPhi, outDphi, true);
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi,
            boolean vector) {
        ArcCosine.leaky(-1.0, q1, q2, s12, n, outPhi, outDphi, vector);
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
