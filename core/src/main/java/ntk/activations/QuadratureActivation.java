package ntk.activations;

/**
 * Base for activations whose Gaussian expectations have no closed form. A subclass supplies φ, φ' (and a faster
 * {@link #evaluate} if it likes, and {@link #smooth()} = false if φ or φ' has a kink at 0); its kernel map is then
 * the Hermite (Mehler) series of {@link HermiteSeries}, with per-variance coefficient tables and a truncation bound
 * per entry, falling back to the kink-aware {@link GaussianQuadrature} (the reference) for the entries the series
 * cannot bound (|ρ| near 1 at large variance).
 */
public abstract class QuadratureActivation implements Activation {
    private final HermiteSeries series = new HermiteSeries(this);

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        series.expectations(q1, q2, s12, n, outPhi, outDphi);
    }

    /** The series behind {@link #expectations} (its cache and branch counts). */
    HermiteSeries series() {
        return series;
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
