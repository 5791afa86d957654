package ntk.experiments;

import java.util.function.IntConsumer;
import ntk.BadInputException;
import ntk.dynamics.KernelPca;
import ntk.finite.FiniteNetwork;
import ntk.finite.Params;
import ntk.finite.Trainer;
import ntk.kernels.KernelEngine;

/**
 * Jacot, Gabriel &amp; Hongler 2018, §6 "Convergence along a principal component" and Fig. 3: the kernel
 * principal components of a batch of N digits with respect to the limiting NTK Θ∞ of the depth-4 ReLU network
 * (β = 0.1), and networks of several widths trained from their own initial function f₀ towards
 * f* = f₀ + ½f⁽²⁾, f⁽²⁾ the second component. In the limit the residual f_t − f* = −½e^{−λ₂t}f⁽²⁾ moves
 * along a straight line and decays at the rate λ₂.
 *
 * <p>Conventions: functions on the batch carry the paper's p_in norm ‖f‖² = (1/N)Σf(xᵢ)², so f⁽ⁱ⁾ = √N·vᵢ
 * with vᵢ the unit eigenvector of the Gram matrix K = Θ∞(X, X) of eigenvalue Λᵢ; the paper's operator
 * eigenvalue is λᵢ = Λᵢ/N, which is also the decay rate under the project's loss 1/(2N)Σ(f − y)²
 * (cli-contract.md: f_t − Y = e^{−tK/N}(f₀ − Y)). Time is t = η·step. At each record the residual
 * r_t = f_t − f* is split into g_t = ⟨r_t, f⁽²⁾⟩ (−½e^{−λ₂t} in the limit) and h_t = r_t − g_t f⁽²⁾ (0 in the
 * limit). {@code pc2RateMeasured}[w] is the mean over seeds of the least-squares slope of −log|g_t| against t;
 * {@code lineDeviation}[w] the root mean square over seeds of max_t ‖h_t‖/‖r_0‖ (‖r_0‖ = ½).
 */
public final class JacotFig3 {
    private JacotFig3() {
    }

    /**
     * x: N inputs (row-major N×d) as the network sees them; labels (may be null) only colour the plots;
     * widths, seeds per width (parameter seeds {@code seed}, {@code seed}+1, …); the learning rate is
     * {@code stepScale}·N/Λ₁ (so one step moves the first component by the factor 1 − stepScale) and training
     * lasts until λ₂t = {@code decayTimes}; {@code records} records along the way.
     */
    public record Config(double[] x, int n, int d, int[] labels, int[] widths, int seeds, double stepScale,
            double decayTimes, int records, long seed) {
        public Config {
            if (n < 4 || d < 1 || x.length != (long) n * d) {
                throw new BadInputException("jacot-fig3 needs at least 4 inputs of dimension d, got " + n + "×" + d);
            }
            if (widths.length == 0 || seeds < 1 || !(stepScale > 0 && stepScale < 2) || !(decayTimes > 0)
                    || records < 3) {
                throw new BadInputException("jacot-fig3 needs widths, seeds >= 1, 0 < step scale < 2, decay > 0,"
                        + " records >= 3");
            }
        }

        /** Gradient-descent steps for Λ₁ and Λ₂ (eigenvalues of K). */
        int steps(double lambda1, double lambda2) {
            return (int) Math.ceil(decayTimes * lambda1 / (stepScale * lambda2));
        }
    }

    /**
     * eigenvalues: the top {@link #TOP} eigenvalues of K/N (the paper's λᵢ), descending; components: the first
     * three components f⁽¹⁾, f⁽²⁾, f⁽³⁾ on the batch (3×N, p_in-unit); learningRate, steps; time (records,);
     * g[w][s] and h[w][s] (records,) per width and seed; pc2RateTheory = λ₂ (gradient flow) and
     * pc2RateDiscrete = −log(1 − ηλ₂)/η (what η-steps give in the limit); pc2RateMeasured, lineDeviation per width.
     */
    public record Result(Config config, double[] eigenvalues, double[][] components, double learningRate, int steps,
            double[] time, double[][][] g, double[][][] h, double pc2RateTheory, double pc2RateDiscrete,
            double[] pc2RateMeasured, double[] lineDeviation) {
    }

    /** How many eigenvalues the result keeps. */
    public static final int TOP = 10;

