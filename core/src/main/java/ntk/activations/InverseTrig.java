package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * arccos and arcsin on whole arrays, lane by lane, from +, ×, ÷, √ and fma alone, with a scalar twin that performs
 * the very same operations. Why not {@code VectorOperators.ACOS}: its compiled form (Intel SVML) and its interpreted fallback
 * (StrictMath per lane) differ by an ulp, so a kernel's last bit depended on when the JIT compiled the loop, and on
 * CPUs without SVML it runs lane by lane. Here every operation is IEEE-exact in both modes, so vector lanes, scalar
 * tails and interpreted runs agree bit for bit (measured ≤ 1 ulp from StrictMath; see InverseTrigTest).
 *
 * <p>The reductions and the rational approximation asin(x) ≈ x + x·R(x²), R = P/Q of degrees 6/4 on [0, 1/4], are
 * those of fdlibm's e_asin.c/e_acos.c (Sun, 1993; coefficients below), written for lanes: the three argument ranges
 * are all computed and blended, |x| ≥ 1/2 going through z = (1 − |x|)/2, asin(|x|) = π/2 − 2 asin(√z), with √z
 * split into a 21-bit head and a correction so that 2·head is exact.
 */
final class InverseTrig {
    private InverseTrig() {
    }

    private static final double PIO2_HI = 1.57079632679489655800e+00;
    private static final double PIO2_LO = 6.12323399573676603587e-17;
    private static final double PIO4_HI = 7.85398163397448278999e-01;
    private static final double PI = 3.14159265358979311600e+00;
    private static final double P0 = 1.66666666666666657415e-01;
    private static final double P1 = -3.25565818622400915405e-01;
    private static final double P2 = 2.01212532134862925881e-01;
    private static final double P3 = -4.00555345006794114027e-02;
    private static final double P4 = 7.91534994289814532176e-04;
    private static final double P5 = 3.47933107596021167570e-05;
    private static final double Q1 = -2.40339491173441421878e+00;
    private static final double Q2 = 2.02094576023350569471e+00;
    private static final double Q3 = -6.88283971605453293030e-01;
    private static final double Q4 = 7.70381505559019352791e-02;
    /** Keeps the sign, exponent and top 20 mantissa bits: the square of such a head is exact. */
    private static final long HEAD = 0xFFFFFFFF00000000L;

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final long SIGN = Long.MIN_VALUE;

    // ---- arrays: two passes, each a loop compiled on its own (one loop with all lanes exceeds C2's inlining node
    // budget, and the vectors are then boxed on the heap: measured 2x slower and 3x the memory) ----

    /** out[i] = arccos(sign·x[i]) for i &lt; n (sign = ±1; out must not alias x: it holds the first pass). */
    static void acos(double[] x, double sign, double[] out, int n) {
        acos(x, sign, out, n, true);
    }

