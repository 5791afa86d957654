package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.arch.Network;
import ntk.KernelKind;
import ntk.dynamics.TrainingTime;
import ntk.finite.FiniteNetwork;
import ntk.finite.Trainer;
import ntk.io.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.model.KernelRegressor;
import ntk.model.Predictions;

/**
 * Jacot, Gabriel &amp; Hongler 2018, Fig. 2: networks of depth 4 (ReLU, NTK parameterisation, β = 0.1) of
 * widths 50 and 1,000, 10 seeds each, trained by full-batch gradient descent for 1,000 steps at learning rate
 * 1.0 on 4 points of the unit circle, against the 10th, 50th and 90th percentiles of the limiting Gaussian
 * process at t → ∞ (mean: kernel regression with the NTK, Jacot et al. §5; covariance: Lee et al. 2019 eqs.
 * 15–16, training from the NNGP prior).
 */
public final class JacotFig2 implements Experiment {
    /** z of the 90th percentile of N(0, 1): the 10–90 % band is mean ± Z90·σ. */
    public static final double Z90 = 1.2815515655446004;
    static final int GRID = 181;
    static final double[] TRAIN_GAMMA = {-2.0, -1.2, 0.4, 1.5};
    static final double[] TRAIN_Y = {-0.4, 0.3, 0.5, -0.2};

