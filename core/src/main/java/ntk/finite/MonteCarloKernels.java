package ntk.finite;

import java.util.function.IntConsumer;
import ntk.arch.Network;
import ntk.linalg.ParallelTasks;
import ntk.Params;

/**
 * Monte Carlo kernels: the average over independently initialised finite networks (seeds
 * baseSeed, baseSeed+1, …) of the empirical NTK and of the output product f(x)f(x')ᵀ (traced over
 * outputs). As width → ∞ these converge to the analytic Θ∞ and Σ (Jacot et al. 2018, Prop. 1, Thm 1).
 * Seeds run in parallel; results are summed in seed order, so the estimate is the same to the bit for
 * any thread count.
 */
public final class MonteCarloKernels {
    private MonteCarloKernels() {
    }

    /** Means over seeds: ntk and nngp, row-major n1×n2. */
    public record Estimate(int n1, int n2, int seeds, double[] ntk, double[] nngp) {
    }

    /**
     * The kernels of {@code seeds} finite networks averaged, with their spread.
     * @param net the architecture
     * @param d input dimension
     * @param x1 first inputs, row-major n1 × d
     * @param n1 first input count
     * @param x2 second inputs, or null for x1
     * @param n2 second input count
     * @param seeds networks to average
     * @param baseSeed the first seed
     * @param threads worker threads
     * @param progress receives the networks done, or null
     * @return the averages
     */
    public static Estimate estimate(Network net, int d, double[] x1, int n1, double[] x2, int n2, int seeds,
            long baseSeed, int threads, IntConsumer progress) {
        return estimate(net, ntk.Shape.dense(d), x1, n1, x2, n2, seeds, baseSeed, threads, progress);
    }

    /** As above for inputs of any shape (signals (length, channels) for convolutional networks). */
    public static Estimate estimate(Network net, ntk.Shape shape, double[] x1, int n1, double[] x2, int n2,
            int seeds, long baseSeed, int threads, IntConsumer progress) {
        FiniteNetwork fn = new FiniteNetwork(net, shape);
        int m2 = x2 == null ? n1 : n2;
        double[] ntk = new double[n1 * m2];
        double[] nngp = new double[n1 * m2];
        // in seed order: thread-count independent sums
        ParallelTasks.run(threads, seeds, s -> {
            Params p = fn.init(baseSeed + s);
            return new double[][] {EmpiricalNtk.structured(fn, p, x1, n1, x2, n2, EmpiricalNtk.Outputs.TRACED),
                EmpiricalNtk.outputProduct(fn, p, x1, n1, x2, n2)};
        }, (s, r) -> {
            for (int i = 0; i < ntk.length; i++) {
                ntk[i] += r[0][i];
                nngp[i] += r[1][i];
            }
            if (progress != null) {
                progress.accept(s + 1);
            }
        });
        for (int i = 0; i < ntk.length; i++) {
            ntk[i] /= seeds;
            nngp[i] /= seeds;
        }
        return new Estimate(n1, m2, seeds, ntk, nngp);
    }
}