    /**
     * As {@link #acos(double[], double, double[], int)}; when vector is false every entry goes to the scalar twin
     * (the same bits: for small calls in a fresh JVM, where Vector API code runs interpreted until C2 compiles it).
     */
    static void acos(double[] x, double sign, double[] out, int n, boolean vector) {
        int bound = vector ? S.loopBound(n) : 0;
        ratios(x, sign, out, bound);
        int i = 0;
        for (; i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i).mul(sign);
            DoubleVector r = DoubleVector.fromArray(S, out, i);
            DoubleVector ax = v.abs();
            VectorMask<Double> small = ax.compare(VectorOperators.LT, 0.5);
            VectorMask<Double> posBig = v.compare(VectorOperators.GE, 0.5);
            DoubleVector z = ax.neg().add(1.0).mul(0.5).blend(v.mul(v), small);
            DoubleVector s = z.sqrt();
            DoubleVector df = s.reinterpretAsLongs().and(HEAD).reinterpretAsDoubles();
            DoubleVector c = df.neg().fma(df, z).div(s.add(df).max(Double.MIN_NORMAL));
            DoubleVector m = s.blend(v, small);
            DoubleVector w = r.fma(m, v.broadcast(-PIO2_LO).blend(c, posBig)).add(m.blend(df, posBig));
            DoubleVector b = v.broadcast(-2.0).blend(2.0, posBig).blend(-1.0, small);
            DoubleVector a = v.broadcast(PI).blend(0.0, posBig).blend(PIO2_HI, small);
            w.fma(b, a).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = acos(x[i] * sign);
        }
    }

    /** out[i] = arcsin(sign·x[i]) for i &lt; n (sign = ±1; out must not alias x: it holds the first pass). */
    static void asin(double[] x, double sign, double[] out, int n) {
        asin(x, sign, out, n, true);
    }

    /** As {@link #asin(double[], double, double[], int)}; vector false: scalar twins only (see {@link #acos}). */
    static void asin(double[] x, double sign, double[] out, int n, boolean vector) {
        int bound = vector ? S.loopBound(n) : 0;
        ratios(x, sign, out, bound);
        int i = 0;
        for (; i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i).mul(sign);
            DoubleVector r = DoubleVector.fromArray(S, out, i);
            DoubleVector ax = v.abs();
            VectorMask<Double> small = ax.compare(VectorOperators.LT, 0.5);
            DoubleVector z = ax.neg().add(1.0).mul(0.5).blend(v.mul(v), small);
            DoubleVector s = z.sqrt();
            DoubleVector df = s.reinterpretAsLongs().and(HEAD).reinterpretAsDoubles();
            DoubleVector c = df.neg().fma(df, z).div(s.add(df).max(Double.MIN_NORMAL));
            DoubleVector p = s.mul(2.0).mul(r).sub(c.mul(-2.0).add(PIO2_LO));
            DoubleVector q = df.mul(-2.0).add(PIO4_HI);
            DoubleVector big = p.sub(q).neg().add(PIO4_HI).blend(PIO2_HI, ax.compare(VectorOperators.EQ, 1.0));
            big = big.reinterpretAsLongs().or(v.reinterpretAsLongs().and(SIGN)).reinterpretAsDoubles();
            big.blend(v.fma(r, v), small).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = asin(x[i] * sign);
        }
    }

    /**
     * First pass over the whole vectors of [0, bound) (bound a multiple of the lanes): out[i] = R(z) with z = x² for
     * |x| &lt; 1/2, else (1 − |x|)/2, where asin(t) = t + t·R(t²).
     */
    private static void ratios(double[] x, double sign, double[] out, int bound) {
        for (int i = 0; i < bound; i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i).mul(sign);
            DoubleVector ax = v.abs();
            DoubleVector z = ax.neg().add(1.0).mul(0.5).blend(v.mul(v), ax.compare(VectorOperators.LT, 0.5));
            DoubleVector p = z.fma(P5, P4).fma(z, z.broadcast(P3)).fma(z, z.broadcast(P2)).fma(z, z.broadcast(P1))
                    .fma(z, z.broadcast(P0)).mul(z);
            DoubleVector q = z.fma(Q4, Q3).fma(z, z.broadcast(Q2)).fma(z, z.broadcast(Q1)).fma(z, z.broadcast(1.0));
            p.div(q).intoArray(out, i);
        }
    }

    // ---- without division: a polynomial ratio and no correction of √z (for the convolutional kernels' planes) ----

    /**
     * G(z) = (asin(√z)/√z − 1)/z on [0, 1/4], so that asin(t) = t + t·z·G(z) with z = t²: the Chebyshev interpolant
     * of degree 12 (13 nodes, solved at 60 digits with mpmath, rounded to doubles); |z·(G − exact)| &lt; 6e-18 on
     * [0, 1/4] evaluated exactly, against 1.1e-16 for an ulp of the result (bench/acos_ratio_coefficients.py makes and
     * checks them). Evaluated by Estrin's scheme: four dependent steps instead of twelve.
     */
    private static final double G0 = 0.16666666666666669;
    private static final double G1 = 0.07499999999998433;
    private static final double G2 = 0.04464285714635543;
    private static final double G3 = 0.030381944138531247;
    private static final double G4 = 0.02237217294214989;
    private static final double G5 = 0.017352392720869973;
    private static final double G6 = 0.013971212973552933;
    private static final double G7 = 0.011479177415184906;
    private static final double G8 = 0.01032281435018578;
    private static final double G9 = 0.005457506718640358;
    private static final double G10 = 0.01740087944269402;
    private static final double G11 = -0.014851887071247204;
    private static final double G12 = 0.028757851367421566;

    /**
     * The ratio R = z·G(z) of lane v (the role of {@link #ratios}' P/Q, no division), z = v² for |v| &lt; 1/2, else
     * (1 − |v|)/2.
     */
    static DoubleVector ratioPoly(DoubleVector v) {
        DoubleVector ax = v.abs();
        DoubleVector z = ax.neg().add(1.0).mul(0.5).blend(v.mul(v), ax.compare(VectorOperators.LT, 0.5));
        // Estrin's scheme: four dependent steps instead of twelve
        DoubleVector z2 = z.mul(z);
        DoubleVector z4 = z2.mul(z2);
        DoubleVector b0 = z.fma(G3, G2).fma(z2, z.fma(G1, G0));
        DoubleVector b1 = z.fma(G7, G6).fma(z2, z.fma(G5, G4));
        DoubleVector b2 = z.fma(G11, G10).fma(z2, z.fma(G9, G8));
        DoubleVector c0 = b1.fma(z4, b0);
        DoubleVector c1 = z4.fma(z4.broadcast(G12), b2);
        return c1.fma(z4.mul(z4), c0).mul(z);
    }

    /** The scalar twin of {@link #ratioPoly(DoubleVector)}. */
    static double ratioPoly(double v) {
        double ax = Math.abs(v);
        double z = ax < 0.5 ? v * v : (-ax + 1.0) * 0.5;
        double z2 = z * z;
        double z4 = z2 * z2;
        double b0 = Math.fma(Math.fma(z, G3, G2), z2, Math.fma(z, G1, G0));
        double b1 = Math.fma(Math.fma(z, G7, G6), z2, Math.fma(z, G5, G4));
        double b2 = Math.fma(Math.fma(z, G11, G10), z2, Math.fma(z, G9, G8));
        double c0 = Math.fma(b1, z4, b0);
        double c1 = Math.fma(z4, G12, b2);
        return Math.fma(c1, z4 * z4, c0) * z;
    }

    /**
     * arccos of lane v from its ratio r = {@link #ratioPoly(DoubleVector)}: the lanes of {@link #acos(double[], double,
     * double[], int)} without the head/tail correction of √z (one square root, no division; within 1 ulp of StrictMath
     * on 4 million arguments near every edge, InverseTrigTest asserts 2).
     */
    static DoubleVector acosFromRatio(DoubleVector v, DoubleVector r) {
        DoubleVector ax = v.abs();
        VectorMask<Double> small = ax.compare(VectorOperators.LT, 0.5);
        VectorMask<Double> posBig = v.compare(VectorOperators.GE, 0.5);
        DoubleVector m = ax.neg().add(1.0).mul(0.5).sqrt().blend(v, small);
        DoubleVector w = r.fma(m, v.broadcast(-PIO2_LO).blend(0.0, posBig)).add(m);
        DoubleVector b = v.broadcast(-2.0).blend(2.0, posBig).blend(-1.0, small);
        DoubleVector a = v.broadcast(PI).blend(0.0, posBig).blend(PIO2_HI, small);
        return w.fma(b, a);
    }

    /** The scalar twin of {@link #acosFromRatio(DoubleVector, DoubleVector)}. */
    static double acosFromRatio(double v, double r) {
        double ax = Math.abs(v);
        boolean small = ax < 0.5;
        boolean posBig = v >= 0.5;
        double m = small ? v : Math.sqrt((-ax + 1.0) * 0.5);
        double w = Math.fma(r, m, posBig ? 0.0 : -PIO2_LO) + m;
        double b = small ? -1.0 : posBig ? 2.0 : -2.0;
        double a = small ? PIO2_HI : posBig ? 0.0 : PI;
        return Math.fma(w, b, a);
    }

    /** arccos x, division-free: {@link #acosFromRatio(double, double)} of {@link #ratioPoly(double)}. */
    static double acosPoly(double x) {
        return acosFromRatio(x, ratioPoly(x));
    }

    /**
     * out[i] = arccos(sign·x[i]) by the division-free lanes, in two passes as {@link #acos(double[], double, double[],
     * int)} (out must not alias x).
     */
    static void acosPoly(double[] x, double sign, double[] out, int n) {
        ratiosPoly(x, sign, out, n);
        acosFromRatios(x, sign, out, n);
    }

    /** The first pass of {@link #acosPoly(double[], double, double[], int)}: out[i] = the ratio of sign·x[i]. */
    static void ratiosPoly(double[] x, double sign, double[] out, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            ratioPoly(DoubleVector.fromArray(S, x, i).mul(sign)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = ratioPoly(x[i] * sign);
        }
    }

    /** out[i] = arccos(sign·x[i]) from the ratios out[i] holds on entry. */
    static void acosFromRatios(double[] x, double sign, double[] out, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += S.length()) {
            acosFromRatio(DoubleVector.fromArray(S, x, i).mul(sign), DoubleVector.fromArray(S, out, i)).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = acosFromRatio(x[i] * sign, out[i]);
        }
    }

    // ---- scalars: the same operations in the same order, so a lane and its scalar twin agree bit for bit ----

    private static double ratio(double z) {
        double p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(z, P5, P4), z, P3), z, P2), z, P1), z, P0) * z;
        double q = Math.fma(Math.fma(Math.fma(Math.fma(z, Q4, Q3), z, Q2), z, Q1), z, 1.0);
        return p / q;
    }

    /** arccos x for x in [-1, 1]. */
    static double acos(double x) {
        double ax = Math.abs(x);
        boolean small = ax < 0.5;
        boolean posBig = x >= 0.5;
        double z = small ? x * x : (-ax + 1.0) * 0.5;
        double r = ratio(z);
        double s = Math.sqrt(z);
        double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & HEAD);
        double c = Math.fma(-df, df, z) / Math.max(s + df, Double.MIN_NORMAL);
        double m = small ? x : s;
        double w = Math.fma(r, m, posBig ? c : -PIO2_LO) + (posBig ? df : m);
        // π/2 − w for |x| < 1/2; π − 2w for x ≤ −1/2; 2w for x ≥ 1/2 (w·b is exact, so one rounding as in the fma)
        double b = small ? -1.0 : posBig ? 2.0 : -2.0;
        double a = small ? PIO2_HI : posBig ? 0.0 : PI;
        return Math.fma(w, b, a);
    }

    /** arcsin x for x in [-1, 1]. */
    static double asin(double x) {
        double ax = Math.abs(x);
        boolean small = ax < 0.5;
        double z = small ? x * x : (-ax + 1.0) * 0.5;
        double r = ratio(z);
        if (small) {
            return Math.fma(x, r, x);
        }
        double s = Math.sqrt(z);
        double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & HEAD);
        double c = Math.fma(-df, df, z) / Math.max(s + df, Double.MIN_NORMAL);
        double p = s * 2.0 * r - (c * -2.0 + PIO2_LO);
        double q = df * -2.0 + PIO4_HI;
        double big = ax == 1.0 ? PIO2_HI : PIO4_HI - (p - q);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(big) | (Double.doubleToRawLongBits(x) & SIGN));
    }
}
