package ntk.experiments;

import java.util.function.IntConsumer;
import ntk.BadInputException;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.finite.Params;
import ntk.finite.Trainer;
import ntk.kernels.KernelEngine;

/**
 * Jacot, Gabriel &amp; Hongler 2018, §6 and Fig. 1: the empirical NTK Θ(x₀, x(γ)) of depth-4 ReLU networks
 * (β = 0.1, NTK parameterisation) on the unit circle, x₀ = (1, 0), x(γ) = (cos γ, sin γ), for several
 * widths and seeds, at initialisation and after training by gradient descent on f*(x) = x₁x₂ with inputs
 * N(0, I₂), beside the infinite-width limit Θ∞. The paper's claims (Theorems 1 and 2): as the width grows,
 * Θ₀ approaches Θ∞ and Θ stays constant during training.
 *
 * <p>Numbers: {@code initDeviation}[w] is the root mean square over seeds of ‖Θ₀(x₀,·) − Θ∞(x₀,·)‖/‖Θ∞(x₀,·)‖
 * (norms over the grid of γ); {@code kernelChange}[w] the root mean square over seeds of
 * ‖Θ_T(x₀,·) − Θ₀(x₀,·)‖/‖Θ₀(x₀,·)‖ after the T steps. Both should fall like 1/√width.
 */
public final class JacotFig1 {
    private JacotFig1() {
    }

    /**
     * widths: hidden widths; seeds: networks per width (parameter seeds 0..seeds−1 offset by {@code seed});
     * steps and learningRate: full-batch gradient descent (loss 1/(2n)Σ(f − y)², cli-contract.md);
     * trainPoints: n inputs N(0, I₂) drawn from {@code seed}; grid: angles γ on [−π, π].
     */
    public record Config(int[] widths, int seeds, int steps, double learningRate, int trainPoints, int grid, long seed) {
        public Config {
            if (widths.length == 0 || seeds < 1 || steps < 1 || trainPoints < 1 || grid < 3) {
                throw new BadInputException("jacot-fig1 needs widths, seeds >= 1, steps >= 1, points >= 1 and grid >= 3");
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new BadInputException("widths must be positive, got " + w);
                }
            }
        }

        /** The paper's set-up: widths 500 and 10,000, 10 seeds, 200 steps at learning rate 1.0. */
        public static Config full(long seed) {
            return new Config(new int[] {500, 10_000}, 10, 200, 1.0, 100, 181, seed);
        }

        /** The reduced default: widths 100 and 1,000, otherwise as the paper. */
        public static Config reduced(long seed) {
            return new Config(new int[] {100, 1_000}, 10, 200, 1.0, 100, 181, seed);
        }

        /** Units of work reported to the progress callback: one per gradient step. */
        public int work() {
            return widths.length * seeds * steps;
        }
    }

    /**
     * gammas (grid,); limit = Θ∞(x₀, x(γ)) (grid,); init[w][s] and trained[w][s] the empirical curves;
     * finalLoss[w][s] the training loss after the last step; initDeviation, kernelChange per width.
     */
    public record Result(Config config, double[] gammas, double[] limit, double[][][] init, double[][][] trained,
            double[][] finalLoss, double[] initDeviation, double[] kernelChange) {
    }

    /** x₀ = (1, 0). */
    static final double[] X0 = {1, 0};

    public static Result run(Config c, IntConsumer progress) {
        double[] gammas = Points.angles(c.grid());
        double[] circle = Points.circle(gammas);
        int n = c.trainPoints();
        double[] x = Points.gaussian(n, 2, c.seed());
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = x[2 * i] * x[2 * i + 1]; // f*(x) = x₁x₂
        }
        double[] limit = new KernelEngine().kernels(JacotNetworks.limit(1), X0, 1, circle, c.grid(), 2, true).ntk();
        int nw = c.widths().length;
        double[][][] init = new double[nw][c.seeds()][];
        double[][][] trained = new double[nw][c.seeds()][];
        double[][] loss = new double[nw][c.seeds()];
        double[] dev = new double[nw];
        double[] change = new double[nw];
        int[] done = {0};
        for (int w = 0; w < nw; w++) {
            FiniteNetwork net = JacotNetworks.finite(c.widths()[w], 1, 2);
            Trainer trainer = new Trainer(net);
            double sDev = 0;
            double sChange = 0;
            for (int s = 0; s < c.seeds(); s++) {
                Params p0 = net.init(c.seed() + s);
                init[w][s] = EmpiricalNtk.structured(net, p0, X0, 1, circle, c.grid(), false);
                int base = done[0];
                Trainer.Result r = trainer.train(p0, x, n, y, null, 0,
                        new Trainer.Config(c.steps(), c.learningRate(), 0, 0, false, c.steps()),
                        progress == null ? null : k -> progress.accept(base + k));
                done[0] = base + c.steps();
                if (r.divergedAt() >= 0) {
                    throw new BadInputException("jacot-fig1: width " + c.widths()[w] + ", seed " + (c.seed() + s)
                            + " diverged at step " + r.divergedAt() + " (learning rate " + c.learningRate() + ")");
                }
                trained[w][s] = EmpiricalNtk.structured(net, r.finalParams(), X0, 1, circle, c.grid(), false);
                loss[w][s] = r.loss()[r.records() - 1];
                double d = relativeDistance(init[w][s], limit);
                double ch = relativeDistance(trained[w][s], init[w][s]);
                sDev += d * d;
                sChange += ch * ch;
            }
            dev[w] = Math.sqrt(sDev / c.seeds());
            change[w] = Math.sqrt(sChange / c.seeds());
        }
        return new Result(c, gammas, limit, init, trained, loss, dev, change);
    }

    /** ‖a − b‖/‖b‖ (Euclidean norms over the entries). */
    static double relativeDistance(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
