package ntk.activations;

import ntk.BadInputException;

/**
 * x for x &gt; 0, α x otherwise (PyTorch's default α = 0.01); φ'(0) = α as in PyTorch.
 * Closed form by writing φ = relu(u) - α relu(-u) and expanding into arc-cosine kernels.
 */
public final class LeakyRelu implements Activation {
    /** PyTorch's default negative slope. */
    public static final double DEFAULT_ALPHA = 0.01;

    private final double alpha;

    /** LeakyReLU with slope 0.01 on the negative side (PyTorch's default). */
    public LeakyRelu() {
        this(DEFAULT_ALPHA);
    }

    /**
     * LeakyReLU with a given negative slope.
     * @param alpha the slope for x &lt; 0
     */
    public LeakyRelu(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new BadInputException("LeakyRelu slope must be finite, got " + alpha);
        }
        this.alpha = alpha;
    }

    /**
     * The negative slope.
     * @return α
     */
    public double alpha() {
        return alpha;
    }

    @Override
    public String spec() {
        return "LeakyRelu(" + alpha + ")";
    }

    @Override
    public double value(double x) {
        return x > 0.0 ? x : alpha * x;
    }

    @Override
    public double derivative(double x) {
        return x > 0.0 ? 1.0 : alpha;
    }

    @Override
    public boolean smooth() {
        return alpha == 1.0;
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        ArcCosine.leaky(alpha, q1, q2, s12, n, outPhi, outDphi, true);
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi,
            boolean vector) {
        ArcCosine.leaky(alpha, q1, q2, s12, n, outPhi, outDphi, vector);
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
