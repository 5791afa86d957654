package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import ntk.BadInputException;

/**
 * x for x &gt; 0, α(e^x - 1) otherwise (PyTorch default α = 1); φ'(0) = α e^0 = α (PyTorch's x &gt; 0 branch is strict).
 * φ'' jumps at 0: its Hermite coefficients decay slowly (the series then stops earlier in ρ and leaves more entries to
 * the kink-aware split quadrature, which splits at 0).
 */
public final class Elu extends QuadratureActivation {
    private final double alpha;

    /** ELU with α = 1 (PyTorch's default). */
    public Elu() {
        this(1.0);
    }

    /**
     * ELU with a given α.
     * @param alpha α &gt; 0
     */
    public Elu(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new BadInputException("Elu alpha must be finite, got " + alpha);
        }
        this.alpha = alpha;
    }

    /**
     * α.
     * @return α
     */
    public double alpha() {
        return alpha;
    }

    @Override
    public String spec() {
        return alpha == 1.0 ? "Elu" : "Elu(" + alpha + ")";
    }

    @Override
    public double value(double x) {
        return x > 0.0 ? x : alpha * Math.expm1(x);
    }

    @Override
    public double derivative(double x) {
        return x > 0.0 ? 1.0 : alpha * Math.exp(x);
    }

    @Override
    public boolean smooth() {
        return false;
    }

    /** x for x &gt; 0, α(e^x − 1) below; φ' = 1 or α((e^x − 1) + 1) (absolute error ~1e-16). Bit-deterministic; val must not alias x. */
    @Override
    protected void evaluate(double[] x, int n, double[] val, double[] der, boolean vector) {
        int i = 0;
        int bound = vector ? ArcCosine.SPECIES.loopBound(n) : 0;
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector.fromArray(ArcCosine.SPECIES, x, i).min(0.0).intoArray(val, i);
        }
        for (; i < n; i++) {
            val[i] = Math.min(x[i], 0.0);
        }
        Exponentials.expm1(val, 0, n, vector);
        i = 0;
        for (; i < bound; i += ArcCosine.SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(ArcCosine.SPECIES, x, i);
            DoubleVector t = DoubleVector.fromArray(ArcCosine.SPECIES, val, i);
            VectorMask<Double> pos = v.compare(VectorOperators.GT, 0.0);
            if (der != null) {
                t.add(1.0).mul(alpha).blend(1.0, pos).intoArray(der, i);
            }
            t.mul(alpha).blend(v, pos).intoArray(val, i);
        }
        for (; i < n; i++) {
            double t = val[i];
            boolean pos = x[i] > 0.0;
            if (der != null) {
                der[i] = pos ? 1.0 : (t + 1.0) * alpha;
            }
            val[i] = pos ? x[i] : t * alpha;
        }
    }

    @Override
    protected boolean hasGaussianSmoothing() {
        return true;
    }

    /**
     * For X ~ N(μ, σ²), t = μ/σ: E[φ'(X)] = Φ(t) + α M and E[φ(X)] = μΦ(t) + σϕ(t) + α(M − Φ(−t)), where
     * M = E[e^X 1{X ≤ 0}] = e^{μ+σ²/2} Φ(−t − σ), written ½ e^{−t²/2} erfcx((t + σ)/√2) when t + σ ≥ 0 (no overflow of
     * e^μ against the underflow of Φ), else e^{μ+σ²/2} − ½ e^{−t²/2} erfcx(−(t + σ)/√2); one e^{−t²/2} serves ϕ(t),
     * Φ(±t) (by {@link SpecialFunctions#normalTail}) and M.
     */
    @Override
    protected void gaussianSmoothing(double[] mu, double sigma, int n, double[] val, double[] der) {
        for (int i = 0; i < n; i++) {
            double m = mu[i];
            double t = m / sigma;
            if (t > 10.0) { // Φ(t) = 1 in double precision; Φ(−t), ϕ(t), M < 1e-22 (left out: below 1e-22 absolute)
                val[i] = m;
                if (der != null) {
                    der[i] = 1.0;
                }
                continue;
            }
            double r = t + sigma;
            if (r < -10.0) { // Φ(−t) = Φ(−r) = 1 in double precision; Φ(t), ϕ(t) < 1e-22 (left out)
                double big = Math.exp(m + 0.5 * sigma * sigma);
                if (der != null) {
                    der[i] = alpha * big;
                }
                val[i] = alpha * (big - 1.0);
                continue;
            }
            // one e^{−t²/2} for ϕ(t), Φ(±t) and M: e^{μ+σ²/2} e^{−r²/2} = e^{−t²/2}
            double e = Math.exp(-0.5 * t * t);
            double tail = SpecialFunctions.normalTail(Math.abs(t), e);
            double cdf = t > 0.0 ? 1.0 - tail : tail;
            double cdfNeg = t > 0.0 ? tail : 1.0 - tail;
            double big = r >= 0.0 ? 0.5 * e * SpecialFunctions.erfcx(r * SpecialFunctions.INV_SQRT2)
                    : Math.exp(m + 0.5 * sigma * sigma) - 0.5 * e * SpecialFunctions.erfcx(-r * SpecialFunctions.INV_SQRT2);
            if (der != null) {
                der[i] = cdf + alpha * big;
            }
            val[i] = m * cdf + sigma * SpecialFunctions.INV_SQRT_2PI * e + alpha * (big - cdfNeg);
        }
    }
}
