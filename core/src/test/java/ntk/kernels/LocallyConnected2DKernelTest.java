package ntk.kernels;

import static ntk.kernels.ConvKernelTest.assertClose;
import static ntk.kernels.ConvKernelTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.finite.FiniteNetwork;
import ntk.Params;
import org.junit.jupiter.api.Test;

/**
 * The infinite-width kernels of locally connected networks (Conv2D without weight sharing): Novak et al. 2019's
 * identity with the CNN-GP (and the CNTK) under a Flatten readout, their difference under pooling, the structure of
 * the map, and a Monte Carlo of wide finite one-layer networks (exact in expectation at any width, so the tolerance is
 * the sampling error alone). The independent NumPy reference is in {@link Conv2DReferenceTest}.
 */
class LocallyConnected2DKernelTest {

    /** The same network with every Conv2D replaced by a LocallyConnected2D of the same arguments. */
    static String local(String conv) {
        return conv.replace("Conv2D(", "LocallyConnected2D(");
    }

    static double maxRelDiff(double[] a, double[] b) {
        double max = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i]));
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        return diff / max;
    }

    static final String[] FLATTEN = {
        "Conv2D(6, 3, W_std=1.4, b_std=0.2), Relu, Conv2D(6, 3, padding=same, W_std=1.3, b_std=0.1), Erf, Flatten,"
                + " Dense(3, b_std=0.1), Relu, Dense(1)",
        "Conv2D(6, 3, padding=same, W_std=1.2, b_std=0.1), Residual(Relu, Conv2D(6, 5, W_std=0.8),"
                + " scale=invsqrt_depth), Relu, Conv2D(4, 3, padding=same), Relu, Flatten, Dense(1, b_std=0.2)"};

    @Test
    void withoutPoolingTheKernelsEqualTheConvolutionalOnes() {
        // Novak et al. 2019, abstract: "in the absence of pooling layers, the GPs corresponding to CNNs with and without
        // weight sharing are identical"; the NTK likewise (a Flatten readout reads only pairs of equal positions, and
        // a convolution's pairs of equal positions need only the input's pairs of equal positions).
        int n = 4;
        Shape shape = Shape.image(5, 4, 2);
        double[] x = AnalyticKernelTest.randomInputs(n, shape.size(), 51);
        double[] z = AnalyticKernelTest.randomInputs(n + 1, shape.size(), 52);
        KernelEngine e = new KernelEngine(2);
        for (Parameterization pz : Parameterization.values()) {
            for (String conv : FLATTEN) {
                Network cnn = Network.parse(conv, pz);
                Network lcn = Network.parse(local(conv), pz);
                Kernels a = e.kernels(cnn, x, n, z, n + 1, shape, true);
                Kernels b = e.kernels(lcn, x, n, z, n + 1, shape, true);
                // and with every offset plane tracked: the LCN's zero planes do not reach a Flatten readout
                Kernels c = e.spatialKernels(lcn, x, n, z, n + 1, shape, true, true);
                for (Kernels k : new Kernels[] {b, c}) {
                    assertTrue(maxRelDiff(a.nngp(), k.nngp()) <= 1e-14, conv + " [" + pz + "] NNGP");
                    assertTrue(maxRelDiff(a.ntk(), k.ntk()) <= 1e-14, conv + " [" + pz + "] NTK");
                }
            }
        }
    }

    @Test
    void withGlobalAveragePoolingTheyDiffer() {
        int n = 4;
        Shape shape = Shape.image(5, 4, 2);
        double[] x = AnalyticKernelTest.randomInputs(n, shape.size(), 53);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.5; // pixels correlated with each other: what only the weight-shared kernel carries to the readout
        }
        String conv = "Conv2D(6, 3, W_std=1.4, b_std=0.2), Relu, Conv2D(6, 3, padding=same, W_std=1.3), Relu,"
                + " GlobalAvgPool, Dense(1)";
        for (Parameterization pz : Parameterization.values()) {
            KernelEngine e = new KernelEngine(2);
            Kernels a = e.kernels(Network.parse(conv, pz), x, n, null, 0, shape, true);
            Kernels b = e.kernels(Network.parse(local(conv), pz), x, n, null, 0, shape, true);
            double dn = maxRelDiff(a.nngp(), b.nngp());
            double dt = maxRelDiff(a.ntk(), b.ntk());
            System.out.printf("pooled CNN-GP vs LCN-GP [%s]: max rel. diff NNGP %.3g, NTK %.3g%n", pz, dn, dt);
            assertTrue(dn > 0.1 && dt > 0.1, "pooled kernels should differ: " + dn + ", " + dt);
        }
    }

    @Test
    void aLocalLayerBeforeGlobalPoolingLeavesOnlyEqualPositions() {
        // after a locally connected layer Σ(p, p') = 0 for p ≠ p', so the global mean over the L² pairs is the mean of
        // the L diagonal entries (the Flatten readout's value) divided by L; the NTK likewise.
        int n = 3;
        Shape shape = Shape.image(4, 3, 2);
        int len = 12;
        double[] x = AnalyticKernelTest.randomInputs(n, shape.size(), 54);
        String body = "Conv2D(5, 3, W_std=1.3, b_std=0.1), Relu, LocallyConnected2D(4, 3, padding=same, W_std=1.2,"
                + " b_std=0.3), ";
        for (Parameterization pz : Parameterization.values()) {
            KernelEngine e = new KernelEngine(1);
            Kernels gap = e.kernels(Network.parse(body + "GlobalAvgPool", pz), x, n, null, 0, shape, true);
            Kernels flat = e.kernels(Network.parse(body + "Flatten", pz), x, n, null, 0, shape, true);
            double[] fn = flat.nngp().clone();
            double[] ft = flat.ntk().clone();
            for (int i = 0; i < fn.length; i++) {
                fn[i] /= len;
                ft[i] /= len;
            }
            assertClose(fn, gap.nngp(), 1e-14, pz + " NNGP");
            assertClose(ft, gap.ntk(), 1e-14, pz + " NTK");
        }
    }

    @Test
    void planesAfterTheLastLocalLayerStartFromZerosAsTheFullPassComputesThem() {
        // 10 × 9 images: 90 offset planes pass in chunks (KernelEngine.CHUNK), and a chunk without the δ = 0 plane
        // starts after the last locally connected layer. AvgPool2D(1) is the identity but mixes planes, so the same
        // network with it passes every plane through every layer at once: the two must agree.
        int n = 3;
        Shape shape = Shape.image(10, 9, 2);
        double[] x = AnalyticKernelTest.randomInputs(n, shape.size(), 56);
        double[] z = AnalyticKernelTest.randomInputs(n - 1, shape.size(), 57);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.3;
        }
        String[][] cases = {
            {"LocallyConnected2D(4, 3, W_std=1.4, b_std=0.2), Relu, LocallyConnected2D(4, 3, padding=same, W_std=1.3,"
                    + " b_std=0.1), Relu, ", "GlobalAvgPool, Dense(1, b_std=0.1)", "3"},
            {"Conv2D(4, 3, W_std=1.4, b_std=0.2), Relu, LocallyConnected2D(4, 3, W_std=1.3, b_std=0.3), Erf, Conv2D(4, 3,"
                    + " padding=same, W_std=1.2, b_std=0.1), Relu, ", "GlobalAvgPool, Dense(1)", "3"},
            {"Conv2D(4, 3, W_std=1.4), Residual(Relu, LocallyConnected2D(4, 3, W_std=1.3)), Relu, ",
                "GlobalAvgPool, Dense(1)", "0"}};
        for (Parameterization pz : Parameterization.values()) {
            for (String[] c : cases) {
                Network net = Network.parse(c[0] + c[1], pz);
                assertEquals(Integer.parseInt(c[2]), net.bind(shape, false).otherPlanesFrom(), c[0]);
                assertTrue(KernelEngine.chunkPlanes(net.bind(shape, false)) < shape.length(), "chunked");
                Network whole = Network.parse(c[0] + "AvgPool2D(1), " + c[1], pz);
                KernelEngine e = new KernelEngine(2);
                Kernels a = e.kernels(net, x, n, z, n - 1, shape, true);
                Kernels b = e.kernels(whole, x, n, z, n - 1, shape, true);
                assertClose(b.nngp(), a.nngp(), 1e-13, c[0] + " [" + pz + "] NNGP");
                assertClose(b.ntk(), a.ntk(), 1e-13, c[0] + " [" + pz + "] NTK");
                Kernels sa = e.kernels(net, x, n, null, 0, shape, true);
                Kernels sb = e.kernels(whole, x, n, null, 0, shape, true);
                assertClose(sb.ntk(), sa.ntk(), 1e-13, c[0] + " [" + pz + "] NTK, symmetric");
            }
        }
    }

    @Test
    void wideOneLayerNetworksMatchTheKernelWithinSamplingError() {
        // One LocallyConnected2D layer on the raw input, then global average pooling: each output channel c gives an
        // independent draw f_c(x) = mean_p y(p, c), and E[f_c(x) f_c(x')] is the LCN-GP kernel exactly, at any width.
        // With m channels and S seeds, the m·S products per pair have a sample mean within 4 standard errors of it
        // (each entry; the standard error from the same samples). The weight-shared kernel is far outside.
        int n = 4;
        int m = 256;
        int seeds = 16;
        Shape shape = Shape.image(4, 4, 2);
        double[] x = AnalyticKernelTest.randomInputs(n, shape.size(), 55);
        for (int i = 0; i < x.length; i++) {
            x[i] += 0.7;
        }
        String spec = "LocallyConnected2D(" + m + ", 3, padding=same, W_std=1.3, b_std=0.4), GlobalAvgPool";
        for (Parameterization pz : Parameterization.values()) {
            Network lcn = Network.parse(spec, pz);
            double[] exact = new KernelEngine(1).kernels(lcn, x, n, null, 0, shape, false).nngp();
            double[] shared = new KernelEngine(1).kernels(Network.parse(spec.replace("LocallyConnected2D(", "Conv2D("),
                    pz), x, n, null, 0, shape, false).nngp();
            FiniteNetwork f = new FiniteNetwork(lcn, shape);
            double[] sum = new double[n * n];
            double[] sum2 = new double[n * n];
            for (int s = 0; s < seeds; s++) {
                Params p = f.init(100 + s);
                double[] out = f.forward(p, x, n).out(); // n × m
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < m; c++) {
                            double v = out[i * m + c] * out[j * m + c];
                            sum[i * n + j] += v;
                            sum2[i * n + j] += v * v;
                        }
                    }
                }
            }
            int samples = m * seeds;
            double worst = 0;
            double sharedBest = Double.POSITIVE_INFINITY;
            for (int e = 0; e < n * n; e++) {
                double mean = sum[e] / samples;
                double se = Math.sqrt((sum2[e] / samples - mean * mean) / (samples - 1));
                worst = Math.max(worst, Math.abs(mean - exact[e]) / se);
                sharedBest = Math.min(sharedBest, Math.abs(mean - shared[e]) / se);
            }
            System.out.printf("one-layer LCN, %d samples [%s]: worst |MC − LCN-GP| = %.2f se; the CNN-GP is at least"
                    + " %.1f se away%n", samples, pz, worst, sharedBest);
            assertTrue(worst < 4, "Monte Carlo vs LCN-GP: " + worst + " standard errors");
            assertTrue(sharedBest > 10, "the weight-shared kernel should be far: " + sharedBest);
        }
    }

    @Test
    void specAndRefusals() {
        Shape img = Shape.image(4, 4, 2);
        assertEquals("LocallyConnected2D(8, 3, padding=same, W_std=1.5), Flatten",
                Network.parse("LocallyConnected2D(8, 3, same, 1.5), Flatten", Parameterization.NTK).spec());
        assertMessage(() -> Network.parse("LocallyConnected2D(8, 4), Flatten", Parameterization.NTK), "odd");
        assertMessage(() -> Network.parse("LocallyConnected2D(8, 3), Flatten", Parameterization.NTK)
                .bind(Shape.signal(4, 2), false), "LocallyConnected2D(8, 3) takes images");
        assertMessage(() -> Network.parse("LocallyConnected2D(8, 3, padding=valid), Flatten", Parameterization.NTK),
                "padding must be one of circular, same");
        Network.parse("Conv2D(4, 3), Residual(Relu, LocallyConnected2D(4, 3)), Relu, Flatten", Parameterization.NTK)
                .bind(img, false);
    }
}
