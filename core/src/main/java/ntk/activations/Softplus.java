package ntk.activations;


/**
 * log(1 + e^x) computed stably as max(x, 0) + log1p(e^{-|x|}) (the exact function, as jax.nn.softplus;
 * PyTorch's default beta = 1 but its threshold = 20 linearisation is not reproduced); derivative sigmoid(x).
 * Expectations by the Hermite series ({@link HermiteSeries}).
 */
/** φ(x) = log(1 + e^x), by its Hermite series. */
public final class Softplus extends QuadratureActivation {
    /** The activation ({@code Activations.parse("Softplus")} gives the same). */
    public Softplus() {
    }

    @Override
    public String spec() {
        return "Softplus";
    }

    @Override
    public double value(double x) {
        return Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
    }

    @Override
    public double derivative(double x) {
        return Sigmoid.sigmoid(x);
    }

    /** max(x, 0) + log1p(e) and σ(x), with e = e^{−|x|}. Bit-deterministic (StrictMath.log1p); val must not alias x. */
    @Override
    protected void evaluate(double[] x, int n, double[] val, double[] der, boolean vector) {
        Exponentials.expOfScaledAbs(x, -1.0, val, n, vector);
        for (int i = 0; i < n; i++) {
            double e = val[i];
            double d = e + 1.0;
            val[i] = Math.max(x[i], 0.0) + StrictMath.log1p(e);
            if (der != null) {
                der[i] = x[i] >= 0.0 ? 1.0 / d : e / d;
            }
        }
    }
}
