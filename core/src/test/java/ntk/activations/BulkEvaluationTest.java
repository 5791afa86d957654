package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The smooth activations' bulk evaluation (φ and φ' over an array): the Vector API path and its scalar twin (used to
 * build the Hermite tables in a fresh JVM) give the same bits, and both agree with φ and φ' written independently
 * from their definitions with the JDK's StrictMath (fdlibm) and, for Gelu's Φ, 60-digit decimals.
 */
class BulkEvaluationTest {
    record Case(QuadratureActivation act, DoubleUnaryOperator phi, DoubleUnaryOperator dphi) {
    }

    private static double sigmoid(double x) {
        return 1.0 / (1.0 + StrictMath.exp(-x));
    }

    private static final MathContext MC = new MathContext(60);
    private static final BigDecimal PI = new BigDecimal("3.14159265358979323846264338327950288419716939937510582097"
            + "494459230781640628620899862803482534211706798214808651");

    /**
     * Φ(x) = (1 + erf(x/√2))/2, erf by its Maclaurin series in 60-digit decimals (exact to the double for |x| ≤ 12,
     * where the series' largest terms reach ~1e31), Laplace's continued fraction beyond: independent of ntk's
     * SpecialFunctions.
     */
    private static final java.util.Map<Double, Double> CDF = new java.util.concurrent.ConcurrentHashMap<>();

    private static double normalCdf(double x) {
        return CDF.computeIfAbsent(x, BulkEvaluationTest::normalCdfOnce);
    }

    private static double normalCdfOnce(double x) {
        if (Math.abs(x) > 12) { // the tails: Laplace's continued fraction ϕ(x)/(a + 1/(a + 2/(a + 3/(a + …)))), a = |x|
            double a = Math.abs(x);
            double f = 0;
            for (int k = 200; k >= 1; k--) {
                f = k / (a + f);
            }
            double tail = StrictMath.exp(-a * a / 2) / StrictMath.sqrt(2 * StrictMath.PI) / (a + f);
            return x > 0 ? 1.0 - tail : tail;
        }
        BigDecimal a = new BigDecimal(x).divide(new BigDecimal(2).sqrt(MC), MC);
        BigDecimal a2 = a.multiply(a, MC).negate();
        BigDecimal term = a;
        BigDecimal sum = a;
        BigDecimal small = new BigDecimal("1e-40");
        for (int k = 1; term.abs().compareTo(small) > 0; k++) {
            term = term.multiply(a2, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * k + 1), MC), MC);
        }
        BigDecimal erf = sum.multiply(new BigDecimal(2), MC).divide(PI.sqrt(MC), MC);
        return BigDecimal.ONE.add(erf, MC).divide(new BigDecimal(2), MC).doubleValue();
    }

    static List<Case> cases() {
        double alpha = 0.7;
        return List.of(
                new Case(new Tanh(), StrictMath::tanh, x -> 1.0 / (StrictMath.cosh(x) * StrictMath.cosh(x))),
                new Case(new Sigmoid(), BulkEvaluationTest::sigmoid, x -> sigmoid(x) * sigmoid(-x)),
                new Case(new Silu(), x -> x * sigmoid(x), x -> sigmoid(x) + x * sigmoid(x) * sigmoid(-x)),
                new Case(new Softplus(), x -> StrictMath.max(x, 0) + StrictMath.log1p(StrictMath.exp(-Math.abs(x))),
                        BulkEvaluationTest::sigmoid),
                new Case(new Elu(alpha), x -> x > 0 ? x : alpha * StrictMath.expm1(x),
                        x -> x > 0 ? 1.0 : alpha * StrictMath.exp(x)),
                new Case(new Gelu(), x -> x * normalCdf(x),
                        x -> normalCdf(x) + x * StrictMath.exp(-x * x / 2) / StrictMath.sqrt(2 * StrictMath.PI)));
    }

    @Test
    void vectorAndScalarPathsGiveTheSameBitsAndTheDefinitions() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 301; // not a multiple of any vector length: the loops' tails are exercised
        double[] x = new double[n];
        double[] edges = {0.0, -0.0, 1e-300, -1e-300, Double.MIN_VALUE, 1e-8, -1e-8, 0.5, -0.5, 20, -20, 40, -40, 700,
            -700, 800, -800};
        System.arraycopy(edges, 0, x, 0, edges.length);
        for (int i = edges.length; i < n; i++) {
            x[i] = i % 3 == 0 ? r.nextDouble(-1, 1) : r.nextDouble(-12, 12);
        }
        for (Case c : cases()) {
            double[] v1 = new double[n];
            double[] d1 = new double[n];
            double[] v2 = new double[n];
            double[] d2 = new double[n];
            c.act().evaluate(x, n, v1, d1);
            c.act().evaluateScalar(x, n, v2, d2);
            double[] v3 = new double[n];
            c.act().evaluate(x, n, v3, null); // φ alone: the same values
            String name = c.act().spec();
            for (int i = 0; i < n; i++) {
                assertEquals(Double.doubleToRawLongBits(v1[i]), Double.doubleToRawLongBits(v2[i]),
                        name + ": φ vector vs scalar at x = " + x[i]);
                assertEquals(Double.doubleToRawLongBits(d1[i]), Double.doubleToRawLongBits(d2[i]),
                        name + ": φ' vector vs scalar at x = " + x[i]);
                assertEquals(Double.doubleToRawLongBits(v1[i]), Double.doubleToRawLongBits(v3[i]),
                        name + ": φ without φ' at x = " + x[i]);
                double want = c.phi().applyAsDouble(x[i]);
                double wantD = c.dphi().applyAsDouble(x[i]);
                assertTrue(close(v1[i], want), name + ": φ(" + x[i] + ") = " + v1[i] + ", definition " + want);
                assertTrue(close(d1[i], wantD), name + ": φ'(" + x[i] + ") = " + d1[i] + ", definition " + wantD);
                assertTrue(close(c.act().value(x[i]), want), name + ": value(" + x[i] + ")");
                assertTrue(close(c.act().derivative(x[i]), wantD), name + ": derivative(" + x[i] + ")");
            }
        }
    }

    /** Within 4e-15 relative, or 4e-16 absolute (φ' = 4(t + 1)/(t + 2)² of Tanh and the like: ~1e-16 absolute, as documented). */
    private static boolean close(double got, double want) {
        return Math.abs(got - want) <= Math.max(4e-15 * Math.abs(want), 4e-16);
    }
}
