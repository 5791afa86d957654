package ntk.activations;

/**
 * Base for activations whose Gaussian expectations have no closed form. A subclass supplies φ, φ' (and a faster
 * {@link #evaluate} if it likes, and {@link #smooth()} = false if φ or φ' has a kink at 0); its kernel map is then
 * the Hermite (Mehler) series of {@link HermiteSeries}, with per-variance coefficient tables and a truncation bound
 * per entry; the entries the series cannot bound (|ρ| near 1) by {@link NearOne}, a 1-D integral of a Gaussian
 * smoothing (closed form if the subclass has one, {@link #gaussianSmoothing}); the rest by the kink-aware
 * {@link GaussianQuadrature} (the reference).
 */
/**
 * A smooth activation known by φ and φ′ alone: its Gaussian expectations come from the Hermite series, checked
 * against the split Gauss–Legendre quadrature.
 */
public abstract class QuadratureActivation implements Activation {
    /** For subclasses. */
    protected QuadratureActivation() {
    }

    private final HermiteSeries series = new HermiteSeries(this);

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        series.expectations(q1, q2, s12, n, outPhi, outDphi);
    }

    /**
     * As {@link #evaluate}, with the same bits, in scalar code only: the coefficient tables ({@link HermiteSeries})
     * evaluate φ on a few hundred nodes at a time, mostly in a fresh JVM, where Vector API code runs interpreted
     * (~100× its compiled cost) until C2 compiles it; plain scalar code is compiled by C1 within milliseconds. The
     * activations whose evaluation uses the Vector API take {@code vector} = false here.
     */
    final void evaluateScalar(double[] x, int n, double[] val, double[] der) {
        evaluate(x, n, val, der, false);
    }

    /** Bulk φ and φ' ({@link Activation#evaluate}): {@code evaluate(x, n, val, der, true)}. */
    @Override
    public final void evaluate(double[] x, int n, double[] val, double[] der) {
        evaluate(x, n, val, der, true);
    }

    /**
     * Bulk φ and φ' as {@link Activation#evaluate}, with the Vector API when {@code vector} and in scalar code only
     * otherwise, to the same bits either way ({@link #evaluateScalar}). The default evaluates {@link #value} and
     * {@link #derivative} point by point (no vector code); a subclass overrides it with a faster loop.
     */
    protected void evaluate(double[] x, int n, double[] val, double[] der, boolean vector) {
        Activation.super.evaluate(x, n, val, der);
    }

    /**
     * The Gaussian smoothing of φ and φ' in closed form, for the kernel entries near |ρ| = 1 ({@link NearOne}):
     * val[i] = E[φ(mu[i] + σW)] and, when der is non-null, der[i] = E[φ'(mu[i] + σW)], W ~ N(0, 1), σ &gt; 0, i &lt; n.
     * Only called when {@link #hasGaussianSmoothing} is true; the default has none (smooth φ then use Gauss–Hermite
     * nodes, kinked φ the quadrature).
     */
    protected void gaussianSmoothing(double[] mu, double sigma, int n, double[] val, double[] der) {
        throw new UnsupportedOperationException(spec() + " has no closed-form Gaussian smoothing");
    }

    /** True when {@link #gaussianSmoothing} is implemented. */
    protected boolean hasGaussianSmoothing() {
        return false;
    }

    /**
     * Kernel entries of all these activations computed so far in this process: {by the Hermite series, of which by a
     * second-stage table, near |ρ| = 1 by the smoothing integral, by the quadrature}.
     */
    public static long[] entryCounts() {
        long[] c = new long[HermiteSeries.TOTAL.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = HermiteSeries.TOTAL[i].sum();
        }
        return c;
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
