package ntk.activations;

/** tanh(x); derivative sech²(x) = 4e^{-2|x|}/(1+e^{-2|x|})² (relatively accurate in the tails). Expectations by Gauss–Hermite quadrature. */
public final class Tanh extends QuadratureActivation {
    @Override
    public String spec() {
        return "Tanh";
    }

    @Override
    public double value(double x) {
        return Math.tanh(x);
    }

    @Override
    public double derivative(double x) {
        double t = Math.exp(-2.0 * Math.abs(x));
        double d = 1.0 + t;
        return 4.0 * t / (d * d);
    }
}
