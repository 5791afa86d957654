package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * x·sigmoid(x) (a.k.a. swish); derivative σ(x) + x σ(x) σ(-x).
 * Expectations by the Hermite series ({@link HermiteSeries}).
 */
/** φ(x) = x·sigmoid(x), by its Hermite series. */
public final class Silu extends QuadratureActivation {
    /** The activation ({@code Activations.parse("Silu")} gives the same). */
    public Silu() {
    }

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

    /** x·σ(x) and σ + x·e/(1 + e)² = σ + xσ(1 − σ), with e = e^{−|x|} as in Sigmoid. Bit-deterministic; val must not alias x. */
    @Override
    protected void evaluate(double[] x, int n, double[] val, double[] der, boolean vector) {
        Exponentials.expOfScaledAbs(x, -1.0, val, n, vector);
        int i = 0;
        int bound = vector ? ArcCosine.SPECIES.loopBound(n) : 0;
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(ArcCosine.SPECIES, x, i);
            DoubleVector e = DoubleVector.fromArray(ArcCosine.SPECIES, val, i);
            DoubleVector d = e.add(1.0);
            VectorMask<Double> pos = v.compare(VectorOperators.GE, 0.0);
            DoubleVector s = e.div(d).blend(DoubleVector.broadcast(ArcCosine.SPECIES, 1.0).div(d), pos);
            DoubleVector xs = v.mul(s);
            xs.intoArray(val, i);
            if (der != null) {
                v.fma(e.div(d.mul(d)), s).intoArray(der, i); // σ(1 − σ) = e/(1 + e)²: no cancellation in 1 − σ
            }
        }
        for (; i < n; i++) {
            double e = val[i];
            double d = e + 1.0;
            double s = x[i] >= 0.0 ? 1.0 / d : e / d;
            double xs = x[i] * s;
            val[i] = xs;
            if (der != null) {
                der[i] = Math.fma(x[i], e / (d * d), s);
            }
        }
    }
}