    public record Config(int[] widths, int seeds, int steps, double learningRate, long seed) {
        public Config {
            if (widths.length == 0 || seeds < 2 || steps < 1 || !(learningRate > 0)) {
                throw new BadInputException("--widths must be non-empty, --seeds >= 2, --steps >= 1, --learning-rate > 0");
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new BadInputException("--widths must be positive, got " + w);
                }
            }
        }
    }

    /** Per width: the trained networks' outputs on the grid (seeds × GRID) and their relative kernel change. */
    public record WidthRun(int width, double[] outputs, double[] kernelChange) {
    }

    /**
     * The grid angles, the t → ∞ Gaussian process (mean, standard deviation) and the GP after the same discrete
     * steps, the NTK's largest eigenvalue on the training points, and the runs.
     */
    public record Result(Config config, double[] gamma, double[] gpMean, double[] gpStd, double[] stepsMean,
            double[] stepsStd, double lambdaMax, List<WidthRun> runs) {
        /** RMS over the grid of (networks' mean − GP mean), divided by the RMS GP standard deviation. */
        public double meanGap(int wi) {
            int s = config.seeds();
            double gap = 0;
            double var = 0;
            for (int i = 0; i < GRID; i++) {
                double m = 0;
                for (int sd = 0; sd < s; sd++) {
                    m += runs.get(wi).outputs()[sd * GRID + i] / s;
                }
                gap += (m - gpMean[i]) * (m - gpMean[i]);
                var += gpStd[i] * gpStd[i];
            }
            return Math.sqrt(gap / var);
        }

        /** Share of all (seed, grid point) outputs inside the GP's 10–90 % band. */
        public double coverage(int wi) {
            double[] o = runs.get(wi).outputs();
            int in = 0;
            for (int k = 0; k < o.length; k++) {
                int i = k % GRID;
                in += Math.abs(o[k] - gpMean[i]) <= Z90 * gpStd[i] ? 1 : 0;
            }
            return in / (double) o.length;
        }

        /** Mean over the grid of the networks' sample variance over the GP variance. */
        public double varianceRatio(int wi) {
            int s = config.seeds();
            double[] o = runs.get(wi).outputs();
            double r = 0;
            for (int i = 0; i < GRID; i++) {
                double s1 = 0;
                double s2 = 0;
                for (int sd = 0; sd < s; sd++) {
                    s1 += o[sd * GRID + i];
                    s2 += o[sd * GRID + i] * o[sd * GRID + i];
                }
                double m = s1 / s;
                r += (s2 - s * m * m) / (s - 1) / (gpStd[i] * gpStd[i]) / GRID;
            }
            return r;
        }

        /** Max over the grid of |GP mean after the steps − GP mean at t → ∞|, in RMS GP standard deviations. */
        public double stepsGap() {
            double d = 0;
            double var = 0;
            for (int i = 0; i < GRID; i++) {
                d = Math.max(d, Math.abs(stepsMean[i] - gpMean[i]));
                var += gpStd[i] * gpStd[i] / GRID;
            }
            return d / Math.sqrt(var);
        }

        public double meanKernelChange(int wi) {
            return java.util.Arrays.stream(runs.get(wi).kernelChange()).average().orElse(Double.NaN);
        }
    }

    /** The claim this experiment tests (to be quoted from the paper). */
    static final PaperClaim CLAIM = null;

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "jacot-fig2";
    }

    @Override
    public List<String> aliases() {
        return List.of("training");
    }

    @Override
    public String description() {
        return "Jacot, Gabriel & Hongler's Fig. 2: depth-4 ReLU networks (NTK parameterisation, β = 0.1) of two widths,"
                + " 10 seeds each, trained by gradient descent on 4 points of the unit circle, against the 10th/50th/90th"
                + " percentiles of the t → ∞ Gaussian process. Default: widths 50 and 1000, 10 seeds, 300 steps at"
                + " learning rate 1.0 (the GP mean after 300 steps is within 1e-3 GP standard deviations of its t → ∞"
                + " limit here); --full: 1000 steps as the paper. Data: jacot-fig2.npz (gamma, train_gamma, train_y,"
                + " gp_mean, gp_std, steps_mean, steps_std, width_<w>/outputs (seeds, 181), width_<w>/kernel_change).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--learning-rate", "1.0", "gradient-descent learning rate (Jacot et al.: 1.0)"),
                new Param("--widths", null, "hidden widths (default 50,1000, as the paper)"),
                new Param("--seeds", null, "networks per width (default 10, as the paper)"),
                new Param("--steps", null, "gradient-descent steps (default 300, which already reach t → ∞ here;"
                        + " 1000 with --full, as the paper)"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Config c = new Config(s.has("--widths") ? s.integers("--widths") : new int[] {50, 1000},
                s.has("--seeds") ? s.integer("--seeds") : 10, s.has("--steps") ? s.integer("--steps") : s.full() ? 1000 : 300,
                s.number("--learning-rate"), s.seed());
        return render(compute(c, progress));
    }

    /** The science. */
    public static Result compute(Config c, Progress progress) {
        double[] gamma = Points.angles(GRID);
        double[] xg = Points.circle(gamma);
        double[] x = Points.circle(TRAIN_GAMMA);
        int n = TRAIN_GAMMA.length;
        int na = n + GRID;
        double[] all = new double[2 * na];
        System.arraycopy(x, 0, all, 0, 2 * n);
        System.arraycopy(xg, 0, all, 2 * n, 2 * GRID);
        Network limitNet = JacotNetworks.limit(1);
        // one kernel computation on [training points; grid], cut into train × train, grid × train and grid × grid
        Kernels k = new KernelEngine().kernels(limitNet, all, na, null, 0, 2, true);
        TrainingTime steps = TrainingTime.steps(c.steps(), c.learningRate());
        KernelRegressor gp = new KernelRegressor(limitNet, KernelKind.NTK).times(TrainingTime.INFINITY, steps)
                .withCovariance(true).fit(k.block(0, n, 0, n), new NdArray(new int[] {n, 1}, TRAIN_Y));
        double maxRate = gp.maxStableLearningRate();
        if (c.learningRate() >= maxRate) {
            throw new BadInputException(String.format(Locale.ROOT, "--learning-rate %.4g diverges: gradient descent on"
                    + " these 4 points needs η < 2n/λ_max = %.4g", c.learningRate(), maxRate));
        }
        double lambdaMax = 2.0 * n / maxRate;
        Predictions pred = gp.predict(k.block(n, na, 0, n), k.block(n, na, n, na).nngp());
        double[] gpMean = pred.means()[0];
        double[] gpStd = diagSqrt(pred.covariances()[0]);
        double[] stepsMean = pred.means()[1];
        double[] stepsStd = diagSqrt(pred.covariances()[1]);
        List<WidthRun> runs = new ArrayList<>();
        try (Progress.Task t = progress.task("training networks", (long) c.widths().length * c.seeds())) {
            for (int w : c.widths()) {
                long t0 = System.nanoTime();
                FiniteNetwork fn = JacotNetworks.finite(w, 1, 2);
                double[] outs = new double[c.seeds() * GRID];
                double[] kc = new double[c.seeds()];
                for (int sd = 0; sd < c.seeds(); sd++) {
                    Trainer.Result r = new Trainer(fn).train(fn.init(c.seed() + sd), x, n, TRAIN_Y, xg, GRID,
                            new Trainer.Config(c.steps(), c.learningRate(), 0, 0, false, c.steps()), null);
                    System.arraycopy(r.testOut()[r.records() - 1], 0, outs, sd * GRID, GRID);
                    kc[sd] = r.kernelChange()[r.records() - 1];
                    t.step();
                }
                runs.add(new WidthRun(w, outs, kc));
                progress.log(String.format(Locale.ROOT, "width %-6d %d networks trained (%.1f s)", w, c.seeds(),
                        (System.nanoTime() - t0) * 1e-9));
            }
        }
        return new Result(c, gamma, gpMean, gpStd, stepsMean, stepsStd, lambdaMax, runs);
    }

    private static double[] diagSqrt(double[] cov) {
        int m = (int) Math.round(Math.sqrt(cov.length));
        double[] s = new double[m];
        for (int i = 0; i < m; i++) {
            s[i] = Math.sqrt(Math.max(cov[i * m + i], 0));
        }
        return s;
    }

    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("jacot-fig2", "Trained networks against the limiting Gaussian process (Jacot et al., Fig. 2)");
        rep.claim("Jacot, Gabriel & Hongler (NeurIPS 2018), Theorem 2 and Fig. 2: as the width grows, a network trained"
                + " by gradient descent follows kernel gradient descent with the (fixed) limiting NTK, so the trained"
                + " functions over random initialisations approach a Gaussian process whose t → ∞ mean is kernel regression"
                + " with the NTK; Fig. 2 shows width-1,000 networks spread like its 10th–90th percentiles while width-50"
                + " networks deviate more.");
        rep.param("architecture", JacotNetworks.template(1))
                .param("widths", java.util.Arrays.toString(c.widths())).param("networks per width", c.seeds())
                .param("steps", c.steps()).param("learning rate", c.learningRate())
                .param("training data", "4 points γ = " + java.util.Arrays.toString(TRAIN_GAMMA) + " on the unit circle,"
                        + " targets " + java.util.Arrays.toString(TRAIN_Y))
                .param("loss", "1/(2n) Σ (f(x_i) − y_i)², full batch")
                .param("NTK largest eigenvalue on the training points", String.format(Locale.ROOT, "%.4g (η λ_max / n = %.3g)",
                        r.lambdaMax(), c.learningRate() * r.lambdaMax() / 4));
        long[] seeds = new long[c.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() + i;
        }
        rep.seeds(seeds);
        double[] gap = new double[nw];
        double[] cov = new double[nw];
        List<List<Object>> rows = new ArrayList<>();
        double[] ratio = new double[nw];
        double[] kc = new double[nw];
        for (int wi = 0; wi < nw; wi++) {
            gap[wi] = r.meanGap(wi);
            cov[wi] = r.coverage(wi);
            ratio[wi] = r.varianceRatio(wi);
            kc[wi] = r.meanKernelChange(wi);
        }
        rep.summary("widths", c.widths()).summary("mean_gap", gap).summary("gp_band_coverage", cov)
                .summary("variance_ratio", ratio).summary("kernel_change", kc)
                .summary("seeds_per_width", c.seeds()).summary("steps", c.steps())
                .summary("learning_rate", c.learningRate())
                .summary("gp_steps_vs_limit", r.stepsGap());
        for (int wi = 0; wi < nw; wi++) {
            rows.add(List.of(c.widths()[wi], Report.num("mean_gap/" + wi, gap[wi]),
                    Report.num("gp_band_coverage/" + wi, cov[wi], "%.3f"), Report.num("variance_ratio/" + wi, ratio[wi]),
                    Report.num("kernel_change/" + wi, kc[wi])));
        }
        // the sampling floor of the mean gap: the mean of s draws from the GP is off by σ/√s
        double floor = 1 / Math.sqrt(c.seeds());
        int narrow = 0;
        int wide = 0;
        for (int wi = 0; wi < nw; wi++) {
            narrow = c.widths()[wi] < c.widths()[narrow] ? wi : narrow;
            wide = c.widths()[wi] > c.widths()[wide] ? wi : wide;
        }
        boolean closer = gap[wide] < gap[narrow] || Math.abs(cov[wide] - 0.8) < Math.abs(cov[narrow] - 0.8);
        boolean wideFits = gap[wide] < 3 * floor && Math.abs(cov[wide] - 0.8) < 0.15;
        rep.verdict(closer && wideFits ? Report.Verdict.SHOWN : wideFits || closer ? Report.Verdict.PARTLY
                : Report.Verdict.NOT_SHOWN, String.format(Locale.ROOT, "The widest networks (width %d) have their mean"
                + " %.3g GP standard deviations (RMS) from the GP mean (the sampling error of a mean of %d draws is %.3g) and"
                + " %.1f %% of their outputs inside the 10–90 %% band (80 %% for the GP itself); the narrowest (width %d):"
                + " %.3g and %.1f %%.%s", c.widths()[wide], gap[wide], c.seeds(), floor, 100 * cov[wide],
                c.widths()[narrow], gap[narrow], 100 * cov[narrow], closer ? " The wider networks are the closer to the"
                + " Gaussian process, as the paper says." : " The wider networks are not closer to the Gaussian process"
                + " in this run."));
        rep.table("Trained networks against the t → ∞ Gaussian process", List.of("width",
                "mean gap (GP std, RMS over γ)", "share inside the 10–90 % band", "sample / GP variance",
                "relative kernel change ‖Θ_T − Θ_0‖/‖Θ_0‖"), rows);
        rep.paragraph(String.format(Locale.ROOT, "Mean gap: RMS over the 181 angles of the difference between the"
                + " networks' mean output and the GP mean, divided by the RMS GP standard deviation; a perfect match still"
                + " shows about 1/√%d = %.3g from sampling. Coverage: share of all outputs (networks × angles) within the"
                + " GP's 10th–90th percentile band (mean ± %.4f σ); 0.8 for draws from the GP. After %d steps the GP's own"
                + " mean is %%s RMS standard deviations (at most) from its t → ∞ limit, so the networks are compared with"
                + " the limit the paper draws.", c.seeds(), floor, Z90, c.steps()), Report.num("gp_steps_vs_limit",
                r.stepsGap(), "%.2g"));
        SvgPlot p = new SvgPlot(String.format(Locale.ROOT, "Networks after %d steps (η = %.3g) vs the t → ∞ Gaussian process",
                c.steps(), c.learningRate()), "γ", "f(cos γ, sin γ)");
        double[] lo = new double[GRID];
        double[] hi = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            lo[i] = r.gpMean()[i] - Z90 * r.gpStd()[i];
            hi[i] = r.gpMean()[i] + Z90 * r.gpStd()[i];
        }
        p.band("GP 10–90 % (t → ∞)", r.gamma(), lo, hi, "#555555");
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("gamma", NdArray.vector(r.gamma()));
        arrays.put("train_gamma", NdArray.vector(TRAIN_GAMMA));
        arrays.put("train_y", NdArray.vector(TRAIN_Y));
        arrays.put("gp_mean", NdArray.vector(r.gpMean()));
        arrays.put("gp_std", NdArray.vector(r.gpStd()));
        arrays.put("steps_mean", NdArray.vector(r.stepsMean()));
        arrays.put("steps_std", NdArray.vector(r.stepsStd()));
        for (int wi = 0; wi < nw; wi++) {
            WidthRun w = r.runs().get(wi);
            arrays.put("width_" + w.width() + "/outputs", new NdArray(new int[] {c.seeds(), GRID}, w.outputs()));
            arrays.put("width_" + w.width() + "/kernel_change", NdArray.vector(w.kernelChange()));
            for (int sd = 0; sd < c.seeds(); sd++) {
                p.line("width " + w.width(), r.gamma(), java.util.Arrays.copyOfRange(w.outputs(), sd * GRID,
                        (sd + 1) * GRID), SvgPlot.color(wi), false, sd == 0);
            }
        }
        p.line("GP median (t → ∞)", r.gamma(), r.gpMean(), "#000000", false, true);
        p.line("GP 10th / 90th percentile", r.gamma(), lo, "#000000", true, true);
        p.line("GP 90th", r.gamma(), hi, "#000000", true, false);
        p.points("training points", TRAIN_GAMMA, TRAIN_Y, "#ffd700");
        rep.plot("jacot-fig2", p, "Thin lines: trained networks, one colour per width; grey band and dashed lines: the"
                + " 10th–90th percentiles of the limiting Gaussian process, solid black its median (= mean).");
        rep.npz("jacot-fig2.npz", arrays);
        return rep;
    }
}
