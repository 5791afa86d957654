package ntk.activations;

import ntk.BadInputException;

/**
 * x for x &gt; 0, α(e^x - 1) otherwise (PyTorch default α = 1); φ'(0) = α e^0 = α (PyTorch's x &gt; 0 branch is strict).
 * φ'' jumps at 0, so quadrature uses the kink-aware split rule.
 */
public final class Elu extends QuadratureActivation {
    private final double alpha;

    public Elu() {
        this(1.0);
    }

    public Elu(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new BadInputException("Elu alpha must be finite, got " + alpha);
        }
        this.alpha = alpha;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public String spec() {
        return alpha == 1.0 ? "Elu" : "Elu(" + alpha + ")";
    }

    @Override
    public double value(double x) {
        return x > 0.0 ? x : alpha * Math.expm1(x);
    }

    @Override
    public double derivative(double x) {
        return x > 0.0 ? 1.0 : alpha * Math.exp(x);
    }

    @Override
    public boolean smooth() {
        return false;
    }
}
