package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Logistic 1/(1+e^{-x}), evaluated without overflow; derivative e^{-|x|}/(1+e^{-|x|})².
 * Expectations by the Hermite series ({@link HermiteSeries}).
 */
/** The logistic function 1/(1 + e^{−x}), by its Hermite series. */
public final class Sigmoid extends QuadratureActivation {
    /** The activation ({@code Activations.parse("Sigmoid")} gives the same). */
    public Sigmoid() {
    }

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

    /** With e = e^{−|x|}: σ = 1/(1 + e) for x ≥ 0, e/(1 + e) below; σ' = e/(1 + e)². Bit-deterministic; val must not alias x. */
    @Override
    protected void evaluate(double[] x, int n, double[] val, double[] der, boolean vector) {
        Exponentials.expOfScaledAbs(x, -1.0, val, n, vector);
        int i = 0;
        int bound = vector ? ArcCosine.SPECIES.loopBound(n) : 0;
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector e = DoubleVector.fromArray(ArcCosine.SPECIES, val, i);
            DoubleVector d = e.add(1.0);
            VectorMask<Double> pos = DoubleVector.fromArray(ArcCosine.SPECIES, x, i).compare(VectorOperators.GE, 0.0);
            e.div(d).blend(DoubleVector.broadcast(ArcCosine.SPECIES, 1.0).div(d), pos).intoArray(val, i);
            if (der != null) {
                e.div(d.mul(d)).intoArray(der, i);
            }
        }
        for (; i < n; i++) {
            double e = val[i];
            double d = e + 1.0;
            val[i] = x[i] >= 0.0 ? 1.0 / d : e / d;
            if (der != null) {
                der[i] = e / (d * d);
            }
        }
    }
}
