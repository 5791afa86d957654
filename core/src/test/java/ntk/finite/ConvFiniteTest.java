package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import ntk.Parameterization;
import ntk.Shape;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.Params;
import org.junit.jupiter.api.Test;

/**
 * Finite 1-D convolutional networks: passes against finite differences and a hand-computed circular
 * convolution, the structured empirical NTK against the Jacobian contraction, and wide networks against the
 * analytic CNN-GP / CNTK at the 1/√channels rate (Novak et al. 2019; Arora et al. 2019; Hayou et al. Lemma 4).
 */
class ConvFiniteTest {
    static final int LEN = 5;
    static final int C = 2;
    static final Shape SHAPE = Shape.signal(LEN, C);

    static String[] architectures() {
        return new String[] {
            "Conv1D(4, 3, W_std=1.3, b_std=0.4), Tanh, Conv1D(3, 5, W_std=0.9, b_std=0.2), Erf, GlobalAvgPool,"
                    + " Dense(2, b_std=0.3)",
            "Conv1D(4, 3, b_std=0.2), Residual(Tanh, Conv1D(4, 3, b_std=0.5), scale=invsqrt_depth), Sin, Flatten,"
                    + " Dense(3, b_std=0.1), Tanh, Dense(2)",
            "Conv1D(3, 1, b_std=0.1), Softplus, Conv1D(2, 5), GlobalAvgPool",
            "Conv1D(3, 3), Residual(Relu, Conv1D(3, 3, W_std=0.5)), Flatten, Dense(1, b_std=0.2)"};
    }

