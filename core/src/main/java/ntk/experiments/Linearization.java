package ntk.experiments;

import java.util.function.IntConsumer;
import ntk.BadInputException;
import ntk.dynamics.KernelPredictor;
import ntk.dynamics.TrainingTime;
import ntk.finite.FiniteNetwork;
import ntk.finite.Params;
import ntk.finite.Trainer;
import ntk.kernels.KernelEngine;
import ntk.linalg.Linalg;

/**
 * Lazy training against width (Pleiss' lecture notes, eq. 7: a wide network trained by gradient descent stays
 * near its first-order Taylor model f_lin(x; θ) = f(x; θ₀) + ∇_θf(x; θ₀)(θ − θ₀); Lee et al. 2019 §2.2;
 * Jacot et al. 2018 Thm 2). Depth-4 ReLU networks (β = 0.1, NTK parameterisation) of several widths, several
 * seeds each, are trained by full-batch gradient descent on (X, Y); after the k steps, per width (root mean
 * square over seeds):
 * <ul>
 * <li>{@code linearizationGap}: ‖f(X; θ_k) − f_lin(X; θ_k)‖/‖f(X; θ_k) − f(X; θ₀)‖ on the training inputs
 * (the Trainer's record): the second-order remainder over the first-order change. The Hessian of f shrinks
 * like 1/√width while ‖θ_k − θ₀‖ stays O(1), so theory says slope −1/2 on a log-log plot;</li>
 * <li>{@code paramChange}: ‖θ_k − θ₀‖/‖θ₀‖. In the NTK parameterisation ‖θ_k − θ₀‖ = O(1) and ‖θ₀‖ ≈ √P ∝ width,
 * so it falls like 1/width;</li>
 * <li>{@code kernelChange}: ‖Θ_k − Θ₀‖_F/‖Θ₀‖_F on the training inputs (theory: 1/√width);</li>
 * <li>{@code distanceToNtk}: the network's test outputs against the infinite-width network started from the same
 * initial function, f₀(T) + Θ∞(T,X)Θ∞⁻¹(I − (I − ηΘ∞/n)^k)(Y − f₀(X)) (the discrete-step form of Jacot et al.'s
 * kernel gradient descent with the limiting kernel), as ‖f_k(T) − f_k^∞(T)‖/‖f_k^∞(T) − f₀(T)‖ (theory: 1/√width).</li>
 * </ul>
 * The learning rate is {@code stepScale}·n/Λ_max with Λ_max the largest eigenvalue of Θ∞(X, X).
 */
public final class Linearization {
    private Linearization() {
    }

    /** Training set x (n×d), targets y (n×o), test inputs t (m×d); parameter seeds seed, seed + 1, …. */
    public record Config(double[] x, int n, int d, double[] y, int o, double[] t, int m, int[] widths, int seeds,
            int steps, double stepScale, long seed) {
        public Config {
            if (n < 1 || d < 1 || o < 1 || m < 1 || x.length != (long) n * d || y.length != (long) n * o
                    || t.length != (long) m * d) {
                throw new BadInputException("linearization: inconsistent data shapes");
            }
            if (widths.length == 0 || seeds < 1 || steps < 1 || !(stepScale > 0 && stepScale < 2)) {
                throw new BadInputException("linearization needs widths, seeds >= 1, steps >= 1, 0 < step scale < 2");
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new BadInputException("widths must be positive, got " + w);
                }
            }
        }

