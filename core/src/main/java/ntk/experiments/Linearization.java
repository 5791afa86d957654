package ntk.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ntk.BadInputException;
import ntk.KernelKind;
import ntk.data.Mnist;
import ntk.dynamics.TrainingTime;
import ntk.finite.FiniteNetwork;
import ntk.protocol.Params;
import ntk.finite.Trainer;
import ntk.io.NdArray;
import ntk.kernels.KernelEngine;
import ntk.kernels.Kernels;
import ntk.model.KernelRegressor;
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
 * <li>{@code paramChange}: ‖θ_k − θ₀‖/‖θ₀‖, and {@code paramDistance} ‖θ_k − θ₀‖. In the NTK parameterisation
 * ‖θ_k − θ₀‖ = O(1) while ‖θ₀‖ ≈ √P (P raw parameters, each N(0, 1)), so the relative change falls like 1/√P: like
 * width^−1/2 while the input layer (d·width) dominates P, like width^−1 once the hidden layers (width²) do;</li>
 * <li>{@code kernelChange}: ‖Θ_k − Θ₀‖_F/‖Θ₀‖_F on the training inputs (theory: 1/√width);</li>
 * <li>{@code distanceToNtk}: the network's test outputs against the infinite-width network started from the same
 * initial function, f₀(T) + Θ∞(T,X)Θ∞⁻¹(I − (I − ηΘ∞/n)^k)(Y − f₀(X)) (the discrete-step form of Jacot et al.'s
 * kernel gradient descent with the limiting kernel), as ‖f_k(T) − f_k^∞(T)‖/‖f_k^∞(T) − f₀(T)‖ (theory: 1/√width).</li>
 * </ul>
 * The learning rate is {@code stepScale}·n/Λ_max with Λ_max the largest eigenvalue of Θ∞(X, X).
 */