    @Test
    void backwardAndJvpMatchCentralFiniteDifferences() {
        int n = 3;
        double[] x = FiniteNetworkTest.random(n * LEN * C, 1);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : architectures()) {
                FiniteNetwork net = new FiniteNetwork(Network.parse(arch, pz), SHAPE);
                FiniteDifferenceChecks.backward(net, net.init(7), x, n, 4, 3, arch + " [" + pz + "]");
                FiniteDifferenceChecks.jvp(net, net.init(11), x, n, arch + " [" + pz + "]");
            }
        }
    }

    @Test
    void structuredEqualsJacobianContraction() {
        int n1 = 4;
        int n2 = 3;
        double[] x1 = FiniteNetworkTest.random(n1 * LEN * C, 5);
        double[] x2 = FiniteNetworkTest.random(n2 * LEN * C, 6);
        for (Parameterization pz : Parameterization.values()) {
            for (String arch : architectures()) {
                FiniteNetwork net = new FiniteNetwork(Network.parse(arch, pz), SHAPE);
                Params p = net.init(13);
                for (boolean traced : new boolean[] {false, true}) {
                    double[][] pairs = {
                        EmpiricalNtk.structured(net, p, x1, n1, x2, n2, traced ? EmpiricalNtk.Outputs.TRACED : EmpiricalNtk.Outputs.EACH_PAIR),
                        EmpiricalNtk.contraction(net, p, x1, n1, x2, n2, traced),
                        EmpiricalNtk.structured(net, p, x1, n1, null, 0, traced ? EmpiricalNtk.Outputs.TRACED : EmpiricalNtk.Outputs.EACH_PAIR),
                        EmpiricalNtk.contraction(net, p, x1, n1, null, 0, traced)};
                    for (int k = 0; k < 4; k += 2) {
                        double max = Arrays.stream(pairs[k + 1]).map(Math::abs).max().orElse(1);
                        for (int i = 0; i < pairs[k].length; i++) {
                            assertEquals(pairs[k + 1][i], pairs[k][i], 1e-12 * max, arch + " [" + pz + "] traced=" + traced);
                        }
                    }
                }
            }
        }
    }

    @Test
    void circularPaddingMatchesAHandComputedConvolution() {
        // standard parameterisation: y(p) = W[0,0,0]·x(p−1) + W[0,0,1]·x(p) + W[0,0,2]·x(p+1) + b, indices mod 4
        FiniteNetwork net = new FiniteNetwork(Network.parse("Conv1D(1, 3), Flatten", Parameterization.STANDARD),
                Shape.signal(4, 1));
        Params p = new Params();
        p.put("0.W", new NdArray(new int[] {1, 1, 3}, new double[] {1, 10, 100}));
        p.put("0.b", new NdArray(new int[] {1}, new double[] {0.5}));
        double[] y = net.forward(p, new double[] {1, 2, 3, 4}, 1).out();
        // y(0) = 4 + 10 + 200 + .5; y(1) = 1 + 20 + 300 + .5; y(2) = 2 + 30 + 400 + .5; y(3) = 3 + 40 + 100 + .5
        assertArrayEquals(new double[] {214.5, 321.5, 432.5, 143.5}, y, 1e-12);
        // two input channels, position-major input x(p, c): channel 1 is weighted by W[0, 1, j]
        FiniteNetwork two = new FiniteNetwork(Network.parse("Conv1D(1, 3), GlobalAvgPool", Parameterization.STANDARD),
                Shape.signal(3, 2));
        Params q = new Params();
        q.put("0.W", new NdArray(new int[] {1, 2, 3}, new double[] {0, 1, 0, 0, 0, 2})); // x(p,0) + 2·x(p+1,1)
        q.put("0.b", new NdArray(new int[] {1}, new double[] {0}));
        double[] x = {1, 10, 2, 20, 3, 30}; // x(·,0) = 1,2,3; x(·,1) = 10,20,30
        // mean over p of x(p,0) + 2·x(p+1 mod 3, 1) = (1+2+3)/3 + 2·(10+20+30)/3
        assertEquals(2 + 40, two.forward(q, x, 1).out()[0], 1e-12);
        assertArrayEquals(new int[] {1, 2, 3}, two.shapes().get("0.W"));
    }

    @Test
    void initDrawsWithTheStatedVariances() {
        FiniteNetwork std = new FiniteNetwork(Network.parse("Conv1D(64, 5, W_std=2, b_std=0.5), Flatten",
                Parameterization.STANDARD), Shape.signal(8, 40));
        Params p = std.init(1);
        assertArrayEquals(new int[] {64, 40, 5}, p.get("0.W").shape);
        double v = Arrays.stream(p.data("0.W")).map(w -> w * w).average().orElse(0);
        assertEquals(4.0 / (5 * 40), v, 4.0 / (5 * 40) * 0.03, "W ~ N(0, W_std²/(k·C_in))"); // 12800 draws: ±1.3% sd
    }

    // ---- wide networks against the analytic kernels ----

    static final int[] WIDTHS = {64, 256, 1024};
    static final String[] WIDE = {
        "Conv1D(m, 3, W_std=1.4, b_std=0.2), Relu, Conv1D(m, 3, W_std=1.3, b_std=0.1), Erf, GlobalAvgPool, Dense(o, b_std=0.1)",
        "Conv1D(m, 3, W_std=1.2, b_std=0.1), Residual(Relu, Conv1D(m, 3, W_std=0.8), scale=invsqrt_depth),"
                + " Residual(Relu, Conv1D(m, 3, W_std=0.8), scale=invsqrt_depth), Relu, Flatten, Dense(o, b_std=0.1)"};

    @Test
    void wideNetworksApproachTheAnalyticKernelsAtInverseSqrtChannelsNtkParameterisation() {
        wideNetworksApproachTheAnalyticKernels(Parameterization.NTK);
    }

    @Test
    void wideNetworksApproachTheAnalyticKernelsAtInverseSqrtChannelsStandardParameterisation() {
        wideNetworksApproachTheAnalyticKernels(Parameterization.STANDARD);
    }

    /** RMS relative errors over 8 seeds at widths 64, 256, 1024 and their fitted log-log slope (−1/2 expected). */
    static void wideNetworksApproachTheAnalyticKernels(Parameterization pz) {
        int n = 5;
        Shape shape = Shape.signal(6, 2);
        FiniteVsAnalyticTest.approachesAnalyticKernels(pz, WIDE, WIDTHS, shape,
                FiniteNetworkTest.random(n * shape.size(), 21), n, 8, 0.1);
    }

    @Test
    void monteCarloEstimateTakesSignals() {
        int n = 4;
        Shape shape = Shape.signal(4, 3);
        double[] x = FiniteNetworkTest.random(n * 12, 9);
        Network net = Network.parse("Conv1D(256, 3, W_std=1.5), Relu, GlobalAvgPool, Dense(4)", Parameterization.NTK);
        Kernels exact = new KernelEngine(1).kernels(net, x, n, null, 0, shape, true);
        MonteCarloKernels.Estimate one = MonteCarloKernels.estimate(net, shape, x, n, null, 0, 6, 0, 1, null);
        MonteCarloKernels.Estimate two = MonteCarloKernels.estimate(net, shape, x, n, null, 0, 6, 0, 2, null);
        assertArrayEquals(one.ntk(), two.ntk());
        double e = FiniteVsAnalyticTest.relErr(one.ntk(), exact.ntk());
        assertTrue(e < 0.05, "Monte Carlo NTK relative error " + e);
    }
}
