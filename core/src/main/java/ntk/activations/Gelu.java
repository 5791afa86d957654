package ntk.activations;

/** Exact GELU x·Φ(x), Φ(x) = erfc(-x/√2)/2 (PyTorch's default approximate='none'); derivative Φ(x) + x e^{-x²/2}/√(2π). */
public final class Gelu extends QuadratureActivation {
    @Override
    public String spec() {
        return "Gelu";
    }

    @Override
    public double value(double x) {
        return x * SpecialFunctions.normalCdf(x);
    }

    @Override
    public double derivative(double x) {
        return SpecialFunctions.normalCdf(x) + x * SpecialFunctions.normalPdf(x);
    }

    /** As {@link #value} and {@link #derivative} (the same bits), with one Φ(x) per point for both. */
    @Override
    public void evaluate(double[] x, int n, double[] val, double[] der) {
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double c = SpecialFunctions.normalCdf(xi);
            val[i] = xi * c;
            if (der != null) {
                der[i] = c + xi * SpecialFunctions.normalPdf(xi);
            }
        }
    }
}
