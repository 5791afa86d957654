package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import ntk.BadInputException;
import ntk.Parameterization;
import ntk.activations.Activations;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.Params;
import org.junit.jupiter.api.Test;

/** The finite network's passes against finite differences, and the two empirical-NTK paths against each other. */
class FiniteNetworkTest {

    static double[] random(int n, long seed) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextGaussian();
        }
        return x;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static String[] architectures() {
        java.util.List<String> archs = new java.util.ArrayList<>();
        for (String act : Activations.NAMES) {
            String a = act.equals("LeakyRelu") ? "LeakyRelu(0.2)" : act;
            archs.add("Dense(6, W_std=1.3, b_std=0.4), " + a + ", Dense(5, W_std=0.9, b_std=0.2), " + a
                    + ", Dense(2, b_std=0.3)");
        }
        archs.add("Dense(5), Residual(Relu, Dense(5, b_std=0.5)), Residual(Tanh, Dense(4), Erf, Dense(5),"
                + " scale=invsqrt_depth), Relu, Dense(3, b_std=0.1)");
        return archs.toArray(new String[0]);
    }

    @Test
    void invsqrtDepthScalesTheLthResidualBlockOfTheNetwork() {
        // The second residual block of the network gets 1/sqrt(2) even when the first one is unscaled: the same
        // parameters give the same outputs and the same empirical NTK as with the scales written out.
        int n = 3;
        int d = 4;
        double[] x = random(n * d, 11);
        String mixed = "Dense(5), Residual(Relu, Dense(5, b_std=0.5)), Residual(Tanh, Dense(5), scale=invsqrt_depth),"
                + " Residual(Relu, Dense(5), scale=invsqrt_depth), Dense(2)";
        String written = "Dense(5), Residual(Relu, Dense(5, b_std=0.5)), Residual(Tanh, Dense(5), scale="
                + (1 / Math.sqrt(2)) + "), Residual(Relu, Dense(5), scale=" + (1 / Math.sqrt(3)) + "), Dense(2)";
        for (Parameterization pz : Parameterization.values()) {
            FiniteNetwork a = new FiniteNetwork(Network.parse(mixed, pz), d);
            FiniteNetwork b = new FiniteNetwork(Network.parse(written, pz), d);
            Params p = a.init(5);
            double[] fa = a.forward(p, x, n).out();
            double[] fb = b.forward(p, x, n).out();
            for (int i = 0; i < fa.length; i++) {
                assertEquals(fb[i], fa[i], 1e-15 * (1 + Math.abs(fb[i])), pz + " output " + i);
            }
            double[] ta = EmpiricalNtk.structured(a, p, x, n, null, 0, EmpiricalNtk.Outputs.EACH_PAIR);
            double[] tb = EmpiricalNtk.structured(b, p, x, n, null, 0, EmpiricalNtk.Outputs.EACH_PAIR);
            for (int i = 0; i < ta.length; i++) {
                assertEquals(tb[i], ta[i], 1e-13 * (1 + Math.abs(tb[i])), pz + " NTK " + i);
            }
        }
    }

    @Test
    void backwardPassMatchesCentralFiniteDifferences() {
        int n = 3;
        int d = 4;
        double[] x = random(n * d, 1);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : architectures()) {
                FiniteNetwork net = new FiniteNetwork(Network.parse(arch, pz), d);
                FiniteDifferenceChecks.backward(net, net.init(7), x, n, 3, 5, arch + " [" + pz + "]");
            }
        }
    }

    @Test
    void jvpMatchesCentralFiniteDifferences() {
        int n = 3;
        int d = 4;
        double[] x = random(n * d, 4);
        for (String arch : architectures()) {
            FiniteNetwork net = new FiniteNetwork(Network.parse(arch, Parameterization.NTK), d);
            FiniteDifferenceChecks.jvp(net, net.init(11), x, n, arch);
        }
    }

    @Test
    void structuredNtkEqualsJacobianContraction() {
        int d = 3;
        double[] x1 = random(4 * d, 5);
        double[] x2 = random(5 * d, 6);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : new String[] {architectures()[0], architectures()[architectures().length - 1]}) {
                FiniteNetwork net = new FiniteNetwork(Network.parse(arch, pz), d);
                Params p = net.init(3);
                for (boolean traced : new boolean[] {false, true}) {
                    double[] a = EmpiricalNtk.structured(net, p, x1, 4, x2, 5, traced ? EmpiricalNtk.Outputs.TRACED : EmpiricalNtk.Outputs.EACH_PAIR);
                    double[] b = EmpiricalNtk.contraction(net, p, x1, 4, x2, 5, traced);
                    assertClose(b, a, 1e-12, arch + " traced=" + traced);
                    double[] sym = EmpiricalNtk.structured(net, p, x1, 4, null, 0, traced ? EmpiricalNtk.Outputs.TRACED : EmpiricalNtk.Outputs.EACH_PAIR);
                    double[] cross = EmpiricalNtk.contraction(net, p, x1, 4, x1.clone(), 4, traced);
                    assertClose(cross, sym, 1e-12, arch + " symmetric traced=" + traced);
                }
            }
        }
    }

    @Test
    void jacobianAndNtkAreThoseOfFiniteDifferencesOfTheForwardPass() {
        // Fully independent of the backward pass: J by central differences of the forward pass, for dense, residual
        // and convolutional stacks with several outputs; the public Jacobian (columns in Params order), the structured
        // NTK and the contraction must all match it.
        record Case(String spec, Parameterization par, ntk.Shape shape) {
        }
        Case[] cases = {new Case("Dense(4, b_std=0.5), Tanh, Dense(2)", Parameterization.STANDARD, ntk.Shape.dense(3)),
            new Case("Dense(5, b_std=0.3), Residual(Erf, Dense(5, W_std=1.2)), Sin, Dense(3)", Parameterization.NTK,
                    ntk.Shape.dense(3)),
            new Case("Conv1D(3, 3, b_std=0.2), Tanh, Residual(Erf, Conv1D(3, 1)), GlobalAvgPool, Dense(2)",
                    Parameterization.NTK, ntk.Shape.signal(4, 2)),
            new Case("Conv1D(2, 3), Gelu, Flatten, Dense(2, b_std=0.1)", Parameterization.STANDARD,
                    ntk.Shape.signal(5, 2)),
            new Case("Dense(4, b_std=0.5), PReLU(0.3), Dense(3), PReLU, Dense(2)", Parameterization.NTK,
                    ntk.Shape.dense(3))};
        for (Case c : cases) {
            int n = 3;
            int d = c.shape().size();
            double[] x = random(n * d, 8);
            FiniteNetwork net = new FiniteNetwork(Network.parse(c.spec(), c.par()), c.shape());
            Params p = net.init(5);
            int o = net.outputs();
            int pc = p.size();
            double[][] jac = new double[n * o][pc];
            int col = 0;
            for (String key : p.asMap().keySet()) {
                double[] v = p.data(key);
                for (int i = 0; i < v.length; i++, col++) {
                    double h = 1e-6;
                    double keep = v[i];
                    v[i] = keep + h;
                    double[] up = net.forward(p, x, n).out();
                    v[i] = keep - h;
                    double[] down = net.forward(p, x, n).out();
                    v[i] = keep;
                    for (int r = 0; r < n * o; r++) {
                        jac[r][col] = (up[r] - down[r]) / (2 * h);
                    }
                }
            }
            double[] j = EmpiricalNtk.jacobian(net, p, x, n);
            assertEquals(n * o * pc, j.length, c.spec());
            for (int r = 0; r < n * o; r++) {
                for (int q = 0; q < pc; q++) {
                    assertEquals(jac[r][q], j[r * pc + q], 1e-7 * (1 + Math.abs(jac[r][q])), c.spec() + " J[" + r + ", " + q + "]");
                }
            }
            double[] theta = EmpiricalNtk.structured(net, p, x, n, null, 0, EmpiricalNtk.Outputs.EACH_PAIR);
            double[] ref = EmpiricalNtk.contraction(net, p, x, n, null, 0, false);
            for (int i = 0; i < n; i++) {
                for (int jj = 0; jj < n; jj++) {
                    for (int a = 0; a < o; a++) {
                        for (int b = 0; b < o; b++) {
                            double want = dot(jac[i * o + a], jac[jj * o + b]);
                            int e = ((i * n + jj) * o + a) * o + b;
                            assertEquals(want, theta[e], 1e-7 * (1 + Math.abs(want)), c.spec());
                            assertEquals(want, ref[e], 1e-7 * (1 + Math.abs(want)), c.spec());
                        }
                    }
                }
            }
        }
    }

    @Test
    void initialisationIsSeededPerKeyAndScaledPerParameterisation() {
        Network ntk = Network.parse("Dense(300, W_std=2.0, b_std=0.5), Relu, Dense(200, W_std=1.5), Dense(1)",
                Parameterization.NTK);
        Network std = Network.parse("Dense(300, W_std=2.0, b_std=0.5), Relu, Dense(200, W_std=1.5), Dense(1)",
                Parameterization.STANDARD);
        FiniteNetwork a = new FiniteNetwork(ntk, 50);
        Params p1 = a.init(42);
        Params p2 = a.init(42);
        Params p3 = a.init(43);
        for (String k : p1.asMap().keySet()) {
            assertArrayEquals(p1.data(k), p2.data(k), "same seed, same draws: " + k);
            assertNotEquals(p1.data(k)[0], p3.data(k)[0], "another seed, other draws: " + k);
        }
        Params ps = new FiniteNetwork(std, 50).init(42);
        // Variances: NTK raw N(0,1); standard W ~ N(0, W_std²/fan_in), b ~ N(0, b_std²). 5 standard errors.
        checkVariance(p1.data("0.W"), 1.0);
        checkVariance(p1.data("2.W"), 1.0);
        checkVariance(ps.data("0.W"), 4.0 / 50);
        checkVariance(ps.data("2.W"), 2.25 / 300);
        checkVariance(ps.data("0.b"), 0.25);
        // standard = NTK draws scaled, key by key (same streams)
        assertEquals(p1.data("0.W")[17] * 2.0 / Math.sqrt(50), ps.data("0.W")[17], 1e-15);
    }

    private static void checkVariance(double[] v, double want) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        double var = s / v.length;
        double se = want * Math.sqrt(2.0 / v.length);
        assertEquals(want, var, 5 * se, "sample variance of " + v.length + " draws");
    }

    @Test
    void parametersThatDoNotMatchTheSpecAreRefusedNamingTheKey() {
        FiniteNetwork net = new FiniteNetwork(Network.parse("Dense(4), Relu, Residual(Relu, Dense(4)), Dense(1)",
                Parameterization.NTK), 3);
        Params p = net.init(1);
        assertEquals(java.util.List.of("0.W", "0.b", "2.1.W", "2.1.b", "3.W", "3.b"),
                new java.util.ArrayList<>(p.asMap().keySet()));
        Map<String, NdArray> m = new LinkedHashMap<>(p.asMap());
        m.remove("2.1.W");
        assertMessage(net, m, "p.npz: missing key '2.1.W' (shape (4, 4))");
        m = new LinkedHashMap<>(p.asMap());
        m.put("3.W", new NdArray(new int[] {4, 1}, new double[4]));
        assertMessage(net, m, "p.npz: key '3.W' has shape (4, 1), expected (1, 4)");
        m = new LinkedHashMap<>(p.asMap());
        m.put("9.W", new NdArray(new int[] {1}, new double[1]));
        assertMessage(net, m, "unexpected key '9.W'");
        m = new LinkedHashMap<>(p.asMap());
        double[] bad = p.data("0.b").clone();
        bad[2] = Double.NaN;
        m.put("0.b", new NdArray(new int[] {4}, bad));
        assertMessage(net, m, "key '0.b'");
        // the final parameters of a training record, under params/, are accepted
        Map<String, NdArray> rec = new LinkedHashMap<>();
        rec.put("loss", new NdArray(new int[] {1}, new double[1]));
        p.asMap().forEach((k, v) -> rec.put("params/" + k, v));
        assertEquals(p.asMap().keySet(), net.validate(rec, "run.npz").asMap().keySet());
    }

    private static void assertMessage(FiniteNetwork net, Map<String, NdArray> m, String fragment) {
        BadInputException e = assertThrows(BadInputException.class, () -> net.validate(m, "p.npz"));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    static void assertClose(double[] want, double[] got, double rel, String what) {
        assertEquals(want.length, got.length, what);
        double max = 0;
        for (double v : want) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], rel * max, what + " [" + i + "]");
        }
    }

    /**
     * A training step's gradient (stepGradient: each op's arrays zeroed and checked in turn) equals backwardParams into
     * a zeroed gradient bit for bit whatever grad held before, on a net with a parameterised activation and a residual
     * block; a non-finite entry anywhere in the gradient is reported.
     */
    @Test
    void stepGradientIsBackwardParamsBitForBit() {
        FiniteNetwork net = new FiniteNetwork(Network.parse("Dense(7, b_std=0.3), Elu, PReLU(0.2),"
                + " Residual(Dense(7), Relu, Dense(7)), Dense(3, b_std=0.1), Tanh, Dense(2)", Parameterization.NTK), 5);
        Params p = net.init(4);
        Random r = new Random(9);
        double[] x = new double[6 * 5];
        double[] dy = new double[6 * 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian();
        }
        for (int i = 0; i < dy.length; i++) {
            dy[i] = r.nextGaussian();
        }
        FiniteNetwork.Forward f = net.forward(p, x, 6, net.reusableTape(6));
        Params want = p.zerosLike();
        net.backwardParams(p, f, dy, want, null);
        Params got = p.zerosLike();
        got.fill(123.0); // stale contents from a previous step
        assertTrue(net.stepGradient(p, f, dy, got));
        for (String k : net.shapes().keySet()) {
            assertArrayEquals(want.data(k), got.data(k), 0.0, k);
        }
        p.data("0.W")[3] = Double.POSITIVE_INFINITY; // the first layer's own gradient stays finite, the ones after not
        FiniteNetwork.Forward bad = net.forward(p, x, 6, net.reusableTape(6));
        assertEquals(false, net.stepGradient(p, bad, dy, got));
    }
}
