package ntk.activations;

/** Logistic 1/(1+e^{-x}), evaluated without overflow; derivative e^{-|x|}/(1+e^{-|x|})². Expectations by Gauss–Hermite quadrature. */
public final class Sigmoid extends QuadratureActivation {
    @Override
    public String spec() {
        return "Sigmoid";
    }

    static double sigmoid(double x) {
        if (x >= 0.0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    public double value(double x) {
        return sigmoid(x);
    }

    @Override
    public double derivative(double x) {
        double t = Math.exp(-Math.abs(x));
        double d = 1.0 + t;
        return t / (d * d);
    }
}
