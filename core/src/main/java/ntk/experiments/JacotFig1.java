package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.protocol.Params;
import ntk.finite.Trainer;
import ntk.io.NdArray;
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
public final class JacotFig1 implements Experiment {

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

        /** The reduced default: widths 100 and 1,000 and 5 seeds, otherwise as the paper. */
        public static Config reduced(long seed) {
            return new Config(new int[] {100, 1_000}, 5, 200, 1.0, 100, 181, seed);
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

    /** The science: limit, empirical kernels before and after training, the two deviations per width. */
    public static Result compute(Config c, Progress progress) {
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
        try (Progress.Task task = progress.task("training networks", (long) nw * c.seeds() * c.steps())) {
            for (int w = 0; w < nw; w++) {
                long t0 = System.nanoTime();
                FiniteNetwork net = JacotNetworks.finite(c.widths()[w], 1, 2);
                Trainer trainer = new Trainer(net);
                double sDev = 0;
                double sChange = 0;
                for (int s = 0; s < c.seeds(); s++) {
                    Params p0 = net.init(c.seed() + s);
                    init[w][s] = EmpiricalNtk.structured(net, p0, X0, 1, circle, c.grid(), false);
                    Trainer.Result r = trainer.train(p0, x, n, y, null, 0,
                            new Trainer.Config(c.steps(), c.learningRate(), 0, 0, false, c.steps()), k -> task.step());
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
                progress.log(String.format(Locale.ROOT, "width %-6d %d networks: Θ₀ off the limit by %.3g, Θ moved by"
                        + " %.3g (%.1f s)", c.widths()[w], c.seeds(), dev[w], change[w], (System.nanoTime() - t0) * 1e-9));
            }
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

    /** The claim this experiment tests (to be quoted from the paper). */
    static final PaperClaim CLAIM = null;

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "jacot-fig1";
    }

    @Override
    public String description() {
        return "Jacot, Gabriel & Hongler's Fig. 1: the empirical NTK Θ(x₀, x(γ)) of depth-4 ReLU networks (β = 0.1) on"
                + " the unit circle at initialisation and after 200 steps of gradient descent (learning rate 1.0) on"
                + " f*(x) = x₁x₂ with N(0, I₂) inputs, beside the infinite-width limit; widths 100 and 1,000, 5 seeds"
                + " each (--full: 500 and 10,000, 10 seeds, as the paper). Data: jacot-fig1.npz (gamma, limit, width_<w>/init and"
                + " width_<w>/trained (seeds, grid), width_<w>/final_loss).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--widths", null, "hidden widths (default 100,1000; --full 500,10000)"),
                new Param("--seeds", null, "networks per width (default 5; --full 10, as the paper)"),
                new Param("--steps", "200", "gradient-descent steps (the paper: 200)"),
                new Param("--learning-rate", "1.0", "learning rate (the paper: 1.0)"),
                new Param("--points", "100", "training inputs drawn from N(0, I₂)"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Config base = s.full() ? Config.full(s.seed()) : Config.reduced(s.seed());
        Config c = new Config(s.has("--widths") ? s.integers("--widths") : base.widths(),
                s.has("--seeds") ? s.integer("--seeds") : base.seeds(),
                s.integer("--steps"), s.number("--learning-rate"), s.integer("--points"), base.grid(), s.seed());
        return render(compute(c, progress));
    }

    /** The report: claim, verdict, table, the figure and the data. */
    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("jacot-fig1", "The NTK at finite width, before and after training (Jacot et al., Fig. 1)");
        rep.claim("Jacot, Gabriel & Hongler (NeurIPS 2018), Theorems 1 and 2 and Fig. 1: at initialisation the NTK of a"
                + " network converges to a deterministic limit Θ∞ as the widths grow, and it stays constant during"
                + " training; Fig. 1 shows Θ(x₀, x(γ)) on the unit circle for widths 500 and 10,000, where the wider"
                + " networks' kernels lie closer to the limit and barely move in 200 steps of gradient descent.");
        rep.param("architecture", JacotNetworks.template(1))
                .param("widths", java.util.Arrays.toString(c.widths())).param("networks per width", c.seeds())
                .param("training", String.format(Locale.ROOT, "%d steps of full-batch gradient descent, learning rate %s,"
                        + " loss 1/(2n) Σ (f(x_i) − x_i1 x_i2)² on n = %d inputs from N(0, I₂)", c.steps(),
                        c.learningRate(), c.trainPoints()))
                .param("kernel evaluated at", "x₀ = (1, 0) against x(γ) = (cos γ, sin γ), " + c.grid()
                        + " angles in [−π, π]");
        long[] seeds = new long[c.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() + i;
        }
        rep.seeds(seeds);
        double[] meanLoss = new double[nw];
        for (int w = 0; w < nw; w++) {
            meanLoss[w] = java.util.Arrays.stream(r.finalLoss()[w]).average().orElse(Double.NaN);
        }
        rep.summary("widths", c.widths()).summary("init_deviation", r.initDeviation())
                .summary("kernel_change", r.kernelChange()).summary("final_loss", meanLoss)
                .summary("limit_theta_x0_x0", r.limit()[(c.grid() - 1) / 2]);
        int narrow = 0;
        int wide = 0;
        for (int w = 0; w < nw; w++) {
            narrow = c.widths()[w] < c.widths()[narrow] ? w : narrow;
            wide = c.widths()[w] > c.widths()[wide] ? w : wide;
        }
        double sqrtRatio = Math.sqrt((double) c.widths()[wide] / c.widths()[narrow]);
        double devRatio = r.initDeviation()[narrow] / r.initDeviation()[wide];
        double changeRatio = r.kernelChange()[narrow] / r.kernelChange()[wide];
        boolean devShown = devRatio > 1;
        boolean changeShown = changeRatio > 1;
        rep.verdict(devShown && changeShown ? Report.Verdict.SHOWN : devShown || changeShown ? Report.Verdict.PARTLY
                : Report.Verdict.NOT_SHOWN, String.format(Locale.ROOT, "At width %d the initial kernel is %.3g (relative,"
                + " RMS over seeds) from the limit and moves by %.3g during training; at width %d: %.3g and %.3g. Wider"
                + " networks start %.2f× closer and move %.2f× less (1/√width predicts %.2f× for both).%s",
                c.widths()[wide], r.initDeviation()[wide], r.kernelChange()[wide], c.widths()[narrow],
                r.initDeviation()[narrow], r.kernelChange()[narrow], devRatio, changeRatio, sqrtRatio,
                changeRatio > 2 * sqrtRatio ? " The narrow networks' kernels move more than 1/√width alone"
                        + " would say: at that width training is not yet lazy." : ""));
        List<List<Object>> rows = new ArrayList<>();
        for (int w = 0; w < nw; w++) {
            rows.add(List.of(c.widths()[w], Report.num("init_deviation/" + w, r.initDeviation()[w]),
                    Report.num("kernel_change/" + w, r.kernelChange()[w]), Report.num("final_loss/" + w, meanLoss[w])));
        }
        rep.table("The empirical NTK Θ(x₀, ·) on the circle, per width (RMS over seeds)", List.of("width",
                "‖Θ₀ − Θ∞‖/‖Θ∞‖ at initialisation", "‖Θ_T − Θ₀‖/‖Θ₀‖ after training", "training loss after T steps"), rows);
        SvgPlot p = new SvgPlot(String.format(Locale.ROOT, "Θ(x₀, x(γ)) at t = 0 (solid) and after %d steps (dashed)",
                c.steps()), "γ", "Θ(x₀, x(γ))");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("gamma", NdArray.vector(r.gammas()));
        arrays.put("limit", NdArray.vector(r.limit()));
        for (int w = 0; w < nw; w++) {
            String key = "width_" + c.widths()[w];
            double[] in = new double[c.seeds() * c.grid()];
            double[] tr = new double[c.seeds() * c.grid()];
            for (int s = 0; s < c.seeds(); s++) {
                System.arraycopy(r.init()[w][s], 0, in, s * c.grid(), c.grid());
                System.arraycopy(r.trained()[w][s], 0, tr, s * c.grid(), c.grid());
                p.line("width " + c.widths()[w] + ", t = 0", r.gammas(), r.init()[w][s], SvgPlot.color(w), false, s == 0);
                p.line("width " + c.widths()[w] + ", after training", r.gammas(), r.trained()[w][s], SvgPlot.color(w),
                        true, s == 0);
            }
            arrays.put(key + "/init", new NdArray(new int[] {c.seeds(), c.grid()}, in));
            arrays.put(key + "/trained", new NdArray(new int[] {c.seeds(), c.grid()}, tr));
            arrays.put(key + "/final_loss", NdArray.vector(r.finalLoss()[w]));
        }
        p.line("infinite width", r.gammas(), r.limit(), "#000000", false, true);
        rep.plot("jacot-fig1", p, "One colour per width, one line per seed; black: the limiting NTK Θ∞ (ntk's"
                + " kernel engine). As in the paper's Fig. 1, the wider networks' curves bunch around the limit and"
                + " hardly change with training.");
        rep.npz("jacot-fig1.npz", arrays);
        return rep;
    }
}
