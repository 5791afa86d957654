package ntk.examples;

import java.util.Random;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.io.NdArray;
import ntk.kernels.KernelEngine;
import ntk.protocol.Params;

/**
 * A finite network's empirical NTK against the infinite-width one, before and after gradient-descent training:
 * {@code FiniteAgainstLimit [width]}.
 */
public class FiniteAgainstLimit {
    public static void main(String[] args) {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        int n = 16;
        int d = 3;
        Random r = new Random(1);
        double[] x = new double[n * d];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i * d + k] = r.nextGaussian();
            }
            y[i] = Math.tanh(x[i * d]);
        }
        String spec = "Dense(" + width + ", b_std=0.1), Relu, Dense(" + width + ", b_std=0.1), Relu, Dense(1, b_std=0.1)";
        Network net = Network.parse(spec, Parameterization.NTK);
        double[] limit = new KernelEngine().kernels(net, new NdArray(new int[] {n, d}, x), null, true).of(KernelKind.NTK);
        FiniteNetwork fn = new FiniteNetwork(net, d);
        Params p0 = fn.init(0);
        double[] theta0 = EmpiricalNtk.structured(fn, p0, x, n, null, 0, false);     // (n, n) for one output
        Trainer.Result run = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), null,
                Trainer.Config.gradientDescent(200, 1.0).recordEvery(200).build(), null);
        double[] theta1 = EmpiricalNtk.structured(fn, run.finalParams(), x, n, null, 0, false);
        System.out.printf("width %d: ‖Θ₀ − Θ∞‖/‖Θ∞‖ = %.4f, ‖Θ_T − Θ∞‖/‖Θ∞‖ = %.4f, loss %.4g -> %.4g%n", width,
                relative(theta0, limit), relative(theta1, limit), run.loss()[0], run.loss()[run.records() - 1]);
    }

    static double relative(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
