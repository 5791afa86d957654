package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

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

    /** Vectorised: x σ(x) and σ + x σ (1 - σ) with σ = 1/(1 + e^{-x}) by SVML exp. */
    @Override
    public void evaluate(double[] x, int n, double[] val, double[] der) {
        int i = 0;
        int bound = ArcCosine.SPECIES.loopBound(n);
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(ArcCosine.SPECIES, x, i);
            DoubleVector s = DoubleVector.broadcast(ArcCosine.SPECIES, 1.0).div(v.neg().lanewise(VectorOperators.EXP).add(1.0));
            DoubleVector xs = v.mul(s);
            xs.intoArray(val, i);
            if (der != null) {
                xs.fma(s.neg().add(1.0), s).intoArray(der, i);
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
