package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.io.Npz;
import ntk.Params;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hessian products of finite networks against PyTorch's double backward and against second differences of outputs. */
class HessiansTest {
    static final String ARCH = "Dense(12, W_std=1.3, b_std=0.2), Tanh, Dense(10, b_std=0.1), Relu, Dense(1, b_std=0.3)";
    static final String LAYERS = "[[\"dense\", \"0\", 1.3, 0.2], [\"tanh\"], [\"dense\", \"2\", 1.0, 0.1], [\"relu\"],"
            + " [\"dense\", \"4\", 1.0, 0.3]]";

    @TempDir
    Path dir;

    static Params randomLike(Params p, long seed) {
        Random r = new Random(seed);
        Params v = p.zerosLike();
        for (NdArray a : v.asMap().values()) {
            for (int i = 0; i < a.data.length; i++) {
                a.data[i] = r.nextGaussian();
            }
        }
        return v;
    }

    static double dot(Params a, Params b) {
        double s = 0;
        for (Map.Entry<String, NdArray> e : a.asMap().entrySet()) {
            double[] x = e.getValue().data;
            double[] y = b.data(e.getKey());
            for (int i = 0; i < x.length; i++) {
                s += x[i] * y[i];
            }
        }
        return s;
    }

    /**
     * ∇²(Σ c_r f(x_r))·v and uᵀ∇²f(x_r)v for a Tanh/ReLU network against PyTorch autograd's double backward on the same
     * parameters (float64): to 1e-7 relative. Skipped when python3 with torch is missing, except under CI=true.
     */
    @Test
    void hessianProductsMatchPyTorch() throws Exception {
        String python = ntk.CrossChecks.pythonWithTorch();
        int n = 5;
        int d = 3;
        FiniteNetwork net = new FiniteNetwork(Network.parse(ARCH, Parameterization.NTK), d);
        Params p = net.init(3);
        double[] x = FiniteNetworkTest.random(n * d, 31);
        double[] c = {0.7, -1.2, 0.4, 2.0, -0.3};
        Params v = randomLike(p, 5);
        Params u = randomLike(p, 6);
        Map<String, NdArray> in = new LinkedHashMap<>();
        in.put("x", new NdArray(new int[] {n, d}, x));
        in.put("c", new NdArray(new int[] {n}, c));
        for (Map.Entry<String, NdArray> e : p.asMap().entrySet()) {
            in.put("params/" + e.getKey(), e.getValue());
            in.put("v/" + e.getKey(), v.get(e.getKey()));
            in.put("u/" + e.getKey(), u.get(e.getKey()));
        }
        Path inFile = dir.resolve("in.npz");
        Path outFile = dir.resolve("out.npz");
        Path layers = dir.resolve("layers.json");
        Npz.write(inFile, in);
        Files.writeString(layers, LAYERS);
        Path script = Path.of(HessiansTest.class.getResource("torch_hvp.py").toURI());
        Process proc = new ProcessBuilder(python, script.toString(), inFile.toString(), layers.toString(),
                outFile.toString()).redirectErrorStream(true).start();
        String log = new String(proc.getInputStream().readAllBytes());
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), log);
        Map<String, NdArray> torch = Npz.read(outFile);

        Params ours = Hessians.hvp(net, p, x, n, c, v);
        double scale = 0;
        for (NdArray a : ours.asMap().values()) {
            for (double z : a.data) {
                scale = Math.max(scale, Math.abs(z));
            }
        }
        assertTrue(scale > 1e-3, "a non-trivial Hessian");
        int compared = 0;
        for (Map.Entry<String, NdArray> e : ours.asMap().entrySet()) {
            double[] theirs = torch.get("hvp/" + e.getKey()).data;
            for (int i = 0; i < theirs.length; i++) {
                assertEquals(theirs[i], e.getValue().data[i], 1e-7 * scale, "hvp " + e.getKey() + "[" + i + "]");
                compared++;
            }
        }
        assertEquals(p.size(), compared);
        double[] uhv = Hessians.bilinear(net, p, x, n, u, v);
        double[] theirs = torch.get("uhv").data;
        for (int r = 0; r < n; r++) {
            assertEquals(theirs[r], uhv[r], 1e-7 * (1 + Math.abs(theirs[r])), "uᵀHv at x_" + r);
        }
    }

    /**
     * uᵀ∇²f(x)u from JVP differences against the second difference of the outputs alone (forward passes, no
     * derivative code), (f(θ + su) − 2f(θ) + f(θ − su))/s², on a smooth (Tanh) network; and the bilinear form's
     * polarisation identity uᵀHv = ¼[(u + v)ᵀH(u + v) − (u − v)ᵀH(u − v)].
     */
    @Test
    void secondDirectionalDerivativeMatchesSecondDifferenceOfOutputs() {
        int n = 4;
        int d = 3;
        FiniteNetwork net = new FiniteNetwork(Network.parse("Dense(9, W_std=1.4, b_std=0.2), Tanh, Dense(7), Tanh,"
                + " Dense(1, b_std=0.1)", Parameterization.NTK), d);
        Params p = net.init(11);
        double[] x = FiniteNetworkTest.random(n * d, 12);
        Params u = randomLike(p, 13);
        Params v = randomLike(p, 14);
        double[] huu = Hessians.secondDirectional(net, p, x, n, u);
        double s = 1e-3 / u.norm();
        Params plus = p.copy();
        plus.axpy(s, u);
        Params minus = p.copy();
        minus.axpy(-s, u);
        double[] f0 = net.forward(p, x, n).out();
        double[] fp = net.forward(plus, x, n).out();
        double[] fm = net.forward(minus, x, n).out();
        for (int r = 0; r < n; r++) {
            double fd = (fp[r] - 2 * f0[r] + fm[r]) / (s * s);
            assertTrue(Math.abs(huu[r]) > 1e-2, "non-trivial curvature at x_" + r + ": " + huu[r]);
            assertEquals(fd, huu[r], 1e-5 * (1 + Math.abs(fd)), "uᵀHu at x_" + r);
        }
        Params sum = u.copy();
        sum.axpy(1, v);
        Params dif = u.minus(v);
        double[] a = Hessians.secondDirectional(net, p, x, n, sum);
        double[] b = Hessians.secondDirectional(net, p, x, n, dif);
        double[] uv = Hessians.bilinear(net, p, x, n, u, v);
        double[] hv = new double[n];
        for (int r = 0; r < n; r++) {
            double[] e = new double[n];
            e[r] = 1;
            hv[r] = dot(u, Hessians.hvp(net, p, x, n, e, v)); // the backward-pass route
            assertEquals((a[r] - b[r]) / 4, uv[r], 1e-7 * (1 + Math.abs(uv[r])), "polarisation at x_" + r);
            assertEquals(hv[r], uv[r], 1e-7 * (1 + Math.abs(uv[r])), "JVP route vs backward route at x_" + r);
        }
    }

    /** The Hessian kernel H[s][j][k] = ∇f(x_j)ᵀ∇²f(a_s)∇f(x_k) against Hessian–vector products (the backward route). */
    @Test
    void hessianKernelIsGradientsThroughTheHessian() {
        int nx = 3;
        int na = 4;
        int d = 2;
        FiniteNetwork net = new FiniteNetwork(Network.parse("Dense(8, b_std=0.1), Relu, Dense(8, b_std=0.1), Relu,"
                + " Dense(1, b_std=0.1)", Parameterization.NTK), d);
        Params p = net.init(21);
        double[] a = FiniteNetworkTest.random(na * d, 22);
        double[] x = java.util.Arrays.copyOf(a, nx * d);
        double[] h = Hessians.hessianKernel(net, p, a, na, x, nx);
        double scale = 0;
        for (double z : h) {
            scale = Math.max(scale, Math.abs(z));
        }
        assertTrue(scale > 1e-3, "non-trivial: " + scale);
        for (int k = 0; k < nx; k++) {
            Params gk = Hessians.gradient(net, p, x, k);
            for (int s = 0; s < na; s++) {
                double[] e = new double[na];
                e[s] = 1;
                Params hg = Hessians.hvp(net, p, a, na, e, gk);
                for (int j = 0; j < nx; j++) {
                    double ref = dot(Hessians.gradient(net, p, x, j), hg);
                    assertEquals(ref, h[(s * nx + j) * nx + k], 1e-7 * scale, "H[" + s + "][" + j + "][" + k + "]");
                }
            }
        }
    }
}
