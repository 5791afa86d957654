package ntk.activations;

import ntk.BadInputException;

/**
 * {@code PReLU(alpha0)}: the parametric ReLU of He et al. 2015 (x for x &gt; 0, α x otherwise) whose slope α is a
 * learned parameter of finite networks (one scalar per layer, key "{i}.alpha", initialised to alpha0; PyTorch's default
 * 0.25). As a function and in the infinite-width recursion it is {@link LeakyRelu LeakyRelu(alpha0)}: the kernels are
 * those of the network at initialisation. The NTK's map leaves out α's own term Σ_units δ·min(h, 0): a single shared
 * parameter whose gradient stays an O(1) random variable at any width rather than concentrating, so it has no
 * deterministic infinite-width limit (finite networks' empirical NTK includes it).
 */
public final class PRelu implements Activation {
    /** PyTorch's {@code nn.PReLU} default initial slope. */
    public static final double DEFAULT_ALPHA = 0.25;

    private final double alpha0;
    private final LeakyRelu atInit;

    /** PReLU with initial slope 0.25 (PyTorch's default). */
    public PRelu() {
        this(DEFAULT_ALPHA);
    }

    /**
     * PReLU with a given initial slope.
     * @param alpha0 the slope for x &lt; 0 at initialisation
     */
    public PRelu(double alpha0) {
        if (!Double.isFinite(alpha0)) {
            throw new BadInputException("PReLU initial slope must be finite, got " + alpha0);
        }
        this.alpha0 = alpha0;
        this.atInit = new LeakyRelu(alpha0);
    }

    /** The initial slope α₀. */
    public double alpha0() {
        return alpha0;
    }

    @Override
    public String spec() {
        return "PReLU(" + alpha0 + ")";
    }

    @Override
    public double value(double x) {
        return atInit.value(x);
    }

    @Override
    public double derivative(double x) {
        return atInit.derivative(x);
    }

    @Override
    public boolean smooth() {
        return atInit.smooth();
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        atInit.expectations(q1, q2, s12, n, outPhi, outDphi);
    }

    @Override
    public void expectations(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi,
            boolean vector) {
        atInit.expectations(q1, q2, s12, n, outPhi, outDphi, vector);
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
