package ntk.finite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ntk.NdArray;
import ntk.Parameterization;
import ntk.Params;
import ntk.Shape;
import ntk.arch.Network;
import org.junit.jupiter.api.Test;

/**
 * Finite locally connected 2-D networks: parameter shapes, passes against finite differences, the structured empirical
 * NTK against the Jacobian contraction, equal filters at every position giving the convolution, and wide networks
 * against the analytic LCN-GP / LCN-NTK at the 1/√channels rate. The PyTorch (unfold) check is a case of
 * {@link Conv2DFiniteTest#forwardBackwardAndEmpiricalNtkAgreeWithPyTorch}.
 */
class LocallyConnected2DFiniteTest {
    static final Shape SHAPE = Shape.image(4, 3, 2);

    static final String[] ARCHS = {
        "LocallyConnected2D(4, 3, W_std=1.3, b_std=0.4), Tanh, LocallyConnected2D(3, 3, padding=same, W_std=0.9,"
                + " b_std=0.2), Erf, GlobalAvgPool, Dense(2, b_std=0.3)",
        "Conv2D(3, 3, padding=same, b_std=0.2), Residual(Tanh, LocallyConnected2D(3, 3, b_std=0.5),"
                + " scale=invsqrt_depth), Sin, AvgPool2D(2), Flatten, Dense(2, b_std=0.1)",
        "LocallyConnected2D(3, 1, b_std=0.1), Softplus, LocallyConnected2D(2, 5, padding=same), Flatten, Dense(1)"};

    @Test
    void parametersArePerPosition() {
        FiniteNetwork net = new FiniteNetwork(Network.parse(ARCHS[0], Parameterization.NTK), SHAPE);
        Params p = net.init(1);
        assertArrayEquals(new int[] {4, 3, 4, 2, 3, 3}, p.get("0.W").shape);
        assertArrayEquals(new int[] {4, 3, 4}, p.get("0.b").shape);
        assertArrayEquals(new int[] {4, 3, 3, 4, 3, 3}, p.get("2.W").shape);
    }

    @Test
    void backwardAndJvpMatchCentralFiniteDifferences() {
        Conv2DFiniteTest.finiteDifferences(ARCHS, SHAPE);
    }

    @Test
    void structuredEqualsJacobianContraction() {
        Conv2DFiniteTest.structuredEqualsContraction(ARCHS, SHAPE);
    }

    @Test
    void theSameFilterAtEveryPositionIsTheConvolution() {
        // copy a Conv2D network's filter and bias to every position of its locally connected twin: the same function,
        // the same input gradient; the empirical NTK of the twin then sums, per position, the products the
        // convolution's NTK sums over all pairs of positions, so it is not compared.
        int n = 3;
        String conv = "Conv2D(4, 3, W_std=1.3, b_std=0.4), Relu, Conv2D(3, 3, padding=same, W_std=0.9, b_std=0.2), Erf,"
                + " Flatten, Dense(2, b_std=0.3)";
        for (Parameterization pz : Parameterization.values()) {
            FiniteNetwork fc = new FiniteNetwork(Network.parse(conv, pz), SHAPE);
            FiniteNetwork fl = new FiniteNetwork(Network.parse(conv.replace("Conv2D(", "LocallyConnected2D("), pz),
                    SHAPE);
            Params pc = fc.init(3);
            Params pl = fl.init(4);
            for (String key : pl.asMap().keySet()) {
                NdArray a = pc.get(key);
                NdArray b = pl.get(key);
                for (int o = 0; o < b.data.length; o += a.data.length) {
                    System.arraycopy(a.data, 0, b.data, o, a.data.length);
                }
            }
            double[] x = FiniteNetworkTest.random(n * SHAPE.size(), 8);
            FiniteNetwork.Forward yc = fc.forward(pc, x, n);
            FiniteNetwork.Forward yl = fl.forward(pl, x, n);
            assertArrayEquals(yc.out(), yl.out(), 1e-12);
            double[] cot = FiniteNetworkTest.random(n * 2, 9);
            assertArrayEquals(fc.backward(pc, yc, cot, null, null), fl.backward(pl, yl, cot, null, null), 1e-12);
        }
    }

    @Test
    void wideNetworksApproachTheAnalyticKernelsAtInverseSqrtChannels() {
        int n = 4;
        Shape shape = Shape.image(3, 3, 1);
        String[] wide = {
            "LocallyConnected2D(m, 3, W_std=1.4, b_std=0.2), Relu, LocallyConnected2D(m, 3, padding=same, W_std=1.3,"
                    + " b_std=0.1), Erf, GlobalAvgPool, Dense(o, b_std=0.1)",
            "LocallyConnected2D(m, 3, padding=same, W_std=1.2, b_std=0.1), Relu, LocallyConnected2D(m, 3, W_std=0.8),"
                    + " Relu, Flatten, Dense(o, b_std=0.1)"};
        // the NTK parameterisation (the standard one's map is checked by the one-layer Monte Carlo and the references)
        FiniteVsAnalyticTest.approachesAnalyticKernels(Parameterization.NTK, wide, new int[] {16, 64, 256}, shape,
                FiniteNetworkTest.random(n * shape.size(), 21), n, 6, 0.2);
    }
}
