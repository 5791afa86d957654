package ntk.dynamics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.Params;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's link between the two lives: finite networks trained by gradient descent (the finite engine)
 * against the infinite-width predictions (Jacot et al. 2018 Thm 2; Lee et al. 2019 eqs. 15–16). Each network
 * follows its own kernel prediction more closely as width grows, and across initialisations the trained
 * outputs have the predicted mean and spread.
 */
class WideTrainingVsPredictionTest {
    static final int[] WIDTHS = {64, 256, 1024};

    @Test
    void trainedWideNetworksLandOnThePredictedMeanAndSpread() {
        int n = 8;
        int m = 4;
        int d = 3;
        Random r = new Random(5);
        double[] all = new double[(n + m) * d];
        for (int i = 0; i < all.length; i++) {
            all[i] = r.nextGaussian();
        }
        double[] x = Arrays.copyOfRange(all, 0, n * d);
        double[] t = Arrays.copyOfRange(all, n * d, (n + m) * d);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(2 * x[i * d]) + 0.5 * x[i * d + 1];
        }
        int steps = 60;
        double lr = 0.5;
        TrainingTime time = TrainingTime.steps(steps, lr);
        int seeds = 12;
        double[] deviation = new double[WIDTHS.length];
        double[] meanGap = new double[m];
        double[] sampleVar = new double[m];
        double[] predMean = null;
        double[] predCov = null;
        for (int w = 0; w < WIDTHS.length; w++) {
            Network net = Network.parse(("Dense(M, W_std=1.4, b_std=0.1), Relu, Dense(M, W_std=1.4, b_std=0.1), Relu,"
                    + " Dense(1, b_std=0.1)").replace("M", Integer.toString(WIDTHS[w])), Parameterization.NTK);
            Kernels k = new KernelEngine(1).kernels(net, all, n + m, null, 0, d, true);
            double[] kxx = k.block(0, n, 0, n).ntk();
            double[] ktx = k.block(n, n + m, 0, n).ntk();
            if (w == WIDTHS.length - 1) {
                PriorCovariance prior = PriorCovariance.of(k.block(n, n + m, n, n + m).nngp(),
                        k.block(n, n + m, 0, n).nngp(), k.block(0, n, 0, n).nngp());
                Prediction p = KernelPredictor.fit(kxx, n, y, 1, 0).on(ktx, m, prior);
                predMean = p.mean(time);
                predCov = p.covariance(time);
            }
            FiniteNetwork fn = new FiniteNetwork(net, d);
            double dev = 0;
            double scale = 0;
            double[] sum = new double[m];
            double[] sumSq = new double[m];
            for (int s = 0; s < seeds; s++) {
                Params p0 = fn.init(1000 + s);
                double[] f0x = fn.forward(p0, x, n).out();
                double[] f0t = fn.forward(p0, t, m).out();
                Trainer.Result res = new Trainer(fn).train(p0, Trainer.Data.regression(x, n, y), Trainer.Data.inputs(t, m),
                        Trainer.Config.builder().steps(steps).learningRate(lr).recordEvery(steps).build(), null);
                double[] ft = res.testOut()[res.records() - 1];
                // this network's own prediction: f0(T) + K(T,X)K⁻¹(I − (I − ηK/n)^k)(Y − f0(X))
                double[] resid = new double[n];
                for (int i = 0; i < n; i++) {
                    resid[i] = y[i] - f0x[i];
                }
                double[] own = KernelPredictor.fit(kxx, n, resid, 1, 0).on(ktx, m).mean(time);
                for (int i = 0; i < m; i++) {
                    double want = f0t[i] + own[i];
                    dev += (ft[i] - want) * (ft[i] - want);
                    scale += want * want;
                    sum[i] += ft[i];
                    sumSq[i] += ft[i] * ft[i];
                }
            }
            deviation[w] = Math.sqrt(dev / scale);
            if (w == WIDTHS.length - 1) {
                for (int i = 0; i < m; i++) {
                    double mean = sum[i] / seeds;
                    meanGap[i] = mean - predMean[i];
                    sampleVar[i] = (sumSq[i] - seeds * mean * mean) / (seeds - 1);
                }
            }
        }
        double slope = slope(deviation);
        String report = "relative deviation from each network's kernel prediction by width " + Arrays.toString(deviation)
                + " (slope " + slope + "); at width 1024, mean over " + seeds + " seeds − predicted mean "
                + Arrays.toString(meanGap) + ", sample variances " + Arrays.toString(sampleVar) + " vs predicted "
                + Arrays.toString(new double[] {predCov[0], predCov[m + 1], predCov[2 * m + 2], predCov[3 * m + 3]});
        System.out.println(report);
        assertTrue(slope < -0.3, report);
        assertTrue(deviation[WIDTHS.length - 1] < 0.1, report);
        for (int i = 0; i < m; i++) {
            double v = predCov[i * m + i];
            // the mean of 12 draws is within 4 standard errors (plus a 2% allowance for the finite-width bias)
            assertTrue(Math.abs(meanGap[i]) < 4 * Math.sqrt(v / seeds) + 0.02 * (1 + Math.abs(predMean[i])), report);
            // s²/σ² ~ χ²₁₁/11: its 0.1%–99.9% range is about [0.17, 2.85]
            assertTrue(sampleVar[i] / v > 0.17 && sampleVar[i] / v < 2.85, report);
        }
    }

    static double slope(double[] err) {
        double mx = 0;
        double my = 0;
        int k = err.length;
        for (int i = 0; i < k; i++) {
            mx += Math.log(WIDTHS[i]) / k;
            my += Math.log(err[i]) / k;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < k; i++) {
            num += (Math.log(WIDTHS[i]) - mx) * (Math.log(err[i]) - my);
            den += (Math.log(WIDTHS[i]) - mx) * (Math.log(WIDTHS[i]) - mx);
        }
        return num / den;
    }
}
