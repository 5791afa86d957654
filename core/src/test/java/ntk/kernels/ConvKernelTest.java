package ntk.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.BadInputException;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.layers.Conv1D;
import ntk.protocol.Binding;
import ntk.protocol.Tile;
import org.junit.jupiter.api.Test;

/** The infinite-width kernels of 1-D convolutional networks: reductions to the dense case, hand-computed windows, structure. */
class ConvKernelTest {

    static void assertClose(double[] want, double[] got, double rel, String what) {
        double max = 0;
        for (double v : want) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], rel * max, what + " [" + i + "]");
        }
    }

    @Test
    void lengthOneAndFilterOneIsTheDenseNetwork() {
        // L = 1, k = 1: Conv1D(c, 1) is Dense(c) on the single position; GlobalAvgPool and Flatten are the identity.
        int n = 6;
        int d = 4;
        double[] x = AnalyticKernelTest.randomInputs(n, d, 3);
        double[] z = AnalyticKernelTest.randomInputs(n - 2, d, 4);
        String[] acts = {"Relu", "Erf", "Tanh", "LeakyRelu(0.1)"};
        for (Parameterization pz : Parameterization.values()) {
            for (String act : acts) {
                for (String readout : new String[] {"GlobalAvgPool", "Flatten"}) {
                    String conv = "Conv1D(7, 1, W_std=1.3, b_std=0.2), Residual(" + act
                            + ", Conv1D(7, 1, W_std=0.7, b_std=0.1), scale=invsqrt_depth), " + act + ", Conv1D(5, 1, W_std=0.9),"
                            + " " + act + ", " + readout + ", Dense(3, W_std=1.1, b_std=0.3), " + act + ", Dense(1)";
                    String dense = conv.replace("Conv1D(7, 1", "Dense(7").replace("Conv1D(5, 1", "Dense(5")
                            .replace(", " + readout, "");
                    Network c = Network.parse(conv, pz);
                    Network m = Network.parse(dense, pz);
                    KernelEngine e = new KernelEngine(2);
                    Kernels kc = e.kernels(c, x, n, null, 0, Shape.signal(1, d), true);
                    Kernels km = e.kernels(m, x, n, null, 0, d, true);
                    assertClose(km.nngp(), kc.nngp(), 1e-14, conv + " [" + pz + "] NNGP");
                    assertClose(km.ntk(), kc.ntk(), 1e-14, conv + " [" + pz + "] NTK");
                    Kernels xc = e.kernels(c, x, n, z, n - 2, Shape.signal(1, d), true);
                    Kernels xm = e.kernels(m, x, n, z, n - 2, d, true);
                    assertClose(xm.ntk(), xc.ntk(), 1e-14, conv + " [" + pz + "] NTK x1 × x2");
                }
            }
        }
    }

    @Test
    void circularWindowMatchesAHandComputedExample() {
        // L = 4, k = 3 (q = 1), W_std² = 3 so W_std²/k = 1, b_std = 0: Σ'(p, p') = Σ_{j=-1..1} S(p+j mod 4, p'+j mod 4).
        double[][] s = {{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}, {13, 14, 15, 16}};
        int len = 4;
        Tile t = new Tile(len * len, false, new double[0][], new double[0][], 0, len, len);
        for (int di = 0; di < len; di++) {
            for (int p = 0; p < len; p++) {
                t.sig[di * len + p] = s[p][(p + di) % len];
            }
        }
        t.n = len * len;
        Binding b = new Binding(Parameterization.NTK);
        new Conv1D(1, 3, Math.sqrt(3), 0).kernelMap(b, Shape.signal(len, 2)).apply(t);
        // by hand: Σ'(0,1) = S(3,0) + S(0,1) + S(1,2) = 13 + 2 + 7; Σ'(0,3) = S(3,2) + S(0,3) + S(1,0) = 15 + 4 + 5;
        // Σ'(2,2) = S(1,1) + S(2,2) + S(3,3) = 6 + 11 + 16; Σ'(3,0) = S(2,3) + S(3,0) + S(0,1) = 12 + 13 + 2
        assertEquals(22, t.sig[1 * len + 0], 1e-13, "Σ'(0,1): offset 1, p = 0");
        assertEquals(24, t.sig[3 * len + 0], 1e-13, "Σ'(0,3)");
        assertEquals(33, t.sig[0 * len + 2], 1e-13, "Σ'(2,2)");
        assertEquals(27, t.sig[1 * len + 3], 1e-13, "Σ'(3,0): offset 1 wraps");
    }

    @Test
    void symmetricPathAgreesWithGeneralPathAndIsPsd() {
        int n = 9;
        int len = 6;
        int c = 2;
        double[] x = AnalyticKernelTest.randomInputs(n, len * c, 5);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : new String[] {
                "Conv1D(8, 3, W_std=1.4, b_std=0.1), Relu, Conv1D(8, 5, W_std=1.2), Erf, GlobalAvgPool, Dense(1)",
                "Conv1D(8, 3, W_std=1.4, b_std=0.1), Residual(Relu, Conv1D(8, 3), scale=0.7), Relu, Flatten,"
                        + " Dense(4, b_std=0.2), Relu, Dense(1)"}) {
                Network net = Network.parse(arch, pz);
                KernelEngine e = new KernelEngine(2);
                Kernels sym = e.kernels(net, x, n, null, 0, Shape.signal(len, c), true);
                Kernels gen = e.kernels(net, x, n, x.clone(), n, Shape.signal(len, c), true);
                Kernels diag = e.diagonal(net, x, n, Shape.signal(len, c), true);
                for (double[][] pair : new double[][][] {{sym.nngp(), gen.nngp()}, {sym.ntk(), gen.ntk()}}) {
                    assertClose(pair[0], pair[1], 1e-14, arch + " [" + pz + "] symmetric vs general");
                    double max = 0;
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < n; j++) {
                            assertEquals(pair[0][i * n + j], pair[0][j * n + i], 0.0, "symmetric");
                        }
                        max = Math.max(max, pair[0][i * n + i]);
                    }
                    double[] ev = AnalyticKernelTest.eigenvalues(pair[0].clone(), n);
                    assertTrue(ev[0] > -1e-12 * max, arch + " [" + pz + "] smallest eigenvalue " + ev[0]);
                    assertTrue(ev[0] > 0, arch + ": generic inputs give a positive definite kernel, got " + ev[0]);
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(sym.ntk()[i * n + i], diag.ntk()[i], 0.0, "diagonal mode");
                    assertEquals(sym.nngp()[i * n + i], diag.nngp()[i], 0.0, "diagonal mode");
                }
            }
        }
    }

    @Test
    void flattenNeedsOnlyTheOffsetZeroPairs() {
        // Convolutions keep p' − p, so tracking only the L diagonal pairs (Flatten) gives exactly what tracking all L² does.
        int n = 5;
        int len = 7;
        int c = 3;
        double[] x = AnalyticKernelTest.randomInputs(n, len * c, 6);
        double[] z = AnalyticKernelTest.randomInputs(n + 1, len * c, 7);
        Network net = Network.parse("Conv1D(8, 3, W_std=1.4, b_std=0.1), Residual(Erf, Conv1D(8, 5)),"
                + " Relu, Conv1D(6, 3), Relu, Flatten, Dense(4), Relu, Dense(1)", Parameterization.STANDARD);
        KernelEngine e = new KernelEngine(1);
        Kernels diagOnly = e.spatialKernels(net, x, n, z, n + 1, Shape.signal(len, c), true, false);
        Kernels all = e.spatialKernels(net, x, n, z, n + 1, Shape.signal(len, c), true, true);
        assertArrayEquals(all.nngp(), diagOnly.nngp());
        assertArrayEquals(all.ntk(), diagOnly.ntk());
        assertEquals(1, net.bind(Shape.signal(len, c), false).offsets());
        assertEquals(len, Network.parse("Conv1D(8, 3), GlobalAvgPool", Parameterization.NTK)
                .bind(Shape.signal(len, c), false).offsets());
    }

    @Test
    void refusesWhatHasNoKernel() {
        Shape sig = Shape.signal(4, 2);
        assertMessage(() -> Network.parse("Conv1D(8, 5), GlobalAvgPool", Parameterization.NTK).bind(sig, false),
                "Conv1D(8, 5): filter size 5 is wider than the signal length 4");
        assertMessage(() -> Network.parse("Conv1D(8, 3), Relu, Relu, Flatten", Parameterization.NTK).bind(sig, false),
                "its input is not Gaussian");
        assertMessage(() -> Network.parse("Relu, Conv1D(8, 3), Flatten", Parameterization.NTK).bind(sig, false),
                "its input is not Gaussian");
        assertMessage(() -> Network.parse("Conv1D(8, 3), Dense(1)", Parameterization.NTK).bind(sig, false),
                "end the convolutional layers with GlobalAvgPool or Flatten");
        assertMessage(() -> Network.parse("Conv1D(8, 3)", Parameterization.NTK).bind(sig, false),
                "ends with a signal");
        assertMessage(() -> Network.parse("Conv1D(8, 3), Flatten", Parameterization.NTK).bind(Shape.dense(8), false),
                "it takes (n, length, channels)");
        assertMessage(() -> Network.parse("Dense(8), Relu", Parameterization.NTK).bind(sig, false),
                "dense networks take (n, d)");
        assertMessage(() -> Network.parse("Residual(Relu, Conv1D(8, 3)), Flatten", Parameterization.NTK).bind(sig, false),
                "must keep the shape");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable r, String part) {
        BadInputException e = assertThrows(BadInputException.class, r);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
