package ntk.activations;

/**
 * erf, erfc and the standard normal distribution to full double precision.
 *
 * <p>erf/erfc follow W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Math. Comp. 23 (1969) 631-637, with the coefficients of his SPECFUN routine CALERF
 * (three ranges: |x| &lt;= 0.46875, 0.46875 &lt; |x| &lt;= 4, |x| &gt; 4). The factor exp(-x^2) is
 * evaluated as exp(-r^2) exp(-(x-r)(x+r)) with r = x rounded down to 1/16, which keeps
 * erfc relatively accurate deep in the tail.
 */
public final class SpecialFunctions {
    private SpecialFunctions() {
    }

    private static final double THRESH = 0.46875;
    private static final double XBIG = 26.543;
    private static final double SQRPI = 5.6418958354775628695e-1; // 1/sqrt(pi)

    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02,
        3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02,
        1.28261652607737228e03, 2.84423683343917062e03};
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00,
        6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02,
        1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
        2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02,
        5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03,
        4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03};
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1,
        1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4,
        1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346725e00,
        5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3};

    /** 1/sqrt(2). */
    public static final double INV_SQRT2 = 0.70710678118654752440;
    /** 1/sqrt(2 pi). */
    public static final double INV_SQRT_2PI = 0.39894228040143267794;

    /** erf(x) for |x| <= 0.46875 (Cody's first range). */
    private static double erfSmall(double x) {
        double y = Math.abs(x);
        double ysq = y > 1.11e-16 ? x * x : 0.0;
        double xnum = A[4] * ysq;
        double xden = ysq;
        for (int i = 0; i < 3; i++) {
            xnum = (xnum + A[i]) * ysq;
            xden = (xden + B[i]) * ysq;
        }
        return x * (xnum + A[3]) / (xden + B[3]);
    }

    /** erfc(y) for y > 0.46875 (Cody's second and third ranges). */
    private static double erfcLarge(double y) {
        if (y >= XBIG) {
            return 0.0;
        }
        double result = erfcxLarge(y);
        double r = Math.floor(y * 16.0) / 16.0;
        double del = (y - r) * (y + r);
        return Math.exp(-r * r) * Math.exp(-del) * result;
    }

    /** The scaled complement e^{y²} erfc(y) for y > 0.46875 (Cody's rational approximations before the e^{−y²} factor). */
    private static double erfcxLarge(double y) {
        double result;
        if (y <= 4.0) {
            double xnum = C[8] * y;
            double xden = y;
            for (int i = 0; i < 7; i++) {
                xnum = (xnum + C[i]) * y;
                xden = (xden + D[i]) * y;
            }
            result = (xnum + C[7]) / (xden + D[7]);
        } else {
            double ysq = 1.0 / (y * y);
            double xnum = P[5] * ysq;
            double xden = ysq;
            for (int i = 0; i < 4; i++) {
                xnum = (xnum + P[i]) * ysq;
                xden = (xden + Q[i]) * ysq;
            }
            result = ysq * (xnum + P[4]) / (xden + Q[4]);
            result = (SQRPI - result) / y;
        }
        return result;
    }

    /** The scaled complementary error function e^{x²} erfc(x) for x ≥ 0 (no underflow for large x: ≈ 1/(x√π)). */
    static double erfcx(double x) {
        return x <= THRESH ? Math.exp(x * x) * (1.0 - erfSmall(x)) : erfcxLarge(x);
    }

    /**
     * The normal upper tail Φ(−a) for a ≥ 0, given e = e^{−a²/2} (which the caller has for the density too): one
     * rational function, no exponential (Cody's erfc without its e^{−a²/2} factor, or 1 − erf near 0).
     */
    static double normalTail(double a, double e) {
        double y = a * INV_SQRT2;
        return y <= THRESH ? 0.5 * (1.0 - erfSmall(y)) : 0.5 * e * erfcxLarge(y);
    }

    /** The error function erf(x) = 2/sqrt(pi) int_0^x e^{-t^2} dt. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double y = Math.abs(x);
        if (y <= THRESH) {
            return erfSmall(x);
        }
        double r = (0.5 - erfcLarge(y)) + 0.5;
        return x < 0 ? -r : r;
    }

    /** The complementary error function erfc(x) = 1 - erf(x), relatively accurate for large x. */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double y = Math.abs(x);
        if (y <= THRESH) {
            return 1.0 - erfSmall(x);
        }
        double r = erfcLarge(y);
        return x < 0 ? 2.0 - r : r;
    }

    /** Standard normal CDF Φ(x) = erfc(-x/√2)/2 (relatively accurate in the lower tail). */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT2);
    }

    /** Standard normal density e^{-x²/2}/√(2π). */
    public static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }
}
