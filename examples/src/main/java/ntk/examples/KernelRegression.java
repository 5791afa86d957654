package ntk.examples;

import java.util.Random;
import ntk.KernelKind;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.dynamics.TrainingTime;
import ntk.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.model.KernelRegressor;
import ntk.model.Predictions;

/**
 * Kernels and the trained infinite-width network with its covariance over initialisations (the NTK Gaussian
 * process): {@code KernelRegression [n]} on n random points of R^5 with targets sin(x₁).
 */
public class KernelRegression {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int m = 20;
        int d = 5;
        Random r = new Random(0);
        double[][] x = new double[n][d];
        double[][] y = new double[n][1];
        double[][] t = new double[m][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                x[i][k] = r.nextGaussian();
            }
            y[i][0] = Math.sin(x[i][0]);
        }
        for (int i = 0; i < m; i++) {
            for (int k = 0; k < d; k++) {
                t[i][k] = r.nextGaussian();
            }
        }
        Network net = Network.parse("Dense(512, b_std=0.1), Relu, Dense(512, b_std=0.1), Relu, Dense(1, b_std=0.1)",
                Parameterization.NTK);
        Kernels k = new KernelEngine().kernels(net, NdArray.of(x), null, KernelKind.NTK);     // Σ and Θ on x × x
        System.out.printf("Θ(x0, x0) = %.6f, Σ(x0, x1) = %.6f%n", k.ntk(0, 0), k.nngp(0, 1));
        Predictions p = new KernelRegressor(net, KernelKind.NTK)
                .times(TrainingTime.flow(1), TrainingTime.flow(100), TrainingTime.INFINITY)
                .withCovariance(true)
                .fit(NdArray.of(x), NdArray.of(y))
                .predict(NdArray.of(t));
        NdArray mean = p.meanArray();                                    // (3, m, 1)
        NdArray cov = p.covarianceArray();                               // (3, m, m)
        double mse = 0;
        for (int i = 0; i < m; i++) {
            double e = mean.data[2 * m + i] - Math.sin(t[i][0]);
            mse += e * e / m;
        }
        System.out.printf("mean %s, covariance %s, test MSE at t = inf %.4f, std at t0 %.4f%n", mean.shapeString(),
                cov.shapeString(), mse, Math.sqrt(cov.data[2 * m * m]));
    }
}
