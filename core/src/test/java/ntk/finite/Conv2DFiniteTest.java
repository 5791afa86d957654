package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finite 2-D convolutional networks: passes against finite differences and against PyTorch's conv2d (float64), the
 * structured empirical NTK against the Jacobian contraction, 1-row images against the 1-D network, and wide networks
 * against the analytic CNN-GP / CNTK at the 1/√channels rate.
 */
class Conv2DFiniteTest {
    static final Shape SHAPE = Shape.image(4, 3, 2);

    @TempDir
    Path dir;

    static String[] architectures() {
        return new String[] {
            "Conv2D(4, 3, W_std=1.3, b_std=0.4), Tanh, Conv2D(3, 3, padding=same, W_std=0.9, b_std=0.2), Erf,"
                    + " GlobalAvgPool, Dense(2, b_std=0.3)",
            "Conv2D(4, 3, padding=same, b_std=0.2), Residual(Tanh, Conv2D(4, 3, b_std=0.5), scale=invsqrt_depth), Sin,"
                    + " Flatten, Dense(3, b_std=0.1), Tanh, Dense(2)",
            "Conv2D(3, 1, b_std=0.1), Softplus, AvgPool2D(2), Conv2D(2, 3, padding=same), GlobalAvgPool",
            "Conv2D(3, 3), Relu, AvgPool2D(2), Flatten, Dense(1, b_std=0.2)"};
    }

    @Test
    void backwardAndJvpMatchCentralFiniteDifferences() {
        finiteDifferences(architectures(), SHAPE);
    }

