package ntk.kernels;

import static ntk.kernels.ConvKernelTest.assertClose;
import static ntk.kernels.ConvKernelTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import org.junit.jupiter.api.Test;

/** The infinite-width kernels of 2-D convolutional networks: reduction to the 1-D networks, structure, refusals. */
class Conv2DKernelTest {

    static final String[] ACTS = {"Relu", "Erf"}; // closed forms: a quadrature activation (Tanh) costs a table per variance

    /** A 1-D architecture and its 2-D twin (Conv1D(c, k) → Conv2D(c, k), circular padding). */
    static String twoD(String oneD) {
        return oneD.replace("Conv1D(", "Conv2D(");
    }

    @Test
    void oneRowImagesGiveTheOneDimensionalKernels() {
        // circular padding on an image of height 1: the k rows of the filter all see the one row, so the k × k window
        // sum is k times the 1-D window sum, and W_std²/k² · k · S = W_std²/k · S: the 1-D kernel exactly. The NTK
        // agrees in the NTK parameterisation only: in the standard one each raw weight's gradient counts in full, and
        // the 2-D layer has k times the weights, each seeing the same row (C_in·k·S instead of C_in·S).
        int n = 5;
        int len = 7;
        int c = 2;
        double[] x = AnalyticKernelTest.randomInputs(n, len * c, 31);
        double[] z = AnalyticKernelTest.randomInputs(n - 1, len * c, 32);
        for (Parameterization pz : Parameterization.values()) {
            for (String act : ACTS) {
                for (String readout : new String[] {"GlobalAvgPool", "Flatten"}) {
                    String one = "Conv1D(6, 3, W_std=1.3, b_std=0.2), Residual(" + act + ", Conv1D(6, 5, W_std=0.7,"
                            + " b_std=0.1), scale=invsqrt_depth), " + act + ", Conv1D(4, 3, W_std=0.9), " + act + ", "
                            + readout + ", Dense(3, W_std=1.1, b_std=0.3), " + act + ", Dense(1)";
                    Network n1 = Network.parse(one, pz);
                    Network n2 = Network.parse(twoD(one), pz);
                    KernelEngine e = new KernelEngine(2);
                    Kernels k1 = e.kernels(n1, x, n, null, 0, Shape.signal(len, c), true);
                    Kernels k2 = e.kernels(n2, x, n, null, 0, Shape.image(1, len, c), true);
                    assertClose(k1.nngp(), k2.nngp(), 1e-13, one + " [" + pz + "] NNGP");
                    Kernels x1 = e.kernels(n1, x, n, z, n - 1, Shape.signal(len, c), true);
                    Kernels x2 = e.kernels(n2, x, n, z, n - 1, Shape.image(1, len, c), true);
                    assertClose(x1.nngp(), x2.nngp(), 1e-13, one + " [" + pz + "] NNGP x1 × x2");
                    if (pz == Parameterization.NTK) {
                        assertClose(k1.ntk(), k2.ntk(), 1e-13, one + " [" + pz + "] NTK");
                        assertClose(x1.ntk(), x2.ntk(), 1e-13, one + " [" + pz + "] NTK x1 × x2");
                    }
                }
            }
        }
    }