    public static Result run(Config c, IntConsumer progress) {
        int n = c.n();
        double[] k = new KernelEngine().kernels(JacotNetworks.limit(1), c.x(), n, null, 0, c.d(), true).ntk();
        KernelPca pca = KernelPca.of(k, n, new double[n], 1);
        double[] top = new double[Math.min(TOP, n)];
        for (int i = 0; i < top.length; i++) {
            top[i] = pca.eigenvalue(i) / n;
        }
        double[][] comps = new double[3][];
        for (int i = 0; i < 3; i++) {
            comps[i] = pca.eigenvector(i);
            orient(comps[i]);
            for (int j = 0; j < n; j++) {
                comps[i][j] *= Math.sqrt(n);
            }
        }
        double[] f2 = comps[1];
        double eta = c.stepScale() / top[0];
        int steps = c.steps(top[0], top[1]);
        int every = Math.max(1, steps / (c.records() - 1));
        Trainer.Config tc = new Trainer.Config(steps, eta, 0, 0, false, every);
        double[] time = null;
        int nw = c.widths().length;
        double[][][] g = new double[nw][c.seeds()][];
        double[][][] h = new double[nw][c.seeds()][];
        double[] rate = new double[nw];
        double[] line = new double[nw];
        int done = 0;
        for (int w = 0; w < nw; w++) {
            FiniteNetwork net = JacotNetworks.finite(c.widths()[w], 1, c.d());
            Trainer trainer = new Trainer(net);
            double sumRate = 0;
            double sumLine = 0;
            for (int s = 0; s < c.seeds(); s++) {
                Params p0 = net.init(c.seed() + s);
                double[] f0 = net.forward(p0, c.x(), n).out();
                double[] target = new double[n];
                for (int j = 0; j < n; j++) {
                    target[j] = f0[j] + 0.5 * f2[j]; // f* = f₀ + ½f⁽²⁾
                }
                int base = done;
                Trainer.Result r = trainer.train(p0, c.x(), n, target, c.x(), n, tc,
                        progress == null ? null : st -> progress.accept(base + st));
                done += steps;
                if (r.divergedAt() >= 0) {
                    throw new BadInputException("jacot-fig3: width " + c.widths()[w] + ", seed " + (c.seed() + s)
                            + " diverged at step " + r.divergedAt() + " (learning rate " + eta + ")");
                }
                int rec = r.records();
                time = new double[rec];
                g[w][s] = new double[rec];
                h[w][s] = new double[rec];
                double maxH = 0;
                for (int t = 0; t < rec; t++) {
                    time[t] = eta * r.step()[t];
                    double[] f = r.testOut()[t];
                    double gt = 0;
                    for (int j = 0; j < n; j++) {
                        gt += (f[j] - target[j]) * f2[j];
                    }
                    gt /= n; // ⟨r, f⁽²⁾⟩ in the p_in inner product
                    double hh = 0;
                    for (int j = 0; j < n; j++) {
                        double e = f[j] - target[j] - gt * f2[j];
                        hh += e * e;
                    }
                    g[w][s][t] = gt;
                    h[w][s][t] = Math.sqrt(hh / n);
                    maxH = Math.max(maxH, h[w][s][t]);
                }
                sumRate += decayRate(time, g[w][s]);
                double dev = maxH / 0.5;
                sumLine += dev * dev;
            }
            rate[w] = sumRate / c.seeds();
            line[w] = Math.sqrt(sumLine / c.seeds());
        }
        double discrete = -Math.log1p(-eta * top[1]) / eta;
        return new Result(c, top, comps, eta, steps, time, g, h, top[1], discrete, rate, line);
    }

    /** Least-squares slope of −log|g| against t (the exponential decay rate of g). */
    static double decayRate(double[] t, double[] g) {
        double st = 0;
        double sy = 0;
        double stt = 0;
        double sty = 0;
        int m = 0;
        for (int i = 0; i < t.length; i++) {
            if (g[i] != 0) {
                double y = Math.log(Math.abs(g[i]));
                st += t[i];
                sy += y;
                stt += t[i] * t[i];
                sty += t[i] * y;
                m++;
            }
        }
        return -(m * sty - st * sy) / (m * stt - st * st);
    }

    /** Fixes an eigenvector's sign (LAPACK's is arbitrary): its largest-magnitude entry positive. */
    private static void orient(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (Math.abs(v[i]) > Math.abs(v[best])) {
                best = i;
            }
        }
        if (v[best] < 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
        }
    }
}
