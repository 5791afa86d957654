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

    @Test
    void asinWithinOneUlpOfStrictMathAndLanesEqualScalars() {
        check(false);
        assertEquals(Math.PI / 2, InverseTrig.asin(1.0), 0.0);
        assertEquals(-Math.PI / 2, InverseTrig.asin(-1.0), 0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(InverseTrig.asin(-0.0)));
    }
}
