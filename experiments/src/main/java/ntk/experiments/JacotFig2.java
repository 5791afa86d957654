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
import ntk.NdArray;
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

    /** Names of the statistics {@link #statistics} computes, in order. */
    public static final List<String> STATISTICS = List.of("share below the GP's 10th percentile",
            "share below the GP's median", "share above the GP's 90th percentile", "mean gap", "variance ratio");
    /** What each statistic is for a sample from the Gaussian process itself (its limit as the seeds grow). */
    static final double[] EXPECTED = {0.1, 0.5, 0.1, 0, 1};

    /**
     * The statistics of {@code seeds} functions on the grid ({@code outputs} row-major seeds × grid) against a
     * Gaussian process with these marginals: the shares below its 10th percentile, below its median and above its
     * 90th (over every seed and grid point), the {@linkplain Result#meanGap mean gap} and the
     * {@linkplain Result#varianceRatio variance ratio}.
     */
    public static double[] statistics(double[] outputs, int seeds, double[] mean, double[] std) {
        int g = mean.length;
        double lo = 0;
        double mid = 0;
        double hi = 0;
        double gap = 0;
        double var = 0;
        double ratio = 0;
        for (int i = 0; i < g; i++) {
            double s1 = 0;
            double s2 = 0;
            for (int sd = 0; sd < seeds; sd++) {
                double o = outputs[sd * g + i];
                lo += o < mean[i] - Z90 * std[i] ? 1 : 0;
                mid += o < mean[i] ? 1 : 0;
                hi += o > mean[i] + Z90 * std[i] ? 1 : 0;
                s1 += o;
                s2 += o * o;
            }
            double m = s1 / seeds;
            gap += (m - mean[i]) * (m - mean[i]);
            var += std[i] * std[i];
            ratio += std[i] > 0 ? (s2 - seeds * m * m) / (seeds - 1) / (std[i] * std[i]) : 0;
        }
        int positive = 0;
        for (double v : std) {
            positive += v > 0 ? 1 : 0;
        }
        double all = (double) seeds * g;
        return new double[] {lo / all, mid / all, hi / all, Math.sqrt(gap / var), ratio / positive};
    }

    /**
     * The sampling distribution of {@link #statistics} when the {@code seeds} functions are drawn from the Gaussian
     * process itself: per statistic its mean and standard deviation over {@code replicates} simulated sets, and the
     * 95th percentile of the largest |z| over the five (z = (statistic − mean)/sd), the threshold that a set of draws
     * from the GP passes 95 % of the time (|z| one-sided for the mean gap: a gap below sampling's is no evidence
     * against the GP).
     */
    public record SamplingNull(double[] mean, double[] sd, double maxZ95, int replicates, int seeds) {

        /** Simulated from N(mean, cov) on the grid (cov row-major g × g, positive semi-definite), seeded. */
        public static SamplingNull simulate(double[] mean, double[] cov, int seeds, int replicates, long seed) {
            int g = mean.length;
            double[] std = new double[g];
            for (int i = 0; i < g; i++) {
                std[i] = Math.sqrt(Math.max(cov[i * g + i], 0));
            }
            double[][] stats = new double[replicates][];
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
            double[][] factor = factor(cov, g);
            for (int r = 0; r < replicates; r++) {
                stats[r] = statistics(draws(mean, factor, seeds, rnd), seeds, mean, std);
            }
            int k = STATISTICS.size();
            double[] m = new double[k];
            double[] sd = new double[k];
            for (int j = 0; j < k; j++) {
                double[] col = new double[replicates];
                for (int r = 0; r < replicates; r++) {
                    col[r] = stats[r][j];
                }
                Estimate e = Estimate.of(col);
                m[j] = e.mean();
                sd[j] = e.sd();
            }
            double[] maxZ = new double[replicates];
            for (int r = 0; r < replicates; r++) {
                maxZ[r] = maxAbsZ(stats[r], m, sd);
            }
            java.util.Arrays.sort(maxZ);
            return new SamplingNull(m, sd, maxZ[(int) Math.ceil(0.95 * replicates) - 1], replicates, seeds);
        }

        /** The largest |z| of these statistics against this null. */
        public double maxZ(double[] stats) {
            return maxAbsZ(stats, mean, sd);
        }

        /**
         * Two-sided for the shares and the variance ratio; one-sided for the mean gap (index 3), where only a gap
         * larger than sampling gives is evidence against the GP.
         */
        static double maxAbsZ(double[] stats, double[] m, double[] sd) {
            double z = 0;
            for (int j = 0; j < stats.length; j++) {
                double d = j == 3 ? Math.max(stats[j] - m[j], 0) : Math.abs(stats[j] - m[j]);
                z = Math.max(z, sd[j] > 0 ? d / sd[j] : d == 0 ? 0 : Double.POSITIVE_INFINITY);
            }
            return z;
        }

        /** rows·√λ of cov's eigen-decomposition (negative rounding eigenvalues as 0): draw = mean + Σ_k z_k row_k. */
        static double[][] factor(double[] cov, int g) {
            ntk.linalg.SymmetricEigen e = ntk.linalg.Linalg.symmetricEigen(cov, g);
            double[][] f = new double[g][g];
            for (int k = 0; k < g; k++) {
                double s = Math.sqrt(Math.max(e.values()[k], 0));
                for (int i = 0; i < g; i++) {
                    f[k][i] = s * e.vector(k, i);
                }
            }
            return f;
        }

        /** {@code seeds} draws (row-major seeds × g). */
        static double[] draws(double[] mean, double[][] factor, int seeds, java.util.SplittableRandom rnd) {
            int g = mean.length;
            double[] out = new double[seeds * g];
            for (int sd = 0; sd < seeds; sd++) {
                System.arraycopy(mean, 0, out, sd * g, g);
                for (double[] row : factor) {
                    double z = Points.gaussian(rnd);
                    for (int i = 0; i < g; i++) {
                        out[sd * g + i] += z * row[i];
                    }
                }
            }
            return out;
        }
    }

    /** How many simulated sets of draws from the GP calibrate the test. */
    public static final int REPLICATES = 2000;

    /**
     * The grid angles, the t → ∞ Gaussian process (mean, standard deviation) and the GP after the same discrete
     * steps, the NTK's largest eigenvalue on the training points, the runs, and the sampling distribution of the
     * statistics for as many draws from the t → ∞ GP as there are seeds.
     */
    public record Result(Config config, double[] gamma, double[] gpMean, double[] gpStd, double[] stepsMean,
            double[] stepsStd, double lambdaMax, List<WidthRun> runs, SamplingNull gpNull) {
        /** RMS over the grid of (networks' mean − GP mean), divided by the RMS GP standard deviation. */
        public double meanGap(int wi) {
            return statistics(wi)[3];
        }

        /** Share of all (seed, grid point) outputs inside the GP's 10–90 % band. */
        public double coverage(int wi) {
            double[] st = statistics(wi);
            return 1 - st[0] - st[2];
        }

        /** Mean over the grid of the networks' sample variance over the GP variance. */
        public double varianceRatio(int wi) {
            return statistics(wi)[4];
        }

        /** The five {@link JacotFig2#statistics} of width index wi. */
        public double[] statistics(int wi) {
            return JacotFig2.statistics(runs.get(wi).outputs(), config.seeds(), gpMean, gpStd);
        }

        /**
         * A share of the outputs (statistic 0, 1 or 2; 3 = the coverage, 1 − below − above) as mean ± standard error
         * over the seeds (each seed's share over the grid; seeds are independent, grid points are not).
         */
        public Estimate shareOverSeeds(int wi, int which) {
            int s = config.seeds();
            int g = gpMean.length;
            double[] per = new double[s];
            for (int sd = 0; sd < s; sd++) {
                double[] one = java.util.Arrays.copyOfRange(runs.get(wi).outputs(), sd * g, (sd + 1) * g);
                double[] st = new double[4];
                int in = 0;
                for (int i = 0; i < g; i++) {
                    boolean below = one[i] < gpMean[i] - Z90 * gpStd[i];
                    boolean above = one[i] > gpMean[i] + Z90 * gpStd[i];
                    st[0] += below ? 1 : 0;
                    st[1] += one[i] < gpMean[i] ? 1 : 0;
                    st[2] += above ? 1 : 0;
                    in += below || above ? 0 : 1;
                }
                st[3] = in;
                per[sd] = st[which] / g;
            }
            return Estimate.of(per);
        }

        /** Largest |z| of width index wi's statistics against draws from the GP. */
        public double maxZ(int wi) {
            return gpNull.maxZ(statistics(wi));
        }

        /** Max over the grid of |GP mean after the steps − GP mean at t → ∞|, in RMS GP standard deviations. */
        public double stepsGap() {
            double d = 0;
            double var = 0;
            for (int i = 0; i < gpMean.length; i++) {
                d = Math.max(d, Math.abs(stepsMean[i] - gpMean[i]));
                var += gpStd[i] * gpStd[i] / gpMean.length;
            }
            return d / Math.sqrt(var);
        }

        public double meanKernelChange(int wi) {
            return java.util.Arrays.stream(runs.get(wi).kernelChange()).average().orElse(Double.NaN);
        }
    }

    /** The claim: Jacot et al.'s own reading of their Fig. 2 (§6.2). */
    static final PaperClaim CLAIM = new PaperClaim("The distributions of the network functions are very similar for"
            + " both widths: their mean and variance appear to be close to those of the limiting distribution"
            + " t \\rightarrow \\infty. Even for relatively small widths (n = 50), the NTK gives a good indication of"
            + " the distribution of f_{\\theta(t)} as t \\rightarrow \\infty.", "Jacot et al. 2018, §6.2, Fig. 2");

    /**
     * The verdict, from the Result alone. For each width, five statistics of its networks' outputs on the grid
     * ({@link #STATISTICS}: the shares below the GP's 10th percentile, below its median and above its 90th — where
     * the networks' own 10/50/90 % percentiles lie against the GP's — the gap of their mean and the ratio of their
     * variance to the GP's) are compared with their sampling distribution for the same number of draws from the GP
     * itself ({@link SamplingNull}, simulated from the GP's covariance on the grid, so the strong correlation of a
     * function's values along the circle is accounted for). A width's networks are "within sampling error" of the GP
     * when the largest |z| of the five is at most the 95th percentile of that largest |z| for draws from the GP.
     * SHOWN: every width within sampling error (the paper: "very similar for both widths … even for … n = 50");
     * PARTLY: some widths are, some are not; NOT SHOWN: none is.
     */
    public static Decision decide(Result r) {
        Config c = r.config();
        SamplingNull nul = r.gpNull();
        int within = 0;
        StringBuilder b = new StringBuilder();
        for (int wi = 0; wi < c.widths().length; wi++) {
            double[] st = r.statistics(wi);
            double z = nul.maxZ(st);
            boolean ok = z <= nul.maxZ95();
            within += ok ? 1 : 0;
            b.append(String.format(Locale.ROOT, "Width %d: %.1f %% of the outputs below the GP's 10th percentile,"
                    + " %.1f %% below its median, %.1f %% above its 90th (draws from the GP: %.0f ± %.1f, %.0f ± %.1f,"
                    + " %.0f ± %.1f %%), mean gap %.3g (GP: %.3g ± %.2g), variance ratio %.3g (GP: %.3g ± %.2g);"
                    + " largest |z| %.2f %s %.2f: %s. ", c.widths()[wi], 100 * st[0], 100 * st[1], 100 * st[2],
                    100 * nul.mean()[0], 100 * nul.sd()[0], 100 * nul.mean()[1], 100 * nul.sd()[1], 100 * nul.mean()[2],
                    100 * nul.sd()[2], st[3], nul.mean()[3], nul.sd()[3], st[4], nul.mean()[4], nul.sd()[4], z,
                    ok ? "≤" : ">", nul.maxZ95(), ok ? "within sampling error of the GP"
                            : "outside the sampling error of " + c.seeds() + " draws from the GP"));
        }
        b.append(String.format(Locale.ROOT, "(Sampling errors: %d simulated sets of %d draws from the t → ∞ GP; the"
                + " threshold %.2f is the 95th percentile of their largest |z|.)", nul.replicates(), nul.seeds(),
                nul.maxZ95()));
        String reason = b.toString();
        int nw = c.widths().length;
        return within == nw ? Decision.shown(reason) : within > 0 ? Decision.partly(reason) : Decision.notShown(reason);
    }

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
                + " percentiles of the t → ∞ Gaussian process; verdict: each width's shares below/above those percentiles,"
                + " mean and variance within the sampling error of as many draws from the GP (simulated). Default: widths 50 and 1000, 10 seeds, 300 steps at"
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
        Budget.denseRuns("jacot-fig2", c.widths(), 2, JacotNetworks.DEPTH - 1, 1, c.seeds(),
                (double) c.steps() * (TRAIN_GAMMA.length + GRID), 0, Budget.maxWork(s));
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
        SamplingNull gpNull = SamplingNull.simulate(gpMean, pred.covariances()[0], c.seeds(), REPLICATES, 20180001L);
        List<WidthRun> runs = new ArrayList<>();
        try (Progress.Task t = progress.task("training networks", (long) c.widths().length * c.seeds())) {
            for (int w : c.widths()) {
                long t0 = System.nanoTime();
                FiniteNetwork fn = JacotNetworks.finite(w, 1, 2);
                double[] outs = new double[c.seeds() * GRID];
                double[] kc = new double[c.seeds()];
                for (int sd = 0; sd < c.seeds(); sd++) {
                    Trainer.Result r = new Trainer(fn).train(fn.init(c.seed() + sd),
                            Trainer.Data.regression(x, n, TRAIN_Y), Trainer.Data.inputs(xg, GRID), Trainer.Config.builder()
                                    .steps(c.steps()).learningRate(c.learningRate()).recordEvery(c.steps()).build(), null);
                    System.arraycopy(r.testOut()[r.records() - 1], 0, outs, sd * GRID, GRID);
                    kc[sd] = r.kernelChange()[r.records() - 1];
                    t.step();
                }
                runs.add(new WidthRun(w, outs, kc));
                progress.log(String.format(Locale.ROOT, "width %-6d %d networks trained (%.1f s)", w, c.seeds(),
                        (System.nanoTime() - t0) * 1e-9));
            }
        }
        return new Result(c, gamma, gpMean, gpStd, stepsMean, stepsStd, lambdaMax, runs, gpNull);
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
        describe(rep, r);
        summarise(rep, r);
        rep.verdict(decide(r));
        List<List<Object>> rows = new ArrayList<>();
        for (int wi = 0; wi < nw; wi++) {
            List<Object> row = new ArrayList<>(List.of(c.widths()[wi]));
            for (String k : new String[] {"below_p10", "below_p50", "above_p90", "gp_band_coverage"}) {
                row.addAll(List.of(rep.num(k + "/" + wi, "%.3f"), rep.num(k + "_se/" + wi, "%.2g")));
            }
            row.addAll(List.of(rep.num("mean_gap/" + wi, "%.4g"), rep.num("variance_ratio/" + wi, "%.4g"),
                    rep.num("max_z/" + wi, "%.2f"), rep.num("kernel_change/" + wi, "%.4g")));
            rows.add(row);
        }
        List<Object> gp = new ArrayList<>(List.of(String.format(Locale.ROOT, "%d draws from the GP", c.seeds())));
        for (String k : new String[] {"below_p10", "below_p50", "above_p90"}) {
            gp.addAll(List.of(rep.num("gp_draws/" + k, "%.3f"), rep.num("gp_draws/" + k + "_sd", "%.2g")));
        }
        gp.addAll(List.of(String.format(Locale.ROOT, "%.3f", 1 - r.gpNull().mean()[0] - r.gpNull().mean()[2]), "",
                rep.num("gp_draws/mean_gap", "%.4g"), rep.num("gp_draws/variance_ratio", "%.4g"),
                rep.num("max_z_threshold", "%.2f"), "0"));
        rows.add(gp);
        rep.table("Trained networks against the t → ∞ Gaussian process (shares over every network and angle; ± standard"
                + " error over the networks; last row: what draws from the GP give, ± their standard deviation)",
                List.of("width", "below GP 10th pct", "±", "below GP median", "±", "above GP 90th pct", "±",
                        "inside the 10–90 % band", "±", "mean gap (GP std, RMS over γ)", "sample / GP variance",
                        "largest |z| (GP row: the threshold, 95 % of GP draws below it)", "relative kernel change ‖Θ_T − Θ_0‖/‖Θ_0‖"), rows);
        rep.sentence(String.format(Locale.ROOT, "Mean gap: RMS over the 181 angles of the difference between the"
                + " networks' mean output and the GP mean, divided by the RMS GP standard deviation (%d draws from the GP"
                + " give {gp_draws/mean_gap|%%.3g} ± {mean_gap_se|%%.2g}). Variance ratio: the networks' sample variance"
                + " over the GP's, averaged over the angles (draws from the GP: {gp_draws/variance_ratio|%%.3g} ±"
                + " {variance_ratio_se|%%.2g}). z = (statistic − its mean for GP draws)/(its standard deviation for GP"
                + " draws). After %d steps the GP's own mean is {gp_steps_vs_limit|%%.2g} RMS standard deviations (at"
                + " most) from its t → ∞ limit.", c.seeds(), c.steps()));
        return rep.npz("jacot-fig2.npz", figure(rep, r));
    }

    /** The claim, what the run tests, the deviations from Fig. 2's set-up, the parameters and seeds. */
    private static void describe(Report rep, Result r) {
        Config c = r.config();
        rep.claim(CLAIM);
        rep.claim("Theorem 2 and §5: as the width grows, a network trained by gradient descent follows kernel gradient"
                + " descent with the limiting NTK, so over random initialisations its trained function is a Gaussian"
                + " process whose t → ∞ mean is kernel regression with the NTK. Tested here for each width: where the"
                + " networks' outputs fall against the GP's 10th, 50th and 90th percentiles, and their mean and variance,"
                + " each against its sampling distribution for as many draws from the GP as there are networks.");
        rep.deviation("1000 steps at learning rate 1.0", c.steps() + " steps at learning rate " + c.learningRate()
                + String.format(Locale.ROOT, " (the GP after these steps is within %.2g GP standard deviations of"
                        + " t → ∞)", r.stepsGap()));
        rep.deviation("the limiting kernels Θ∞ and Σ estimated from a width-10,000 network", "computed exactly (ntk's"
                + " kernel engine)");
        rep.deviation("4 points of the unit circle, positions and targets not stated", "γ = "
                + java.util.Arrays.toString(TRAIN_GAMMA) + ", targets " + java.util.Arrays.toString(TRAIN_Y));
        if (!java.util.Arrays.equals(c.widths(), new int[] {50, 1000}) || c.seeds() != 10) {
            rep.deviation("widths 50 and 1000, 10 initialisations each", "widths " + java.util.Arrays.toString(c.widths())
                    + ", " + c.seeds() + " each");
        }
        rep.param("architecture", JacotNetworks.template(1))
                .param("widths", java.util.Arrays.toString(c.widths())).param("networks per width", c.seeds())
                .param("steps", c.steps()).param("learning rate", c.learningRate())
                .param("training data", "4 points γ = " + java.util.Arrays.toString(TRAIN_GAMMA) + " on the unit circle,"
                        + " targets " + java.util.Arrays.toString(TRAIN_Y))
                .param("loss", "1/(2n) Σ (f(x_i) − y_i)², full batch")
                .param("NTK largest eigenvalue on the training points", String.format(Locale.ROOT, "%.4g (η λ_max / n = %.3g)",
                        r.lambdaMax(), c.learningRate() * r.lambdaMax() / 4));
        rep.seedRange(c.seed(), c.seeds());
    }

    /** Per width: the shares against the GP's percentiles, the mean gap, the variance ratio; what GP draws give. */
    private static void summarise(Report rep, Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        SamplingNull nul = r.gpNull();
        double[] gap = new double[nw];
        double[] cov = new double[nw];
        double[] covSe = new double[nw];
        double[] ratio = new double[nw];
        double[] kc = new double[nw];
        double[] lo = new double[nw];
        double[] loSe = new double[nw];
        double[] mid = new double[nw];
        double[] midSe = new double[nw];
        double[] hi = new double[nw];
        double[] hiSe = new double[nw];
        double[] maxZ = new double[nw];
        for (int wi = 0; wi < nw; wi++) {
            double[] st = r.statistics(wi);
            lo[wi] = st[0];
            mid[wi] = st[1];
            hi[wi] = st[2];
            gap[wi] = st[3];
            ratio[wi] = st[4];
            cov[wi] = 1 - st[0] - st[2];
            covSe[wi] = r.shareOverSeeds(wi, 3).se();
            loSe[wi] = r.shareOverSeeds(wi, 0).se();
            midSe[wi] = r.shareOverSeeds(wi, 1).se();
            hiSe[wi] = r.shareOverSeeds(wi, 2).se();
            kc[wi] = r.meanKernelChange(wi);
            maxZ[wi] = nul.maxZ(st);
        }
        double nullCov = 1 - nul.mean()[0] - nul.mean()[2];
        Map<String, Object> draws = new LinkedHashMap<>();
        String[] keys = {"below_p10", "below_p50", "above_p90", "mean_gap", "variance_ratio"};
        for (int k = 0; k < keys.length; k++) {
            draws.put(keys[k], nul.mean()[k]);
            draws.put(keys[k] + "_sd", nul.sd()[k]);
        }
        draws.put("replicates", nul.replicates());
        rep.summary("widths", c.widths()).summary("mean_gap", gap).summary("gp_band_coverage", cov)
                .summary("variance_ratio", ratio).summary("kernel_change", kc)
                .summary("seeds_per_width", c.seeds()).summary("steps", c.steps())
                .summary("learning_rate", c.learningRate())
                .summary("gp_steps_vs_limit", r.stepsGap())
                .summary("gp_band_coverage_se", covSe)
                .summary("below_p10", lo).summary("below_p10_se", loSe)
                .summary("below_p50", mid).summary("below_p50_se", midSe)
                .summary("above_p90", hi).summary("above_p90_se", hiSe)
                .summary("mean_gap_se", nul.sd()[3]).summary("variance_ratio_se", nul.sd()[4])
                .summary("gp_draws", draws)
                .summary("max_z", maxZ).summary("max_z_threshold", nul.maxZ95());
    }

    /** The networks' outputs against the GP's percentiles; returns the data file's arrays. */
    private static Map<String, NdArray> figure(Report rep, Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        SvgPlot p = new SvgPlot(String.format(Locale.ROOT, "Networks after %d steps (η = %.3g) vs the t → ∞ Gaussian process",
                c.steps(), c.learningRate()), "γ", "f(cos γ, sin γ)");
        double[] bandLo = new double[GRID];
        double[] bandHi = new double[GRID];
        for (int i = 0; i < GRID; i++) {
            bandLo[i] = r.gpMean()[i] - Z90 * r.gpStd()[i];
            bandHi[i] = r.gpMean()[i] + Z90 * r.gpStd()[i];
        }
        p.band("GP 10–90 % (t → ∞)", r.gamma(), bandLo, bandHi, "#555555");
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
        p.line("GP 10th / 90th percentile", r.gamma(), bandLo, "#000000", true, true);
        p.line("GP 90th", r.gamma(), bandHi, "#000000", true, false);
        p.points("training points", TRAIN_GAMMA, TRAIN_Y, "#ffd700");
        rep.plot("jacot-fig2", p, "Thin lines: trained networks, one colour per width; grey band and dashed lines: the"
                + " 10th–90th percentiles of the limiting Gaussian process, solid black its median (= mean).");
        return arrays;
    }
}