    /** Backward and JVP of every architecture (both parameterisations) against central finite differences. */
    static void finiteDifferences(String[] archs, Shape shape) {
        int n = 2;
        double[] x = FiniteNetworkTest.random(n * shape.size(), 1);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : archs) {
                FiniteNetwork net = new FiniteNetwork(Network.parse(arch, pz), shape);
                Params p = net.init(7);
                FiniteDifferenceChecks.backward(net, p, x, n, 3, 5, arch + " [" + pz + "]");
                FiniteDifferenceChecks.jvp(net, p, x, n, arch + " [" + pz + "]");
            }
        }
    }

    @Test
    void structuredEqualsJacobianContraction() {
        structuredEqualsContraction(architectures(), SHAPE);
    }

    /** The structured empirical NTK of every architecture against the Jacobian contraction, to 1e-12. */
    static void structuredEqualsContraction(String[] archs, Shape shape) {
        int n1 = 3;
        int n2 = 2;
        double[] x1 = FiniteNetworkTest.random(n1 * shape.size(), 5);
        double[] x2 = FiniteNetworkTest.random(n2 * shape.size(), 6);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : archs) {
                FiniteNetwork net = new FiniteNetwork(Network.parse(arch, pz), shape);
                Params p = net.init(13);
                double[] s = EmpiricalNtk.structured(net, p, x1, n1, x2, n2, true);
                double[] j = EmpiricalNtk.contraction(net, p, x1, n1, x2, n2, true);
                double max = Arrays.stream(j).map(Math::abs).max().orElse(1);
                for (int i = 0; i < s.length; i++) {
                    assertEquals(j[i], s[i], 1e-12 * max, arch + " [" + pz + "]");
                }
            }
        }
    }

    @Test
    void oneRowImagesGiveTheOneDimensionalNetwork() {
        // NTK parameterisation, circular padding, height 1: every filter row sees the one row, so the 2-D layer is the
        // 1-D layer with W1[c, c', j] = (1/√k) Σ_jh W2[c, c', jh, j]; the empirical NTK adds k copies of each weight's
        // gradient, each of size 1/k² · W_std²/C_in: the 1-D network's W_std²/(k·C_in).
        int n = 3;
        int len = 6;
        int c = 2;
        String one = "Conv1D(4, 3, W_std=1.3, b_std=0.2), Relu, Conv1D(3, 5, W_std=0.8, b_std=0.1), Erf, GlobalAvgPool,"
                + " Dense(1, b_std=0.1)";
        FiniteNetwork f1 = new FiniteNetwork(Network.parse(one, Parameterization.NTK), Shape.signal(len, c));
        FiniteNetwork f2 = new FiniteNetwork(Network.parse(one.replace("Conv1D", "Conv2D"), Parameterization.NTK),
                Shape.image(1, len, c));
        Params p2 = f2.init(3);
        Params p1 = f1.init(4);
        for (String key : p1.asMap().keySet()) {
            NdArray a1 = p1.get(key);
            NdArray a2 = p2.get(key);
            if (a1.rank() == 3) { // Conv1D W (cout, cin, k) from Conv2D W (cout, cin, k, k)
                int k = a1.dim(2);
                for (int r = 0; r < a1.dim(0) * a1.dim(1); r++) {
                    for (int j = 0; j < k; j++) {
                        double s = 0;
                        for (int jh = 0; jh < k; jh++) {
                            s += a2.data[(r * k + jh) * k + j];
                        }
                        a1.data[r * k + j] = s / Math.sqrt(k);
                    }
                }
            } else {
                System.arraycopy(a2.data, 0, a1.data, 0, a1.data.length);
            }
        }
        double[] x = FiniteNetworkTest.random(n * len * c, 8);
        assertArrayEquals(f1.forward(p1, x, n).out(), f2.forward(p2, x, n).out(), 1e-12);
        double[] k1 = EmpiricalNtk.structured(f1, p1, x, n, null, 0, true);
        double[] k2 = EmpiricalNtk.structured(f2, p2, x, n, null, 0, true);
        for (int i = 0; i < k1.length; i++) {
            assertEquals(k1[i], k2[i], 1e-12 * Math.abs(k1[i]) + 1e-14, "empirical NTK [" + i + "]");
        }
    }

    @Test
    void forwardBackwardAndEmpiricalNtkAgreeWithPyTorch() throws Exception {
        String python = ntk.CrossChecks.pythonWithTorch();
        int n = 3;
        Shape shape = Shape.image(5, 4, 2);
        double[] x = FiniteNetworkTest.random(n * shape.size(), 9);
        String[][] cases = {
            {"Conv2D(4, 3, W_std=1.3, b_std=0.4), Relu, Conv2D(3, 3, padding=same, W_std=0.9, b_std=0.2), Erf,"
                    + " GlobalAvgPool, Dense(1, b_std=0.3)",
                "[[\"conv\", \"0\", 3, \"circular\", %s, %s], [\"relu\"], [\"conv\", \"2\", 3, \"same\", %s, %s],"
                    + " [\"erf\"], [\"gap\"], [\"dense\", \"5\", %s, %s]]"},
            {"Conv2D(4, 5, padding=same, b_std=0.2), Relu, AvgPool2D(2), Conv2D(3, 3, W_std=1.2), Relu, Flatten,"
                    + " Dense(1, b_std=0.1)",
                "[[\"conv\", \"0\", 5, \"same\", %s, %s], [\"relu\"], [\"avgpool\", 2], [\"conv\", \"3\", 3, \"circular\","
                    + " %s, %s], [\"relu\"], [\"flatten\"], [\"dense\", \"6\", %s, %s]]"},
            {"LocallyConnected2D(4, 3, W_std=1.3, b_std=0.4), Relu, LocallyConnected2D(3, 3, padding=same, W_std=0.9,"
                    + " b_std=0.2), Erf, GlobalAvgPool, Dense(1, b_std=0.3)",
                "[[\"lconv\", \"0\", 3, \"circular\", %s, %s], [\"relu\"], [\"lconv\", \"2\", 3, \"same\", %s, %s],"
                    + " [\"erf\"], [\"gap\"], [\"dense\", \"5\", %s, %s]]"}};
        java.util.List<Object[]> runs = new java.util.ArrayList<>();
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of(python,
                Path.of(Conv2DFiniteTest.class.getResource("torch_conv2d.py").toURI()).toString()));
        double[] cot = FiniteNetworkTest.random(n, 10);
        for (Parameterization pz : Parameterization.values()) {
            for (String[] cs : cases) {
                Network spec = Network.parse(cs[0], pz);
                FiniteNetwork net = new FiniteNetwork(spec, shape);
                Params p = net.init(17);
                // the forward multipliers of the raw parameters, layer by layer, for the script
                java.util.List<String> scales = new java.util.ArrayList<>();
                Shape w = shape;
                for (ntk.protocol.Layer l : spec.layers) {
                    if (l instanceof ntk.layers.Conv2D cv) {
                        int fan = cv.k * cv.k * w.channels();
                        scales.add(Double.toString(pz == Parameterization.NTK ? cv.wStd / Math.sqrt(fan) : 1.0));
                        scales.add(Double.toString(pz == Parameterization.NTK ? cv.bStd : 1.0));
                    } else if (l instanceof ntk.layers.LocallyConnected2D lc) {
                        int fan = lc.k * lc.k * w.channels();
                        scales.add(Double.toString(pz == Parameterization.NTK ? lc.wStd / Math.sqrt(fan) : 1.0));
                        scales.add(Double.toString(pz == Parameterization.NTK ? lc.bStd : 1.0));
                    } else if (l instanceof ntk.layers.Dense d) {
                        scales.add(Double.toString(pz == Parameterization.NTK ? d.wStd / Math.sqrt(w.size()) : 1.0));
                        scales.add(Double.toString(pz == Parameterization.NTK ? d.bStd : 1.0));
                    }
                    w = l.outputShape(w);
                }
                int r = runs.size();
                Map<String, NdArray> in = new LinkedHashMap<>();
                in.put("x", new NdArray(new int[] {n, 5, 4, 2}, x));
                in.put("cot", new NdArray(new int[] {n, 1}, cot));
                for (Map.Entry<String, NdArray> e : p.asMap().entrySet()) {
                    in.put("params/" + e.getKey(), e.getValue());
                }
                Npz.write(dir.resolve("in" + r + ".npz"), in);
                Files.writeString(dir.resolve("layers" + r + ".json"),
                        String.format(java.util.Locale.ROOT, cs[1], scales.toArray()));
                argv.addAll(java.util.List.of(dir.resolve("in" + r + ".npz").toString(),
                        dir.resolve("layers" + r + ".json").toString(), dir.resolve("out" + r + ".npz").toString()));
                runs.add(new Object[] {cs[0] + " [" + pz + "] ", net, p});
            }
        }
        Process pr = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String log = new String(pr.getInputStream().readAllBytes());
        assertTrue(pr.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, pr.exitValue(), log);
        for (int r = 0; r < runs.size(); r++) {
            String what = (String) runs.get(r)[0];
            FiniteNetwork net = (FiniteNetwork) runs.get(r)[1];
            Params p = (Params) runs.get(r)[2];
            Map<String, NdArray> torch = Npz.read(dir.resolve("out" + r + ".npz"));
            FiniteNetwork.Forward f = net.forward(p, x, n);
            assertClose(torch.get("out").data, f.out(), what + "forward");
            Params grad = p.zerosLike();
            double[] dx = net.backward(p, f, cot, grad, null);
            assertClose(torch.get("dx").data, dx, what + "∂/∂x");
            for (String key : p.asMap().keySet()) {
                assertClose(torch.get("grad/" + key).data, grad.data(key), what + "∂/∂" + key);
            }
            assertClose(torch.get("ntk").data, EmpiricalNtk.structured(net, p, x, n, null, 0, true),
                    what + "empirical NTK");
        }
    }

    static void assertClose(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double max = Arrays.stream(want).map(Math::abs).max().orElse(1);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-9 * max, what + " [" + i + "]");
        }
    }

    // ---- wide networks against the analytic kernels ----

    static final int[] WIDTHS = {32, 128, 512};
    static final String[] WIDE = {
        "Conv2D(m, 3, W_std=1.4, b_std=0.2), Relu, Conv2D(m, 3, padding=same, W_std=1.3, b_std=0.1), Erf, GlobalAvgPool,"
                + " Dense(o, b_std=0.1)",
        "Conv2D(m, 3, padding=same, W_std=1.2, b_std=0.1), Residual(Relu, Conv2D(m, 3, W_std=0.8), scale=invsqrt_depth),"
                + " Relu, AvgPool2D(2), Flatten, Dense(o, b_std=0.1)"};

    @Test
    void wideNetworksApproachTheAnalyticKernelsAtInverseSqrtChannelsNtkParameterisation() {
        wideNetworksApproachTheAnalyticKernels(Parameterization.NTK);
    }

    @Test
    void wideNetworksApproachTheAnalyticKernelsAtInverseSqrtChannelsStandardParameterisation() {
        wideNetworksApproachTheAnalyticKernels(Parameterization.STANDARD);
    }

    /** RMS relative errors over 6 seeds at widths 32, 128, 512 and their fitted log-log slope (−1/2 expected). */
    static void wideNetworksApproachTheAnalyticKernels(Parameterization pz) {
        int n = 4;
        Shape shape = Shape.image(4, 4, 1);
        FiniteVsAnalyticTest.approachesAnalyticKernels(pz, WIDE, WIDTHS, shape,
                FiniteNetworkTest.random(n * shape.size(), 21), n, 6, 0.15);
    }
}
