package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** InverseTrig against StrictMath (the JDK's independent fdlibm port) and its own scalar twin, bit for bit. */
class InverseTrigTest {

    /** Arguments that probe every branch and edge: uniform, near ±1, ±1/2 and 0 by ulps, and the exact edges. */
    static double[] arguments(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] edges = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, Math.nextDown(0.5), -Math.nextDown(0.5), Math.nextDown(1.0),
            -Math.nextDown(1.0), Double.MIN_VALUE, 1e-300, 0.975, -0.975};
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int i = edges.length; i < n; i++) {
            double sign = r.nextBoolean() ? 1 : -1;
            x[i] = sign * switch (i % 6) {
                case 0 -> 1.0 - r.nextInt(1, 1 << 20) * Math.ulp(0.5); // within a million ulps of 1
                case 1 -> 0.5 + r.nextInt(-1000, 1000) * Math.ulp(0.5);
                case 2 -> Math.scalb(r.nextDouble(), -r.nextInt(1, 60)); // tiny, all scales
                default -> r.nextDouble();
            };
        }
        return x;
    }

    static double ulps(double got, double want) {
        return Math.abs(got - want) / Math.ulp(want);
    }

    private static void check(boolean acos) {
        int n = 1 << 20;
        double[] x = arguments(n, acos ? 11 : 12);
        double[] vec = new double[n];
        if (acos) {
            InverseTrig.acos(x, 1.0, vec, n);
        } else {
            InverseTrig.asin(x, 1.0, vec, n);
        }
        double[] negated = new double[n];
        if (acos) {
            InverseTrig.acos(x, -1.0, negated, n);
        } else {
            InverseTrig.asin(x, -1.0, negated, n);
        }
        double worst = 0;
        int over = 0;
        for (int i = 0; i < n; i++) {
            double scalar = acos ? InverseTrig.acos(x[i]) : InverseTrig.asin(x[i]);
            double want = acos ? StrictMath.acos(x[i]) : StrictMath.asin(x[i]);
            assertEquals(Double.doubleToRawLongBits(scalar), Double.doubleToRawLongBits(vec[i]),
                    "lane and scalar twin differ at x = " + x[i]);
            double minus = acos ? InverseTrig.acos(-x[i]) : InverseTrig.asin(-x[i]);
            assertEquals(Double.doubleToRawLongBits(minus), Double.doubleToRawLongBits(negated[i]), "sign = -1 at " + x[i]);
            double e = want == 0 ? Math.abs(scalar) : ulps(scalar, want);
            worst = Math.max(worst, e);
            if (e > 0.5) {
                over++;
            }
            assertTrue(e <= 1.0, (acos ? "acos(" : "asin(") + x[i] + ") = " + scalar + ", StrictMath " + want);
        }
        System.out.printf("InverseTrig.%s vs StrictMath over %d arguments: worst %.2f ulp, %d differ%n",
                acos ? "acos" : "asin", n, worst, over);
    }

    @Test
    void acosWithinOneUlpOfStrictMathAndLanesEqualScalars() {
        check(true);
        assertEquals(0.0, InverseTrig.acos(1.0), 0.0);
        assertEquals(Math.PI, InverseTrig.acos(-1.0), 0.0);
        assertEquals(Math.PI / 2, InverseTrig.acos(0.0), 0.0);
    }

    /**
     * The division-free arccos of the convolutional planes (a degree-12 polynomial for the ratio, no correction of
     * √z): within 2 ulps of StrictMath on every branch and edge, lanes equal to the scalar twin bit for bit.
     */
    @Test
    void divisionFreeAcosWithinTwoUlpsOfStrictMathAndLanesEqualScalars() {
        int n = 1 << 19;
        double[] x = arguments(n, 13);
        double[] vec = new double[n];
        double[] negated = new double[n];
        InverseTrig.acosPoly(x, 1.0, vec, n);
        InverseTrig.acosPoly(x, -1.0, negated, n);
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double scalar = InverseTrig.acosPoly(x[i]);
            assertEquals(Double.doubleToRawLongBits(scalar), Double.doubleToRawLongBits(vec[i]),
                    "lane and scalar twin differ at x = " + x[i]);
            assertEquals(Double.doubleToRawLongBits(InverseTrig.acosPoly(-x[i])),
                    Double.doubleToRawLongBits(negated[i]), "sign = -1 at " + x[i]);
            double want = StrictMath.acos(x[i]);
            double e = want == 0 ? Math.abs(scalar) : ulps(scalar, want);
            worst = Math.max(worst, e);
            assertTrue(e <= 2.0, "acosPoly(" + x[i] + ") = " + scalar + ", StrictMath " + want);
        }
        System.out.printf("InverseTrig.acosPoly vs StrictMath over %d arguments: worst %.2f ulp%n", n, worst);
        assertEquals(0.0, InverseTrig.acosPoly(1.0), 0.0);
        assertEquals(Math.PI, InverseTrig.acosPoly(-1.0), 0.0);
        assertEquals(Math.PI / 2, InverseTrig.acosPoly(0.0), 0.0);
    }

    @Test
    void asinWithinOneUlpOfStrictMathAndLanesEqualScalars() {
        check(false);
        assertEquals(Math.PI / 2, InverseTrig.asin(1.0), 0.0);
        assertEquals(-Math.PI / 2, InverseTrig.asin(-1.0), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(InverseTrig.asin(-0.0)));
    }
}
