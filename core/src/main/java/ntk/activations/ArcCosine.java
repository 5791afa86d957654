package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised closed forms for the piecewise-linear family φ = relu(u) - α relu(-u) (Relu α = 0, Abs α = -1).
 * Notation: ρ = s12/√(q1 q2) clamped to [-1, 1] (ρ = 0 when q1 q2 ≤ 0), θ = arccos ρ.
 */
final class ArcCosine {
    private ArcCosine() {
    }

    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final double INV_2PI = 1.0 / (2.0 * Math.PI);

    /**
     * Relu, arc-cosine kernel of degree 1 and 0 (Cho &amp; Saul 2009, eq. 6):
     * E[φφ] = √(q1q2)/(2π)(sin θ + (π-θ)ρ), E[φ'φ'] = (π-θ)/(2π), with π - θ evaluated as arccos(-ρ).
     */
    static void relu(double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        int i = 0;
        int bound = SPECIES.loopBound(n);
        if (outDphi != null) {
            for (; i < bound; i += SPECIES.length()) {
                DoubleVector a = DoubleVector.fromArray(SPECIES, q1, i);
                DoubleVector b = DoubleVector.fromArray(SPECIES, q2, i);
                DoubleVector c = DoubleVector.fromArray(SPECIES, s12, i);
                DoubleVector prod = a.mul(b);
                DoubleVector sq = prod.sqrt();
                VectorMask<Double> degenerate = prod.compare(VectorOperators.LE, 0.0);
                DoubleVector rho = c.div(sq).blend(0L, degenerate).max(-1.0).min(1.0);
                DoubleVector psi = rho.neg().lanewise(VectorOperators.ACOS);
                DoubleVector sin = rho.neg().add(1.0).mul(rho.add(1.0)).sqrt();
                rho.fma(psi, sin).mul(sq).mul(INV_2PI).intoArray(outPhi, i);
                psi.mul(INV_2PI).intoArray(outDphi, i);
            }
        } else {
            for (; i < bound; i += SPECIES.length()) {
                DoubleVector a = DoubleVector.fromArray(SPECIES, q1, i);
                DoubleVector b = DoubleVector.fromArray(SPECIES, q2, i);
                DoubleVector c = DoubleVector.fromArray(SPECIES, s12, i);
                DoubleVector prod = a.mul(b);
                DoubleVector sq = prod.sqrt();
                VectorMask<Double> degenerate = prod.compare(VectorOperators.LE, 0.0);
                DoubleVector rho = c.div(sq).blend(0L, degenerate).max(-1.0).min(1.0);
                DoubleVector psi = rho.neg().lanewise(VectorOperators.ACOS);
                DoubleVector sin = rho.neg().add(1.0).mul(rho.add(1.0)).sqrt();
                rho.fma(psi, sin).mul(sq).mul(INV_2PI).intoArray(outPhi, i);
            }
        }
        for (; i < n; i++) {
            double prod = q1[i] * q2[i];
            double sq = Math.sqrt(prod);
            double rho = prod > 0.0 ? Math.max(-1.0, Math.min(1.0, s12[i] / sq)) : 0.0;
            double psi = Math.acos(-rho);
            double sin = Math.sqrt((1.0 - rho) * (1.0 + rho));
            outPhi[i] = Math.fma(rho, psi, sin) * sq * INV_2PI;
            if (outDphi != null) {
                outDphi[i] = psi * INV_2PI;
            }
        }
    }

    /**
     * φ = relu(u) - α relu(-u), by expanding into four arc-cosine terms (Cho &amp; Saul 2009, eq. 6, with
     * E[relu(u)relu(-v)] = √(q1q2)/(2π)(sin θ - θρ)). Using π - θ = π/2 + asin ρ this is
     * E[φ'φ'] = K = (1+α)²/4 + (1-α)² asin(ρ)/(2π), E[φφ] = √(q1q2) ((1-α)² sin θ/(2π) + ρ K).
     */
    static void leaky(double alpha, double[] q1, double[] q2, double[] s12, int n, double[] outPhi, double[] outDphi) {
        double c0 = 0.25 * (1.0 + alpha) * (1.0 + alpha);
        double c1 = (1.0 - alpha) * (1.0 - alpha) * INV_2PI;
        int i = 0;
        int bound = SPECIES.loopBound(n);
        for (; i < bound; i += SPECIES.length()) {
            DoubleVector a = DoubleVector.fromArray(SPECIES, q1, i);
            DoubleVector b = DoubleVector.fromArray(SPECIES, q2, i);
            DoubleVector c = DoubleVector.fromArray(SPECIES, s12, i);
            DoubleVector prod = a.mul(b);
            DoubleVector sq = prod.sqrt();
            VectorMask<Double> degenerate = prod.compare(VectorOperators.LE, 0.0);
            DoubleVector rho = c.div(sq).blend(0L, degenerate).max(-1.0).min(1.0);
            DoubleVector k = rho.lanewise(VectorOperators.ASIN).fma(c1, c0);
            DoubleVector sin = rho.neg().add(1.0).mul(rho.add(1.0)).sqrt();
            rho.mul(k).add(sin.mul(c1)).mul(sq).intoArray(outPhi, i);
            if (outDphi != null) {
                k.intoArray(outDphi, i);
            }
        }
        for (; i < n; i++) {
            double prod = q1[i] * q2[i];
            double sq = Math.sqrt(prod);
            double rho = prod > 0.0 ? Math.max(-1.0, Math.min(1.0, s12[i] / sq)) : 0.0;
            double k = Math.fma(Math.asin(rho), c1, c0);
            double sin = Math.sqrt((1.0 - rho) * (1.0 + rho));
            outPhi[i] = (rho * k + sin * c1) * sq;
            if (outDphi != null) {
                outDphi[i] = k;
            }
        }
    }
}
