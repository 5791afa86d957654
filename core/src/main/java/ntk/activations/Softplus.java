package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * log(1 + e^x) computed stably as max(x, 0) + log1p(e^{-|x|}) (the exact function, as jax.nn.softplus;
 * PyTorch's default beta = 1 but its threshold = 20 linearisation is not reproduced); derivative sigmoid(x).
 * Expectations by Gauss–Hermite quadrature.
 */
public final class Softplus extends QuadratureActivation {
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

    /** Vectorised: max(x, 0) + log1p(e^{-|x|}) and σ(x) with SVML exp/log1p. */
    @Override
    public void evaluate(double[] x, int n, double[] val, double[] der) {
        int i = 0;
        int bound = ArcCosine.SPECIES.loopBound(n);
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(ArcCosine.SPECIES, x, i);
            v.max(0.0).add(v.abs().neg().lanewise(VectorOperators.EXP).lanewise(VectorOperators.LOG1P)).intoArray(val, i);
            if (der != null) {
                DoubleVector.broadcast(ArcCosine.SPECIES, 1.0).div(v.neg().lanewise(VectorOperators.EXP).add(1.0)).intoArray(der, i);
            }
        }
        for (; i < n; i++) {
            val[i] = value(x[i]);
            if (der != null) {
                der[i] = derivative(x[i]);
            }
        }
    }
}
