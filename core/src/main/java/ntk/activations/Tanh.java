package ntk.activations;

import jdk.incubator.vector.DoubleVector;

/**
 * tanh(x); derivative sech²(x) = 4e^{-2|x|}/(1+e^{-2|x|})² (relatively accurate in the tails). Expectations by the
 * Hermite series ({@link HermiteSeries}).
 */
/** φ(x) = tanh(x), by its Hermite series. */
public final class Tanh extends QuadratureActivation {
    /** The activation ({@code Activations.parse("Tanh")} gives the same). */
    public Tanh() {
    }

    @Override
    public String spec() {
        return "Tanh";
    }

    @Override
    public double value(double x) {
        return Math.tanh(x);
    }

    @Override
    public double derivative(double x) {
        double t = Math.exp(-2.0 * Math.abs(x));
        double d = 1.0 + t;
        return 4.0 * t / (d * d);
    }

    /**
     * tanh|x| = −t/(t + 2) with t = e^{−2|x|} − 1 (no overflow; relative accuracy near 0), the sign copied from x;
     * φ' = sech² x = 4(t + 1)/(t + 2)² from the same t (absolute error ~1e-16 in the far tails, as 1 − tanh² has; one
     * exponential pass instead of two). Deterministic to the bit (Exponentials); val must not alias x.
     */
    @Override
    protected void evaluate(double[] x, int n, double[] val, double[] der, boolean vector) {
        Exponentials.expm1OfScaledAbs(x, -2.0, val, n, vector);
        int i = 0;
        int bound = vector ? ArcCosine.SPECIES.loopBound(n) : 0;
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector t = DoubleVector.fromArray(ArcCosine.SPECIES, val, i);
            DoubleVector d = t.add(2.0);
            if (der != null) {
                t.add(1.0).mul(4.0).div(d.mul(d)).intoArray(der, i);
            }
            // (0 − t)/d ≥ +0 (−t would give −0 at x = ±0, which the sign's OR could not clear): then x's sign
            DoubleVector.zero(ArcCosine.SPECIES).sub(t).div(d).reinterpretAsLongs()
                    .or(DoubleVector.fromArray(ArcCosine.SPECIES, x, i).reinterpretAsLongs().and(Long.MIN_VALUE))
                    .reinterpretAsDoubles().intoArray(val, i);
        }
        for (; i < n; i++) {
            double t = val[i];
            double d = t + 2.0;
            if (der != null) {
                der[i] = (t + 1.0) * 4.0 / (d * d);
            }
            val[i] = Math.copySign(-t / d, x[i]);
        }
    }
}
