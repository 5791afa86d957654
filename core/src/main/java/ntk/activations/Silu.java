package ntk.activations;

/** x·sigmoid(x) (a.k.a. swish); derivative σ(x) + x σ(x) σ(-x). Expectations by Gauss–Hermite quadrature. */
public final class Silu extends QuadratureActivation {
    @Override
    public String spec() {
        return "Silu";
    }

    @Override
    public double value(double x) {
        return x * Sigmoid.sigmoid(x);
    }

    @Override
    public double derivative(double x) {
        double s = Sigmoid.sigmoid(x);
        return s + x * s * Sigmoid.sigmoid(-x);
    }
}
