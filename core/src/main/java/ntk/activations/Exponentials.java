package ntk.activations;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x and e^x − 1 on whole arrays from +, ×, fma and exponent bits alone, with scalar twins that perform the same
 * operations in the same order — for the reason {@link InverseTrig} exists: the Vector API's EXP/EXPM1/TANH give
 * different last bits compiled (SVML) and interpreted, so a kernel or a finite network's outputs depended on the JIT's
 * timing. Here lanes, scalar tails and interpreted runs agree bit for bit (ExponentialsTest: exp within 1 ulp and
 * expm1 within 2 ulps of StrictMath).
 *
 * <p>Method: x = k·ln 2 + r with k = rint(x/ln 2) and ln 2 split in two (fdlibm's ln2_hi, ln2_lo), |r| ≤ ln 2/2;
 * e^r − 1 by its Taylor series to r¹⁴/14! (truncation below 4e-18 relative); then e^x = 2^k (1 + (e^r − 1)), the power
 * of two applied as two factors, 2^{clamp(k, ±1000)} (exact) and the rest, so that results near overflow or in the
 * subnormal range round once, and
 * e^x − 1 = 2^k (e^r − 1) + (2^k − 1) in one fma. Arrays may be processed in place.
 */
final class Exponentials {
    private Exponentials() {
    }

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double LOG2E = 1.44269504088896338700e+00;
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2⁵²: adding and subtracting it rounds a double of magnitude below 2⁵¹ to the nearest integer. */
    private static final double SHIFTER = 0x1.8p52;
    /**
     * For an integer-valued double k with |k| &lt; 2⁵¹, the bits of k + SHIFTER are those of SHIFTER plus k (two's
     * complement in the low mantissa bits): adding POW_BIAS = 1023 − bits(SHIFTER) gives k + 1023, the biased exponent
     * of 2^k, with no double-to-long conversion (which AVX2 lacks: the Vector API's D2L then runs in Java, ~20× slower).
     */
    private static final long POW_BIAS = 1023L - Double.doubleToRawLongBits(SHIFTER);
    // 1/n! for n = 2..14 (n! is exact in double, so each is rounded once): e^r − 1 = r(1 + r(1/2! + r(1/3! + …)))
    private static final double F2 = 1.0 / 2;
    private static final double F3 = 1.0 / 6;
    private static final double F4 = 1.0 / 24;
    private static final double F5 = 1.0 / 120;
    private static final double F6 = 1.0 / 720;
    private static final double F7 = 1.0 / 5040;
    private static final double F8 = 1.0 / 40320;
    private static final double F9 = 1.0 / 362880;
    private static final double F10 = 1.0 / 3628800;
    private static final double F11 = 1.0 / 39916800;
    private static final double F12 = 1.0 / 479001600;
    private static final double F13 = 1.0 / 6227020800L;
    private static final double F14 = 1.0 / 87178291200L;

    // ---- arrays: every lane operation written inline (a helper taking vectors is not inlined when the arrays are
    // short, and the vectors are then boxed on the heap: measured 3-6x slower Tanh kernels) ----

    /** a[i] = e^{a[i]} for from ≤ i &lt; to. */
    static void exp(double[] a, int from, int to) {
        exp(a, from, to, true);
    }

    /** As {@link #exp(double[], int, int)}; vector false: the scalar twin throughout (the same bits). */
    static void exp(double[] a, int from, int to, boolean vector) {
        int i = from;
        int bound = vector ? from + S.loopBound(to - from) : from;
        for (; i < bound; i += S.length()) {
            DoubleVector x = DoubleVector.fromArray(S, a, i).max(-746.0).min(710.0);
            DoubleVector k = x.fma(LOG2E, SHIFTER).sub(SHIFTER);
            DoubleVector r = k.neg().fma(x.broadcast(LN2_LO), k.neg().fma(x.broadcast(LN2_HI), x));
            DoubleVector t = r.fma(F14, F13).fma(r, x.broadcast(F12)).fma(r, x.broadcast(F11)).fma(r, x.broadcast(F10))
                    .fma(r, x.broadcast(F9)).fma(r, x.broadcast(F8)).fma(r, x.broadcast(F7)).fma(r, x.broadcast(F6))
                    .fma(r, x.broadcast(F5)).fma(r, x.broadcast(F4)).fma(r, x.broadcast(F3)).fma(r, x.broadcast(F2))
                    .fma(r, x.broadcast(1.0));
            DoubleVector q = t.mul(r).add(1.0);
            DoubleVector kk = k.max(-1000.0).min(1000.0);
            DoubleVector p = kk.add(SHIFTER).reinterpretAsLongs().add(POW_BIAS)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector rest = k.sub(kk).add(SHIFTER).reinterpretAsLongs().add(POW_BIAS)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            q.mul(p).mul(rest).intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = exp(a[i]);
        }
    }

    /** a[i] = e^{a[i]} − 1 for from ≤ i &lt; to. */
    static void expm1(double[] a, int from, int to) {
        expm1(a, from, to, true);
    }

    /** As {@link #expm1(double[], int, int)}; vector false: the scalar twin throughout (the same bits). */
    static void expm1(double[] a, int from, int to, boolean vector) {
        int i = from;
        int bound = vector ? from + S.loopBound(to - from) : from;
        for (; i < bound; i += S.length()) {
            DoubleVector x = DoubleVector.fromArray(S, a, i).max(-45.0).min(710.0);
            DoubleVector k = x.fma(LOG2E, SHIFTER).sub(SHIFTER);
            DoubleVector r = k.neg().fma(x.broadcast(LN2_LO), k.neg().fma(x.broadcast(LN2_HI), x));
            DoubleVector t = r.fma(F14, F13).fma(r, x.broadcast(F12)).fma(r, x.broadcast(F11)).fma(r, x.broadcast(F10))
                    .fma(r, x.broadcast(F9)).fma(r, x.broadcast(F8)).fma(r, x.broadcast(F7)).fma(r, x.broadcast(F6))
                    .fma(r, x.broadcast(F5)).fma(r, x.broadcast(F4)).fma(r, x.broadcast(F3)).fma(r, x.broadcast(F2))
                    .fma(r, x.broadcast(1.0));
            DoubleVector q = t.mul(r);
            DoubleVector kk = k.min(1000.0);
            DoubleVector p = kk.add(SHIFTER).reinterpretAsLongs().add(POW_BIAS)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector rest = k.sub(kk).add(SHIFTER).reinterpretAsLongs().add(POW_BIAS)
                    .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            q.fma(p, p.sub(1.0)).mul(rest).intoArray(a, i);
        }
        for (; i < to; i++) {
            a[i] = expm1(a[i]);
        }
    }

    /** out[i] = e^{c·|x[i]|} for i &lt; n (c ≤ 0; out must not alias x): the first two passes of the smooth activations. */
    static void expOfScaledAbs(double[] x, double c, double[] out, int n) {
        expOfScaledAbs(x, c, out, n, true);
    }

    /**
     * As {@link #expOfScaledAbs(double[], double, double[], int)}; vector false: scalar code only (the same bits), for
     * short arrays in a fresh JVM, where the Vector API runs interpreted and costs ~100× its compiled time.
     */
    static void expOfScaledAbs(double[] x, double c, double[] out, int n, boolean vector) {
        scaledAbs(x, c, out, n, vector);
        exp(out, 0, n, vector);
    }

    /** out[i] = e^{c·|x[i]|} − 1 for i &lt; n (out must not alias x). */
    static void expm1OfScaledAbs(double[] x, double c, double[] out, int n) {
        expm1OfScaledAbs(x, c, out, n, true);
    }

    /** As {@link #expm1OfScaledAbs(double[], double, double[], int)}; vector false: scalar code only (the same bits). */
    static void expm1OfScaledAbs(double[] x, double c, double[] out, int n, boolean vector) {
        scaledAbs(x, c, out, n, vector);
        expm1(out, 0, n, vector);
    }

    private static void scaledAbs(double[] x, double c, double[] out, int n, boolean vector) {
        int i = 0;
        int bound = vector ? S.loopBound(n) : 0;
        for (; i < bound; i += S.length()) {
            DoubleVector.fromArray(S, x, i).abs().mul(c).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = Math.abs(x[i]) * c;
        }
    }

    // ---- scalars: the same operations in the same order ----

    private static double taylorExpm1(double r) {
        double t = Math.fma(r, F14, F13);
        t = Math.fma(t, r, F12);
        t = Math.fma(t, r, F11);
        t = Math.fma(t, r, F10);
        t = Math.fma(t, r, F9);
        t = Math.fma(t, r, F8);
        t = Math.fma(t, r, F7);
        t = Math.fma(t, r, F6);
        t = Math.fma(t, r, F5);
        t = Math.fma(t, r, F4);
        t = Math.fma(t, r, F3);
        t = Math.fma(t, r, F2);
        t = Math.fma(t, r, 1.0);
        return t * r;
    }

    private static double power(long k) {
        return Double.longBitsToDouble((k + 1023L) << 52);
    }

    /** e^x; bit-identical to a lane of {@link #exp(double[], int, int)}. */
    static double exp(double x) {
        x = Math.min(Math.max(x, -746.0), 710.0);
        double k = Math.fma(x, LOG2E, SHIFTER) - SHIFTER;
        double r = Math.fma(-k, LN2_LO, Math.fma(-k, LN2_HI, x));
        double q = taylorExpm1(r) + 1.0;
        double kk = Math.min(Math.max(k, -1000.0), 1000.0);
        return q * power((long) kk) * power((long) (k - kk));
    }

    /** e^x − 1; bit-identical to a lane of {@link #expm1(double[], int, int)}. */
    static double expm1(double x) {
        x = Math.min(Math.max(x, -45.0), 710.0);
        double k = Math.fma(x, LOG2E, SHIFTER) - SHIFTER;
        double r = Math.fma(-k, LN2_LO, Math.fma(-k, LN2_HI, x));
        double q = taylorExpm1(r);
        double kk = Math.min(k, 1000.0);
        double p = power((long) kk);
        return Math.fma(q, p, p - 1.0) * power((long) (k - kk));
    }
}
