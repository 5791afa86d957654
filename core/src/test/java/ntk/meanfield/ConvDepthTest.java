package ntk.meanfield;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ntk.BadInputException;
import ntk.Shape;
import ntk.activations.Relu;
import ntk.activations.Tanh;
import org.junit.jupiter.api.Test;

/**
 * The convolutional depth families (Hayou et al., CNN: Prop. 1, appendix Lemmas 2–4) against the dense ones: on
 * signals constant along positions, a circular convolution averages equal entries, so the CNN recursion is the dense
 * recursion on one position (a second route through Dense instead of Conv1D); on varying signals the same limits.
 */
class ConvDepthTest {

    /** n signals of the given length, constant along positions, channel vector x_i (n × c). */
    static double[] constantSignals(double[] x, int n, int c, int len) {
        double[] s = new double[n * len * c];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < len; p++) {
                System.arraycopy(x, i * c, s, (i * len + p) * c, c);
            }
        }
        return s;
    }

    @Test
    void constantSignalsGiveTheDenseKernelsAtEveryDepth() {
        double[] x = {1.2, -0.3, 0.4, 0.9, -0.7, 0.5};
        int n = 3;
        int c = 2;
        int len = 5;
        double[] sig = constantSignals(x, n, c, len);
        Object[][] cases = {{new Relu(), Math.sqrt(2), 0.0, ArchKind.DENSE, ArchKind.CONV},
            {new Tanh(), 1.3, 0.2, ArchKind.DENSE, ArchKind.CONV},
            {new Relu(), 1.0, 0.0, ArchKind.RESNET, ArchKind.CONV_RESNET},
            {new Tanh(), 0.8, 0.1, ArchKind.RESNET, ArchKind.CONV_RESNET}};
        for (Object[] k : cases) {
            ntk.activations.Activation act = (ntk.activations.Activation) k[0];
            DepthProfile dense = DepthAnalysis.run(act, (double) k[1], (double) k[2], (ArchKind) k[3], 30, x, n, c);
            DepthProfile conv = DepthAnalysis.run(act, (double) k[1], (double) k[2], (ArchKind) k[4], 30, sig, n,
                    Shape.signal(len, c), false);
            for (int l = 0; l < 30; l++) {
                for (int e = 0; e < n * n; e++) {
                    double want = dense.ntk()[l][e];
                    assertEquals(want, conv.ntk()[l][e], 1e-12 * Math.abs(want), k[4] + " " + act.spec() + " depth "
                            + (l + 1));
                    assertEquals(dense.nngp()[l][e], conv.nngp()[l][e], 1e-12 * Math.abs(dense.nngp()[l][e]));
                }
            }
            assertEquals(dense.normalisation(), conv.normalisation());
        }
    }

    @Test
    void varyingSignalsApproachTheSameLimitsOnTheEdgeOfChaos() {
        int n = 3;
        int len = 6;
        double[] sig = new double[n * len];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < len; p++) {
                sig[i * len + p] = Math.sqrt(2) * Math.cos(2 * Math.PI * p / len + 0.7 * i);
            }
        }
        DepthProfile conv = DepthAnalysis.run(new Relu(), Math.sqrt(2), 0, ArchKind.CONV, 400, sig, n,
                Shape.signal(len, 1), false);
        // the average NTK K^L/L tends to its limit (q* on the diagonal, q*/4 off it for Relu) like 1/L
        assertTrue(conv.distance()[399] < conv.distance()[39] / 5, conv.distance()[39] + " -> " + conv.distance()[399]);
        double ratio = conv.distance()[199] / conv.distance()[399];
        assertEquals(2, ratio, 0.4, "doubling L halves the distance (1/L), up to log factors");
        assertThrows(BadInputException.class, () -> DepthAnalysis.run(new Relu(), 1, 0, ArchKind.CONV, 5, sig, n,
                Shape.dense(len), false), "a dense input to a conv family");
        assertThrows(BadInputException.class, () -> DepthAnalysis.run(new Relu(), 1, 0, ArchKind.DENSE, 5, sig, n,
                Shape.signal(len, 1), false), "signals to a dense family");
    }
}
