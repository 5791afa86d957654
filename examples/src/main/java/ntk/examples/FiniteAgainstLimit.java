package ntk.examples;

import java.util.Random;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.Params;

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
        NdArray xs = new NdArray(new int[] {n, d}, x);
        NdArray ys = new NdArray(new int[] {n, 1}, y);
        double[] limit = new KernelEngine().kernels(net, xs, null, KernelKind.NTK).of(KernelKind.NTK);
        FiniteNetwork fn = new FiniteNetwork(net, d);
        Params p0 = fn.init(0);
        NdArray theta0 = EmpiricalNtk.of(fn, p0, xs, null, EmpiricalNtk.Outputs.TRACED);     // (n, n)
        Trainer.Result run = new Trainer(fn).train(p0, Trainer.Data.regression(xs, ys), null,
                Trainer.Config.builder().steps(200).learningRate(1.0).recordEvery(200).build(), null);
        NdArray theta1 = EmpiricalNtk.of(fn, run.finalParams(), xs, null, EmpiricalNtk.Outputs.TRACED);
        System.out.printf("width %d: ‖Θ₀ − Θ∞‖/‖Θ∞‖ = %.4f, ‖Θ_T − Θ∞‖/‖Θ∞‖ = %.4f, loss %.4g -> %.4g%n", width,
                relative(theta0.data(), limit), relative(theta1.data(), limit), run.first().loss(), run.last().loss());
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
