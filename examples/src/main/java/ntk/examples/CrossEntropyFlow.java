package ntk.examples;

import java.util.Random;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.dynamics.KernelGradientFlow;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;

/**
 * The infinite-width network trained by gradient flow on the cross-entropy (kernel gradient descent for a cost other
 * than the squared loss): three Gaussian clusters in the plane, logits at growing times.
 */
public class CrossEntropyFlow {
    public static void main(String[] args) {
        int per = 10;
        int classes = 3;
        int n = per * classes;
        double[][] centre = {{2, 0}, {-1, 1.7}, {-1, -1.7}};
        Random r = new Random(2);
        double[][] x = new double[n][2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
            x[i][0] = centre[labels[i]][0] + 0.5 * r.nextGaussian();
            x[i][1] = centre[labels[i]][1] + 0.5 * r.nextGaussian();
        }
        double[][] t = {{2, 0.2}, {-1, 1.5}, {-1.2, -1.6}};
        Network net = Network.parse("Dense(512), Relu, Dense(512), Relu, Dense(1)", Parameterization.NTK);
        KernelEngine engine = new KernelEngine();
        Kernels kxx = engine.kernels(net, NdArray.of(x), null, KernelKind.NTK);
        Kernels ktx = engine.kernels(net, NdArray.of(t), NdArray.of(x), KernelKind.NTK);
        KernelGradientFlow flow = new KernelGradientFlow(kxx.of(KernelKind.NTK), n, ktx.of(KernelKind.NTK), t.length,
                classes);
        double[] times = {0, 1, 10, 100};
        KernelGradientFlow.Trajectory traj = flow.solve(KernelGradientFlow.crossEntropy(labels, classes),
                new double[n * classes], new double[t.length * classes], times, KernelGradientFlow.RTOL,
                KernelGradientFlow.ATOL, 1_000_000);
        for (int k = 0; k < times.length; k++) {
            double[] f = traj.test()[k];
            StringBuilder b = new StringBuilder(String.format("t = %-5s", times[k]));
            for (int i = 0; i < t.length; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    best = f[i * classes + c] > f[i * classes + best] ? c : best;
                }
                b.append(String.format("  point %d -> class %d (logit %.3f)", i, best, f[i * classes + best]));
            }
            System.out.println(b);
        }
        System.out.println(traj.steps() + " accepted ODE steps, " + traj.rejected() + " rejected");
    }
}
