package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Exponentials against StrictMath (the JDK's fdlibm port, an independent implementation) and against their own scalar
 * twins bit for bit; and the activations built on them against their scalar definitions.
 */
class ExponentialsTest {

    static double[] arguments(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] edges = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, 1e-17, -1e-17, 0.34657359, -0.34657359, 1.0, -1.0,
            709.78, 709.782712893384, 710.0, -745.0, -745.1332191019412, -708.4, -720.0, -44.9, -45.0, -46.0, 36.0,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int i = edges.length; i < n; i++) {
            x[i] = switch (i % 5) {
                case 0 -> r.nextDouble(-1, 1);
                case 1 -> r.nextDouble(-50, 50);
                case 2 -> r.nextDouble(-745, 709.7);
                case 3 -> Math.scalb(r.nextDouble(-1, 1), -r.nextInt(1, 60));
                default -> r.nextDouble(-5, 5);
            };
        }
        return x;
    }

    static double ulps(double got, double want) {
        if (got == want) {
            return 0;
        }
        return Math.abs(got - want) / Math.ulp(want);
    }

    private static void check(boolean expm1, double maxUlps) {
        int n = (1 << 20) + 3; // a scalar tail too
        double[] x = arguments(n, expm1 ? 3 : 4);
        double[] a = x.clone();
        if (expm1) {
            Exponentials.expm1(a, 0, n);
        } else {
            Exponentials.exp(a, 0, n);
        }
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double twin = expm1 ? Exponentials.expm1(x[i]) : Exponentials.exp(x[i]);
            assertEquals(Double.doubleToRawLongBits(twin), Double.doubleToRawLongBits(a[i]), "lane vs twin at " + x[i]);
            double want = expm1 ? StrictMath.expm1(x[i]) : StrictMath.exp(x[i]);
            double e = Double.isInfinite(want) || want == 0 ? (a[i] == want ? 0 : Double.POSITIVE_INFINITY)
                    : Math.abs(want) < Double.MIN_NORMAL ? Math.abs(a[i] - want) / Double.MIN_VALUE : ulps(a[i], want);
            worst = Math.max(worst, e);
            assertTrue(e <= maxUlps, (expm1 ? "expm1(" : "exp(") + x[i] + ") = " + a[i] + ", StrictMath " + want);
        }
        System.out.printf("Exponentials.%s vs StrictMath over %d arguments: worst %.2f ulp%n", expm1 ? "expm1" : "exp",
                n, worst);
    }

    @Test
    void expWithinOneUlpOfStrictMathAndLanesEqualTwins() {
        check(false, 1.0);
        double[] nan = {Double.NaN};
        Exponentials.exp(nan, 0, 1);
        assertTrue(Double.isNaN(nan[0]));
    }

    /**
     * Within 3 ulps of StrictMath, which is itself only within 1 ulp: at x = −0.8937544938554609 StrictMath gives
     * …843 and Exponentials …841, the correctly rounded value of −0.59088316101918419429… (40-digit mpmath, offline).
     */
    @Test
    void expm1WithinThreeUlpsOfStrictMathAndLanesEqualTwins() {
        check(true, 3.0);
        assertEquals(-0.5908831610191841, Exponentials.expm1(-0.8937544938554609), 0.0);
    }

    /**
     * The bulk evaluations now built on Exponentials, against the plain scalar definitions (StrictMath) — values and
     * derivatives of Tanh, Sigmoid, Silu, Elu, Softplus — in vector lanes and the tail.
     */
    @Test
    void activationsBuiltOnThemMatchTheirDefinitions() {
        int n = 1003;
        double[] x = new double[n];
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? r.nextDouble(-40, 40) : i % 3 == 1 ? r.nextDouble(-3, 3) : Math.scalb(r.nextDouble(-1, 1), -30);
        }
        for (Activation act : new Activation[] {new Tanh(), new Sigmoid(), new Silu(), new Elu(1.0), new Elu(0.5),
            new Softplus()}) {
            double[] v = new double[n];
            double[] d = new double[n];
            act.evaluate(x, n, v, d);
            double[] again = new double[n];
            act.evaluate(x, n, again, null);
            for (int i = 0; i < n; i++) {
                double xi = x[i];
                double sig = 1 / (1 + StrictMath.exp(-xi));
                double em = StrictMath.exp(-Math.abs(xi));
                double dsig = em / ((1 + em) * (1 + em)); // σ(1 − σ) without the cancellation of 1 − σ
                double[] want = switch (act.spec()) {
                    case "Tanh" -> {
                        double e = StrictMath.exp(-2 * Math.abs(xi)); // sech² = 4e/(1 + e)², no cancellation
                        yield new double[] {StrictMath.tanh(xi), 4 * e / ((1 + e) * (1 + e))};
                    }
                    case "Sigmoid" -> new double[] {sig, dsig};
                    case "Silu" -> new double[] {xi * sig, sig + xi * dsig};
                    case "Softplus" -> new double[] {Math.max(xi, 0) + StrictMath.log1p(em), sig};
                    default -> {
                        double alpha = act.spec().equals("Elu") ? 1.0 : 0.5;
                        yield new double[] {xi > 0 ? xi : alpha * StrictMath.expm1(xi), xi > 0 ? 1 : alpha * StrictMath.exp(xi)};
                    }
                };
                assertEquals(want[0], v[i], 4e-16 * Math.abs(want[0]) + 1e-300, act.spec() + " value at " + xi);
                // Silu's σ + xσ(1 − σ) cancels near x ≈ −1.28: measure its error against the size of the terms
                double size = act.spec().equals("Silu") ? sig + Math.abs(xi * dsig) : Math.abs(want[1]);
                // Tanh and Elu derive φ' from the one e^y − 1 they computed: absolute accuracy ~1e-16 in the tails
                double floor = act.spec().startsWith("Tanh") || act.spec().startsWith("Elu") ? 3e-16 : 1e-300;
                assertEquals(want[1], d[i], 6e-16 * size + floor, act.spec() + " derivative at " + xi);
                assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(again[i]), "with or without der");
            }
        }
    }
}