    @Test
    void transposedImagesGiveTheSameKernel() {
        // Every layer treats rows and columns alike, so transposing every image leaves the kernel unchanged.
        int n = 4;
        int h = 5;
        int w = 4;
        int c = 2;
        double[] x = AnalyticKernelTest.randomInputs(n, h * w * c, 33);
        double[] xt = new double[x.length];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < h; r++) {
                for (int s = 0; s < w; s++) {
                    for (int ch = 0; ch < c; ch++) {
                        xt[((i * w + s) * h + r) * c + ch] = x[((i * h + r) * w + s) * c + ch];
                    }
                }
            }
        }
        for (String arch : new String[] {
            "Conv2D(4, 3, padding=same, W_std=1.3, b_std=0.2), Relu, Conv2D(4, 3, W_std=1.1), Erf, GlobalAvgPool, Dense(1)",
            "Conv2D(4, 3, b_std=0.1), Relu, AvgPool2D(2), Conv2D(4, 3, padding=same), Relu, Flatten, Dense(1)",
            "Conv2D(4, 1), Residual(Relu, Conv2D(4, 3, padding=same)), Relu, AvgPool2D(2), GlobalAvgPool"}) {
            for (Parameterization pz : Parameterization.values()) {
                Network net = Network.parse(arch, pz);
                KernelEngine e = new KernelEngine(2);
                Kernels a = e.kernels(net, x, n, null, 0, Shape.image(h, w, c), true);
                Kernels b = e.kernels(net, xt, n, null, 0, Shape.image(w, h, c), true);
                assertClose(a.nngp(), b.nngp(), 1e-13, arch + " NNGP");
                assertClose(a.ntk(), b.ntk(), 1e-13, arch + " NTK");
            }
        }
    }

    @Test
    void symmetricPathAgreesWithGeneralPathAndDiagonal() {
        int n = 6;
        int h = 4;
        int w = 5;
        int c = 2;
        Shape shape = Shape.image(h, w, c);
        double[] x = AnalyticKernelTest.randomInputs(n, h * w * c, 34);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : new String[] {
                "Conv2D(8, 3, W_std=1.4, b_std=0.1), Relu, Conv2D(8, 3, padding=same, W_std=1.2), Erf, GlobalAvgPool,"
                        + " Dense(1)",
                "Conv2D(8, 3, padding=same), Relu, AvgPool2D(2), Conv2D(8, 1), Relu, Flatten, Dense(1)"}) {
                Network net = Network.parse(arch, pz);
                KernelEngine e = new KernelEngine(2);
                Kernels sym = e.kernels(net, x, n, null, 0, shape, true);
                Kernels gen = e.kernels(net, x, n, x.clone(), n, shape, true);
                Kernels diag = e.diagonal(net, x, n, shape, true);
                assertClose(sym.nngp(), gen.nngp(), 1e-14, arch + " symmetric vs general");
                assertClose(sym.ntk(), gen.ntk(), 1e-14, arch + " symmetric vs general");
                double[] ev = AnalyticKernelTest.eigenvalues(sym.ntk().clone(), n);
                assertTrue(ev[0] > 0, arch + ": positive definite, got " + ev[0]);
                for (int i = 0; i < n; i++) {
                    assertEquals(sym.ntk()[i * n + i], diag.ntk()[i], 0.0, "diagonal mode");
                }
            }
        }
    }

    @Test
    void flattenNeedsOnlyTheOffsetZeroPlane() {
        int n = 4;
        Shape shape = Shape.image(4, 3, 2);
        double[] x = AnalyticKernelTest.randomInputs(n, 24, 35);
        double[] z = AnalyticKernelTest.randomInputs(n + 1, 24, 36);
        Network net = Network.parse("Conv2D(8, 3, padding=same, b_std=0.1), Residual(Erf, Conv2D(8, 3)), Relu,"
                + " Conv2D(6, 3, padding=same), Relu, Flatten, Dense(4), Relu, Dense(1)", Parameterization.STANDARD);
        KernelEngine e = new KernelEngine(1);
        Kernels diagOnly = e.spatialKernels(net, x, n, z, n + 1, shape, true, false);
        Kernels all = e.spatialKernels(net, x, n, z, n + 1, shape, true, true);
        assertClose(all.nngp(), diagOnly.nngp(), 1e-15, "NNGP");
        assertClose(all.ntk(), diagOnly.ntk(), 1e-15, "NTK");
        assertEquals(1, net.bind(shape, false).offsets());
    }

    @Test
    void refusesWhatDoesNotFit() {
        Shape img = Shape.image(4, 4, 2);
        assertMessage(() -> Network.parse("Conv2D(8, 3), Flatten", Parameterization.NTK).bind(Shape.signal(4, 2), false),
                "takes images");
        assertMessage(() -> Network.parse("Conv1D(8, 3), Flatten", Parameterization.NTK).bind(img, false),
                "use Conv2D for images");
        assertMessage(() -> Network.parse("Conv2D(8, 3), AvgPool2D(5), Flatten", Parameterization.NTK).bind(img, false),
                "larger than the image");
        assertMessage(() -> Network.parse("Conv2D(8, 4), Flatten", Parameterization.NTK), "odd");
        assertMessage(() -> Network.parse("Conv2D(8, 3, padding=valid), Flatten", Parameterization.NTK),
                "padding must be one of circular, same");
        assertMessage(() -> Network.parse("Conv2D(8, 3), Flatten", Parameterization.NTK).bind(Shape.dense(8), false),
                "images (n, height, width, channels)");
        // the pooled state of a pair is (H·W)² position pairs, refused up front with the estimate when it cannot fit
        Network pooled = Network.parse("Conv2D(1, 3), Relu, AvgPool2D(2), GlobalAvgPool", Parameterization.NTK);
        assertMessage(() -> new KernelEngine(2).checkFits(pooled, Shape.image(220, 220, 1), 4, 4, true),
                "position pairs per pair of inputs at once");
        assertMessage(() -> new KernelEngine(2).checkFits(pooled, Shape.image(120, 120, 1), 4, 4, true),
                "of spatial state");
        new KernelEngine(2).checkFits(Network.parse("Conv2D(1, 3), Relu, GlobalAvgPool", Parameterization.NTK),
                Shape.image(120, 120, 1), 4, 4, true); // without AvgPool2D the planes stream in chunks: it fits
        assertEquals("Conv2D(8, 3, padding=same, W_std=1.5), AvgPool2D(2), GlobalAvgPool",
                Network.parse("Conv2D(8, 3, same, 1.5), AvgPool2D(2), GlobalAvgPool", Parameterization.NTK).spec());
    }
}
