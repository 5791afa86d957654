package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

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

    /** Vectorised: σ = 1/(1 + e^{-x}) with SVML exp, φ' = σ(1 - σ). */
    @Override
    public void evaluate(double[] x, int n, double[] val, double[] der) {
        int i = 0;
        int bound = ArcCosine.SPECIES.loopBound(n);
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(ArcCosine.SPECIES, x, i);
            DoubleVector s = v.neg().lanewise(VectorOperators.EXP).add(1.0);
            s = DoubleVector.broadcast(ArcCosine.SPECIES, 1.0).div(s);
            s.intoArray(val, i);
            if (der != null) {
                s.mul(s.neg().add(1.0)).intoArray(der, i);
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
