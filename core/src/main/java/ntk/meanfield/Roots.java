package ntk.meanfield;

import java.util.function.DoubleUnaryOperator;

/** Brent's method (Brent 1973, ch. 4) on a bracket where f changes sign. */
final class Roots {
    private Roots() {
    }

    /** A root of f in [a, b] given f(a)·f(b) ≤ 0, to absolute x-tolerance tol (plus 4 ulp). */
    static double brent(DoubleUnaryOperator f, double a, double b, double tol) {
        double fa = f.applyAsDouble(a);
        double fb = f.applyAsDouble(b);
        if (fa == 0) {
            return a;
        }
        if (fb == 0) {
            return b;
        }
        if (Math.signum(fa) == Math.signum(fb)) {
            throw new IllegalArgumentException("no sign change on [" + a + ", " + b + "]");
        }
        double c = a;
        double fc = fa;
        double d = b - a;
        double e = d;
        for (int it = 0; it < 200; it++) {
            if (Math.signum(fb) == Math.signum(fc)) {
                c = a;
                fc = fa;
                d = b - a;
                e = d;
            }
            if (Math.abs(fc) < Math.abs(fb)) {
                a = b;
                b = c;
                c = a;
                fa = fb;
                fb = fc;
                fc = fa;
            }
            double tol1 = 4 * Math.ulp(b) + 0.5 * tol;
            double m = 0.5 * (c - b);
            if (Math.abs(m) <= tol1 || fb == 0) {
                return b;
            }
            if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
                double s = fb / fa;
                double p;
                double q;
                if (a == c) {
                    p = 2 * m * s;
                    q = 1 - s;
                } else {
                    double qq = fa / fc;
                    double r = fb / fc;
                    p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
                    q = (qq - 1) * (r - 1) * (s - 1);
                }
                if (p > 0) {
                    q = -q;
                } else {
                    p = -p;
                }
                if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
                    e = d;
                    d = p / q;
                } else {
                    d = m;
                    e = d;
                }
            } else {
                d = m;
                e = d;
            }
            a = b;
            fa = fb;
            b += Math.abs(d) > tol1 ? d : Math.copySign(tol1, m);
            fb = f.applyAsDouble(b);
        }
        return b;
    }
}
