package ntk.dynamics;

import ntk.KernelKind;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import org.junit.jupiter.api.Test;

class ClassificationTest {
    @Test
    void oneHotArgmaxAndAccuracy() {
        int[] labels = {2, 0, 1, 2};
        double[] y = Classification.oneHot(labels, 3);
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, y, 0);
        assertArrayEquals(labels, Classification.argmax(y, 4, 3));
        double[] pred = {0.1, 0.2, 0.7, 0.5, 0.4, 0.1, 0.3, 0.3, 0.4, 0.9, 0.0, 0.1};
        assertEquals(0.5, Classification.accuracy(pred, 4, 3, labels), 0); // rows 0 and 1 right
        assertEquals(0.5, Classification.accuracy(pred, 4, 3, y), 0);
        assertArrayEquals(new double[] {-0.1, 0.9}, Classification.oneHot(new int[] {1}, 2, 0.9, -0.1), 0);
    }

    @Test
    void kernelRegressionOnOneHotSeparatesTwoGaussianClusters() {
        // two well-separated clusters: the NTK regressor at t = ∞ classifies held-out points perfectly
        Random r = new Random(7);
        int n = 40;
        int m = 20;
        int d = 3;
        double[] x = new double[n * d];
        double[] t = new double[m * d];
        int[] yl = new int[n];
        int[] tl = new int[m];
        for (int i = 0; i < n + m; i++) {
            int c = i % 2;
            double[] dst = i < n ? x : t;
            int row = i < n ? i : i - n;
            for (int j = 0; j < d; j++) {
                dst[row * d + j] = (c == 0 ? 3 : -3) * (j == 0 ? 1 : 0) + 0.3 * r.nextGaussian();
            }
            (i < n ? yl : tl)[row] = c;
        }
        Network net = Network.parse("Dense(512, b_std=0.1), Relu, Dense(1, b_std=0.1)", Parameterization.NTK);
        KernelEngine e = new KernelEngine();
        Kernels kxx = e.kernels(net, new NdArray(new int[] {n, d}, x), null, KernelKind.NTK);
        Kernels ktx = e.kernels(net, new NdArray(new int[] {m, d}, t), new NdArray(new int[] {n, d}, x), KernelKind.NTK);
        double[] mean = KernelPredictor.fit(kxx.ntk(), n, Classification.oneHot(yl, 2), 2, 1e-6)
                .on(ktx.ntk(), m).mean(TrainingTime.INFINITY);
        assertEquals(1.0, Classification.accuracy(mean, m, 2, tl), 0);
        // and a random labelling of the test points scores about chance, not 1 (the check can fail)
        int[] shuffled = tl.clone();
        for (int i = 0; i < m; i += 2) {
            shuffled[i] = 1 - shuffled[i];
        }
        assertTrue(Classification.accuracy(mean, m, 2, shuffled) < 0.6);
    }
}
