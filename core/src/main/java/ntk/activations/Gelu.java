package ntk.activations;

/** Exact GELU x·Φ(x), Φ(x) = erfc(-x/√2)/2 (PyTorch's default approximate='none'); derivative Φ(x) + x e^{-x²/2}/√(2π). */
/** φ(x) = x·Φ(x), the exact GELU (PyTorch's default), by its Hermite series. */
public final class Gelu extends QuadratureActivation {
    /** The activation ({@code Activations.parse("Gelu")} gives the same). */
    public Gelu() {
    }

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
    protected void evaluate(double[] x, int n, double[] val, double[] der, boolean vector) {
        for (int i = 0; i < n; i++) {
            double xi = x[i];
            double c = SpecialFunctions.normalCdf(xi);
            val[i] = xi * c;
            if (der != null) {
                der[i] = c + xi * SpecialFunctions.normalPdf(xi);
            }
        }
    }

    @Override
    protected boolean hasGaussianSmoothing() {
        return true;
    }

    /**
     * For X ~ N(μ, σ²), s = √(1 + σ²): E[Φ(X)] = Φ(μ/s) and, by Stein's lemma, E[XΦ(X)] = μΦ(μ/s) + σ²ϕ(μ/s)/s and
     * E[Xϕ(X)] = μϕ(μ/s)/s³; φ = xΦ(x), φ' = Φ(x) + xϕ(x).
     */
    @Override
    protected void gaussianSmoothing(double[] mu, double sigma, int n, double[] val, double[] der) {
        double s2 = Math.fma(sigma, sigma, 1.0);
        double s = Math.sqrt(s2);
        for (int i = 0; i < n; i++) {
            double m = mu[i];
            double t = m / s;
            double e = Math.exp(-0.5 * t * t);
            double tail = SpecialFunctions.normalTail(Math.abs(t), e);
            double cdf = t > 0.0 ? 1.0 - tail : tail;
            double pdf = SpecialFunctions.INV_SQRT_2PI * e;
            if (der != null) {
                der[i] = cdf + m * pdf / (s2 * s);
            }
            val[i] = m * cdf + sigma * sigma * pdf / s;
        }
    }
}