public final class Linearization implements Experiment {

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
    }

    /**
     * Per width (RMS over seeds): linearizationGap, paramChange, kernelChange, distanceToNtk, finalLoss (mean);
     * log-log fits against width of the gap, the parameter change, the kernel change and the distance;
     * testOut[w][s] and ntkOut[w][s] (m×o) the network's and the infinite-width network's test outputs after training.
     */
    public record Result(Config config, double learningRate, double[] linearizationGap, double[] paramChange,
            double[] paramDistance, double[] parameters, double[] kernelChange, double[] distanceToNtk, double[] finalLoss, LogLogFit gapFit, LogLogFit paramFit,
            LogLogFit kernelFit, LogLogFit distanceFit, double[][][] testOut, double[][][] ntkOut) {
    }

    /** The science: the limit's kernels once, then every width's networks trained and measured. */
    public static Result compute(Config c, Progress progress) {
        ntk.arch.Network limit = JacotNetworks.limit(c.o());
        KernelEngine engine = new KernelEngine();
        Kernels kxx = engine.kernels(limit, c.x(), c.n(), null, 0, c.d(), true);
        Kernels ktx = engine.kernels(limit, c.t(), c.m(), c.x(), c.n(), c.d(), true);
        double lambdaMax = Linalg.symmetricEigenvalues(kxx.ntk().clone(), c.n())[c.n() - 1];
        double eta = c.stepScale() * c.n() / lambdaMax;
        // the infinite-width network trained by the same steps from each network's f0 (on the residual y − f0)
        KernelRegressor limitModel = new KernelRegressor(limit, KernelKind.NTK).times(TrainingTime.steps(c.steps(), eta));
        int nw = c.widths().length;
        double[] gap = new double[nw];
        double[] param = new double[nw];
        double[] paramDist = new double[nw];
        double[] count = new double[nw];
        double[] kernel = new double[nw];
        double[] dist = new double[nw];
        double[] loss = new double[nw];
        double[][][] testOut = new double[nw][c.seeds()][];
        double[][][] ntkOut = new double[nw][c.seeds()][];
        Trainer.Config tc = new Trainer.Config(c.steps(), eta, 0, 0, false, c.steps());
        try (Progress.Task task = progress.task("training networks", (long) nw * c.seeds() * c.steps())) {
            for (int w = 0; w < nw; w++) {
                long t0 = System.nanoTime();
                FiniteNetwork net = JacotNetworks.finite(c.widths()[w], c.o(), c.d());
                Trainer trainer = new Trainer(net);
                for (int s = 0; s < c.seeds(); s++) {
                    Params p0 = net.init(c.seed() + s);
                    Trainer.Result r = trainer.train(p0, c.x(), c.n(), c.y(), c.t(), c.m(), tc, k -> task.step());
                    if (r.divergedAt() >= 0) {
                        throw new BadInputException("linearization: width " + c.widths()[w] + ", seed " + (c.seed() + s)
                                + " diverged at step " + r.divergedAt() + " (learning rate " + eta + ")");
                    }
                    int last = r.records() - 1;
                    gap[w] += sq(r.linearizationGap()[last]);
                    param[w] += sq(r.paramChange()[last]);
                    paramDist[w] += sq(r.paramChange()[last] * p0.norm());
                    kernel[w] += sq(r.kernelChange()[last]);
                    loss[w] += r.loss()[last];
                    double[] f0x = net.forward(p0, c.x(), c.n()).out();
                    double[] f0t = r.testOut()[0];
                    double[] resid = new double[f0x.length];
                    for (int i = 0; i < resid.length; i++) {
                        resid[i] = c.y()[i] - f0x[i];
                    }
                    double[] pred = limitModel.fit(kxx, new NdArray(new int[] {c.n(), c.o()}, resid)).predict(ktx)
                            .means()[0];
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
                paramDist[w] = Math.sqrt(paramDist[w] / c.seeds());
                count[w] = net.parameterCount();
                kernel[w] = Math.sqrt(kernel[w] / c.seeds());
                dist[w] = Math.sqrt(dist[w] / c.seeds());
                loss[w] /= c.seeds();
                progress.log(String.format(Locale.ROOT, "width %-6d %d networks: linearisation gap %.3g, parameter change"
                        + " %.3g, kernel change %.3g, distance to the NTK network %.3g (%.1f s)", c.widths()[w], c.seeds(),
                        gap[w], param[w], kernel[w], dist[w], (System.nanoTime() - t0) * 1e-9));
            }
        }
        double[] widths = java.util.Arrays.stream(c.widths()).asDoubleStream().toArray();
        return new Result(c, eta, gap, param, paramDist, count, kernel, dist, loss, LogLogFit.of(widths, gap), LogLogFit.of(widths, param),
                LogLogFit.of(widths, kernel), LogLogFit.of(widths, dist), testOut, ntkOut);
    }

    private static double sq(double v) {
        return v * v;
    }

    /**
     * The MNIST set-up shared with {@code ntk demo}: the first n digits of the train pool and the first m of the test
     * pool, each image scaled to ‖x‖² = 784 (so Σ⁰(x, x) = 1), one-hot targets (1 for the digit, 0 elsewhere).
     */
    public static Config mnist(Mnist.Split split, int n, int m, int[] widths, int seeds, int steps, double stepScale,
            long seed) {
        if (n < 1 || n > split.train().n() || m < 1 || m > split.test().n()) {
            throw new BadInputException("--n must be in 1.." + split.train().n() + " and --m in 1.." + split.test().n()
                    + ", got " + n + " and " + m);
        }
        Mnist train = split.train().head(n);
        Mnist test = split.test().head(m);
        int d = train.dim();
        return new Config(unitVariance(train), n, d, train.oneHot(1, 0), 10, unitVariance(test), m, widths, seeds, steps,
                stepScale, seed);
    }

    /** Images scaled to ‖x‖² = d, the inputs' scale the NNGP/NTK literature uses (Lee et al. 2018). */
    public static double[] unitVariance(Mnist digits) {
        return Points.rowsToNorm(digits.x(), digits.n(), digits.dim(), Math.sqrt(digits.dim()));
    }

    /** The claim this experiment tests (to be quoted from the paper). */
    static final PaperClaim CLAIM = null;

    @Override
    public PaperClaim claim() {
        return CLAIM;
    }

    @Override
    public String name() {
        return "linearization";
    }

    @Override
    public boolean readsData() {
        return true;
    }

    @Override
    public String description() {
        return "Lazy training (Pleiss' lecture notes eq. 7; Lee et al. 2019): depth-4 ReLU networks (β = 0.1) of widths"
                + " 64..1,024 (--full: ..4,096), trained by gradient descent on 256 MNIST digits (one-hot targets), against"
                + " their linearisation at initialisation: the gap ‖f − f_lin‖/‖f − f₀‖ after training, the relative"
                + " parameter and kernel changes, and the distance of the test outputs to the infinite-width network from"
                + " the same f₀, against width on log-log axes with fitted slopes (theory for the gap: −1/2). Data:"
                + " linearization.csv (one row per width).";
    }

    @Override
    public List<Param> params() {
        return List.of(new Param("--widths", null, "hidden widths (default 64,128,256,512,1024; --full up to 4096)"),
                new Param("--seeds", "2", "networks per width"),
                new Param("--steps", "50", "gradient-descent steps"),
                new Param("--n", "256", "training digits"),
                new Param("--m", "256", "test digits"),
                new Param("--step-scale", "1.0", "learning rate η = step-scale · n/λ_max(Θ∞(X, X))"));
    }

    @Override
    public Report run(Settings s, Progress progress) {
        int[] widths = s.has("--widths") ? s.integers("--widths") : s.full()
                ? new int[] {64, 128, 256, 512, 1024, 2048, 4096} : new int[] {64, 128, 256, 512, 1024};
        Mnist.Split split = Mnist.split(s.data());
        Config c = mnist(split, s.integer("--n"), s.integer("--m"), widths, s.integer("--seeds"), s.integer("--steps"),
                s.number("--step-scale"), s.seed());
        Report rep = render(compute(c, progress));
        rep.param("data", String.format(Locale.ROOT, "the first %d training and %d test digits of the %s, each scaled to"
                + " ‖x‖² = 784; one-hot targets", c.n(), c.m(), split.source()));
        return rep;
    }

    /** The log-log plot of the gap, parameter change, kernel change and distance to the NTK network against width. */
    public static SvgPlot plot(Result r, String title) {
        double[] w = java.util.Arrays.stream(r.config().widths()).asDoubleStream().toArray();
        SvgPlot p = new SvgPlot(title, "width", "relative size").logX().logY();
        p.points("linearisation gap ‖f − f_lin‖/‖f − f₀‖", w, r.linearizationGap(), SvgPlot.color(0));
        p.line(String.format(Locale.ROOT, "fit: slope %.3f", r.gapFit().slope()), w, fitted(r.gapFit(), w),
                SvgPlot.color(0), true, true);
        p.points("distance of test outputs to the NTK network", w, r.distanceToNtk(), SvgPlot.color(1));
        p.line(String.format(Locale.ROOT, "fit: slope %.3f", r.distanceFit().slope()), w, fitted(r.distanceFit(), w),
                SvgPlot.color(1), true, true);
        p.points("kernel change ‖Θ_T − Θ₀‖/‖Θ₀‖", w, r.kernelChange(), SvgPlot.color(2));
        p.points("parameter change ‖θ_T − θ₀‖/‖θ₀‖", w, r.paramChange(), SvgPlot.color(3));
        p.line(String.format(Locale.ROOT, "fit: slope %.3f", r.paramFit().slope()), w, fitted(r.paramFit(), w),
                SvgPlot.color(3), true, true);
        double[] ref = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            ref[i] = r.linearizationGap()[0] * Math.sqrt(w[0] / w[i]);
        }
        p.line("width^−1/2 (theory)", w, ref, "#000000", true, true);
        return p;
    }

    private static double min(double[] a) {
        return java.util.Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return java.util.Arrays.stream(a).max().orElse(Double.NaN);
    }

    private static double[] fitted(LogLogFit f, double[] w) {
        return java.util.Arrays.stream(w).map(f::at).toArray();
    }

    /** Tolerance on the gap's slope for the verdict (and the test): |slope + 1/2| within it. */
    public static final double SLOPE_TOLERANCE = 0.15;

    /** The report. */
    public static Report render(Result r) {
        Config c = r.config();
        int nw = c.widths().length;
        Report rep = new Report("linearization", "Lazy training: networks against their linearisation");
        rep.claim("Pleiss' lecture notes on the NTK, eq. 7 (and Lee et al. 2019, Jacot et al. 2018): a wide network"
                + " trained by gradient descent stays close to its first-order Taylor expansion at initialisation,"
                + " f_lin(x; θ) = f(x; θ₀) + ∇_θ f(x; θ₀)(θ − θ₀) (lazy training): its parameters move by O(1) in norm"
                + " while the Hessian of f shrinks like 1/√width, so the linearisation gap falls like width^−1/2, and the"
                + " trained network approaches kernel gradient descent with the limiting NTK.");
        rep.param("architecture", JacotNetworks.template(c.o())).param("widths", java.util.Arrays.toString(c.widths()))
                .param("networks per width", c.seeds())
                .param("training", String.format(Locale.ROOT, "%d steps of full-batch gradient descent, η = %.4g"
                        + " (= %s · n/λ_max of the limiting NTK), loss 1/(2n) Σ ‖f(x_i) − y_i‖²", c.steps(),
                        r.learningRate(), c.stepScale()));
        long[] seeds = new long[c.seeds()];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = c.seed() + i;
        }
        rep.seeds(seeds);
        rep.summary("widths", c.widths()).summary("linearization_gap", r.linearizationGap())
                .summary("gap_slope", r.gapFit().slope()).summary("gap_fit_r2", r.gapFit().r2())
                .summary("param_change", r.paramChange()).summary("param_slope", r.paramFit().slope())
                .summary("param_distance", r.paramDistance()).summary("parameters", r.parameters())
                .summary("kernel_change", r.kernelChange()).summary("kernel_slope", r.kernelFit().slope())
                .summary("distance_to_ntk", r.distanceToNtk()).summary("distance_slope", r.distanceFit().slope())
                .summary("final_loss", r.finalLoss()).summary("learning_rate", r.learningRate());
        double slope = r.gapFit().slope();
        boolean falls = r.linearizationGap()[nw - 1] < r.linearizationGap()[0];
        rep.verdict(Math.abs(slope + 0.5) <= SLOPE_TOLERANCE ? Report.Verdict.SHOWN : falls ? Report.Verdict.PARTLY
                : Report.Verdict.NOT_SHOWN, String.format(Locale.ROOT, "The linearisation gap falls with width at a"
                + " fitted log-log slope of %.3f (r² = %.3f; theory −1/2, accepted within ±%.2f); the relative parameter"
                + " change at %.3f while ‖θ_T − θ₀‖ itself stays between %.3g and %.3g (O(1), as lazy training says);"
                + " the distance of the test outputs to the infinite-width network falls at %.3f.", slope,
                r.gapFit().r2(), SLOPE_TOLERANCE, r.paramFit().slope(), min(r.paramDistance()), max(r.paramDistance()),
                r.distanceFit().slope()));
        List<List<Object>> rows = new ArrayList<>();
        for (int w = 0; w < nw; w++) {
            rows.add(List.of(c.widths()[w], String.format(Locale.ROOT, "%.0f", r.parameters()[w]),
                    Report.num("linearization_gap/" + w, r.linearizationGap()[w]),
                    Report.num("param_change/" + w, r.paramChange()[w]),
                    Report.num("param_distance/" + w, r.paramDistance()[w]), Report.num("kernel_change/" + w,
                            r.kernelChange()[w]), Report.num("distance_to_ntk/" + w, r.distanceToNtk()[w]),
                    Report.num("final_loss/" + w, r.finalLoss()[w])));
        }
        rep.table("After training, per width (root mean square over networks)", List.of("width", "parameters P",
                "‖f − f_lin‖/‖f − f₀‖ (training inputs)", "‖θ_T − θ₀‖/‖θ₀‖", "‖θ_T − θ₀‖", "‖Θ_T − Θ₀‖/‖Θ₀‖",
                "‖f_T − f_T^∞‖/‖f_T^∞ − f₀‖ (test inputs)", "training loss"), rows);
        rep.paragraph("f_T^∞ is the infinite-width network trained the same way from the same initial function: f₀ plus"
                + " kernel gradient descent with the limiting NTK for the same steps (Jacot et al. Thm 2), so its"
                + " distance measures only what finite width changes. Fitted slopes: gap %s, parameter change %s, kernel"
                + " change %s, distance %s.", Report.num("gap_slope", r.gapFit().slope(), "%.3f"),
                Report.num("param_slope", r.paramFit().slope(), "%.3f"),
                Report.num("kernel_slope", r.kernelFit().slope(), "%.3f"),
                Report.num("distance_slope", r.distanceFit().slope(), "%.3f"));
        rep.plot("linearization", plot(r, "Lazy training against width (log-log)"), "Markers: measurements (RMS over"
                + " networks); dashed: least-squares fits; black dashed: the theory's width^−1/2 through the narrowest gap.");
        double[] w = java.util.Arrays.stream(c.widths()).asDoubleStream().toArray();
        rep.csv("linearization.csv", List.of("width", "parameters", "linearization_gap", "param_change",
                "param_distance", "kernel_change", "distance_to_ntk", "final_loss"), List.of(w, r.parameters(),
                r.linearizationGap(), r.paramChange(), r.paramDistance(), r.kernelChange(), r.distanceToNtk(),
                r.finalLoss()));
        return rep;
    }
}
