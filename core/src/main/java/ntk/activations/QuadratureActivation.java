package ntk.activations;

/** Base for activations whose Gaussian expectations have no closed form: they use {@link GaussianQuadrature#compute}. */
public abstract class QuadratureActivation implements Activation {
    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        GaussianQuadrature.compute(this, q1, q2, s12, n, outPhi, outDphi);
    }

    @Override
    public boolean closedForm() {
        return false;
    }

    @Override
    public String toString() {
        return spec();
    }
}