        /** One unit per gradient step. */
        public int work() {
            return widths.length * seeds * steps;
        }
    }

    /**
     * Per width (RMS over seeds): linearizationGap, paramChange, kernelChange, distanceToNtk, finalLoss (mean);
     * log-log fits against width of the gap, the parameter change, the kernel change and the distance;
     * testOut[w][s] and ntkOut[w][s] (m×o) the network's and the infinite-width network's test outputs after training.
     */
    public record Result(Config config, double learningRate, double[] linearizationGap, double[] paramChange,
            double[] kernelChange, double[] distanceToNtk, double[] finalLoss, LogLogFit gapFit, LogLogFit paramFit,
            LogLogFit kernelFit, LogLogFit distanceFit, double[][][] testOut, double[][][] ntkOut) {
    }

    public static Result run(Config c, IntConsumer progress) {
        ntk.arch.Network limit = JacotNetworks.limit(c.o());
        KernelEngine engine = new KernelEngine();
        double[] kxx = engine.kernels(limit, c.x(), c.n(), null, 0, c.d(), true).ntk();
        double[] ktx = engine.kernels(limit, c.t(), c.m(), c.x(), c.n(), c.d(), true).ntk();
        double lambdaMax = Linalg.symmetricEigenvalues(kxx.clone(), c.n())[c.n() - 1];
        double eta = c.stepScale() * c.n() / lambdaMax;
        TrainingTime time = TrainingTime.steps(c.steps(), eta);
        int nw = c.widths().length;
        double[] gap = new double[nw];
        double[] param = new double[nw];
        double[] kernel = new double[nw];
        double[] dist = new double[nw];
        double[] loss = new double[nw];
        double[][][] testOut = new double[nw][c.seeds()][];
        double[][][] ntkOut = new double[nw][c.seeds()][];
        int done = 0;
        Trainer.Config tc = new Trainer.Config(c.steps(), eta, 0, 0, false, c.steps());
        for (int w = 0; w < nw; w++) {
            FiniteNetwork net = JacotNetworks.finite(c.widths()[w], c.o(), c.d());
            Trainer trainer = new Trainer(net);
            for (int s = 0; s < c.seeds(); s++) {
                Params p0 = net.init(c.seed() + s);
                int base = done;
                Trainer.Result r = trainer.train(p0, c.x(), c.n(), c.y(), c.t(), c.m(), tc,
                        progress == null ? null : k -> progress.accept(base + k));
                done += c.steps();
                if (r.divergedAt() >= 0) {
                    throw new BadInputException("linearization: width " + c.widths()[w] + ", seed " + (c.seed() + s)
                            + " diverged at step " + r.divergedAt() + " (learning rate " + eta + ")");
                }
                int last = r.records() - 1;
                gap[w] += sq(r.linearizationGap()[last]);
                param[w] += sq(r.paramChange()[last]);
                kernel[w] += sq(r.kernelChange()[last]);
                loss[w] += r.loss()[last];
                double[] f0x = net.forward(p0, c.x(), c.n()).out();
                double[] f0t = r.testOut()[0];
                double[] resid = new double[f0x.length];
                for (int i = 0; i < resid.length; i++) {
                    resid[i] = c.y()[i] - f0x[i];
                }
                double[] pred = KernelPredictor.fit(kxx, c.n(), resid, c.o(), 0).on(ktx, c.m()).mean(time);
                double num = 0;
                double den = 0;
                double[] fk = r.testOut()[last];
                for (int i = 0; i < pred.length; i++) {
                    pred[i] += f0t[i];
                    num += sq(fk[i] - pred[i]);
                    den += sq(pred[i] - f0t[i]);
                }
                dist[w] += num / den;
                testOut[w][s] = fk;
                ntkOut[w][s] = pred;
            }
            gap[w] = Math.sqrt(gap[w] / c.seeds());
            param[w] = Math.sqrt(param[w] / c.seeds());
            kernel[w] = Math.sqrt(kernel[w] / c.seeds());
            dist[w] = Math.sqrt(dist[w] / c.seeds());
            loss[w] /= c.seeds();
        }
        double[] widths = java.util.Arrays.stream(c.widths()).asDoubleStream().toArray();
        return new Result(c, eta, gap, param, kernel, dist, loss, LogLogFit.of(widths, gap), LogLogFit.of(widths, param),
                LogLogFit.of(widths, kernel), LogLogFit.of(widths, dist), testOut, ntkOut);
    }

    private static double sq(double v) {
        return v * v;
    }
}
