package ntk.cli;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import ntk.Parameterization;
import ntk.arch.Network;
import ntk.dynamics.KernelPredictor;
import ntk.dynamics.KernelRegression;
import ntk.dynamics.Prediction;
import ntk.dynamics.TrainingTime;
import ntk.NdArray;
import ntk.io.Npy;
import ntk.kernels.KernelEngine;
import ntk.linalg.Linalg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ntk bench predict}: the cost of {@code ntk predict} on an N-point NTK — the eigendecomposition through
 * {@link KernelPredictor} vs raw LAPACK dsyevd, 100 times vs one, and t = ∞ alone by {@link KernelRegression} (Cholesky).
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Eigendecomposition (KernelPredictor vs raw dsyevd), 1 vs 100 times, Cholesky; single runs.")
final class PredictBench implements Callable<Integer> {
    @Option(names = "--n", defaultValue = "10000", description = "training points (default ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--m", defaultValue = "1000", description = "test points (default ${DEFAULT-VALUE})")
    int m;

    @Option(names = "--d", defaultValue = "64", description = "input dimension (default ${DEFAULT-VALUE})")
    int d;

    @Option(names = "--save", description = "directory to write K_train.npy, K_test.npy, Y.npy for the Python peer")
    Path save;

    @Override
    public Integer call() {
        Network net = Network.parse("Dense(512, b_std=0.1), Relu, Dense(512, b_std=0.1), Relu, Dense(1, b_std=0.1)",
                Parameterization.NTK);
        Random r = new Random(42);
        double[] x = gaussian(r, n * d);
        double[] t = gaussian(r, m * d);
        double[] y = gaussian(r, n);
        System.out.printf("ntk bench predict: N=%d m=%d d=%d, BLAS %s, Java %s, %d threads%n", n, m, d, Linalg.backend(),
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        KernelEngine engine = new KernelEngine();
        long t0 = System.nanoTime();
        double[] kxx = engine.kernels(net, x, n, null, 0, d, true).ntk();
        double[] ktx = engine.kernels(net, t, m, x, n, d, true).ntk();
        System.out.printf("kernels (NTK train + test):   %.2f s%n", secs(t0));
        if (save != null) {
            Npy.write(save.resolve("K_train.npy"), new NdArray(new int[] {n, n}, kxx));
            Npy.write(save.resolve("K_test.npy"), new NdArray(new int[] {m, n}, ktx));
            Npy.write(save.resolve("Y.npy"), new NdArray(new int[] {n, 1}, y));
        }
        double ridge = 1e-6;
        // warm-up of the JIT and of LAPACK's thread pool on a small problem
        KernelPredictor.fit(java.util.Arrays.copyOf(kxx, 0), 0, new double[0], 1, ridge);

        // the same matrix fit() decomposes (K + rI): divide and conquer's deflation, hence its time, depends on it
        double[] a = kxx.clone();
        for (int i = 0; i < n; i++) {
            a[i * n + i] += ridge;
        }
        t0 = System.nanoTime();
        rawDsyevd(a, n);
        double tRaw = secs(t0);
        a = null;
        System.gc();
        long base = BenchCommand.heapUsed();
        BenchCommand.HeapSampler sampler = new BenchCommand.HeapSampler();
        t0 = System.nanoTime();
        KernelPredictor fit = KernelPredictor.fit(kxx, n, y, 1, ridge);
        double tFit = secs(t0);
        t0 = System.nanoTime();
        Prediction at = fit.on(ktx, m);
        double tOn = secs(t0);
        t0 = System.nanoTime();
        double[] one = at.mean(TrainingTime.flow(10));
        double tOne = secs(t0);
        double[] times = new double[100];
        for (int j = 0; j < 100; j++) {
            times[j] = Math.pow(10, -2 + 6.0 * j / 99);
        }
        t0 = System.nanoTime();
        double[][] traj = at.trajectory(times);
        double tTraj = secs(t0);
        long peak = sampler.stop() - base;
        System.out.printf("raw LAPACK dsyevd:             %.2f s%n", tRaw);
        System.out.printf("KernelPredictor.fit (eig+VtY): %.2f s  = %.3fx raw dsyevd (target <= 1.3)%n", tFit, tFit / tRaw);
        System.out.printf("on(K(T,X)): K(T,X)V, m x n x n: %.3f s%n", tOn);
        System.out.printf("mean at 1 time:                %.4f s%n", tOne);
        System.out.printf("means at 100 times:            %.4f s%n", tTraj);
        System.out.printf("predict 100 times / 1 time (fit + on + means): %.3fx (target < 1.2)%n",
                (tFit + tOn + tTraj) / (tFit + tOn + tOne));
        System.out.printf("peak heap during fit+predict above the kernels: %.2f GB = %.2f N^2 doubles%n", peak / 1e9,
                peak / (8.0 * n * n));
        // t = inf alone: what `ntk predict --time inf` runs (KernelRegression: dpotrf, dpocon, dpotrs, K(T,X)·α)
        double[] f = kxx.clone();
        t0 = System.nanoTime();
        double[] viaChol = KernelRegression.fitInPlace(f, n, y, 1, ridge).mean(ktx, m);
        double tChol = secs(t0);
        double[] viaEig = traj[99].length == m ? at.mean(TrainingTime.INFINITY) : one;
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < m; i++) {
            diff = Math.max(diff, Math.abs(viaChol[i] - viaEig[i]));
            scale = Math.max(scale, Math.abs(viaChol[i]));
        }
        System.out.printf("t=inf alone by Cholesky (KernelRegression fit + mean): %.2f s; vs the eigen path max rel diff"
                + " %.2e%n", tChol, diff / scale);
        System.out.printf("RESULT n=%d eig_raw=%.3f fit=%.3f fit_ratio=%.3f on=%.3f one=%.4f hundred=%.4f chol=%.3f"
                + " peak_gb=%.2f%n", n, tRaw, tFit, tFit / tRaw, tOn, tOne, tTraj, tChol, peak / 1e9);
        return 0;
    }

    /** dsyevd straight on LAPACK, with its own workspace query: the yardstick for the Linalg wrapper. */
    static void rawDsyevd(double[] a, int n) {
        org.netlib.util.intW info = new org.netlib.util.intW(0);
        double[] w = new double[n];
        double[] wq = new double[1];
        int[] iq = new int[1];
        Linalg.lapack().dsyevd("V", "L", n, a, n, w, wq, -1, iq, -1, info);
        double[] work = new double[(int) wq[0]];
        int[] iwork = new int[iq[0]];
        Linalg.lapack().dsyevd("V", "L", n, a, n, w, work, work.length, iwork, iwork.length, info);
    }

    private static double[] gaussian(Random r, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) * 1e-9;
    }
}
