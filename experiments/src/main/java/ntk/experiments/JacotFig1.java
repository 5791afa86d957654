package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.finite.EmpiricalNtk;
import ntk.finite.FiniteNetwork;
import ntk.Params;
import ntk.finite.Trainer;
import ntk.NdArray;
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

        /**
         * The reduced default: widths 100, 300 and 1,000 and 5 seeds, otherwise as the paper (three widths so that the
         * power laws are fitted, not read off two points; five seeds give their slopes errors of about ±0.1).
         */
        public static Config reduced(long seed) {
            return new Config(new int[] {100, 300, 1_000}, 5, 200, 1.0, 100, 181, seed);
        }

    }

    /**
     * gammas (grid,); limit = Θ∞(x₀, x(γ)) (grid,); init[w][s] and trained[w][s] the empirical curves;
     * finalLoss[w][s] the training loss after the last step; initDeviation and kernelChange per width (root mean
     * square over seeds of {@link #deviation} and {@link #change}). Build one with {@link #of}.
     */
    public record Result(Config config, double[] gammas, double[] limit, double[][][] init, double[][][] trained,
            double[][] finalLoss, double[] initDeviation, double[] kernelChange) {

        /** The result of these curves, with the per-width root mean squares computed from them. */
        public static Result of(Config c, double[] gammas, double[] limit, double[][][] init, double[][][] trained,
                double[][] finalLoss) {
            int nw = c.widths().length;
            double[] dev = new double[nw];
            double[] change = new double[nw];
            for (int w = 0; w < nw; w++) {
                for (int s = 0; s < c.seeds(); s++) {
                    dev[w] += sq(relativeDistance(init[w][s], limit)) / c.seeds();
                    change[w] += sq(relativeDistance(trained[w][s], init[w][s])) / c.seeds();
                }
                dev[w] = Math.sqrt(dev[w]);
                change[w] = Math.sqrt(change[w]);
            }
            return new Result(c, gammas, limit, init, trained, finalLoss, dev, change);
        }

        /** ‖Θ₀ − Θ∞‖/‖Θ∞‖ of network s of width index w (over the grid of γ): its spread about the limit. */
        public double deviation(int w, int s) {
            return relativeDistance(init[w][s], limit);
        }

        /** ‖Θ_T − Θ₀‖/‖Θ₀‖ of network s of width index w: how far its kernel moved in training. */
        public double change(int w, int s) {
            return relativeDistance(trained[w][s], init[w][s]);
        }

        /** mean_γ Θ₀ / mean_γ Θ∞ − 1: network s's kernel level at initialisation against the limit's. */
        public double level(int w, int s) {
            return mean(init[w][s]) / mean(limit) - 1;
        }

        /** mean_γ Θ_T / mean_γ Θ₀ − 1: how much network s's kernel "inflated" in training (negative: shrank). */
        public double inflation(int w, int s) {
            return mean(trained[w][s]) / mean(init[w][s]) - 1;
        }

        double[][] perSeed(Measure m) {
            double[][] v = new double[config.widths().length][config.seeds()];
            for (int w = 0; w < v.length; w++) {
                for (int s = 0; s < config.seeds(); s++) {
                    v[w][s] = m.at(this, w, s);
                }
            }
            return v;
        }

        /** Mean ± standard error over the seeds of width index w. */
        public Estimate estimate(Measure m, int w) {
            double[] v = new double[config.seeds()];
            for (int s = 0; s < v.length; s++) {
                v[s] = m.at(this, w, s);
            }
            return Estimate.of(v);
        }

        /** The root mean square over seeds of {@code m} at width index w, with its error (delta method). */
        public Estimate rms(Measure m, int w) {
            double[] v = new double[config.seeds()];
            for (int s = 0; s < v.length; s++) {
                v[s] = sq(m.at(this, w, s));
            }
            Estimate e = Estimate.of(v);
            double r = Math.sqrt(e.mean());
            return new Estimate(r, e.se() / (2 * r), e.n());
        }

        /** log m against log width over every network: the power law's slope with its standard error. */
        public LineFit slope(Measure m) {
            return JacotNetworks.logLogPerSeed(config.widths(), perSeed(m));
        }
    }

    /** A number measured on one network (width index w, seed index s) of a Result. */
    @FunctionalInterface
    public interface Measure {
        double at(Result r, int w, int s);

        Measure DEVIATION = Result::deviation;
        Measure CHANGE = Result::change;
        Measure LEVEL = Result::level;
        Measure INFLATION = Result::inflation;
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double mean(double[] a) {
        double m = 0;
        for (double v : a) {
            m += v;
        }
        return m / a.length;
    }

    /** x₀ = (1, 0). */
    static final double[] X0 = {1, 0};

    /** The science: limit, empirical kernels before and after training, the two deviations per width. */
    public static Result compute(Config c, Progress progress) {
        return compute(c, null, progress);
    }

    /**
     * As {@link #compute(Config, Progress)}, each network's kernels and loss kept in {@code checkpoint} (null: none) as
     * it finishes and taken from it when an earlier run finished that network.
     */
    public static Result compute(Config c, Checkpoint checkpoint, Progress progress) {
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
        try (Progress.Task task = progress.task("training networks", (long) nw * c.seeds() * c.steps())) {
            for (int w = 0; w < nw; w++) {
                long t0 = System.nanoTime();
                FiniteNetwork net = JacotNetworks.finite(c.widths()[w], 1, 2);
                Trainer trainer = new Trainer(net);
                for (int s = 0; s < c.seeds(); s++) {
                    String piece = "width" + c.widths()[w] + "-seed" + (c.seed() + s);
                    double[] kept = checkpoint == null ? null : checkpoint.get(piece);
                    if (kept != null && kept.length == 2 * c.grid() + 1) { // [Θ₀ on the grid, Θ trained, loss]
                        init[w][s] = java.util.Arrays.copyOfRange(kept, 0, c.grid());
                        trained[w][s] = java.util.Arrays.copyOfRange(kept, c.grid(), 2 * c.grid());
                        loss[w][s] = kept[2 * c.grid()];
                        for (int k = 0; k < c.steps(); k++) {
                            task.step();
                        }
                        continue;
                    }
                    Params p0 = net.init(c.seed() + s);
                    init[w][s] = EmpiricalNtk.structured(net, p0, X0, 1, circle, c.grid(), EmpiricalNtk.Outputs.EACH_PAIR);
                    Trainer.Result r = trainer.train(p0, Trainer.Data.regression(x, n, y), null, Trainer.Config.builder()
                            .steps(c.steps()).learningRate(c.learningRate()).recordEvery(c.steps()).build(),
                            k -> task.step());
                    if (r.divergedAt() >= 0) {
                        throw new BadInputException("jacot-fig1: width " + c.widths()[w] + ", seed " + (c.seed() + s)
                                + " diverged at step " + r.divergedAt() + " (learning rate " + c.learningRate() + ")");
                    }
                    trained[w][s] = EmpiricalNtk.structured(net, r.finalParams(), X0, 1, circle, c.grid(), EmpiricalNtk.Outputs.EACH_PAIR);
                    loss[w][s] = r.loss()[r.records() - 1];
                    if (checkpoint != null) {
                        double[] piece2 = java.util.Arrays.copyOf(init[w][s], 2 * c.grid() + 1);
                        System.arraycopy(trained[w][s], 0, piece2, c.grid(), c.grid());
                        piece2[2 * c.grid()] = loss[w][s];
                        checkpoint.put(piece, piece2);
                    }
                }
                progress.log(String.format(Locale.ROOT, "width %-6d %d networks trained (%.1f s)", c.widths()[w],
                        c.seeds(), (System.nanoTime() - t0) * 1e-9));
            }
        }
        return Result.of(c, gammas, limit, init, trained, loss);
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

    /** The claim: Jacot et al.'s own description of their Fig. 1 (§6.1). */
    static final PaperClaim CLAIM = new PaperClaim("For the wider network, the NTK shows less variance … It is"
            + " interesting to note that the expectation of the NTK is very close for both networks widths. After 200"
            + " steps of training, we observe that the NTK tends to “inflate”. As expected, this effect is much less"
            + " apparent for the wider network (n = 10000) where the NTK stays almost fixed, than for the smaller"
            + " network (n = 500).", "Jacot et al. 2018, §6.1, Fig. 1");

    /** The predicted power of the spread of Θ₀ about Θ∞ (Theorem 1's limit reached at the central-limit rate). */
    public static final double SPREAD_POWER = -0.5;
    /**
     * The largest slope error with which a rate counts as measured: at ±0.25, a slope of −1/2 is two errors from 0,
     * so "falls like width^−1/2" and "does not fall" can be told apart.
     */
    public static final double MAX_SLOPE_SE = 0.25;

    /**
     * The verdict, from the Result alone. Four parts of the quoted claim, each with its error:
     * <ol>
     * <li><b>less variance</b>: the spread ‖Θ₀ − Θ∞‖/‖Θ∞‖ of each network falls like width^−1/2 (the fitted slope of
     * its log over every network, against log width, is within 2 standard errors of −1/2, below 0 by more than 2,
     * and its error at most {@link #MAX_SLOPE_SE});</li>
     * <li><b>the expectation very close for both widths</b>: the mean over seeds of the kernel's level (mean over γ of
     * Θ₀ against Θ∞'s) at the narrowest and the widest width differ by at most 2 combined standard errors;</li>
     * <li><b>the NTK inflates, much less for the wider network</b>: at the narrowest width the level grows in training
     * by more than 2 standard errors, and by more than 2 combined standard errors more than at the widest;</li>
     * <li><b>much less for the wider network, almost fixed</b>: the change ‖Θ_T − Θ₀‖/‖Θ₀‖ falls with width at least
     * as fast as width^−1/2 (the rate Theorem 2's convergence comes with; slope below 0 by more than 2 errors and not
     * above −1/2 by more than 2, error at most {@link #MAX_SLOPE_SE}).</li>
     * </ol>
     * SHOWN: all four. NOT SHOWN: neither the spread nor the change falls with width by more than 2 errors (among
     * them: one seed, or fewer than three networks, give no error). PARTLY: the rest. When a slope's error is
     * above {@link #MAX_SLOPE_SE} the reason says how many seeds would bring it there.
     */
    public static Decision decide(Result r) {
        Config c = r.config();
        int[] nwi = JacotNetworks.narrowWide(c.widths());
        int narrow = nwi[0];
        int wide = nwi[1];
        LineFit dev = r.slope(Measure.DEVIATION);
        LineFit chg = r.slope(Measure.CHANGE);
        Estimate levelN = r.estimate(Measure.LEVEL, narrow);
        Estimate levelW = r.estimate(Measure.LEVEL, wide);
        Estimate infl = r.estimate(Measure.INFLATION, narrow);
        Estimate inflW = r.estimate(Measure.INFLATION, wide);
        boolean devFalls = falls(dev);
        boolean chgFalls = falls(chg);
        boolean devRate = devFalls && dev.slopeSe() <= MAX_SLOPE_SE
                && Math.abs(dev.slope() - SPREAD_POWER) <= Estimate.Z * dev.slopeSe();
        boolean chgRate = chgFalls && chg.slopeSe() <= MAX_SLOPE_SE
                && chg.slope() - SPREAD_POWER <= Estimate.Z * chg.slopeSe();
        double dLevel = levelN.mean() - levelW.mean();
        double seLevel = levelN.seOfDifference(levelW);
        boolean levelClose = Double.isFinite(seLevel) && Math.abs(dLevel) <= Estimate.Z * seLevel;
        boolean inflates = infl.aheadOf(Estimate.exact(0));
        boolean inflLess = infl.aheadOf(inflW);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Spread of Θ₀ about the limit: slope %s against width (prediction −0.5): %s."
                + " Kernel level at initialisation, width %d vs %d: %s vs %s of the limit's (%s). Inflation in training"
                + " at width %d: %s (%s); at width %d: %s (%s). Kernel change in training: slope %s (at least as steep as −0.5"
                + " for \"much less apparent … almost fixed\"): %s.",
                JacotNetworks.slope(dev), rateWords(dev, devFalls, devRate, c.seeds(), true), c.widths()[narrow],
                c.widths()[wide], pct(levelN), pct(levelW), levelClose ? "no difference beyond 2 standard errors"
                        : "they differ by more than 2 standard errors",
                c.widths()[narrow], pct(infl), inflates ? "it inflates" : "no inflation beyond 2 standard errors",
                c.widths()[wide], pct(inflW), inflLess ? "less than at the narrowest by more than 2 standard errors"
                        : "not less than at the narrowest by more than 2 standard errors", JacotNetworks.slope(chg),
                rateWords(chg, chgFalls, chgRate, c.seeds(), false)));
        String reason = b.toString();
        if (devRate && chgRate && levelClose && inflates && inflLess) {
            return Decision.shown(reason);
        }
        if (!devFalls && !chgFalls) {
            return Decision.notShown(reason);
        }
        return Decision.partly(reason);
    }

    private static boolean falls(LineFit f) {
        return Double.isFinite(f.slopeSe()) && f.slope() + Estimate.Z * f.slopeSe() < 0;
    }

    private static String rateWords(LineFit f, boolean falls, boolean rate, int seeds, boolean twoSided) {
        if (!Double.isFinite(f.slopeSe())) {
            return "no error with " + f.points() + " networks (one seed or too few widths): not shown at this size";
        }
        if (f.slopeSe() > MAX_SLOPE_SE) {
            return String.format(Locale.ROOT, "the error is too wide to test the rate, not shown at this size (about %d"
                    + " seeds per width would bring it to ±%.2f)", JacotNetworks.seedsFor(f.slopeSe(), seeds,
                    MAX_SLOPE_SE), MAX_SLOPE_SE);
        }
        if (!falls) {
            return "it does not fall with width by more than 2 standard errors";
        }
        if (rate) {
            return twoSided ? "consistent with width^−1/2 within 2 standard errors"
                    : "at least as fast as width^−1/2 within 2 standard errors";
        }
        return twoSided ? "it falls, but not like width^−1/2 (more than 2 standard errors off)"
                : "it falls, but more slowly than width^−1/2 by more than 2 standard errors";
    }

    private static String pct(Estimate e) {
        return Double.isFinite(e.se()) ? String.format(Locale.ROOT, "%+.1f ± %.1f %%", 100 * e.mean(), 100 * e.se())
                : String.format(Locale.ROOT, "%+.1f %% (no error)", 100 * e.mean());
    }

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
                + " f*(x) = x₁x₂ with N(0, I₂) inputs, beside the infinite-width limit; widths 100, 300 and 1,000, 5"
                + " seeds each (--full: 500 and 10,000, 10 seeds, as the paper). Verdict: the spread of Θ₀ about the limit"
                + " falls like width^−1/2 and the change in training at least as fast (fitted slopes ± standard errors),"
                + " the kernel's level agrees across widths, and it inflates in training at the narrowest width. Data: jacot-fig1.npz (gamma, limit, width_<w>/init and"
                + " width_<w>/trained (seeds, grid), width_<w>/final_loss).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--widths", null, "hidden widths (default 100,300,1000; --full 500,10000)"),
                new Param("--seeds", null, "networks per width (default 5; --full 10, as the paper)"),
                new Param("--steps", "200", "gradient-descent steps (the paper: 200)"),
                new Param("--learning-rate", "1.0", "learning rate (the paper: 1.0)"),
                new Param("--points", "100", "training inputs drawn from N(0, I₂)"), Checkpoint.PARAM);
    }

    /**
     * Refuses up front what cannot fit or finish (depth-4 networks on 2-d inputs; empirical NTK on the grid). Memory:
     * 6 copies of the widest network's parameters, twice the live set measured at width 10,000 (θ, θ₀ and one
     * gradient-sized array).
     */
    static void budget(Config c, double maxWork) {
        Budget.denseRuns("jacot-fig1", c.widths(), 2, JacotNetworks.DEPTH - 1, 1, c.seeds(),
                (double) c.steps() * c.trainPoints(), 20.0 * c.grid(), maxWork, 6);
    }

    @Override
    public Report run(Settings s, Progress progress) {
        Config base = s.full() ? Config.full(s.seed()) : Config.reduced(s.seed());
        Config c = new Config(s.has("--widths") ? s.integers("--widths") : base.widths(),
                s.has("--seeds") ? s.integer("--seeds") : base.seeds(),
                s.integer("--steps"), s.number("--learning-rate"), s.integer("--points"), base.grid(), s.seed());
        budget(c, Budget.maxWork(s));
        return render(compute(c, Checkpoint.of(s, List.of("experiment jacot-fig1", "steps " + c.steps(),
                "learning rate " + c.learningRate(), "training points " + c.trainPoints(), "grid " + c.grid(),
                "data seed " + c.seed())), progress));
    }

    /** The report: claim, verdict, table, the figure and the data. */
    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("jacot-fig1", "The NTK at finite width, before and after training (Jacot et al., Fig. 1)");
        describe(rep, c);
        double[] meanLoss = new double[nw];
        for (int w = 0; w < nw; w++) {
            meanLoss[w] = java.util.Arrays.stream(r.finalLoss()[w]).average().orElse(Double.NaN);
        }
        rep.summary("widths", c.widths()).summary("init_deviation", r.initDeviation())
                .summary("init_deviation_se", Report.errors(nw, w -> r.rms(Measure.DEVIATION, w)))
                .summary("kernel_change", r.kernelChange())
                .summary("kernel_change_se", Report.errors(nw, w -> r.rms(Measure.CHANGE, w)))
                .summary("final_loss", meanLoss).summary("limit_theta_x0_x0", r.limit()[(c.grid() - 1) / 2])
                .slope("init_slope", r.slope(Measure.DEVIATION)).slope("change_slope", r.slope(Measure.CHANGE))
                .estimates("kernel_level", nw, w -> r.estimate(Measure.LEVEL, w))
                .estimates("inflation", nw, w -> r.estimate(Measure.INFLATION, w)).summary("seeds_per_width", c.seeds());
        rep.verdict(decide(r));
        rep.table("The empirical NTK Θ(x₀, ·) on the circle, per width (RMS or mean over seeds, ± standard error)", nw,
                rep.label("width", "widths"), rep.column("‖Θ₀ − Θ∞‖/‖Θ∞‖ (RMS)", "init_deviation"),
                rep.column("±", "init_deviation_se", "%.2g"), rep.column("‖Θ_T − Θ₀‖/‖Θ₀‖ (RMS)", "kernel_change"),
                rep.column("±", "kernel_change_se", "%.2g"),
                rep.column("level at t = 0: mean_γ Θ₀ / mean_γ Θ∞ − 1", "kernel_level", "%+.4f"),
                rep.column("±", "kernel_level_se", "%.2g"),
                rep.column("inflation: mean_γ Θ_T / mean_γ Θ₀ − 1", "inflation", "%+.4f"),
                rep.column("±", "inflation_se", "%.2g"), rep.column("training loss after T steps", "final_loss"));
        rep.table("Power laws against width (least squares of log value on log width over all networks)",
                List.of("quantity", "fitted slope", "± standard error", "prediction", "the paper"), List.of(
                        List.of("spread ‖Θ₀ − Θ∞‖/‖Θ∞‖", rep.num("init_slope", "%.3f"), rep.num("init_slope_se", "%.2g"),
                                "−0.5 (Theorem 1, CLT rate)", "\"less variance\" (no number)"),
                        List.of("change in training ‖Θ_T − Θ₀‖/‖Θ₀‖", rep.num("change_slope", "%.3f"),
                                rep.num("change_slope_se", "%.2g"), "≤ −0.5 (Theorem 2)",
                                "\"much less apparent … almost fixed\" (no number)")));
        Map<String, NdArray> arrays = curves(rep, r);
        rates(rep, r);
        inflationSection(rep, r);
        return rep.npz("jacot-fig1.npz", arrays);
    }

    /** The claim, what the run tests, the deviations from Fig. 1's set-up, the parameters and seeds. */
    private static void describe(Report rep, Config c) {
        rep.claim(CLAIM);
        rep.claim("Theorem 1: at initialisation the NTK converges to a deterministic limit Θ∞ as the widths grow;"
                + " Theorem 2: it stays constant during training in that limit. Tested here on the paper's Fig. 1 set-up:"
                + " the spread of Θ₀(x₀, ·) about Θ∞ against width (a fitted power, predicted −1/2: the central-limit rate"
                + " of Theorem 1's convergence), the kernel's level at the narrowest and widest width, its inflation in"
                + " training, and its change in training against width (read as falling at least like width^−1/2)."
                + " The smoothness the paper also sees is not tested.");
        rep.deviation("widths n = 500 and 10,000", "widths " + java.util.Arrays.toString(c.widths())
                + (c.widths().length > 2 ? " (a power law is fitted over them)" : ""));
        rep.deviation("several initialisations per width (Fig. 1 draws them; the shared text does not give their number)",
                c.seeds() + " per width; the slopes' errors come from their scatter");
        if (c.steps() != 200 || c.learningRate() != 1.0) {
            rep.deviation("200 steps of gradient descent, learning rate 1.0", c.steps() + " steps, learning rate "
                    + c.learningRate());
        }
        rep.deviation("f*(x) = x₁x₂ on N(0, 1) inputs, their number not stated", c.trainPoints()
                + " inputs from N(0, I₂), loss 1/(2n) Σ (f − f*)²");
        rep.deviation("the figure's angles not stated", c.grid() + " angles γ in [−π, π]");
        rep.param("architecture", JacotNetworks.template(1))
                .param("widths", java.util.Arrays.toString(c.widths())).param("networks per width", c.seeds())
                .param("training", String.format(Locale.ROOT, "%d steps of full-batch gradient descent, learning rate %s,"
                        + " loss 1/(2n) Σ (f(x_i) − x_i1 x_i2)² on n = %d inputs from N(0, I₂)", c.steps(),
                        c.learningRate(), c.trainPoints()))
                .param("kernel evaluated at", "x₀ = (1, 0) against x(γ) = (cos γ, sin γ), " + c.grid()
                        + " angles in [−π, π]");
        rep.seedRange(c.seed(), c.seeds());
    }

    /** Θ(x₀, ·) per width and seed, before and after training, against the limit; returns the data file's arrays. */
    private static Map<String, NdArray> curves(Report rep, Result r) {
        Config c = r.config();
        int nw = c.widths().length;
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
        rep.plot("jacot-fig1", p, "One colour per width, one line per seed; black: the limiting NTK Θ∞ (ntk's kernel"
                + " engine).");
        return arrays;
    }

    /** The spread and the change against width, with their fitted power laws. */
    private static void rates(Report rep, Result r) {
        LineFit dev = r.slope(Measure.DEVIATION);
        LineFit chg = r.slope(Measure.CHANGE);
        double[] widthsD = Report.doubles(r.config().widths());
        SvgPlot rates = new SvgPlot("Spread about the limit and change in training against width (log-log)", "width",
                "relative size").logX().logY();
        rates.points("‖Θ₀ − Θ∞‖/‖Θ∞‖ (RMS)", widthsD, r.initDeviation(), SvgPlot.color(0));
        rates.line(String.format(Locale.ROOT, "fit: slope %.3f", dev.slope()), widthsD,
                java.util.Arrays.stream(widthsD).map(x -> Math.exp(dev.at(Math.log(x)))).toArray(), SvgPlot.color(0),
                true, true);
        rates.points("‖Θ_T − Θ₀‖/‖Θ₀‖ (RMS)", widthsD, r.kernelChange(), SvgPlot.color(1));
        rates.line(String.format(Locale.ROOT, "fit: slope %.3f", chg.slope()), widthsD,
                java.util.Arrays.stream(widthsD).map(x -> Math.exp(chg.at(Math.log(x)))).toArray(), SvgPlot.color(1),
                true, true);
        rep.plot("jacot-fig1-rates", rates, "Markers: RMS over seeds; dashed: the least-squares power laws over all"
                + " networks (the fit is of the mean log, so it can sit below the RMS markers).");
    }

    /**
     * The paper's "inflation" (§6, Fig. 1: "After 200 steps of training, we observe that the NTK tends to “inflate”.
     * As expected, this effect is much less apparent for the wider network"), measured as its figure shows it: the
     * level mean_γ Θ(x₀, x(γ)) after the T steps against the same network's at t = 0, per width, with the power law
     * of the inflation against width over the networks that inflated (the paper gives no rate). Every sentence is
     * generated from the Result.
     */
    static void inflationSection(Report rep, Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        int[] nwi = JacotNetworks.narrowWide(c.widths());
        Estimate narrow = r.estimate(Measure.INFLATION, nwi[0]);
        Estimate wide = r.estimate(Measure.INFLATION, nwi[1]);
        LineFit fit = r.slope(Measure.INFLATION);
        int inflated = 0;
        for (int w = 0; w < nw; w++) {
            for (int s = 0; s < c.seeds(); s++) {
                inflated += r.inflation(w, s) > 0 ? 1 : 0;
            }
        }
        int networks = nw * c.seeds();
        double diff = narrow.mean() - wide.mean();
        double diffSe = narrow.seOfDifference(wide);
        rep.summary("inflation_slope", fit.slope()).summary("inflation_slope_se", fit.slopeSe())
                .summary("inflation_difference", diff).summary("inflation_difference_se", diffSe)
                .summary("networks_inflated", inflated);
        boolean fitted = Double.isFinite(fit.slopeSe());
        List<Report.Num> nums = new ArrayList<>(List.of(
                Report.num("inflation/" + nwi[0], narrow.mean(), "%+.4f"),
                Report.num("inflation_se/" + nwi[0], narrow.se(), "%.2g"),
                Report.num("inflation/" + nwi[1], wide.mean(), "%+.4f"),
                Report.num("inflation_se/" + nwi[1], wide.se(), "%.2g"),
                Report.num("inflation_difference", diff, "%+.4f"),
                Report.num("inflation_difference_se", diffSe, "%.2g")));
        if (fitted) {
            nums.add(Report.num("inflation_slope", fit.slope(), "%.3f"));
            nums.add(Report.num("inflation_slope_se", fit.slopeSe(), "%.2g"));
        }
        rep.heading("Inflation in training");
        rep.paragraph(String.format(Locale.ROOT, "The level of each network's kernel, the mean over the %d angles of"
                + " Θ(x₀, x(γ)), after the %d steps, relative to its own at t = 0 (mean_γ Θ_T / mean_γ Θ₀ − 1). At width"
                + " %d it changed by %%s ± %%s (mean ± standard error over %d seeds), at width %d by %%s ± %%s: the"
                + " difference, %%s ± %%s, is %s. %d of the %d networks inflated%s.", c.grid(), c.steps(),
                c.widths()[nwi[0]], c.seeds(), c.widths()[nwi[1]], inflationWords(diff, diffSe), inflated, networks,
                fitted ? "; the inflation of those falls with width like width^%s ± %s (least squares of log inflation"
                        + " on log width; the paper gives no rate)"
                        : "; no power law is fitted (fewer than two widths with inflated networks, or one seed)"),
                nums.toArray(Report.Num[]::new));
        double[] widthsD = java.util.Arrays.stream(c.widths()).asDoubleStream().toArray();
        double[] means = new double[nw];
        double[] lo = new double[nw];
        double[] hi = new double[nw];
        for (int w = 0; w < nw; w++) {
            Estimate e = r.estimate(Measure.INFLATION, w);
            means[w] = 100 * e.mean();
            lo[w] = 100 * (e.mean() - Estimate.Z * (Double.isFinite(e.se()) ? e.se() : 0));
            hi[w] = 100 * (e.mean() + Estimate.Z * (Double.isFinite(e.se()) ? e.se() : 0));
        }
        SvgPlot p = new SvgPlot("Inflation of the kernel's level in training, against width", "width",
                "mean_γ Θ_T / mean_γ Θ₀ − 1 (%)").logX();
        p.band("± 2 standard errors", widthsD, lo, hi, SvgPlot.color(2));
        p.points("mean over seeds", widthsD, means, SvgPlot.color(2));
        rep.plot("jacot-fig1-inflation", p, "The paper's \"inflation\": each width's mean over seeds of the change of"
                + " the kernel's level in training, with a band of two standard errors; 0 is no inflation.");
    }

    private static String inflationWords(double diff, double se) {
        if (!Double.isFinite(se)) {
            return "without an error (one seed)";
        }
        if (Math.abs(diff) <= Estimate.Z * se) {
            return "within 2 standard errors of none: the wider network's inflation is not shown to be smaller";
        }
        return diff > 0 ? "more than 2 standard errors: less inflation at the wider width, as the paper saw"
                : "more than 2 standard errors the other way: more inflation at the wider width";
    }
}
